package soak

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// attrs are a customer's managed attributes, as the configuration, the state
// and the API each hold them. Id lists are sorted: their order never matters.
type attrs struct {
	Name, Currency, Country string
	Realms, Shown, Enabled  []int64
}

// managedAttrs are the resource attributes attrs maps, in its order.
var managedAttrs = []string{"name", "currency_iso", "country_iso", "realms", "shown_sub_realms", "enabled_sub_realms"}

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func specAttrs(s spec) attrs {
	return attrs{Name: s.Name, Currency: s.Currency, Country: s.Country,
		Realms: sortedIDs(s.Realms), Shown: sortedIDs(s.Shown), Enabled: sortedIDs(s.Enabled)}
}

func apiAttrs(c emulator.Customer) attrs {
	a := attrs{Name: c.Name, Currency: c.Currency.ISO3, Country: c.Country.ISO2, Realms: []int64{}, Shown: []int64{}, Enabled: []int64{}}
	for _, r := range c.Realms {
		a.Realms = append(a.Realms, r.ID)
	}
	for _, sr := range c.SubRealms {
		a.Shown = append(a.Shown, sr.ID)
		if sr.HasAccess {
			a.Enabled = append(a.Enabled, sr.ID)
		}
	}
	a.Realms, a.Shown, a.Enabled = sortedIDs(a.Realms), sortedIDs(a.Shown), sortedIDs(a.Enabled)
	return a
}

// values returns the attributes by their resource attribute name.
func (a attrs) values() map[string]any {
	return map[string]any{"name": a.Name, "currency_iso": a.Currency, "country_iso": a.Country,
		"realms": a.Realms, "shown_sub_realms": a.Shown, "enabled_sub_realms": a.Enabled}
}

// diff names the attributes that differ between a and b.
func (a attrs) diff(b attrs) []string {
	av, bv := a.values(), b.values()
	var out []string
	for _, k := range managedAttrs {
		if fmt.Sprint(av[k]) != fmt.Sprint(bv[k]) {
			out = append(out, k)
		}
	}
	return out
}

// attrsFromJSON reads managed attributes from a state or plan object.
func attrsFromJSON(m map[string]any) attrs {
	str := func(k string) string { s, _ := m[k].(string); return s }
	ids := func(k string) []int64 {
		out := []int64{}
		list, _ := m[k].([]any)
		for _, v := range list {
			if f, ok := v.(float64); ok {
				out = append(out, int64(f))
			}
		}
		return sortedIDs(out)
	}
	return attrs{Name: str("name"), Currency: str("currency_iso"), Country: str("country_iso"),
		Realms: ids("realms"), Shown: ids("shown_sub_realms"), Enabled: ids("enabled_sub_realms")}
}

// adminFromJSON renders admin_user from state or plan as comparable text.
func adminFromJSON(v any) string {
	m, ok := v.(map[string]any)
	if !ok || m == nil {
		return ""
	}
	return fmt.Sprintf("%v/%v/%v/%v", m["email"], m["first_name"], m["last_name"], m["role_group"])
}

// adminText is a configured admin_user as adminFromJSON renders it (role_group
// defaults to Admin).
func adminText(a *admin) string {
	if a == nil {
		return ""
	}
	return fmt.Sprintf("%s/%s/%s/Admin", a.Email, a.FirstName, a.LastName)
}

// instance is one customer in Terraform state.
type instance struct {
	Key       string
	ID        int64
	Attrs     attrs
	Admin     string
	Lifecycle lifecycle
	Raw       map[string]any
}

// lifecycle are the arguments only Terraform holds: deletion_policy ("" is
// its default, DELETE) and the duplicate guard's setting (allowDuplicateAttr).
type lifecycle struct {
	Policy         string
	AllowDuplicate bool
}

func lifecycleFromJSON(m map[string]any) lifecycle {
	policy, _ := m[deletionPolicyAttr].(string)
	dup, _ := m[allowDuplicateAttr].(bool)
	return lifecycle{Policy: policy, AllowDuplicate: dup}
}

