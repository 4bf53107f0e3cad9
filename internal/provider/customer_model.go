package provider

// The customer model and every conversion between Terraform and the API, both
// ways, so that an attribute added to the schema is mapped in one file:
//   - API -> state: setFromAPI and the computed details it builds;
//   - plan and state -> API: createRequest, changedFields, and the state saved
//     when nothing is sent (fillUnknownFromState) or a create cannot be read
//     back (saveAfterIncompleteCreate);
//   - the raw readers and writers of plans and state (getModel, setState),
//     which name every attribute of the model.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// The computed details are declared as ObjectAttribute and ListAttribute of
// ObjectType rather than nested attributes: Terraform 1.5's
// `plan -generate-config-out` crashes on computed-only nested attributes.
var (
	currencyType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "iso_2": types.StringType, "iso_3": types.StringType,
	}}
	countryType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "iso_2": types.StringType,
	}}
	realmDetailType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"id": types.Int64Type, "name": types.StringType, "description": types.StringType,
	}}
	subRealmDetailType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"id": types.Int64Type, "name": types.StringType, "description": types.StringType, "has_access": types.BoolType,
	}}
)

// Descriptions of the computed details, shared by the resource and the data
// sources so their docs cannot drift apart.
const (
	currencyDescription = "The currency as CloudLX describes it: `iso_3` (the ISO 4217 code), `iso_2` (the code's first two " +
		"letters) and `name` (such as `GBP - British Pound`)."
	countryDescription = "The country as CloudLX describes it: `iso_2` (the ISO 3166-1 alpha-2 code) and `name` " +
		"(its English name, such as `United Kingdom`)."
	realmDetailsDescription    = "The customer's realms with their `id`, `name` and `description`, sorted by `id`."
	subRealmDetailsDescription = "The sub-realms the customer can see, with `id`, `name`, `description` and `has_access` " +
		"(true when the customer can also use it), sorted by `id`."
)

// customerAPIModel holds every attribute the API returns. The resource and the
// data source embed it, so both map a customer the same way.
type customerAPIModel struct {
	ID               types.Int64  `tfsdk:"id"`
	Name             types.String `tfsdk:"name"`
	CurrencyISO      types.String `tfsdk:"currency_iso"`
	CountryISO       types.String `tfsdk:"country_iso"`
	Realms           types.Set    `tfsdk:"realms"`
	ShownSubRealms   types.Set    `tfsdk:"shown_sub_realms"`
	EnabledSubRealms types.Set    `tfsdk:"enabled_sub_realms"`
	Currency         types.Object `tfsdk:"currency"`
	Country          types.Object `tfsdk:"country"`
	RealmDetails     types.List   `tfsdk:"realm_details"`
	SubRealmDetails  types.List   `tfsdk:"sub_realm_details"`
}

