package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/iso"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/suggest"
)

// The plan-time checks that need the provider's data, which an attribute
// validator or ValidateConfig cannot see (Terraform validates a configuration
// before it configures the provider): the ISO tables with the provider's
// additional codes, and realm and sub-realm ids against CloudLX's catalogues.
// They run in ModifyPlan, on the inputs a plan creates or changes: an input
// already in state was accepted by CloudLX, so a plan that leaves it alone
// neither fails on it nor pays a catalogue read for it.

// checkPlanInputs fails the plan for every input of a create or an update
// that CloudLX would refuse, naming the attribute, the value and the fix.
func (r *customerResource) checkPlanInputs(ctx context.Context, req resource.ModifyPlanRequest) (diags diag.Diagnostics) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return nil // a destroy; or no provider data, as in the framework's own validation
	}
	defer redactDiagnostics(r.data.redactorOrNil(), &diags)
	creating := req.State.Raw.IsNull()

	for _, c := range []struct {
		attr  string
		table *iso.Table
	}{{"currency_iso", &iso.Currencies}, {"country_iso", &iso.Countries}} {
		var planned, prior types.String
		diags.Append(req.Plan.GetAttribute(ctx, path.Root(c.attr), &planned)...)
		if !creating {
			diags.Append(req.State.GetAttribute(ctx, path.Root(c.attr), &prior)...)
		}
		if planned.IsNull() || planned.IsUnknown() || (!creating && planned.Equal(prior)) {
			continue
		}
		if d := r.data.checkISOCode(path.Root(c.attr), c.table, planned.ValueString()); d != nil {
			diags.Append(d)
		}
	}

	shownChecked := false
	for _, c := range []struct {
		attr string
		kind catalogueKind
	}{{"realms", realmsCatalogue}, {"shown_sub_realms", subRealmsCatalogue}, {"enabled_sub_realms", subRealmsCatalogue}} {
		var planned, prior types.Set
		diags.Append(req.Plan.GetAttribute(ctx, path.Root(c.attr), &planned)...)
		if !creating {
			diags.Append(req.State.GetAttribute(ctx, path.Root(c.attr), &prior)...)
		}
		if planned.IsNull() || planned.IsUnknown() || (!creating && planned.Equal(prior)) {
			continue
		}
		if c.attr == "enabled_sub_realms" && shownChecked {
			continue // within shown_sub_realms (ValidateConfig), whose ids were just checked
		}
		shownChecked = c.attr == "shown_sub_realms"
		diags.Append(r.data.checkCatalogueIDs(ctx, path.Root(c.attr), c.kind, knownIDs(planned))...)
	}
	return diags
}

// checkISOCode refuses a well-formed, uppercase code that the dated table does
// not list and the provider's additional codes do not allow. Malformed,
// lowercase and withdrawn codes are the attribute validator's (and fail
// before any plan).
func (d *providerData) checkISOCode(p path.Path, table *iso.Table, code string) diag.Diagnostic {
	if !table.WellFormed(code) || strings.ToUpper(code) != code || d.extraCodes[table][code] {
		return nil
	}
	if status, _ := table.Lookup(code); status != iso.Unknown {
		return nil
	}
	return unknownISOCode(p, table, code)
}

// unknownISOCode: a well-formed code missing from the table, with the codes
// it is most likely a typo of, and the escape hatch for a code assigned since.
func unknownISOCode(p path.Path, table *iso.Table, code string) diag.Diagnostic {
	envVar := envAdditionalCurrencyCodes
	if table == &iso.Countries {
		envVar = envAdditionalCountryCodes
	}
	hint := fmt.Sprintf("Use the customer's %s code.", table.Kind)
	if s := table.Suggest(code); len(s) > 0 {
		hint = fmt.Sprintf("Did you mean %s?", suggest.Phrase(s))
	}
	return diag.NewAttributeErrorDiagnostic(p, fmt.Sprintf("Unknown %s code", table.Kind),
		fmt.Sprintf("%s: %q is not in this provider's table of %s %s codes (checked on %s), so CloudLX would refuse it "+
			"when the plan is applied. %s\n\nIf %q is a %s assigned since that CloudLX accepts, allow it in the provider "+
			"configuration with %s = [%q], or with the environment variable %s=%s.",
			p, code, table.Standard, table.Kind, iso.AsOf, hint, code, table.Kind, setting(table), code, envVar, code))
}

