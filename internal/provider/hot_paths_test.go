package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

func sampleCustomer() *cloudlx.Customer {
	desc := "Europe"
	return &cloudlx.Customer{
		ID: 915, Name: "Acme",
		Currency:  cloudlx.Currency{ISO3: "GBP", ISO2: "GB", Name: "GBP - British Pound"},
		Country:   cloudlx.Country{ISO2: "GB", Name: "United Kingdom"},
		Realms:    []cloudlx.Realm{{ID: 7, Name: "EU", Description: &desc}, {ID: 2, Name: "UK"}},
		SubRealms: []cloudlx.SubRealm{{ID: 313, Name: "Storage", HasAccess: true}, {ID: 328, Name: "Backup"}},
	}
}

// customerState is the state of sampleCustomer after a read, with admin_user.
func customerState(t testing.TB) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var resp resource.SchemaResponse
	(&customerResource{}).Schema(ctx, resource.SchemaRequest{}, &resp)
	var m customerResourceModel
	if d := m.setFromAPI(sampleCustomer()); d.HasError() {
		t.Fatal(d)
	}
	m.AdminUser = adminUser("ops@example.com")
	m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})
	st := tfsdk.State{Schema: resp.Schema}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	return st
}

// updatePlan is state with the attributes in set changed, and every computed
// detail unknown, as the framework plans an update before ModifyPlan.
func updatePlan(t testing.TB, state tfsdk.State, set map[string]any) tfsdk.Plan {
	t.Helper()
	ctx := context.Background()
	plan := tfsdk.Plan(state)
	for name, v := range set {
		if d := plan.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatal(d)
		}
	}
	for _, d := range detailInputs {
		var unknown any
		switch d.detail {
		case "currency":
			unknown = types.ObjectUnknown(currencyType.AttrTypes)
		case "country":
			unknown = types.ObjectUnknown(countryType.AttrTypes)
		case "realm_details":
			unknown = types.ListUnknown(realmDetailType)
		case "sub_realm_details":
			unknown = types.ListUnknown(subRealmDetailType)
		}
		if diags := plan.SetAttribute(ctx, path.Root(d.detail), unknown); diags.HasError() {
			t.Fatal(diags)
		}
	}
	return plan
}

