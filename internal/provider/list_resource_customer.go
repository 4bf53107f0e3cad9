package provider

import (
	"context"
	"reflect"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// The cloudlx_customer list resource serves `terraform query` (Terraform
// 1.14+): a `list "cloudlx_customer" "..." {}` block in a .tfquery.hcl file
// finds the customers of the account, each with its identity, so that
// `terraform query -generate-config-out` can write the import blocks and
// resource blocks that adopt them. CLIs without `query` never call it.

var (
	_ list.ListResource              = (*customerListResource)(nil)
	_ list.ListResourceWithConfigure = (*customerListResource)(nil)
)

func newCustomerListResource() list.ListResource { return &customerListResource{} }

type customerListResource struct {
	data *providerData
}

type customerListConfigModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
}

func (l *customerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (l *customerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the customers of the CloudLX account for `terraform query` (Terraform 1.14 and later), " +
			"optionally only those whose name matches a regular expression. Each result is the customer's identity " +
			"(`id`) and its name; with `include_resource = true`, also every attribute the API returns. It costs one " +
			"`GET /api/customers` per page of the list, as the `cloudlx_customers` data source does.",
		Attributes: map[string]listschema.Attribute{
			"name_regex": listschema.StringAttribute{
				MarkdownDescription: "Only find customers whose name matches this regular expression " +
					"([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), as in the `cloudlx_customers` data source: " +
					"`^Acme` finds names that start with `Acme`, `(?i)acme` ignores case. Unset finds every customer.",
				Optional:   true,
				Validators: []validator.String{regexValidator},
			},
		},
	}
}

func (l *customerListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads the whole customer list (every page) before it returns a
// result, so a failing page is one error rather than half a list, and the
// results come sorted by id as in the data source.
func (l *customerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	fail := func() {
		redactDiagnostics(l.data.redactorOrNil(), &diags)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
	}
	if l.data == nil {
		diags.AddError("CloudLX provider not configured",
			"The cloudlx_customer list needs a configured provider block (endpoint and credentials).")
		fail()
		return
	}
	var cfg customerListConfigModel
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		fail()
		return
	}
	filter, err := nameFilter(cfg.NameRegex)
	if err != nil { // the validator has already rejected it
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		fail()
		return
	}

	ctx, cancel := context.WithTimeout(ctx, defaultDataSourceReadTimeout)
	defer cancel()
	all, err := l.data.client.ListCustomers(ctx)
	if err != nil {
		addAPIError(&diags, "Could not list CloudLX customers", err)
		fail()
		return
	}
	matching := matchingByID(all, filter)
	for i := range matching {
		if err := l.data.client.CheckListed(&matching[i]); err != nil {
			addAPIError(&diags, "Could not list CloudLX customers", err)
			fail()
			return
		}
	}

	var results []list.ListResult
	for i := range matching {
		c := &matching[i]
		if req.Limit > 0 && int64(len(results)) >= req.Limit {
			break
		}
		results = append(results, listResult(ctx, req, c))
	}
	stream.Results = slices.Values(results)
}

// listResult names one customer: its identity, its name for display and, when
// Terraform asks for it, the resource as an import followed by a refresh would
// hold it (admin_user and timeouts, which the API never returns, stay null; the state-only
// settings hold their defaults).
func listResult(ctx context.Context, req list.ListRequest, c *cloudlx.Customer) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = c.Name
	result.Diagnostics.Append(result.Identity.Set(ctx, customerIdentityModel{ID: types.Int64Value(c.ID)})...)
	if req.IncludeResource {
		var m customerAPIModel
		result.Diagnostics.Append(m.setFromAPI(c)...)
		result.Diagnostics.Append(setAttributes(ctx, result.Resource, m.attributes())...)
		var settings customerResourceModel // the state-only settings, as a refresh after an import holds them
		settings.defaultStateOnlySettings()
		result.Diagnostics.Append(setAttributes(ctx, result.Resource, map[string]attr.Value{
			"deletion_policy": settings.DeletionPolicy, "allow_duplicate_name": settings.AllowDuplicateName})...)
	}
	return result
}

func setAttributes(ctx context.Context, res *tfsdk.Resource, values map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range values {
		diags.Append(res.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

// attributes returns the model's values by attribute name (its tfsdk tags), so
// a listed resource holds every attribute a refresh sets, and one added to the
// model later is listed too.
func (m customerAPIModel) attributes() map[string]attr.Value {
	v := reflect.ValueOf(m)
	out := make(map[string]attr.Value, v.NumField())
	for i := range v.NumField() {
		if value, ok := v.Field(i).Interface().(attr.Value); ok {
			out[v.Type().Field(i).Tag.Get("tfsdk")] = value
		}
	}
	return out
}