func (s spec) lifecycle() lifecycle {
	return lifecycle{Policy: s.DeletionPolicy, AllowDuplicate: s.AllowDuplicate}
}

// policy is the deletion_policy in force.
func (l lifecycle) policy() string { return spec{DeletionPolicy: l.Policy}.policy() }

// diff names the arguments that differ between l and o.
func (l lifecycle) diff(o lifecycle) []string {
	var out []string
	if l.policy() != o.policy() {
		out = append(out, deletionPolicyAttr)
	}
	if l.AllowDuplicate != o.AllowDuplicate {
		out = append(out, allowDuplicateAttr)
	}
	return out
}

// requestFree are the attributes an update changes without a request: admin_user
// (the API never returns it) and the arguments only Terraform holds.
var requestFree = []string{"admin_user", deletionPolicyAttr, allowDuplicateAttr}

// readState reads the local backend's terraform.tfstate (no CLI call): the
// fleet's instances by key. A missing file is an empty state.
func readState(dir string) (map[string]instance, error) {
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if os.IsNotExist(err) {
		return map[string]instance{}, nil
	}
	if err != nil {
		return nil, err
	}
	var st struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("terraform.tfstate: %w", err)
	}
	out := map[string]instance{}
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != "cloudlx_customer" {
			continue
		}
		for _, in := range r.Instances {
			key := fmt.Sprint(in.IndexKey)
			if r.Name != "fleet" {
				key = r.Name + "/" + key
			}
			id, _ := in.Attributes["id"].(float64)
			out[key] = instance{Key: key, ID: int64(id), Attrs: attrsFromJSON(in.Attributes),
				Admin: adminFromJSON(in.Attributes["admin_user"]), Lifecycle: lifecycleFromJSON(in.Attributes), Raw: in.Attributes}
		}
	}
	return out, nil
}

// change is one entry of a plan: what happens to one fleet key.
type change struct {
	Action string   // "create", "update", "delete", "no-op" (a move alone), or Terraform's own for surprises
	From   string   // the key a moved block brings it from, for a move
	Attrs  []string // for an update: the attributes it changes (managedAttrs and admin_user), sorted
}

func (c change) String() string {
	s := c.Action
	if c.From != "" {
		s += " (moved from " + c.From + ")"
	}
	if len(c.Attrs) > 0 {
		s += " of " + strings.Join(c.Attrs, ", ")
	}
	return s
}