// TestModifyPlanCopiesDetailsWhoseInputsAreUnchanged holds the plan rules:
// each computed detail stays as in state unless one of its inputs changes,
// and is then planned unknown ("known after apply").
func TestModifyPlanCopiesDetailsWhoseInputsAreUnchanged(t *testing.T) {
	ctx := context.Background()
	ids := func(v ...int64) types.Set { return int64Set(v) }
	for _, tc := range []struct {
		name    string
		set     map[string]any
		unknown []string // the details left unknown
	}{
		{"name only", map[string]any{"name": "Acme 2"}, nil},
		{"currency", map[string]any{"currency_iso": "EUR"}, []string{"currency"}},
		{"country", map[string]any{"country_iso": "DE"}, []string{"country"}},
		{"realms", map[string]any{"realms": ids(2)}, []string{"realm_details"}},
		{"realms reordered", map[string]any{"realms": ids(7, 2)}, nil},
		{"enabled sub-realms", map[string]any{"enabled_sub_realms": ids(313, 328)}, []string{"sub_realm_details"}},
		{"shown sub-realms", map[string]any{"shown_sub_realms": ids(313, 328, 400)}, []string{"sub_realm_details"}},
		{"everything", map[string]any{"currency_iso": "EUR", "country_iso": "DE", "realms": ids(2), "shown_sub_realms": ids(313)},
			[]string{"currency", "country", "realm_details", "sub_realm_details"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := customerState(t)
			plan := updatePlan(t, state, tc.set)
			req := resource.ModifyPlanRequest{State: state, Plan: plan}
			resp := resource.ModifyPlanResponse{Plan: plan}
			(&customerResource{}).ModifyPlan(ctx, req, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			var got, prior customerResourceModel
			if d := resp.Plan.Get(ctx, &got); d.HasError() {
				t.Fatal(d)
			}
			if d := state.Get(ctx, &prior); d.HasError() {
				t.Fatal(d)
			}
			details := map[string][2]interface {
				IsUnknown() bool
				String() string
			}{
				"currency":          {got.Currency, prior.Currency},
				"country":           {got.Country, prior.Country},
				"realm_details":     {got.RealmDetails, prior.RealmDetails},
				"sub_realm_details": {got.SubRealmDetails, prior.SubRealmDetails},
			}
			for name, v := range details {
				wantUnknown := false
				for _, u := range tc.unknown {
					wantUnknown = wantUnknown || u == name
				}
				switch {
				case wantUnknown && !v[0].IsUnknown():
					t.Errorf("%s planned %s, want unknown", name, v[0])
				case !wantUnknown && v[0].String() != v[1].String():
					t.Errorf("%s planned %s, want the state's %s", name, v[0], v[1])
				}
			}
			if len(resp.Diagnostics.Warnings()) != 0 {
				t.Errorf("warnings %v", resp.Diagnostics.Warnings())
			}
		})
	}

	// A null detail in state (a create whose read-back failed) stays unknown.
	state := customerState(t)
	if d := state.SetAttribute(ctx, path.Root("currency"), types.ObjectNull(currencyType.AttrTypes)); d.HasError() {
		t.Fatal(d)
	}
	plan := updatePlan(t, state, map[string]any{"name": "Acme 2"})
	resp := resource.ModifyPlanResponse{Plan: plan}
	(&customerResource{}).ModifyPlan(ctx, resource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
	var currency types.Object
	if d := resp.Plan.GetAttribute(ctx, path.Root("currency"), &currency); d.HasError() || !currency.IsUnknown() {
		t.Errorf("a null currency in state planned %s (%v), want unknown", currency, d)
	}
}

// BenchmarkModifyPlan is one customer's ModifyPlan in an update of its name
// (details copied from state) and in a plan with nothing changed.
func BenchmarkModifyPlan(b *testing.B) {
	ctx := context.Background()
	state := customerState(b)
	for name, plan := range map[string]tfsdk.Plan{
		"rename":    updatePlan(b, state, map[string]any{"name": "Acme 2"}),
		"no change": tfsdk.Plan(state),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			r := &customerResource{}
			for b.Loop() {
				resp := resource.ModifyPlanResponse{Plan: plan}
				r.ModifyPlan(ctx, resource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
			}
		})
	}
}

// TestSetStateMatchesFrameworkSet: setState writes what the framework's
// State.Set writes, for a customer with and without admin_user and timeouts.
func TestSetStateMatchesFrameworkSet(t *testing.T) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	(&customerResource{}).Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	timeoutTypes := map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}
	for name, edit := range map[string]func(*customerResourceModel){
		"bare": func(m *customerResourceModel) {
			m.AdminUser = types.ObjectNull(adminUser("").AttributeTypes(ctx))
			m.Timeouts.Object = types.ObjectNull(timeoutTypes)
		},
		"with admin_user and timeouts": func(m *customerResourceModel) {
			m.AdminUser = adminUser("ops@example.com")
			m.Timeouts.Object = types.ObjectValueMust(timeoutTypes, map[string]attr.Value{
				"create": types.StringValue("5m"), "read": types.StringNull(), "update": types.StringNull(), "delete": types.StringNull(),
			})
		},
		"null details": func(m *customerResourceModel) {
			m.AdminUser = types.ObjectNull(adminUser("").AttributeTypes(ctx))
			m.Timeouts.Object = types.ObjectNull(timeoutTypes)
			m.saveAfterIncompleteCreate(sampleCustomer())
		},
	} {
		t.Run(name, func(t *testing.T) {
			var m customerResourceModel
			if d := m.setFromAPI(sampleCustomer()); d.HasError() {
				t.Fatal(d)
			}
			edit(&m)
			want := tfsdk.State{Schema: schemaResp.Schema}
			if d := want.Set(ctx, &m); d.HasError() {
				t.Fatal(d)
			}
			got := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
			if d := setState(ctx, &got, &m); d.HasError() {
				t.Fatal(d)
			}
			if !got.Raw.Equal(want.Raw) {
				t.Errorf("setState wrote\n%s\nState.Set writes\n%s", got.Raw, want.Raw)
			}
		})
	}
}

