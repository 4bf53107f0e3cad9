package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// detailInputs names each computed detail with the inputs the API derives it
// from. On an update, ModifyPlan copies a detail from state into the plan
// unless one of its inputs changes.
var detailInputs = []struct {
	detail string
	inputs []string
}{
	{"currency", []string{"currency_iso"}},
	{"country", []string{"country_iso"}},
	{"realm_details", []string{"realms"}},
	{"sub_realm_details", []string{"shown_sub_realms", "enabled_sub_realms"}},
}

// planWithDetails returns the plan of an update with each computed detail
// copied from state whose inputs are unchanged, and whether admin_user
// changed. It works on the raw values, attribute by attribute, because it
// runs for every customer of every plan: decoding the whole model into Go
// structs and encoding it back would cost more than the rest of the plan. A
// null detail in state (a create whose read-back failed) is never copied:
// the apply must be free to fill it in.
func planWithDetails(plan, state tftypes.Value) (tftypes.Value, bool, error) {
	var planned, prior map[string]tftypes.Value
	if err := plan.As(&planned); err != nil {
		return plan, false, fmt.Errorf("reading the plan: %w", err)
	}
	if err := state.As(&prior); err != nil {
		return plan, false, fmt.Errorf("reading the state: %w", err)
	}
	copied := false
	for _, d := range detailInputs {
		old := prior[d.detail]
		if !old.IsKnown() || old.IsNull() || planned[d.detail].Equal(old) || !sameValues(planned, prior, d.inputs) {
			continue
		}
		planned[d.detail] = old
		copied = true
	}
	adminUserChanged := !planned["admin_user"].Equal(prior["admin_user"])
	if !copied {
		return plan, adminUserChanged, nil
	}
	return tftypes.NewValue(plan.Type(), planned), adminUserChanged, nil
}

func sameValues(a, b map[string]tftypes.Value, names []string) bool {
	for _, name := range names {
		if !a[name].Equal(b[name]) {
			return false
		}
	}
	return true
}
