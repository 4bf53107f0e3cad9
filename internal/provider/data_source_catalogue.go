package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

var (
	_ datasource.DataSource              = (*catalogueDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*catalogueDataSource)(nil)
)

// catalogueDataSource is cloudlx_realms or cloudlx_sub_realms: both list a
// catalogue of {id, name, description} and map names to ids; only the kind
// differs (newRealmsDataSource and newSubRealmsDataSource, in their own files).
type catalogueDataSource struct {
	kind catalogueKind
	data *providerData
}

// catalogueEntryModel is one realm or sub-realm of a catalogue.
type catalogueEntryModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (d *catalogueDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.plural
}

func (d *catalogueDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = catalogueSchema(ctx, d.kind)
}

func (d *catalogueDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogueDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer redactDiagnostics(d.data.redactorOrNil(), &resp.Diagnostics)
	var readTimeouts timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &readTimeouts)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withReadTimeout(ctx, readTimeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	entries, err := d.kind.list(ctx, d.data.client)
	if err != nil {
		addCatalogueError(&resp.Diagnostics, d.kind.singular, d.kind.path, err)
		return
	}
	list, byName, diags := catalogueState(ctx, entries, d.kind.singular,
		fmt.Sprintf("data.cloudlx_%[1]s.<name>.%[1]s", d.kind.plural))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.kind.plural), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ids_by_name"), byName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), readTimeouts)...)
}

// catalogueKind names what a catalogue data source lists, for its docs.
type catalogueKind struct {
	singular, plural string // "sub-realm", "sub_realms" (the attribute name)
	path             string // the inferred API path
	usedBy           string // the cloudlx_customer attributes that take these ids
	example          string // a name from the docs' examples
	list             func(context.Context, *cloudlx.Client) ([]catalogueEntry, error)
}

// catalogueSchema is the schema shared by cloudlx_realms and cloudlx_sub_realms.
func catalogueSchema(ctx context.Context, k catalogueKind) schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads the %[1]s catalogue of the CloudLX account, so configuration can refer to %[1]ss by "+
			"name instead of hard-coding environment-specific IDs in a `cloudlx_customer`'s %[2]s.\n\n"+
			"-> **The API path is inferred.** The CloudLX documentation refers to a %[1]s endpoint but does not document its path "+
			"or response. This data source reads `GET %[3]s` and expects a `%[4]s` list of objects with `id`, `name` and "+
			"`description`, following pages if the answer says it paginates. If your account answers HTTP 404 there, the error says so; "+
			"please report it.", k.singular, k.usedBy, k.path, k.plural),
		Attributes: map[string]schema.Attribute{
			k.plural: schema.ListNestedAttribute{
				MarkdownDescription: fmt.Sprintf("Every %s, sorted by `id`.", k.singular),
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.Int64Attribute{
							MarkdownDescription: fmt.Sprintf("The %s's numeric ID.", k.singular),
							Computed:            true,
						},
						"name": schema.StringAttribute{
							MarkdownDescription: fmt.Sprintf("The %s's name.", k.singular),
							Computed:            true,
						},
						"description": schema.StringAttribute{
							MarkdownDescription: fmt.Sprintf("The %s's description; null when CloudLX has none.", k.singular),
							Computed:            true,
						},
					},
				},
			},
			"ids_by_name": schema.MapAttribute{
				MarkdownDescription: fmt.Sprintf("Map from %[1]s name to ID, such as `ids_by_name[\"%[2]s\"]`. Names are "+
					"matched exactly, case included. A name that more than one %[1]s carries is left out of this map, "+
					"so using it fails instead of silently picking one of them, and every read warns about it; choose "+
					"among those by ID from `%[3]s`.", k.singular, k.example, k.plural),
				ElementType: types.Int64Type,
				Computed:    true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

// catalogueEntry is a realm or sub-realm as the API listed it.
type catalogueEntry struct {
	id          int64
	name        string
	description *string
}

// catalogueState builds a catalogue's list (sorted by id) and its name-to-id
// map. A name carried by several entries cannot map to one id: it is left out
// of the map, with a warning that names the entries, rather than mapped to
// whichever came first.
func catalogueState(ctx context.Context, entries []catalogueEntry, singular, listAddr string) ([]catalogueEntryModel, types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b catalogueEntry) int { return cmp.Compare(a.id, b.id) })

	list := make([]catalogueEntryModel, len(sorted))
	idsOf := map[string][]int64{}
	for i, e := range sorted {
		list[i] = catalogueEntryModel{
			ID:          types.Int64Value(e.id),
			Name:        types.StringValue(e.name),
			Description: types.StringPointerValue(e.description),
		}
		idsOf[e.name] = append(idsOf[e.name], e.id)
	}

	unique := map[string]int64{}
	var ambiguous []string
	for name, ids := range idsOf {
		if len(ids) == 1 {
			unique[name] = ids[0]
		} else {
			ambiguous = append(ambiguous, fmt.Sprintf("%q (ids %s)", name, joinInt64s(ids)))
		}
	}
	if len(ambiguous) > 0 {
		slices.Sort(ambiguous)
		diags.Append(catalogueNamesNotUnique(singular, ambiguous, listAddr))
	}
	byName, d := types.MapValueFrom(ctx, types.Int64Type, unique)
	diags.Append(d...)
	return list, byName, diags
}

func joinInt64s(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}
