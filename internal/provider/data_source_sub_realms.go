package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*subRealmsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*subRealmsDataSource)(nil)
)

func newSubRealmsDataSource() datasource.DataSource { return &subRealmsDataSource{} }

type subRealmsDataSource struct {
	data *providerData
}

type subRealmsDataSourceModel struct {
	SubRealms []catalogueEntryModel `tfsdk:"sub_realms"`
	IDsByName types.Map             `tfsdk:"ids_by_name"`
	Timeouts  timeouts.Value        `tfsdk:"timeouts"`
}

func (d *subRealmsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sub_realms"
}

func (d *subRealmsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = catalogueSchema(ctx, catalogueKind{singular: "sub-realm", plural: "sub_realms", path: "/api/sub-realms",
		usedBy: "`shown_sub_realms` and `enabled_sub_realms`", example: "SD WAN"})
}

func (d *subRealmsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *subRealmsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg subRealmsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := cfg.Timeouts.Read(ctx, defaultDataSourceReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	subRealms, err := d.data.client.ListSubRealms(ctx)
	if err != nil {
		addCatalogueError(&resp.Diagnostics, "sub-realm", "/api/sub-realms", err)
		return
	}
	entries := make([]catalogueEntry, len(subRealms))
	for i, s := range subRealms {
		entries[i] = catalogueEntry{id: s.ID, name: s.Name, description: s.Description}
	}
	cfg.SubRealms, cfg.IDsByName, diags = catalogueState(ctx, entries, "sub-realm", "data.cloudlx_sub_realms.<name>.sub_realms")
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