// customerResourceModel is the resource's plan and state: what the API
// returns, plus admin_user and timeouts, which the API never returns, and the
// settings that live in state only (customer_lifecycle.go).
type customerResourceModel struct {
	customerAPIModel
	AdminUser          types.Object   `tfsdk:"admin_user"`
	DeletionPolicy     types.String   `tfsdk:"deletion_policy"`
	AllowDuplicateName types.Bool     `tfsdk:"allow_duplicate_name"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

// adminUserModel is admin_user, sent only by a create.
type adminUserModel struct {
	Email     types.String `tfsdk:"email"`
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	RoleGroup types.String `tfsdk:"role_group"`
}

// setFromAPI fills m from what the API returned. Values are normalised the way
// they are validated (ISO codes uppercase, id lists as sets that are never
// null, details sorted by id) so a read-back never differs from the config
// by form alone.
func (m *customerAPIModel) setFromAPI(c *cloudlx.Customer) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.Int64Value(c.ID)
	m.Name = types.StringValue(c.Name)
	m.CurrencyISO = types.StringValue(strings.ToUpper(c.Currency.ISO3))
	m.CountryISO = types.StringValue(strings.ToUpper(c.Country.ISO2))
	m.Realms = int64Set(c.RealmIDs())
	m.ShownSubRealms = int64Set(c.ShownSubRealmIDs())
	m.EnabledSubRealms = int64Set(c.EnabledSubRealmIDs())

	var d diag.Diagnostics
	m.Currency, d = types.ObjectValue(currencyType.AttrTypes, map[string]attr.Value{
		"name":  types.StringValue(c.Currency.Name),
		"iso_2": types.StringValue(c.Currency.ISO2),
		"iso_3": types.StringValue(c.Currency.ISO3),
	})
	diags.Append(d...)
	m.Country, d = types.ObjectValue(countryType.AttrTypes, map[string]attr.Value{
		"name":  types.StringValue(c.Country.Name),
		"iso_2": types.StringValue(c.Country.ISO2),
	})
	diags.Append(d...)
	m.RealmDetails, d = detailList(c.Realms, realmDetailType, func(r cloudlx.Realm) (int64, map[string]attr.Value) {
		return r.ID, map[string]attr.Value{
			"id":          types.Int64Value(r.ID),
			"name":        types.StringValue(r.Name),
			"description": types.StringPointerValue(r.Description),
		}
	})
	diags.Append(d...)
	m.SubRealmDetails, d = detailList(c.SubRealms, subRealmDetailType, func(s cloudlx.SubRealm) (int64, map[string]attr.Value) {
		return s.ID, map[string]attr.Value{
			"id":          types.Int64Value(s.ID),
			"name":        types.StringValue(s.Name),
			"description": types.StringPointerValue(s.Description),
			"has_access":  types.BoolValue(s.HasAccess),
		}
	})
	diags.Append(d...)
	return diags
}

// detailList builds a computed detail list: one object of elemType per item,
// with the id and attribute values describe gives it, sorted by id.
func detailList[T any](items []T, elemType types.ObjectType, describe func(T) (int64, map[string]attr.Value)) (types.List, diag.Diagnostics) {
	type entry struct {
		id    int64
		attrs map[string]attr.Value
	}
	entries := make([]entry, len(items))
	for i, item := range items {
		entries[i].id, entries[i].attrs = describe(item)
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
	elems := make([]attr.Value, 0, len(entries))
	var diags diag.Diagnostics
	for _, e := range entries {
		obj, d := types.ObjectValue(elemType.AttrTypes, e.attrs)
		diags.Append(d...)
		elems = append(elems, obj)
	}
	list, d := types.ListValue(elemType, elems)
	diags.Append(d...)
	return list, diags
}

// int64Set builds a known set, dropping duplicate ids (a set cannot hold them).
func int64Set(ids []int64) types.Set {
	seen := make(map[int64]bool, len(ids))
	elems := make([]attr.Value, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			elems = append(elems, types.Int64Value(id))
		}
	}
	return types.SetValueMust(types.Int64Type, elems)
}

// int64s returns a set's ids in ascending order (null gives an empty slice).
func int64s(ctx context.Context, s types.Set) ([]int64, diag.Diagnostics) {
	ids := []int64{}
	if s.IsNull() || s.IsUnknown() {
		return ids, nil
	}
	diags := s.ElementsAs(ctx, &ids, false)
	slices.Sort(ids)
	return ids, diags
}

// saveAfterIncompleteCreate records a created customer whose answer was
// incomplete and could not be read back: the id from the answer, the inputs as
// planned (the API accepted them), and null details until the next refresh.
func (m *customerResourceModel) saveAfterIncompleteCreate(created *cloudlx.Customer) {
	m.ID = types.Int64Value(created.ID)
	m.Currency = types.ObjectNull(currencyType.AttrTypes)
	m.Country = types.ObjectNull(countryType.AttrTypes)
	m.RealmDetails = types.ListNull(realmDetailType)
	m.SubRealmDetails = types.ListNull(subRealmDetailType)
}

func (m *customerResourceModel) createRequest(ctx context.Context) (cloudlx.CustomerCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	body := cloudlx.CustomerCreate{
		Name:        m.Name.ValueString(),
		CurrencyISO: m.CurrencyISO.ValueString(),
		CountryISO:  m.CountryISO.ValueString(),
	}
	var d diag.Diagnostics
	body.Realms, d = int64s(ctx, m.Realms)
	diags.Append(d...)
	body.ShownSubRealms, d = int64s(ctx, m.ShownSubRealms)
	diags.Append(d...)
	body.EnabledSubRealms, d = int64s(ctx, m.EnabledSubRealms)
	diags.Append(d...)
	if !m.AdminUser.IsNull() && !m.AdminUser.IsUnknown() {
		var user adminUserModel
		diags.Append(m.AdminUser.As(ctx, &user, basetypes.ObjectAsOptions{})...)
		body.Email = user.Email.ValueString()
		body.FirstName = user.FirstName.ValueString()
		body.LastName = user.LastName.ValueString()
		body.RoleGroup = user.RoleGroup.ValueString()
	}
	return body, diags
}

// changedFields builds a PATCH holding only what differs between plan and
// state, each sub-realm set on its own: re-sending a set the plan did not
// change would overwrite a change made in the portal since the plan read it,
// which the reviewer of the plan never saw. The API checks enabled within
// shown against what it holds once the PATCH is applied, so one set alone is
// a complete request (see withOtherSubRealmSet for an API that wants both).
func changedFields(ctx context.Context, plan, state *customerResourceModel) (cloudlx.CustomerPatch, diag.Diagnostics) {
	var patch cloudlx.CustomerPatch
	var diags diag.Diagnostics
	if !plan.Name.Equal(state.Name) {
		patch.Name = plan.Name.ValueStringPointer()
	}
	if !plan.CurrencyISO.Equal(state.CurrencyISO) {
		patch.CurrencyISO = plan.CurrencyISO.ValueStringPointer()
	}
	if !plan.CountryISO.Equal(state.CountryISO) {
		patch.CountryISO = plan.CountryISO.ValueStringPointer()
	}
	if !plan.Realms.Equal(state.Realms) {
		ids, d := int64s(ctx, plan.Realms)
		diags.Append(d...)
		patch.Realms = &ids
	}
	if !plan.ShownSubRealms.Equal(state.ShownSubRealms) {
		shown, d := int64s(ctx, plan.ShownSubRealms)
		diags.Append(d...)
		patch.ShownSubRealms = &shown
	}
	if !plan.EnabledSubRealms.Equal(state.EnabledSubRealms) {
		enabled, d := int64s(ctx, plan.EnabledSubRealms)
		diags.Append(d...)
		patch.EnabledSubRealms = &enabled
	}
	return patch, diags
}

// fillUnknownFromState resolves computed values left unknown in the plan when
// no request is sent (only possible if state lacked them).
func fillUnknownFromState(plan, state *customerResourceModel) {
	if plan.Currency.IsUnknown() {
		plan.Currency = state.Currency
	}
	if plan.Country.IsUnknown() {
		plan.Country = state.Country
	}
	if plan.RealmDetails.IsUnknown() {
		plan.RealmDetails = state.RealmDetails
	}
	if plan.SubRealmDetails.IsUnknown() {
		plan.SubRealmDetails = state.SubRealmDetails
	}
}

// setState writes m into st: what st.Set(ctx, m) does, without its reflection
// over the struct and its walk of the schema. Read runs it for every customer
// of every plan, Create and Update for every customer they write. An attribute
// added to the schema must be added here too (TestSetStateMatchesFrameworkSet
// fails until it is).
func setState(ctx context.Context, st *tfsdk.State, m *customerResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	values := map[string]attr.Value{
		"id": m.ID, "name": m.Name, "currency_iso": m.CurrencyISO, "country_iso": m.CountryISO,
		"realms": m.Realms, "shown_sub_realms": m.ShownSubRealms, "enabled_sub_realms": m.EnabledSubRealms,
		"currency": m.Currency, "country": m.Country, "realm_details": m.RealmDetails, "sub_realm_details": m.SubRealmDetails,
		"admin_user": m.AdminUser, "timeouts": m.Timeouts,
		"deletion_policy": m.DeletionPolicy, "allow_duplicate_name": m.AllowDuplicateName,
	}
	raw := make(map[string]tftypes.Value, len(values))
	for name, v := range values {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Could not save the CloudLX customer", err.Error())
			return diags
		}
		raw[name] = tv
	}
	typ := st.Raw.Type() // the response's state starts with the schema's type
	if err := tftypes.ValidateValue(typ, raw); err != nil {
		diags.AddError("Could not save the CloudLX customer", err.Error())
		return diags
	}
	st.Raw = tftypes.NewValue(typ, raw)
	return diags
}

// getModel reads a state or plan of the customer resource into m: what
// Get(ctx, m) does, without its reflection over the struct and its walk of the
// schema. Every operation runs it once or twice per customer. Like setState it
// names every attribute (TestGetModelMatchesFrameworkGet fails until an added
// one is here too).
func getModel(ctx context.Context, raw tftypes.Value, m *customerResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Could not read the CloudLX customer from Terraform", err.Error())
		return diags
	}
	typeOf := customerAttrTypes()
	decoders := []struct {
		name   string
		decode func(attr.Value) bool
	}{
		{"id", into(&m.ID)}, {"name", into(&m.Name)}, {"currency_iso", into(&m.CurrencyISO)}, {"country_iso", into(&m.CountryISO)},
		{"realms", into(&m.Realms)}, {"shown_sub_realms", into(&m.ShownSubRealms)}, {"enabled_sub_realms", into(&m.EnabledSubRealms)},
		{"currency", into(&m.Currency)}, {"country", into(&m.Country)},
		{"realm_details", into(&m.RealmDetails)}, {"sub_realm_details", into(&m.SubRealmDetails)},
		{"admin_user", into(&m.AdminUser)}, {"timeouts", into(&m.Timeouts)},
		{"deletion_policy", into(&m.DeletionPolicy)}, {"allow_duplicate_name", into(&m.AllowDuplicateName)},
	}
	if len(decoders) != len(attrs) {
		diags.AddError("Could not read the CloudLX customer from Terraform",
			fmt.Sprintf("the value has %d attributes, the provider knows %d", len(attrs), len(decoders)))
		return diags
	}
	for _, d := range decoders {
		v, err := typeOf[d.name].ValueFromTerraform(ctx, attrs[d.name])
		if err == nil && !d.decode(v) {
			err = fmt.Errorf("unexpected value type %T", v)
		}
		if err != nil {
			diags.AddAttributeError(path.Root(d.name), "Could not read the CloudLX customer from Terraform", err.Error())
			return diags
		}
	}
	return diags
}

// into returns a function that stores a decoded value in *field when it has
// the field's type.
func into[T attr.Value](field *T) func(attr.Value) bool {
	return func(v attr.Value) bool {
		t, ok := v.(T)
		if ok {
			*field = t
		}
		return ok
	}
}

// customerAttrTypes are the resource schema's attribute types (custom types
// and the timeouts block included), built once per process for getModel.
var customerAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	s := CustomerResourceSchema(context.Background())
	// What s.Type() holds, read from the schema itself rather than through a
	// type assertion on that attr.Type.
	attrTypes := make(map[string]attr.Type, len(s.Attributes)+len(s.Blocks))
	for name, a := range s.Attributes {
		attrTypes[name] = a.GetType()
	}
	for name, b := range s.Blocks {
		attrTypes[name] = b.Type()
	}
	return attrTypes
})
