package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

var (
	_ datasource.DataSource                     = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*customerDataSource)(nil)
)

func newCustomerDataSource() datasource.DataSource { return &customerDataSource{} }

type customerDataSource struct {
	data *providerData
}

type customerDataSourceModel struct {
	customerAPIModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *customerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

// customerDataSourceAttributes describes one customer in a data source: every
// attribute of the cloudlx_customer resource except the write-only
// admin_user, all computed, with the resource's names and types so values can
// be passed from one to the other.
func customerDataSourceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.Int64Attribute{
			MarkdownDescription: "The customer's numeric ID in CloudLX.",
			Computed:            true,
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The customer's name.",
			Computed:            true,
		},
		"currency_iso": schema.StringAttribute{
			MarkdownDescription: "The customer's default currency, as an uppercase ISO 4217 code such as `USD`, `EUR` or `GBP`.",
			Computed:            true,
		},
		"country_iso": schema.StringAttribute{
			MarkdownDescription: "The customer's country, as an uppercase ISO 3166-1 alpha-2 code such as `US`, `GB` or `DE`.",
			Computed:            true,
		},
		"realms": schema.SetAttribute{
			MarkdownDescription: "IDs of the realms the customer can access.",
			ElementType:         types.Int64Type,
			Computed:            true,
		},
		"shown_sub_realms": schema.SetAttribute{
			MarkdownDescription: "IDs of the sub-realms the customer can see.",
			ElementType:         types.Int64Type,
			Computed:            true,
		},
		"enabled_sub_realms": schema.SetAttribute{
			MarkdownDescription: "IDs of the sub-realms the customer can use (a subset of `shown_sub_realms`).",
			ElementType:         types.Int64Type,
			Computed:            true,
		},
		"currency": schema.ObjectAttribute{
			MarkdownDescription: currencyDescription,
			AttributeTypes:      currencyType.AttrTypes,
			Computed:            true,
		},
		"country": schema.ObjectAttribute{
			MarkdownDescription: countryDescription,
			AttributeTypes:      countryType.AttrTypes,
			Computed:            true,
		},
		"realm_details": schema.ListAttribute{
			MarkdownDescription: realmDetailsDescription,
			ElementType:         realmDetailType,
			Computed:            true,
		},
		"sub_realm_details": schema.ListAttribute{
			MarkdownDescription: subRealmDetailsDescription,
			ElementType:         subRealmDetailType,
			Computed:            true,
		},
	}
}

func (d *customerDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := customerDataSourceAttributes()
	attrs["id"] = schema.Int64Attribute{
		MarkdownDescription: "The ID of the customer to read. Exactly one of `id` and `name` must be set.",
		CustomType:          wholeInt64Type{},
		Optional:            true,
		Computed:            true,
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The exact name of the customer to read (case and spaces count). Exactly one of `id` and `name` " +
			"must be set. Exactly one customer must have this name: if none or several do, the read fails with an error that says " +
			"how many matched.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{trimmedValidator},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one existing customer, by `id` or by exact `name`, for example to reference it from other " +
			"configuration or to find the ID to import it with. It has every attribute of the `cloudlx_customer` resource, with " +
			"the same names and types, except the write-only `admin_user`.\n\n" +
			"By `id` it costs one `GET /api/customers/{id}`; by `name`, one read of the customer list (every page, if the API paginates it).",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (d *customerDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *customerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer redactDiagnostics(d.data.redactorOrNil(), &resp.Diagnostics)
	var cfg customerDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withReadTimeout(ctx, cfg.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	var customer *cloudlx.Customer
	if !cfg.ID.IsNull() {
		customer = d.readByID(ctx, cfg.ID.ValueInt64(), resp)
	} else {
		customer = d.readByName(ctx, cfg.Name.ValueString(), resp)
	}
	if customer == nil {
		return
	}
	resp.Diagnostics.Append(cfg.setFromAPI(customer)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func (d *customerDataSource) readByID(ctx context.Context, id int64, resp *datasource.ReadResponse) *cloudlx.Customer {
	customer, err := d.data.client.GetCustomer(ctx, id)
	if cloudlx.IsNotFound(err) {
		resp.Diagnostics.Append(customerIDNotFound(id, d.data.client.URL(fmt.Sprintf("/api/customers/%d", id)), err))
		return nil
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read CloudLX customer %d", id), err)
		return nil
	}
	return customer
}

func (d *customerDataSource) readByName(ctx context.Context, name string, resp *datasource.ReadResponse) *cloudlx.Customer {
	all, err := d.data.client.ListCustomers(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list CloudLX customers", err)
		return nil
	}
	var matches []cloudlx.Customer
	for _, c := range all {
		if c.Name == name {
			matches = append(matches, c)
		}
	}
	switch len(matches) {
	case 1:
		if err := d.data.client.CheckListed(&matches[0]); err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read CloudLX customer %q", name), err)
			return nil
		}
		return &matches[0]
	case 0:
		resp.Diagnostics.Append(noCustomerNamed(name, all))
	default:
		resp.Diagnostics.Append(severalCustomersNamed(name, matches))
	}
	return nil
}
