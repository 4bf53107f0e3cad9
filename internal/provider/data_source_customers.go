package provider

import (
	"cmp"
	"context"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

var (
	_ datasource.DataSource              = (*customersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*customersDataSource)(nil)
)

func newCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

type customersDataSource struct {
	data *providerData
}

type customersDataSourceModel struct {
	NameRegex types.String       `tfsdk:"name_regex"`
	Customers []customerAPIModel `tfsdk:"customers"`
	Timeouts  timeouts.Value     `tfsdk:"timeouts"`
}

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the customers of the CloudLX account, optionally only those whose name matches a regular " +
			"expression: for dashboards, and for writing `import` blocks for customers created in the portal.\n\n" +
			"It costs one `GET /api/customers`. When the API answers that the list paginates, the data source asks for the " +
			"following pages (`page`, with `max_per_page` 200) until a page comes back empty or shorter than the first, or " +
			"as many customers as the API's `num_results` are in hand. The filter is applied by the provider, after the whole " +
			"list is read.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only list customers whose name matches this regular expression " +
					"([RE2 syntax](https://github.com/google/re2/wiki/Syntax), as in Terraform's own `regex` function). It matches " +
					"anywhere in the name unless anchored: `^Acme` lists names that start with `Acme`, `^Acme Ltd$` only that " +
					"exact name, and `(?i)acme` ignores case. Unset lists every customer.",
				Optional:   true,
				Validators: []validator.String{regexValidator},
			},
			"customers": schema.ListNestedAttribute{
				MarkdownDescription: "The customers, sorted by `id`. Each has the attributes of the `cloudlx_customer` resource, " +
					"with the same names and types, except the write-only `admin_user`.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: customerDataSourceAttributes(),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (d *customersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer redactDiagnostics(d.data.redactorOrNil(), &resp.Diagnostics)
	var cfg customersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withReadTimeout(ctx, cfg.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	filter, err := nameFilter(cfg.NameRegex)
	if err != nil { // the validator has already rejected it; keep Read safe anyway
		resp.Diagnostics.AddError("Invalid name_regex", err.Error())
		return
	}

	all, err := d.data.client.ListCustomers(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list CloudLX customers", err)
		return
	}
	matching := matchingByID(all, filter)
	cfg.Customers = make([]customerAPIModel, 0, len(matching)) // an empty list, never null
	for i := range matching {
		if err := d.data.client.CheckListed(&matching[i]); err != nil {
			addAPIError(&resp.Diagnostics, "Could not list CloudLX customers", err)
			return
		}
	}
	for i := range matching {
		var m customerAPIModel
		resp.Diagnostics.Append(m.setFromAPI(&matching[i])...)
		cfg.Customers = append(cfg.Customers, m)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// nameFilter compiles name_regex, which the cloudlx_customers data source and
// the cloudlx_customer list resource both take: nil, which every name
// matches, when it is unset.
func nameFilter(nameRegex types.String) (*regexp.Regexp, error) {
	if nameRegex.IsNull() || nameRegex.IsUnknown() {
		return nil, nil
	}
	return regexp.Compile(nameRegex.ValueString())
}

// matchingByID sorts customers by id and keeps those whose name filter
// matches (all of them when filter is nil). It reuses the customers' slice.
func matchingByID(customers []cloudlx.Customer, filter *regexp.Regexp) []cloudlx.Customer {
	slices.SortFunc(customers, func(a, b cloudlx.Customer) int { return cmp.Compare(a.ID, b.ID) })
	if filter == nil {
		return customers
	}
	return slices.DeleteFunc(customers, func(c cloudlx.Customer) bool { return !filter.MatchString(c.Name) })
}
