package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// sentAttributes are the attributes a write sent to CloudLX.
type sentAttributes map[string]bool

// sentByCreate: a create sends every attribute.
var sentByCreate = sentAttributes{"name": true, "currency_iso": true, "country_iso": true,
	"realms": true, "shown_sub_realms": true, "enabled_sub_realms": true}

// sentByPatch: an update sends only what changed.
func sentByPatch(p cloudlx.CustomerPatch) sentAttributes {
	return sentAttributes{"name": p.Name != nil, "currency_iso": p.CurrencyISO != nil, "country_iso": p.CountryISO != nil,
		"realms": p.Realms != nil, "shown_sub_realms": p.ShownSubRealms != nil, "enabled_sub_realms": p.EnabledSubRealms != nil}
}

// settleWriteAnswer is the state to save after a create or an update: the
// plan, reconciled with CloudLX's answer.
//
// After an apply, Terraform compares the new state with every value the plan
// knew, inside nested objects and sets too, and refuses any difference as
// "Provider produced inconsistent result after apply ... a bug in the
// provider": the resource is then tainted, and replacing a customer on an API
// without DELETE leaves an orphan. So every attribute whose value the plan knew
// keeps it, and when CloudLX holds something else, a warning names the
// attribute, both values and the likely cause: a change made in CloudLX after
// the plan read it, to an attribute this apply did not send (a saved plan
// applied later, or apply -refresh=false), or an answer that contradicts what
// was sent (an API that adds realm 1 to every customer). The next plan reads
// CloudLX again and shows the difference as drift.
//
// Where the plan left a value unknown (the id and the details on a create;
// a detail whose inputs change on an update), state holds what CloudLX
// answered, even when the answer disagrees with the planned inputs: the
// details describe the customer as CloudLX holds it, exactly as the next
// refresh will, so they do not change again when it runs. Deriving them from
// the planned inputs instead would invent entries: a planned realm that
// CloudLX did not keep has no name or description in the answer, and finding
// one would cost a request the resource's API budget does not allow (the
// README's cost table).
func settleWriteAnswer(plan customerResourceModel, answer *cloudlx.Customer, sent sentAttributes) (customerResourceModel, diag.Diagnostics) {
	state := plan // admin_user and timeouts are never returned: they stay as planned
	diags := state.setFromAPI(answer)
	if diags.HasError() {
		return state, diags
	}
	realmNames := map[int64]string{}
	for _, r := range answer.Realms {
		realmNames[r.ID] = r.Name
	}
	subRealmNames := map[int64]string{}
	for _, s := range answer.SubRealms {
		subRealmNames[s.ID] = s.Name
	}

	differs := map[string]bool{}
	input := func(name string, planned attr.Value, held attr.Value, keep func(), hint string) {
		if planned.IsUnknown() || planned.Equal(held) {
			return
		}
		keep()
		differs[name] = true
		diags.Append(writeAnswerDiffers(name, render(planned), render(held), sent[name], hint))
	}
	idSetHint := func(name string, planned, held types.Set, names map[int64]string) string {
		added, dropped := setDifference(held, planned), setDifference(planned, held)
		return idSetAnswerHint(name, added, dropped, names, sent[name])
	}
	input("name", plan.Name, state.Name, func() { state.Name = plan.Name }, "")
	input("currency_iso", plan.CurrencyISO, state.CurrencyISO, func() { state.CurrencyISO = plan.CurrencyISO }, "")
	input("country_iso", plan.CountryISO, state.CountryISO, func() { state.CountryISO = plan.CountryISO }, "")
	input("realms", plan.Realms, state.Realms, func() { state.Realms = plan.Realms },
		idSetHint("realms", plan.Realms, state.Realms, realmNames))
	input("shown_sub_realms", plan.ShownSubRealms, state.ShownSubRealms, func() { state.ShownSubRealms = plan.ShownSubRealms },
		idSetHint("shown_sub_realms", plan.ShownSubRealms, state.ShownSubRealms, subRealmNames))
	input("enabled_sub_realms", plan.EnabledSubRealms, state.EnabledSubRealms, func() { state.EnabledSubRealms = plan.EnabledSubRealms },
		idSetHint("enabled_sub_realms", plan.EnabledSubRealms, state.EnabledSubRealms, subRealmNames))

	// A detail the plan knew was copied from state by ModifyPlan, because its
	// inputs did not change. It keeps that value too; the warning about its
	// input, if any, already explains the difference.
	detail := func(name string, planned, held attr.Value, keep func(), inputs ...string) {
		if planned.IsUnknown() || planned.Equal(held) {
			return
		}
		keep()
		if !slices.ContainsFunc(inputs, func(in string) bool { return differs[in] }) {
			diags.Append(writeAnswerDetailDiffers(name, render(planned), render(held)))
		}
	}
	detail("currency", plan.Currency, state.Currency, func() { state.Currency = plan.Currency }, "currency_iso")
	detail("country", plan.Country, state.Country, func() { state.Country = plan.Country }, "country_iso")
	detail("realm_details", plan.RealmDetails, state.RealmDetails, func() { state.RealmDetails = plan.RealmDetails }, "realms")
	detail("sub_realm_details", plan.SubRealmDetails, state.SubRealmDetails, func() { state.SubRealmDetails = plan.SubRealmDetails },
		"shown_sub_realms", "enabled_sub_realms")
	return state, diags
}