// BenchmarkReadState is the end of one customer's Read: its model written to
// state by the framework's State.Set and by setState.
func BenchmarkReadState(b *testing.B) {
	ctx := context.Background()
	state := customerState(b)
	var m customerResourceModel
	if d := state.Get(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	b.Run("State.Set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st := state
			_ = st.Set(ctx, &m)
		}
	})
	b.Run("setState", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st := state
			_ = setState(ctx, &st, &m)
		}
	})
}

// TestGetModelMatchesFrameworkGet: getModel reads what the framework's Get
// reads, from a state (with and without admin_user, timeouts and details) and
// from an update plan whose computed details are unknown.
func TestGetModelMatchesFrameworkGet(t *testing.T) {
	ctx := context.Background()
	state := customerState(t)
	bare := customerState(t)
	if d := bare.SetAttribute(ctx, path.Root("admin_user"), types.ObjectNull(adminUser("").AttributeTypes(ctx))); d.HasError() {
		t.Fatal(d)
	}
	withTimeouts := customerState(t)
	if d := withTimeouts.SetAttribute(ctx, path.Root("timeouts").AtName("delete"), types.StringValue("3m")); d.HasError() {
		t.Fatal(d)
	}
	nullDetails := customerState(t)
	for _, name := range []string{"currency", "country", "realm_details", "sub_realm_details"} {
		if d := nullDetails.SetAttribute(ctx, path.Root(name), nullOf(ctx, t, name)); d.HasError() {
			t.Fatal(d)
		}
	}
	plan := updatePlan(t, state, map[string]any{"name": "Acme Renamed", "realms": types.SetValueMust(types.Int64Type, []attr.Value{types.Int64Value(3)})})
	for name, raw := range map[string]tftypes.Value{
		"state": state.Raw, "bare": bare.Raw, "timeouts": withTimeouts.Raw, "null details": nullDetails.Raw, "update plan": plan.Raw,
	} {
		t.Run(name, func(t *testing.T) {
			var want, got customerResourceModel
			if d := (tfsdk.State{Schema: state.Schema, Raw: raw}).Get(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			if d := getModel(ctx, raw, &got); d.HasError() {
				t.Fatal(d)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("getModel read\n%#v\nGet reads\n%#v", got, want)
			}
		})
	}
	t.Run("an attribute the provider does not know", func(t *testing.T) {
		var m customerResourceModel
		extra := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.Number, "colour": tftypes.String}},
			map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Number, 1), "colour": tftypes.NewValue(tftypes.String, "red")})
		if d := getModel(ctx, extra, &m); !d.HasError() {
			t.Error("getModel read a value whose attributes are not the customer's")
		}
	})
}

// nullOf is a null of the type attribute name has in the resource's schema.
func nullOf(ctx context.Context, t *testing.T, name string) attr.Value {
	t.Helper()
	typ := customerAttrTypes()[name]
	v, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// BenchmarkGetModel is the start of one customer's Read, Update or Delete:
// its state read into the model by the framework's Get and by getModel.
func BenchmarkGetModel(b *testing.B) {
	ctx := context.Background()
	state := customerState(b)
	b.Run("State.Get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m customerResourceModel
			_ = state.Get(ctx, &m)
		}
	})
	b.Run("getModel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m customerResourceModel
			_ = getModel(ctx, state.Raw, &m)
		}
	})
}