// expectPlan is the oracle: the changes a plan must show for configuration
// cfg, the state st, and the customers as the refresh will read them
// (observed, by id; the API for a refreshing plan, the state itself for one
// with -refresh=false). Keys with no change are left out.
func expectPlan(cfg *config, st map[string]instance, observed map[int64]attrs) map[string]change {
	out := map[string]change{}
	claimed := map[string]bool{} // state keys that a config key takes over
	for _, key := range cfg.keys() {
		want := cfg.Fleet[key]
		inst, ok := st[key]
		from := ""
		if !ok {
			for _, sk := range sortedKeys(st) {
				if sk != key && cfg.moveTarget(sk) == key {
					if _, declared := cfg.Fleet[sk]; !declared {
						inst, ok, from = st[sk], true, sk
						break
					}
				}
			}
		}
		if ok {
			claimed[inst.Key] = true
		}
		got, exists := observed[inst.ID]
		if !ok || !exists {
			out[key] = change{Action: "create"}
			continue
		}
		diff := specAttrs(want).diff(got)
		if adminText(want.Admin) != inst.Admin {
			diff = append(diff, "admin_user")
		}
		diff = append(diff, want.lifecycle().diff(inst.Lifecycle)...)
		sort.Strings(diff)
		switch {
		case len(diff) > 0:
			out[key] = change{Action: "update", From: from, Attrs: diff}
		case from != "":
			out[key] = change{Action: "no-op", From: from}
		}
	}
	for _, sk := range sortedKeys(st) {
		if claimed[sk] {
			continue
		}
		if _, exists := observed[st[sk].ID]; !exists {
			continue // the refresh finds it gone: nothing left to destroy
		}
		to := cfg.moveTarget(sk)
		c := change{Action: "delete"}
		if to != sk {
			c.From = sk
		}
		out[to] = c
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// plannedChange is one resource_changes entry of `show -json <planfile>`.
type plannedChange struct {
	Address         string `json:"address"`
	Type            string `json:"type"`
	Name            string `json:"name"`
	Index           any    `json:"index"`
	PreviousAddress string `json:"previous_address"`
	Change          struct {
		Actions      []string       `json:"actions"`
		Before       map[string]any `json:"before"`
		After        map[string]any `json:"after"`
		AfterUnknown map[string]any `json:"after_unknown"`
	} `json:"change"`
}

type planJSON struct {
	ResourceChanges []plannedChange `json:"resource_changes"`
}

// detailInputs says which inputs make each computed detail unknown in a plan
// (the provider's own table is detailInputs in internal/provider/plan_details.go;
// docs/resources/customer.md: no "(known after apply)" noise when its inputs stay).
var detailInputs = map[string][]string{
	"currency":          {"currency_iso"},
	"country":           {"country_iso"},
	"realm_details":     {"realms"},
	"sub_realm_details": {"shown_sub_realms", "enabled_sub_realms"},
}

// comparePlan checks a plan against the oracle's changes and the API (the
// values the plan's "before" must hold after a refresh). It returns one line
// per disagreement.
func comparePlan(p planJSON, want map[string]change, api map[int64]attrs) []string {
	var problems []string
	got := map[string]change{}
	for _, rc := range p.ResourceChanges {
		if rc.Type != "cloudlx_customer" {
			continue
		}
		key := fmt.Sprint(rc.Index)
		if rc.Name != "fleet" {
			key = rc.Name + "/" + key
		}
		c := change{Action: strings.Join(rc.Change.Actions, "+")}
		if rc.PreviousAddress != "" && rc.PreviousAddress != rc.Address {
			c.From = keyOfAddress(rc.PreviousAddress)
		}
		if c.Action == "update" || c.Action == "no-op" {
			before, after := attrsFromJSON(rc.Change.Before), attrsFromJSON(rc.Change.After)
			c.Attrs = before.diff(after)
			if adminFromJSON(rc.Change.Before["admin_user"]) != adminFromJSON(rc.Change.After["admin_user"]) {
				c.Attrs = append(c.Attrs, "admin_user")
			}
			c.Attrs = append(c.Attrs, lifecycleFromJSON(rc.Change.Before).diff(lifecycleFromJSON(rc.Change.After))...)
			sort.Strings(c.Attrs)
			if id, ok := rc.Change.Before["id"].(float64); ok {
				if a, ok := api[int64(id)]; ok {
					if d := before.diff(a); len(d) > 0 {
						problems = append(problems, fmt.Sprintf("%s: the refreshed state differs from the API in %s", rc.Address, strings.Join(d, ", ")))
					}
				}
			}
			for detail, inputs := range detailInputs {
				changed := slices.ContainsFunc(inputs, func(in string) bool { return slices.Contains(c.Attrs, in) })
				if unknown, _ := rc.Change.AfterUnknown[detail].(bool); unknown != changed {
					problems = append(problems, fmt.Sprintf("%s: %s is unknown=%v in the plan although its inputs changed=%v", rc.Address, detail, unknown, changed))
				}
			}
		}
		if c.Action == "no-op" && c.From == "" {
			continue
		}
		if c.Action == "create" || c.Action == "delete" {
			c.From = "" // a move of a customer re-created or destroyed is no change of its own
		}
		got[key] = c
	}
	for _, k := range sortedKeys(mergeKeys(want, got)) {
		w, g := want[k], got[k]
		if w.Action == "create" || w.Action == "delete" {
			w.From = ""
		}
		if w.String() != g.String() {
			problems = append(problems, fmt.Sprintf("%s: expected %s, the plan shows %s", address(k), orNothing(w), orNothing(g)))
		}
	}
	return problems
}

func orNothing(c change) string {
	if c.Action == "" {
		return "no change"
	}
	return c.String()
}

func mergeKeys(a, b map[string]change) map[string]change {
	out := map[string]change{}
	for k := range a {
		out[k] = change{}
	}
	for k := range b {
		out[k] = change{}
	}
	return out
}

// keyOfAddress is the for_each key of cloudlx_customer.fleet["k"].
func keyOfAddress(addr string) string {
	if i := strings.Index(addr, "[\""); i >= 0 && strings.HasSuffix(addr, "\"]") {
		return addr[i+2 : len(addr)-2]
	}
	return addr
}

// duplicateNames is the no-duplicate-name invariant over one command: the API
// before and after it. A name that two customers hold after it, one of them
// created by it (and not by the harness in the portal), is a duplicate unless
// allowed says the configuration allows that name twice. One line per name.
func duplicateNames(before, after []emulator.Customer, byHarness map[int64]bool, allowed func(string) bool) []string {
	existed := map[int64]bool{}
	for _, c := range before {
		existed[c.ID] = true
	}
	byName := map[string][]int64{}
	for _, c := range after {
		byName[c.Name] = append(byName[c.Name], c.ID)
	}
	var problems []string
	for _, name := range sortedKeys(byName) {
		ids := byName[name]
		var created []int64
		for _, id := range ids {
			if !existed[id] && !byHarness[id] {
				created = append(created, id)
			}
		}
		if len(ids) > 1 && len(created) > 0 && !allowed(name) {
			problems = append(problems, fmt.Sprintf("%q: customers %v, of which this command created %v", name, sortedIDs(ids), created))
		}
	}
	return problems
}

// plannedAttrs reads which managed attributes a saved plan changes, by
// customer id: for an update, those whose values differ between before and
// after; nil for a customer the plan deletes or replaces (anything goes).
// Customers the plan leaves alone are absent.
func plannedAttrs(p planJSON) map[int64][]string {
	out := map[int64][]string{}
	for _, rc := range p.ResourceChanges {
		if rc.Type != "cloudlx_customer" {
			continue
		}
		id, ok := rc.Change.Before["id"].(float64)
		if !ok {
			continue // a create: no customer yet
		}
		switch strings.Join(rc.Change.Actions, "+") {
		case "no-op", "read":
			continue
		case "update":
			out[int64(id)] = attrsFromJSON(rc.Change.Before).diff(attrsFromJSON(rc.Change.After))
		default:
			out[int64(id)] = nil
		}
	}
	return out
}

// unplannedChanges is the invariant "an apply changes only what its plan
// showed": every customer the API held before and after applying plan p has
// every managed attribute the plan does not change for it as before (a
// change made in the portal since the plan included). implicit are the realm
// ids the API adds to every write (the implicit-realm variant): their
// appearance in realms is the API's doing, not the apply's. One line per
// attribute changed.
func unplannedChanges(p planJSON, before, after map[int64]attrs, implicit []int64) []string {
	planned := plannedAttrs(p)
	var problems []string
	for _, id := range sortedIDs(slices.Collect(maps.Keys(before))) {
		got, ok := after[id]
		if !ok {
			continue
		}
		attrsPlanned, inPlan := planned[id]
		if inPlan && attrsPlanned == nil {
			continue
		}
		was := before[id]
		if len(implicit) > 0 && slices.Equal(sortedIDs(append(slices.Clone(was.Realms), implicit...)), got.Realms) {
			was.Realms = got.Realms
		}
		bv, av := was.values(), got.values()
		for _, a := range was.diff(got) {
			if !slices.Contains(attrsPlanned, a) {
				problems = append(problems, fmt.Sprintf("customer %d: %s went from %v to %v, but the plan did not show %s changing (it changed %s)",
					id, a, bv[a], av[a], a, orNone(attrsPlanned)))
			}
		}
	}
	return problems
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "nothing of it"
	}
	return strings.Join(list, ", ")
}