// knownIDs returns the known elements of a set of ids; an id only known after
// apply is checked by CloudLX.
func knownIDs(set types.Set) []int64 {
	var out []int64
	for _, v := range set.Elements() {
		if id, ok := v.(types.Int64); ok && !id.IsNull() && !id.IsUnknown() {
			out = append(out, id.ValueInt64())
		}
	}
	return out
}

// checkCatalogueIDs refuses the ids that kind's catalogue does not list. It
// reads the catalogue (once per process) only when there are ids to check.
// A catalogue that cannot be read leaves the decision to CloudLX, as before
// the check existed: silently when the inferred path does not exist (404,
// 405, 501: the account does not serve it there, and the data sources say so
// when asked), with a warning for any other failure.
func (d *providerData) checkCatalogueIDs(ctx context.Context, p path.Path, kind catalogueKind, ids []int64) diag.Diagnostics {
	if len(ids) == 0 {
		return nil
	}
	entries, err := d.catalogue(ctx, kind)
	var diags diag.Diagnostics
	switch {
	case err != nil && catalogueNotServed(err):
		d.log.Debug(ctx, "the "+kind.singular+" catalogue is not served at its inferred path: ids are not checked at plan time",
			map[string]any{"path": kind.path, "error": err.Error()})
		return nil
	case err != nil:
		diags.Append(catalogueNotChecked(p, kind, err))
		return diags
	case len(entries) == 0:
		// An account with no realms at all cannot have a customer; more
		// likely the inferred path answers something else. CloudLX decides.
		return nil
	}
	known := make(map[int64]bool, len(entries))
	for _, e := range entries {
		known[e.id] = true
	}
	var unknown []int64
	for _, id := range ids {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		diags.Append(unknownCatalogueIDs(p, kind, unknown, entries))
	}
	return diags
}

// catalogueNotServed reports whether a catalogue read failed because the
// account does not serve the inferred path.
func catalogueNotServed(err error) bool {
	switch cloudlx.StatusCode(err) {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}

// catalogueNotChecked warns that the ids of p went unchecked.
func catalogueNotChecked(p path.Path, kind catalogueKind, err error) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(p, fmt.Sprintf("Could not check %s ids against the CloudLX %s catalogue", kind.singular, kind.singular),
		fmt.Sprintf("Reading the %s catalogue (GET %s) failed, so the plan goes on without checking %s; CloudLX checks "+
			"the ids when the plan is applied. The read is not repeated for other resources in this run.\n\n%s",
			kind.singular, kind.path, p, err))
}

// maxListed bounds how many catalogue entries an error lists.
const maxListed = 50

// unknownCatalogueIDs names the ids of p that the catalogue does not list,
// and lists the ones it does, by id and name.
func unknownCatalogueIDs(p path.Path, kind catalogueKind, unknown []int64, entries []catalogueEntry) diag.Diagnostic {
	sorted := sortedEntries(entries)
	var known []string
	for i, e := range sorted {
		if i == maxListed {
			known = append(known, fmt.Sprintf("… and %d more", len(sorted)-maxListed))
			break
		}
		known = append(known, fmt.Sprintf("%d (%q)", e.id, e.name))
	}
	ids, verb, them := fmt.Sprint(unknown[0]), "is", "it"
	if n := len(unknown); n > 1 {
		ids, verb, them = joinInt64s(unknown[:n-1])+" and "+fmt.Sprint(unknown[n-1]), "are", "them"
	}
	return diag.NewAttributeErrorDiagnostic(p, fmt.Sprintf("Unknown %s id", kind.singular),
		fmt.Sprintf("%s contains %s, which %s not in CloudLX's %s catalogue (GET %s), so CloudLX would refuse %s when the "+
			"plan is applied. The known %ss are: %s.\n\nUse one of these ids, or look one up by name with the "+
			"cloudlx_%s data source, for example data.cloudlx_%s.all.ids_by_name[%q].",
			p, ids, verb, kind.singular, kind.path, them, kind.singular, strings.Join(known, ", "),
			kind.plural, kind.plural, kind.example))
}
