package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// changedFields decides what an update sends: only what the plan changes, and
// each sub-realm set on its own, so a set the plan did not change is never
// sent (it would overwrite a portal change the plan never showed).
func TestChangedFieldsSendsOnlyWhatThePlanChanges(t *testing.T) {
	ctx := context.Background()
	idSet := func(ids ...int64) types.Set {
		vals := make([]types.Int64, len(ids))
		for i, id := range ids {
			vals[i] = types.Int64Value(id)
		}
		s, d := types.SetValueFrom(ctx, types.Int64Type, vals)
		if d.HasError() {
			t.Fatal(d)
		}
		return s
	}
	var state customerResourceModel
	state.Name, state.CurrencyISO, state.CountryISO = types.StringValue("Acme"), types.StringValue("USD"), types.StringValue("US")
	state.Realms, state.ShownSubRealms, state.EnabledSubRealms = idSet(2, 7), idSet(313, 328), idSet(313)
	for _, tc := range []struct {
		name   string
		change func(*customerResourceModel)
		want   string // the PATCH body
	}{
		{"nothing", func(*customerResourceModel) {}, `{}`},
		{"admin_user only", func(m *customerResourceModel) { m.AdminUser = adminUser("ops@acme.example") }, `{}`},
		{"name", func(m *customerResourceModel) { m.Name = types.StringValue("Acme 2") }, `{"name":"Acme 2"}`},
		{"currency and country", func(m *customerResourceModel) {
			m.CurrencyISO, m.CountryISO = types.StringValue("EUR"), types.StringValue("DE")
		}, `{"currency_iso":"EUR","country_iso":"DE"}`},
		{"realms", func(m *customerResourceModel) { m.Realms = idSet(2) }, `{"realms":[2]}`},
		{"realms reordered", func(m *customerResourceModel) { m.Realms = idSet(7, 2) }, `{}`},
		{"enabled only", func(m *customerResourceModel) { m.EnabledSubRealms = idSet(313, 328) }, `{"enabled_sub_realms":[313,328]}`},
		{"enabled emptied", func(m *customerResourceModel) { m.EnabledSubRealms = idSet() }, `{"enabled_sub_realms":[]}`},
		{"shown only", func(m *customerResourceModel) { m.ShownSubRealms = idSet(313, 328, 340) }, `{"shown_sub_realms":[313,328,340]}`},
		{"both sets", func(m *customerResourceModel) {
			m.ShownSubRealms, m.EnabledSubRealms = idSet(313), idSet()
		}, `{"shown_sub_realms":[313],"enabled_sub_realms":[]}`},
		{"name and enabled", func(m *customerResourceModel) {
			m.Name, m.EnabledSubRealms = types.StringValue("Acme 2"), idSet()
		}, `{"name":"Acme 2","enabled_sub_realms":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := state
			tc.change(&plan)
			patch, d := changedFields(ctx, &plan, &state)
			if d.HasError() {
				t.Fatal(d)
			}
			body, err := json.Marshal(patch)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != tc.want {
				t.Errorf("PATCH body %s, want %s", body, tc.want)
			}
			if patch.IsEmpty() != (tc.want == `{}`) {
				t.Errorf("IsEmpty() = %v for %s", patch.IsEmpty(), body)
			}
		})
	}
}
