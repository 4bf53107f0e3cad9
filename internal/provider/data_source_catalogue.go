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
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/suggest"
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

	var names types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("names"), &names)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// From the process's cache: a for_each of these data sources costs one read.
	entries, err := d.data.catalogue(ctx, d.kind)
	if err != nil {
		addCatalogueError(&resp.Diagnostics, d.kind.singular, d.kind.path, err)
		return
	}
	list, byName, diags := catalogueState(ctx, entries, d.kind.singular,
		fmt.Sprintf("data.cloudlx_%[1]s.<name>.%[1]s", d.kind.plural))
	resp.Diagnostics.Append(diags...)
	ids := types.ListNull(types.Int64Type)
	if !names.IsNull() {
		var wanted []types.String
		resp.Diagnostics.Append(names.ElementsAs(ctx, &wanted, false)...)
		var found []int64
		found, diags = idsOfNames(wanted, entries, d.kind)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		ids, diags = types.ListValueFrom(ctx, types.Int64Type, found)
		resp.Diagnostics.Append(diags...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.kind.plural), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ids_by_name"), byName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("names"), names)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ids"), ids)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), readTimeouts)...)
}

// idsOfNames returns the id of each name, in order. A name no entry carries
// is an error that suggests the closest known name and lists them all; a name
// several entries carry is an error naming their ids.
func idsOfNames(names []types.String, entries []catalogueEntry, kind catalogueKind) ([]int64, diag.Diagnostics) {
	var diags diag.Diagnostics
	idsOf := map[string][]int64{}
	var known []string
	for _, e := range sortedEntries(entries) {
		if _, seen := idsOf[e.name]; !seen {
			known = append(known, e.name)
		}
		idsOf[e.name] = append(idsOf[e.name], e.id)
	}
	slices.Sort(known)
	out := make([]int64, 0, len(names))
	for i, n := range names {
		p := path.Root("names").AtListIndex(i)
		if n.IsNull() {
			diags.AddAttributeError(p, fmt.Sprintf("Missing %s name", kind.singular),
				fmt.Sprintf("%s is null. Every element of names must be a %s name.", p, kind.singular))
			continue
		}
		switch found := idsOf[n.ValueString()]; len(found) {
		case 1:
			out = append(out, found[0])
		case 0:
			diags.Append(unknownCatalogueName(p, kind, n.ValueString(), known))
		default:
			diags.AddAttributeError(p, fmt.Sprintf("Ambiguous %s name", kind.singular),
				fmt.Sprintf("%s: %d %ss are named %q (ids %s), so the name does not say which one. Use the id of the one "+
					"you mean instead, from data.cloudlx_%s.<name>.%s.", p, len(found), kind.singular, n.ValueString(),
					joinInt64s(found), kind.plural, kind.plural))
		}
	}
	return out, diags
}

// unknownCatalogueName names a name no entry carries, the closest known one
// and the known ones.
func unknownCatalogueName(p path.Path, kind catalogueKind, name string, known []string) diag.Diagnostic {
	hint := ""
	// A third of the name's length: "Netwroking" finds "Networking", "Storage" does not find "Compute".
	if s := suggest.Closest(name, known, max(2, len([]rune(name))/3)); len(s) > 0 {
		hint = fmt.Sprintf(" Did you mean %s?", suggest.Phrase(s))
	}
	quoted := make([]string, len(known))
	for i, k := range known {
		quoted[i] = fmt.Sprintf("%q", k)
	}
	listed := strings.Join(quoted, ", ")
	if len(quoted) > maxListed {
		listed = strings.Join(quoted[:maxListed], ", ") + fmt.Sprintf(", … and %d more", len(quoted)-maxListed)
	}
	if len(quoted) == 0 {
		listed = "none (the catalogue is empty)"
	}
	return diag.NewAttributeErrorDiagnostic(p, fmt.Sprintf("Unknown %s name", kind.singular),
		fmt.Sprintf("%s: no %s in CloudLX's catalogue is named %q.%s Names are matched exactly, case included. "+
			"The known %ss are: %s.", p, kind.singular, name, hint, kind.singular, listed))
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
			"please report it.\n\nThe catalogue is read at most once per Terraform command (one provider process) and shared by every "+
			"data source of this type and by the plan-time check of `cloudlx_customer`'s ids, so one data source per customer "+
			"costs one read.", k.singular, k.usedBy, k.path, k.plural),
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
			"names": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("%[1]s names to look up, such as `[\"%[2]s\"]`; `ids` holds their IDs in the same "+
					"order. Names are matched exactly, case included. A name that no %[1]s carries fails the read with an error "+
					"that names it, suggests the closest known name and lists the known ones; a name that several carry fails too.",
					strings.ToUpper(k.singular[:1])+k.singular[1:], k.example),
				ElementType: types.StringType,
				Optional:    true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("The IDs of `names`, in the same order, for a `cloudlx_customer`'s %s; null when "+
					"`names` is not set.", k.usedBy),
				ElementType: types.Int64Type,
				Computed:    true,
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
	sorted := sortedEntries(entries)
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

// sortedEntries is a copy of entries sorted by id (a cached catalogue is shared).
func sortedEntries(entries []catalogueEntry) []catalogueEntry {
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b catalogueEntry) int { return cmp.Compare(a.id, b.id) })
	return sorted
}

func joinInt64s(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}
