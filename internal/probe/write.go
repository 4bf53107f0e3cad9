package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// customer is what the write questions read from an answer.
type customer struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Currency struct {
		ISO3 string `json:"iso_3"`
	} `json:"currency"`
	Country struct {
		ISO2 string `json:"iso_2"`
	} `json:"country"`
	Realms []struct {
		ID *int64 `json:"id"`
	} `json:"realms"`
	SubRealms []struct {
		ID        int64 `json:"id"`
		HasAccess bool  `json:"has_access"`
	} `json:"sub_realms"`
}

func (c *customer) realmIDs() []int64 {
	var out []int64
	for _, r := range c.Realms {
		if r.ID != nil {
			out = append(out, *r.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (c *customer) shown() []int64 {
	var out []int64
	for _, s := range c.SubRealms {
		out = append(out, s.ID)
	}
	slices.Sort(out)
	return out
}

func (c *customer) enabled() []int64 {
	var out []int64
	for _, s := range c.SubRealms {
		if s.HasAccess {
			out = append(out, s.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (c *customer) missingRealmIDs() bool {
	for _, r := range c.Realms {
		if r.ID == nil {
			return true
		}
	}
	return false
}

// summary is the customer's fields the questions compare, for evidence.
func (c *customer) summary() string {
	return fmt.Sprintf("name %q, currency %s, country %s, realms %v, shown_sub_realms %v, enabled_sub_realms %v",
		c.Name, c.Currency.ISO3, c.Country.ISO2, c.realmIDs(), c.shown(), c.enabled())
}

func decodeCustomer(ex exchange) (*customer, bool) {
	if !ok(ex) {
		return nil, false
	}
	var c customer
	if json.Unmarshal(ex.body, &c) != nil || c.ID <= 0 {
		return nil, false
	}
	return &c, true
}

// pickIDs chooses up to two catalogue ids for the probe customer, leaving out
// realm 1 ("Default"), which would hide whether the API adds it by itself.
func pickIDs(items []catalogueItem, skipDefault bool) []int64 {
	var out []int64
	for _, it := range items {
		if it.ID <= 0 || (skipDefault && (it.ID == 1 || strings.EqualFold(it.Name, "Default"))) {
			continue
		}
		out = append(out, it.ID)
		if len(out) == 2 {
			break
		}
	}
	return out
}

func (p *prober) write(ctx context.Context) {
	w := &WriteAnswers{}
	p.rep.Answers.Write = w
	realms := p.cfg.Realms
	if len(realms) == 0 {
		realms = pickIDs(p.realms, true)
	}
	subRealms := p.cfg.SubRealms
	if len(subRealms) == 0 {
		subRealms = pickIDs(p.subRealms, false)
	}
	if len(realms) == 0 {
		p.add(Finding{
			Question: "Write questions",
			Answer:   "not asked: no realm id to create a customer with (no catalogue answered)",
			Provider: "pass -realms (and -sub-realms) with ids from the portal to answer them",
		})
		return
	}
	name := p.cfg.CustomerName
	if name == "" {
		name = "cloudlx-probe-" + randomSuffix()
	}
	enabled := subRealms
	if len(enabled) > 1 {
		enabled = enabled[:1]
	}
	body := map[string]any{
		"name": name, "currency_iso": "GBP", "country_iso": "GB",
		"realms": realms, "shown_sub_realms": orEmpty(subRealms), "enabled_sub_realms": orEmpty(enabled),
	}
	if p.cfg.AdminEmail != "" {
		body["email"], body["first_name"], body["last_name"], body["role_group"] = p.cfg.AdminEmail, "CloudLX", "Probe", "Admin"
	}
	created := p.sendJSON(ctx, http.MethodPost, customersPath, body, true)
	cur, good := decodeCustomer(created)
	createEv := p.evidence(created, "JSON body "+compact(body), string(created.body))
	if !good {
		answer := "the create was refused, so no write question could be asked"
		if created.err != nil || created.status >= 500 || ok(created) {
			answer = "the create's answer held no customer id"
			p.rep.LeftBehind = name + " (id unknown: look for it in the portal)"
		}
		p.add(Finding{Question: "Create a customer", Answer: answer, Evidence: []Evidence{createEv},
			Provider: "the provider's create sends the same fields; fix what the answer names (add -admin-email if the user fields are required) and run again"})
		return
	}
	fmt.Fprintf(p.progress, "created customer %q (id %d) for the write questions\n", name, cur.ID)
	p.rep.LeftBehind = fmt.Sprintf("%s (id %d)", name, cur.ID)
	path := customersPath + "/" + strconv.FormatInt(cur.ID, 10)
	if cur.missingRealmIDs() {
		got := p.sendJSON(ctx, http.MethodGet, path, nil, false)
		if c, good := decodeCustomer(got); good {
			cur = c
		}
	}

	// Realm 1 added implicitly: whatever the answer holds beyond what was sent.
	implicit := []int64{}
	for _, id := range cur.realmIDs() {
		if !slices.Contains(realms, id) {
			implicit = append(implicit, id)
		}
	}
	w.ImplicitRealms = implicit
	f := Finding{Question: "Realms added implicitly", Evidence: []Evidence{p.evidence(created, "JSON body "+compact(body), cur.summary())}}
	if len(implicit) == 0 {
		f.Answer = fmt.Sprintf("none: sent realms %v, the answer holds %v", realms, cur.realmIDs())
		f.Provider = "realms in state are exactly the configured ones"
	} else {
		f.Answer = fmt.Sprintf("%v: sent realms %v, the answer holds %v", implicit, realms, cur.realmIDs())
		f.Provider = fmt.Sprintf("an apply keeps the configured realms in state with a warning that CloudLX also holds %v, and the next plan shows it as drift: list %v in every customer's realms", implicit, implicit)
	}
	p.add(f)

	cur = p.patchQuestions(ctx, w, path, cur, realms, subRealms)
	// The name as it is now (the partial-PATCH question renamed it), for the
	// customer left behind.
	p.rep.LeftBehind = fmt.Sprintf("%s (id %d)", cur.Name, cur.ID)
	p.deleteQuestion(ctx, w, path)
}

func orEmpty(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// patchQuestions: partial PATCH, arrays replace or merge, currency and country
// mutable. On an API whose PATCH needs every field, the later questions send
// every field, so they are still answered.
func (p *prober) patchQuestions(ctx context.Context, w *WriteAnswers, path string, cur *customer, realms, subRealms []int64) *customer {
	full := false
	patch := func(change map[string]any) (exchange, map[string]any, *customer) {
		body := change
		if full {
			body = map[string]any{"name": cur.Name, "currency_iso": cur.Currency.ISO3, "country_iso": cur.Country.ISO2,
				"realms": orEmpty(cur.realmIDs()), "shown_sub_realms": orEmpty(cur.shown()), "enabled_sub_realms": orEmpty(cur.enabled())}
			maps.Copy(body, change)
		}
		ex := p.sendJSON(ctx, http.MethodPatch, path, body, false)
		c, good := decodeCustomer(ex)
		if !good {
			c = nil
		}
		return ex, body, c
	}

	// Partial PATCH: only name; every other field must be kept.
	before := cur
	ex, body, after := patch(map[string]any{"name": cur.Name + "-renamed"})
	f := Finding{Question: "PATCH with only name (partial update?)", Evidence: []Evidence{p.evidence(ex, "JSON body "+compact(body), excerptOf(ex, after))}}
	switch {
	case after != nil:
		var changed []string
		if after.Currency.ISO3 != before.Currency.ISO3 {
			changed = append(changed, "currency")
		}
		if after.Country.ISO2 != before.Country.ISO2 {
			changed = append(changed, "country")
		}
		if !slices.Equal(after.realmIDs(), before.realmIDs()) {
			changed = append(changed, "realms")
		}
		if !slices.Equal(after.shown(), before.shown()) || !slices.Equal(after.enabled(), before.enabled()) {
			changed = append(changed, "sub_realms")
		}
		w.PatchPartial = new(len(changed) == 0)
		if len(changed) == 0 {
			f.Answer = "partial: the other fields were kept"
			f.Provider = "Update sends only the changed fields, as this API expects"
		} else {
			f.Answer = "not partial: the PATCH changed " + strings.Join(changed, ", ")
			f.Provider = "Update sends only the changed fields, so on this API an update changes fields it did not name: report this before using the provider for updates"
		}
		cur = after
	case ex.err == nil && ex.status/100 == 4:
		w.PatchPartial = new(false)
		full = true
		f.Answer = fmt.Sprintf("not partial: a PATCH of name alone was refused (%d)", ex.status)
		f.Provider = "Update sends only the changed fields, which this API refuses: every update fails with the API's message; report this"
	default:
		f.Answer = "unknown: the PATCH failed (" + statusText(ex) + ")"
		f.Provider = "run the probe again"
	}
	p.add(f)

	p.arraysQuestion(w, cur, realms, subRealms, patch, func(c *customer) { cur = c })
	p.subRealmSetAloneQuestion(ctx, w, path, cur, full, func(c *customer) { cur = c })

	for _, q := range []struct {
		question, field, to string
		answer              **bool
		read                func(*customer) string
		attr                string
	}{
		{"Currency changeable after creation", "currency_iso", "EUR", &w.CurrencyMutable, func(c *customer) string { return c.Currency.ISO3 }, "currency_iso"},
		{"Country changeable after creation", "country_iso", "DE", &w.CountryMutable, func(c *customer) string { return c.Country.ISO2 }, "country_iso"},
	} {
		ex, body, after := patch(map[string]any{q.field: q.to})
		f := Finding{Question: q.question, Evidence: []Evidence{p.evidence(ex, "JSON body "+compact(body), excerptOf(ex, after))}}
		switch {
		case after != nil && q.read(after) == q.to:
			*q.answer = new(true)
			f.Answer = "yes: the answer holds " + q.to
			f.Provider = "a change of " + q.attr + " is an in-place update (one PATCH)"
			cur = after
		case after != nil:
			*q.answer = new(false)
			f.Answer = fmt.Sprintf("no: the PATCH was accepted but the answer still holds %s", q.read(after))
			f.Provider = "a change of " + q.attr + " plans an in-place update that CloudLX ignores: the apply warns and the next plan shows the change again; replace the customer to change it"
			cur = after
		case ex.err == nil && ex.status/100 == 4:
			*q.answer = new(false)
			f.Answer = fmt.Sprintf("no: the PATCH was refused (%d)", ex.status)
			f.Provider = "a change of " + q.attr + " plans an in-place update that fails with the API's message on " + q.attr + "; replace the customer to change it"
		default:
			f.Answer = "unknown: the PATCH failed (" + statusText(ex) + ")"
			f.Provider = "run the probe again"
		}
		p.add(f)
	}
	return cur
}

// arraysQuestion removes one id from a list of two: an API that merges keeps it.
func (p *prober) arraysQuestion(w *WriteAnswers, cur *customer, realms, subRealms []int64,
	patch func(map[string]any) (exchange, map[string]any, *customer), update func(*customer)) {
	f := Finding{Question: "PATCH arrays replace or merge"}
	var change map[string]any
	var removed int64
	var held func(*customer) []int64
	switch {
	case len(realms) >= 2 && slices.Contains(cur.realmIDs(), realms[1]):
		keep := append([]int64{realms[0]}, w.ImplicitRealms...)
		change, removed, held = map[string]any{"realms": keep}, realms[1], (*customer).realmIDs
	case len(subRealms) >= 2 && slices.Contains(cur.shown(), subRealms[1]):
		change = map[string]any{"shown_sub_realms": []int64{subRealms[0]}, "enabled_sub_realms": []int64{subRealms[0]}}
		removed, held = subRealms[1], (*customer).shown
	default:
		f.Answer = "not asked: it needs a customer with two realms or two sub-realms (pass -realms or -sub-realms with two ids)"
		f.Provider = "the provider sends the whole set in each PATCH"
		p.add(f)
		return
	}
	ex, body, after := patch(change)
	f.Evidence = []Evidence{p.evidence(ex, "JSON body "+compact(body), excerptOf(ex, after))}
	switch {
	case after != nil && slices.Contains(held(after), removed):
		w.ArraysReplace = new(false)
		f.Answer = fmt.Sprintf("merge: %d was left out of the PATCH and is still held (%v)", removed, held(after))
		f.Provider = "the provider sends the whole set, so removing a realm or sub-realm in config does not remove it in CloudLX: the apply warns and the next plan shows it again; report this"
		update(after)
	case after != nil:
		w.ArraysReplace = new(true)
		f.Answer = fmt.Sprintf("replace: the answer holds %v", held(after))
		f.Provider = "the provider sends the whole set in each PATCH, as this API expects"
		update(after)
	default:
		f.Answer = "unknown: the PATCH failed (" + statusText(ex) + ")"
		f.Provider = "run the probe again"
	}
	p.add(f)
}

// subRealmSetAloneQuestion sends enabled_sub_realms alone, unchanged: an API
// that wants both sub-realm sets in one PATCH refuses it, naming
// shown_sub_realms.
func (p *prober) subRealmSetAloneQuestion(ctx context.Context, w *WriteAnswers, path string, cur *customer, full bool, update func(*customer)) {
	f := Finding{Question: "PATCH with one sub-realm set alone"}
	if full {
		f.Answer = "not asked: a PATCH of name alone was refused, so one set alone would be too"
		f.Provider = "Update sends each sub-realm set only when the plan changes it; see the partial-PATCH finding"
		p.add(f)
		return
	}
	body := map[string]any{"enabled_sub_realms": orEmpty(cur.enabled())}
	ex := p.sendJSON(ctx, http.MethodPatch, path, body, false)
	after, good := decodeCustomer(ex)
	if !good {
		after = nil
	}
	f.Evidence = []Evidence{p.evidence(ex, "JSON body "+compact(body), excerptOf(ex, after))}
	var refusal struct {
		Errors map[string]json.RawMessage `json:"errors"`
	}
	switch {
	case after != nil && slices.Equal(after.shown(), cur.shown()):
		w.SubRealmSetAlone = new(true)
		f.Answer = fmt.Sprintf("accepted: enabled_sub_realms alone was taken, and shown_sub_realms kept (%v)", after.shown())
		f.Provider = "Update sends each sub-realm set only when the plan changes it, as this API allows"
		update(after)
	case after != nil:
		f.Answer = fmt.Sprintf("accepted, but shown_sub_realms changed from %v to %v although it was not sent", cur.shown(), after.shown())
		f.Provider = "Update sends each sub-realm set only when the plan changes it, so on this API an update of enabled_sub_realms changes shown_sub_realms: report this"
		update(after)
	case ex.err == nil && ex.status == http.StatusUnprocessableEntity && json.Unmarshal(ex.body, &refusal) == nil && refusal.Errors["shown_sub_realms"] != nil:
		w.SubRealmSetAlone = new(false)
		f.Answer = "refused (422), naming shown_sub_realms: this API wants both sub-realm sets in one PATCH"
		f.Provider = "an update that changes one set is refused, then the provider reads the customer once and sends CloudLX's " +
			"value of the other set with it (the refused PATCH, a GET and the PATCH again; then a GET and a PATCH for the rest of the run), " +
			"never the plan's value of a set the plan did not change"
	default:
		f.Answer = "unknown: the PATCH failed (" + statusText(ex) + ")"
		f.Provider = "run the probe again"
	}
	p.add(f)
}

func excerptOf(ex exchange, c *customer) string {
	if c != nil {
		return c.summary()
	}
	return string(ex.body)
}

func (p *prober) deleteQuestion(ctx context.Context, w *WriteAnswers, path string) {
	del := p.sendJSON(ctx, http.MethodDelete, path, nil, false)
	f := Finding{Question: "DELETE of a customer", Evidence: []Evidence{p.evidence(del, "", string(del.body))}}
	if del.err != nil {
		f.Answer = "unknown: the DELETE got no answer"
		f.Provider = "run the probe again; remove the customer it names in the portal"
		p.add(f)
		return
	}
	after := p.sendJSON(ctx, http.MethodGet, path, nil, false)
	f.Evidence = append(f.Evidence, p.evidence(after, "", bodyExcerpt(after.body)))
	gone := after.err == nil && after.status == http.StatusNotFound
	switch {
	case ok(del) && gone:
		w.DeleteSupported = new(true)
		p.rep.LeftBehind = ""
		f.Answer = fmt.Sprintf("supported: DELETE answered %d and a GET then answered 404", del.status)
		f.Provider = "destroy deletes the customer (one DELETE)"
	case ok(del):
		w.DeleteSupported = new(false)
		f.Answer = fmt.Sprintf("DELETE answered %d but a GET then answered %s: the customer is still there", del.status, statusText(after))
		f.Provider = "destroy calls a 2xx done: on this API customers would stay behind: report this"
	default:
		w.DeleteSupported = new(false)
		f.Answer = fmt.Sprintf("not supported: DELETE answered %d", del.status)
		switch del.status {
		case http.StatusMethodNotAllowed, http.StatusNotImplemented:
			f.Provider = fmt.Sprintf("DELETE answered %d: destroy removes customers from state with a warning that they still exist in CloudLX", del.status)
		default:
			f.Provider = fmt.Sprintf("destroy reports the %d as an error and keeps the customer in state; remove it in the portal, then `terraform state rm`", del.status)
		}
	}
	if p.rep.LeftBehind != "" {
		f.Answer += "; left behind: " + p.rep.LeftBehind + " (remove it in the portal)"
	}
	p.add(f)
}