// idSetAnswerHint says what to do about an id set CloudLX answered differently.
func idSetAnswerHint(name string, added, dropped []int64, names map[int64]string, sent bool) string {
	if !sent {
		return ""
	}
	var hints []string
	if len(added) > 0 {
		list := idList(added)
		hints = append(hints, fmt.Sprintf("CloudLX added %s. If it adds %s to every customer (as an API that puts every "+
			"customer in realm 1, \"Default\", does), add %s to %s in the configuration and the plan settles.",
			describeIDs(added, names), pronoun(added), list, name))
	}
	if len(dropped) > 0 {
		hints = append(hints, fmt.Sprintf("CloudLX did not keep %s: check that %s in the catalogue (the cloudlx_realms and "+
			"cloudlx_sub_realms data sources list it) and that the portal user of this API client may grant %s.",
			idList(dropped), map[bool]string{true: "it exists", false: "they exist"}[len(dropped) == 1], pronoun(dropped)))
	}
	return strings.Join(hints, " ")
}

func pronoun(ids []int64) string {
	if len(ids) == 1 {
		return "it"
	}
	return "them"
}

// describeIDs renders ids with the names CloudLX gave them: `1 ("Default")`.
func describeIDs(ids []int64, names map[int64]string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
		if n := names[id]; n != "" {
			parts[i] += fmt.Sprintf(" (%q)", n)
		}
	}
	return strings.Join(parts, ", ")
}

// setDifference returns the ids in a that are not in b, ascending.
func setDifference(a, b types.Set) []int64 {
	in := map[int64]bool{}
	for _, id := range setIDs(b) {
		in[id] = true
	}
	var out []int64
	for _, id := range setIDs(a) {
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}

// setIDs returns the known ids of a set, ascending.
func setIDs(s types.Set) []int64 {
	var ids []int64
	for _, v := range s.Elements() {
		if n, ok := v.(types.Int64); ok && !n.IsNull() && !n.IsUnknown() {
			ids = append(ids, n.ValueInt64())
		}
	}
	slices.Sort(ids)
	return ids
}

func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// render writes a value the way the configuration would: strings quoted, id
// sets as sorted lists; details in the framework's notation.
func render(v attr.Value) string {
	switch v := v.(type) {
	case types.String:
		return fmt.Sprintf("%q", v.ValueString())
	case types.Set:
		return "[" + idList(setIDs(v)) + "]"
	}
	return v.String()
}
