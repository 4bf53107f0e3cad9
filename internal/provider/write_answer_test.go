package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

func acmeCustomer() *cloudlx.Customer {
	return &cloudlx.Customer{
		ID: 915, Name: "Acme Ltd",
		Currency:  cloudlx.Currency{Name: "USD - US Dollar", ISO2: "US", ISO3: "USD"},
		Country:   cloudlx.Country{Name: "United States", ISO2: "US"},
		Realms:    []cloudlx.Realm{{ID: 2, Name: "Networking"}, {ID: 7, Name: "Voice"}},
		SubRealms: []cloudlx.SubRealm{{ID: 313, Name: "SD WAN", HasAccess: true}},
	}
}

// modelOf is the state a refresh would build from c.
func modelOf(t *testing.T, c *cloudlx.Customer) customerResourceModel {
	t.Helper()
	var m customerResourceModel
	if d := m.setFromAPI(c); d.HasError() {
		t.Fatal(d)
	}
	return m
}

func warningTexts(diags diag.Diagnostics) map[string]string {
	out := map[string]string{}
	for _, d := range diags.Warnings() {
		p := "(none)"
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		out[p] = d.Summary() + ": " + d.Detail()
	}
	return out
}

// settleWriteAnswer in the cases the CLI tests do not reach: every value the
// plan knew is in the state it returns, whatever CloudLX answered, and each
// difference is one warning at its attribute, saying what to do.
func TestSettleWriteAnswer(t *testing.T) {
	cases := []struct {
		name   string
		plan   func(m *customerResourceModel) // from the state of acmeCustomer
		answer func(c *cloudlx.Customer)      // acmeCustomer, changed
		sent   sentAttributes                 // nil: a create
		check  func(t *testing.T, state customerResourceModel)
		warn   map[string][]string // attribute -> parts of its warning
	}{
		{
			name:   "an answer that matches the plan: no warning",
			plan:   func(*customerResourceModel) {},
			answer: func(*cloudlx.Customer) {},
			sent:   sentAttributes{"name": true},
		},
		{
			name: "an update of realms answered with realm 1 added and realm 7 dropped",
			plan: func(m *customerResourceModel) {
				m.Realms = int64Set([]int64{2, 7})
				m.RealmDetails = types.ListUnknown(realmDetailType)
			},
			answer: func(c *cloudlx.Customer) {
				c.Realms = []cloudlx.Realm{{ID: 1, Name: "Default"}, {ID: 2, Name: "Networking"}}
			},
			sent: sentAttributes{"realms": true},
			check: func(t *testing.T, s customerResourceModel) {
				if got := render(s.Realms); got != "[2, 7]" {
					t.Errorf("realms %s, want the planned [2, 7]", got)
				}
				if n := len(s.RealmDetails.Elements()); n != 2 || !strings.Contains(s.RealmDetails.String(), `"Default"`) {
					t.Errorf("realm_details %s, want CloudLX's realms 1 and 2", s.RealmDetails)
				}
			},
			warn: map[string][]string{"realms": {
				"Terraform planned realms = [2, 7] and this apply sent it, but CloudLX answered with realms = [1, 2].",
				`CloudLX added 1 ("Default"). If it adds it to every customer`, "add 1 to realms in the configuration",
				"CloudLX did not keep 7: check that it exists in the catalogue",
			}},
		},
		{
			name: "a create whose currency CloudLX did not take",
			plan: func(m *customerResourceModel) {
				m.CurrencyISO = types.StringValue("EUR")
				m.Currency = types.ObjectUnknown(currencyType.AttrTypes)
			},
			answer: func(*cloudlx.Customer) {},
			check: func(t *testing.T, s customerResourceModel) {
				if s.CurrencyISO.ValueString() != "EUR" || !strings.Contains(s.Currency.String(), `"USD"`) {
					t.Errorf("currency_iso %s, currency %s", s.CurrencyISO, s.Currency)
				}
			},
			warn: map[string][]string{"currency_iso": {`Terraform planned currency_iso = "EUR" and this apply sent it, but CloudLX answered with currency_iso = "USD".`}},
		},
		{
			name:   "a detail changed in CloudLX while its input did not: the planned detail stays, with its own warning",
			plan:   func(*customerResourceModel) {},
			answer: func(c *cloudlx.Customer) { c.Realms[1].Name = "Voice (renamed)" },
			sent:   sentAttributes{"name": true},
			check: func(t *testing.T, s customerResourceModel) {
				if strings.Contains(s.RealmDetails.String(), "renamed") {
					t.Errorf("realm_details %s, want the planned ones", s.RealmDetails)
				}
			},
			warn: map[string][]string{"realm_details": {"CloudLX describes realm_details differently than planned", "Voice (renamed)"}},
		},
		{
			name: "sub-realms changed in CloudLX, not sent: one warning per set, none for the details",
			plan: func(*customerResourceModel) {},
			answer: func(c *cloudlx.Customer) {
				c.SubRealms = append(c.SubRealms, cloudlx.SubRealm{ID: 340, Name: "Extra", HasAccess: true})
			},
			sent: sentAttributes{"name": true},
			check: func(t *testing.T, s customerResourceModel) {
				if render(s.ShownSubRealms) != "[313]" || render(s.EnabledSubRealms) != "[313]" || len(s.SubRealmDetails.Elements()) != 1 {
					t.Errorf("state %s %s %s", s.ShownSubRealms, s.EnabledSubRealms, s.SubRealmDetails)
				}
			},
			warn: map[string][]string{
				"shown_sub_realms":   {"this apply did not change it, but CloudLX answered with shown_sub_realms = [313, 340]", "saved plan", "-refresh=false"},
				"enabled_sub_realms": {"this apply did not change it"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan := modelOf(t, acmeCustomer())
			tc.plan(&plan)
			answer := acmeCustomer()
			tc.answer(answer)
			sent := tc.sent
			if sent == nil {
				sent = sentByCreate
				plan.ID = types.Int64Unknown()
			}
			state, diags := settleWriteAnswer(plan, answer, sent)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if state.ID.ValueInt64() != 915 {
				t.Errorf("id %s", state.ID)
			}
			// Every value the plan knew is in state.
			for name, pair := range map[string][2]interface {
				IsUnknown() bool
				String() string
			}{
				"name": {plan.Name, state.Name}, "currency_iso": {plan.CurrencyISO, state.CurrencyISO},
				"country_iso": {plan.CountryISO, state.CountryISO}, "realms": {plan.Realms, state.Realms},
				"shown_sub_realms": {plan.ShownSubRealms, state.ShownSubRealms}, "enabled_sub_realms": {plan.EnabledSubRealms, state.EnabledSubRealms},
				"currency": {plan.Currency, state.Currency}, "country": {plan.Country, state.Country},
				"realm_details": {plan.RealmDetails, state.RealmDetails}, "sub_realm_details": {plan.SubRealmDetails, state.SubRealmDetails},
			} {
				if !pair[0].IsUnknown() && pair[0].String() != pair[1].String() {
					t.Errorf("%s: planned %s, state %s", name, pair[0], pair[1])
				}
				if pair[1].IsUnknown() {
					t.Errorf("%s is unknown in state", name)
				}
			}
			if tc.check != nil {
				tc.check(t, state)
			}
			got := warningTexts(diags)
			if len(got) != len(tc.warn) {
				t.Errorf("warnings %q, want one for each of %v", got, tc.warn)
			}
			for attr, parts := range tc.warn {
				text, ok := got[path.Root(attr).String()]
				if !ok {
					t.Errorf("no warning at %s: %q", attr, got)
				}
				for _, p := range parts {
					if !strings.Contains(text, p) {
						t.Errorf("the warning at %s lacks %q:\n%s", attr, p, text)
					}
				}
				if !strings.Contains(text, "the next plan") || strings.Contains(text, "bug") {
					t.Errorf("the warning at %s:\n%s", attr, text)
				}
			}
		})
	}
}
