package provider

// Sending an update's PATCH on an API that may want the two sub-realm sets
// together. changedFields sends each set only when the plan changes it: the
// documented API checks enabled within shown against what it holds, so one
// set alone is a complete request. Whether the real API agrees is one of the
// questions the docs leave open. If it refuses one set alone, naming the
// other as missing, the provider must still not send the other set's planned
// value: the plan did not change it, and CloudLX may hold a newer one (a
// portal change since the plan). So it reads what CloudLX holds and sends
// that, or fails, naming the set, when CloudLX's value and the planned change
// do not fit together.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// patchCustomer sends patch to customer id and returns CloudLX's answer.
//
// Its cost: one PATCH. On an API that wants both sub-realm sets together, an
// update that changes one of them costs the refused PATCH, one GET and the
// PATCH again, the first time in a provider process; after a PATCH with both
// sets succeeded that way, the process sends the GET and the PATCH straight
// away.
func (r *customerResource) patchCustomer(ctx context.Context, id int64, patch cloudlx.CustomerPatch) (*cloudlx.Customer, error) {
	other := otherSubRealmSet(patch)
	if other == "" {
		return r.data.client.UpdateCustomer(ctx, id, patch)
	}
	if r.data.subRealmsTogether.Load() {
		return r.patchWithCloudLXSubRealmSet(ctx, id, patch, other, nil)
	}
	updated, err := r.data.client.UpdateCustomer(ctx, id, patch)
	if !namesMissingField(err, other) {
		return updated, err
	}
	return r.patchWithCloudLXSubRealmSet(ctx, id, patch, other, err)
}

// otherSubRealmSet is the API name of the sub-realm set patch leaves out when
// it holds exactly one of the two, else "".
func otherSubRealmSet(p cloudlx.CustomerPatch) string {
	switch {
	case p.ShownSubRealms != nil && p.EnabledSubRealms == nil:
		return "enabled_sub_realms"
	case p.EnabledSubRealms != nil && p.ShownSubRealms == nil:
		return "shown_sub_realms"
	}
	return ""
}

// namesMissingField reports whether err is the API refusing a request with a
// 422 whose field errors name field, which the request did not send: the API
// wants it sent. The error's text is not read (it is the API's own wording).
func namesMissingField(err error, field string) bool {
	var apiErr *cloudlx.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for f := range apiErr.FieldErrors {
		if base, _, _ := strings.Cut(f, "."); base == field {
			return true
		}
	}
	return false
}

// patchWithCloudLXSubRealmSet sends patch again with the sub-realm set it left
// out (other) set to what CloudLX holds now, read with one GET. refused is
// the API's refusal of patch alone, nil when this process already knows the
// API wants both sets.
func (r *customerResource) patchWithCloudLXSubRealmSet(ctx context.Context, id int64, patch cloudlx.CustomerPatch,
	other string, refused error) (*cloudlx.Customer, error) {
	held, err := r.data.client.GetCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	both := patch
	var shown, enabled, kept []int64
	if other == "shown_sub_realms" {
		shown, enabled = held.ShownSubRealmIDs(), *patch.EnabledSubRealms
		both.ShownSubRealms, kept = &shown, shown
	} else {
		shown, enabled = *patch.ShownSubRealms, held.EnabledSubRealmIDs()
		both.EnabledSubRealms, kept = &enabled, enabled
	}
	if outside := notIn(enabled, shown); len(outside) > 0 {
		return nil, &subRealmSetsConflict{other: other, held: kept, outside: outside, refused: refused}
	}
	updated, err := r.data.client.UpdateCustomer(ctx, id, both)
	if err == nil {
		r.data.subRealmsTogether.Store(true)
	}
	return updated, err
}

// notIn returns the ids of a that are not in b, ascending.
func notIn(a, b []int64) []int64 {
	var out []int64
	for _, id := range a {
		if !slices.Contains(b, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// subRealmSetsConflict: the API wants both sub-realm sets in a PATCH, the plan
// changes one, and what CloudLX holds for the other (changed since the plan)
// does not fit the planned change: enabled would not be within shown. Sending
// the planned value of the other set instead would overwrite that change,
// which the plan never showed; so nothing is sent.
type subRealmSetsConflict struct {
	other   string  // the set the plan does not change
	held    []int64 // CloudLX's value of it
	outside []int64 // the enabled ids that would not be shown
	refused error   // the API's refusal of the changed set alone; nil when known before
}

func (e *subRealmSetsConflict) Error() string {
	return fmt.Sprintf("CloudLX holds %s = [%s], which does not fit the planned change: sub-realms %s would be enabled but not shown",
		e.other, idList(e.held), idList(e.outside))
}

// subRealmSetsConflictDiag explains a subRealmSetsConflict, on the set the
// plan does not change.
func subRealmSetsConflictDiag(id int64, e *subRealmSetsConflict) diag.Diagnostic {
	changed := map[string]string{"shown_sub_realms": "enabled_sub_realms", "enabled_sub_realms": "shown_sub_realms"}[e.other]
	why := fmt.Sprintf("this provider process already saw CloudLX refuse one sub-realm set without the other, so it read %s from CloudLX", e.other)
	if e.refused != nil {
		why = fmt.Sprintf("CloudLX refused %s alone, naming %s:\n  %v\nso the provider read %s from CloudLX", changed, e.other, e.refused, e.other)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(e.other), fmt.Sprintf("Could not update CloudLX customer %d", id),
		fmt.Sprintf("The plan changes %s and not %s; %s. CloudLX now holds %s = [%s], changed since the plan read it (in "+
			"the portal, or by another tool), and with the planned %s, sub-realm(s) %s would be enabled without being shown. "+
			"Sending the planned %s to make them fit would overwrite that change, which the plan did not show, so nothing "+
			"more was sent and nothing was changed.\n\n"+
			"Run terraform plan again: it reads both sets from CloudLX and shows what an apply would change in each.",
			changed, e.other, why, e.other, idList(e.held), changed, idList(e.outside), e.other))
}
