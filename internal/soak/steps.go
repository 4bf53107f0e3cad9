package soak

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/provider"
)

const (
	groupConfig   = "config"
	groupPortal   = "portal"
	groupWorkflow = "workflow"
	groupFault    = "fault"
)

// kind is one kind of step.
type kind struct {
	name   string
	group  string
	weight int
	defect string // the KnownDefects switch that must be on, "" for none
	needs  func(capabilities) bool
	run    func(h *harness, r *rand.Rand) error
}

// kinds are every step kind and its weight in the generator.
var kinds = []kind{
	{name: "config-add", group: groupConfig, weight: 4, run: configAdd},
	{name: "config-remove", group: groupConfig, weight: 3, run: configRemove},
	{name: "config-rename", group: groupConfig, weight: 4, run: configEdit("name")},
	{name: "config-currency", group: groupConfig, weight: 3, run: configEdit("currency")},
	{name: "config-country", group: groupConfig, weight: 3, run: configEdit("country")},
	{name: "config-realms", group: groupConfig, weight: 4, run: configEdit("realms")},
	{name: "config-sub-realms", group: groupConfig, weight: 4, run: configEdit("sub-realms")},
	{name: "config-admin-user", group: groupConfig, weight: 3, run: configEdit("admin")},
	{name: "config-moved", group: groupConfig, weight: 3, run: configMoved},

	{name: "portal-name", group: groupPortal, weight: 3, run: portalEdit("name")},
	{name: "portal-currency", group: groupPortal, weight: 2, run: portalEdit("currency")},
	{name: "portal-country", group: groupPortal, weight: 2, run: portalEdit("country")},
	{name: "portal-realms", group: groupPortal, weight: 2, run: portalEdit("realms")},
	{name: "portal-sub-realms", group: groupPortal, weight: 2, run: portalEdit("sub-realms")},
	{name: "portal-delete", group: groupPortal, weight: 2, run: portalDelete},
	{name: "portal-look-alike", group: groupPortal, weight: 2, run: portalLookAlike},

	{name: "apply", group: groupWorkflow, weight: 8, run: workflowApply},
	{name: "apply-planfile", group: groupWorkflow, weight: 5, run: workflowPlanfile},
	{name: "apply-refresh-false", group: groupWorkflow, weight: 3, run: workflowRefreshFalse},
	{name: "refresh-only", group: groupWorkflow, weight: 3, run: workflowRefreshOnly},
	{name: "apply-target", group: groupWorkflow, weight: 3, run: workflowTarget},
	{name: "import-block", group: groupWorkflow, weight: 3, run: workflowImport("block")},
	{name: "import-cli", group: groupWorkflow, weight: 2, run: workflowImport("cli")},
	{name: "import-identity", group: groupWorkflow, weight: 2, run: workflowImport("identity"),
		needs: func(c capabilities) bool { return c.identity }},
	{name: "destroy-subset", group: groupWorkflow, weight: 2, run: workflowDestroySubset},

	// Issue 22: the plan is the contract.
	{name: "lost-create", group: groupWorkflow, weight: 2, defect: "lost-create", run: workflowLostCreate},
	{name: "portal-same-name", group: groupWorkflow, weight: 2, defect: "name-exists", run: portalSameName},
	{name: "stale-unchanged-attr", group: groupWorkflow, weight: 3, defect: "stale-unchanged-attr", run: workflowStaleUnchanged},
	{name: "throttle-list", group: groupWorkflow, weight: 2, defect: "throttle-fanout", run: workflowThrottledList},
	{name: "no-delete-abandon", group: groupWorkflow, weight: 2, defect: "no-delete-policy", run: workflowAbandon,
		needs: func(c capabilities) bool { return c.deletionPolicy }},
	{name: "no-delete-delete", group: groupWorkflow, weight: 2, defect: "no-delete-policy", run: workflowNoDelete,
		needs: func(c capabilities) bool { return c.deletionPolicy }},

	{name: "fault-throttle", group: groupFault, weight: 3, run: toggleFault("throttle")},
	{name: "fault-5xx", group: groupFault, weight: 3, run: toggleFault("5xx")},
	{name: "fault-drop", group: groupFault, weight: 3, run: toggleFault("drop")},
	{name: "fault-short-token", group: groupFault, weight: 3, run: toggleFault("short-token")},
	{name: "fault-gateway-404", group: groupFault, weight: 3, defect: "gateway-404", run: toggleFault("gateway-404")},
	{name: "fault-implicit-realm", group: groupFault, weight: 3, defect: "implicit-realm", run: toggleFault("implicit-realm")},
	{name: "variant-pages", group: groupFault, weight: 1, run: toggleFault("pages")},
	{name: "variant-quirks", group: groupFault, weight: 1, run: toggleFault("quirks")},
	{name: "faults-off", group: groupFault, weight: 2, run: toggleFault("off")},
}

var kindByName = func() map[string]kind {
	m := map[string]kind{}
	for _, k := range kinds {
		m[k.name] = k
	}
	return m
}()

// Generate draws n steps from seed. The first is always an apply, so the
// fleet exists before anything else happens. Kinds whose known-defect switch
// is off, or that the CLI or provider cannot do, are never drawn.
func Generate(seed uint64, n int, defects map[string]bool, caps capabilities) []Step {
	r := rand.New(rand.NewPCG(seed, seed^0x50a4))
	var pool []kind
	total := 0
	for _, k := range kinds {
		if k.defect != "" && !defects[k.defect] || k.needs != nil && !k.needs(caps) {
			continue
		}
		pool = append(pool, k)
		total += k.weight
	}
	out := make([]Step, 0, n)
	for i := range n {
		name := "apply"
		if i > 0 {
			x := r.IntN(total)
			for _, k := range pool {
				if x -= k.weight; x < 0 {
					name = k.name
					break
				}
			}
		}
		out = append(out, Step{Kind: name, Seed: r.Uint64()})
	}
	return out
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// pickOther draws a value of from that differs from cur (from has two or more).
func pickOther[T comparable](r *rand.Rand, from []T, cur T) T {
	for {
		if v := pick(r, from); v != cur {
			return v
		}
	}
}

// randomIDs draws a subset of from with at least minN elements, in random order.
func randomIDs(r *rand.Rand, from []int64, minN int) []int64 {
	n := minN + r.IntN(len(from)-minN+1)
	ids := slices.Clone(from)
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids[:n]
}

func randomSpec(r *rand.Rand, key string) spec {
	shown := randomIDs(r, subRealms, 0)
	s := spec{
		Name:     fmt.Sprintf("Soak %s v%d", key, r.IntN(100)),
		Currency: pick(r, currencies),
		Country:  pick(r, countries),
		Realms:   randomIDs(r, realmIDs[1:], 1), // realm 1 ("Default") only by a later edit
		Shown:    shown,
		Enabled:  randomIDs(r, shown, 0),
	}
	if r.IntN(2) == 0 {
		s.Admin = &admin{Email: "admin-" + key + "@soak.example", FirstName: "Ada", LastName: "Soak " + key}
	}
	return s
}

// --- configuration changes -------------------------------------------------

func configAdd(h *harness, r *rand.Rand) error {
	if len(h.model.Fleet) >= maxFleet {
		h.describe("fleet full (%d): nothing added", len(h.model.Fleet))
		return nil
	}
	key := h.model.newKey()
	h.model.Fleet[key] = randomSpec(r, key)
	h.describe("add %s", key)
	return h.writeConfig()
}

func configRemove(h *harness, r *rand.Rand) error {
	if len(h.model.Fleet) <= minFleet {
		h.describe("fleet at its minimum (%d): nothing removed", len(h.model.Fleet))
		return nil
	}
	key := pick(r, h.model.keys())
	delete(h.model.Fleet, key)
	h.describe("remove %s", key)
	return h.writeConfig()
}

func configEdit(what string) func(h *harness, r *rand.Rand) error {
	return func(h *harness, r *rand.Rand) error {
		key := pick(r, h.model.keys())
		s := h.model.Fleet[key].clone()
		switch what {
		case "name":
			s.Name = fmt.Sprintf("Soak %s v%d", key, 100+r.IntN(900))
			h.describe("rename %s to %q", key, s.Name)
		case "currency":
			s.Currency = pickOther(r, currencies, s.Currency)
			h.describe("%s currency %s", key, s.Currency)
		case "country":
			s.Country = pickOther(r, countries, s.Country)
			h.describe("%s country %s", key, s.Country)
		case "realms":
			s.Realms = editIDs(r, s.Realms, realmIDs, 1)
			h.describe("%s realms %v", key, s.Realms)
		case "sub-realms":
			if r.IntN(2) == 0 {
				s.Shown = editIDs(r, s.Shown, subRealms, 0)
				s.Enabled = slices.DeleteFunc(s.Enabled, func(id int64) bool { return !slices.Contains(s.Shown, id) })
			} else {
				s.Enabled = editIDs(r, s.Enabled, s.Shown, 0)
			}
			h.describe("%s shown %v enabled %v", key, s.Shown, s.Enabled)
		case "admin":
			switch {
			case s.Admin == nil:
				s.Admin = &admin{Email: "admin-" + key + "@soak.example", FirstName: "Ada", LastName: "Soak " + key}
				h.describe("%s gets an admin_user", key)
			case r.IntN(2) == 0:
				s.Admin = nil
				h.describe("%s loses its admin_user", key)
			default:
				s.Admin.Email = fmt.Sprintf("ops-%d-%s@soak.example", r.IntN(1000), key)
				h.describe("%s admin_user email %s", key, s.Admin.Email)
			}
		}
		h.model.Fleet[key] = s
		return h.writeConfig()
	}
}

// editIDs adds an id of from, removes one (keeping at least minN), reorders
// them, or empties the list (when minN is 0).
func editIDs(r *rand.Rand, ids, from []int64, minN int) []int64 {
	ids = slices.Clone(ids)
	var missing []int64
	for _, id := range from {
		if !slices.Contains(ids, id) {
			missing = append(missing, id)
		}
	}
	switch op := r.IntN(4); {
	case op == 0 && len(missing) > 0:
		return append(ids, pick(r, missing))
	case op == 1 && len(ids) > minN:
		i := r.IntN(len(ids))
		return slices.Delete(ids, i, i+1)
	case op == 2 && len(ids) > 1:
		slices.Reverse(ids)
		return ids
	case op == 3 && minN == 0:
		return []int64{}
	case len(missing) > 0:
		return append(ids, pick(r, missing))
	case len(ids) > minN:
		return ids[:len(ids)-1]
	}
	return ids
}

// configMoved renames a key with a moved block: the plan moves the customer
// and changes nothing else.
func configMoved(h *harness, r *rand.Rand) error {
	from := pick(r, h.model.keys())
	to := h.model.newKey()
	h.model.Fleet[to] = h.model.Fleet[from]
	delete(h.model.Fleet, from)
	h.model.Moves = append(h.model.Moves, [2]string{from, to})
	h.describe("moved %s to %s", from, to)
	return h.writeConfig()
}

// --- changes in the portal, behind Terraform's back -------------------------

// portalChange makes one change to the customer of key directly in the
// emulator's store, as a portal user would.
func (h *harness) portalChange(r *rand.Rand, key, what string) error {
	id := h.state()[key].ID
	if what == "delete" {
		h.emu.DeleteCustomer(id)
		h.dirty[id] = true
		h.describe("portal deletes %s (customer %d)", key, id)
		return nil
	}
	_, err := h.emu.UpdateCustomer(id, func(in *emulator.CustomerInput) {
		switch what {
		case "name":
			in.Name = fmt.Sprintf("Renamed in the portal %d", r.IntN(1000))
			h.describe("portal renames %s to %q", key, in.Name)
		case "currency":
			in.CurrencyISO = pickOther(r, currencies, in.CurrencyISO)
			h.describe("portal sets %s currency %s", key, in.CurrencyISO)
		case "country":
			in.CountryISO = pickOther(r, countries, in.CountryISO)
			h.describe("portal sets %s country %s", key, in.CountryISO)
		case "realms":
			in.Realms = editIDs(r, in.Realms, realmIDs, 1)
			h.describe("portal sets %s realms %v", key, in.Realms)
		case "sub-realms":
			in.ShownSubRealms = editIDs(r, in.ShownSubRealms, subRealms, 0)
			in.EnabledSubRealms = randomIDs(r, in.ShownSubRealms, 0)
			h.describe("portal sets %s shown %v enabled %v", key, in.ShownSubRealms, in.EnabledSubRealms)
		}
	})
	if err != nil {
		return fmt.Errorf("portal change of %s: %w", key, err)
	}
	h.dirty[id] = true
	return nil
}

var portalAttrs = []string{"name", "currency", "country", "realms", "sub-realms"}

func portalEdit(what string) func(h *harness, r *rand.Rand) error {
	return func(h *harness, r *rand.Rand) error {
		keys := h.liveInState()
		if len(keys) == 0 {
			h.describe("no customer to change")
			return nil
		}
		return h.portalChange(r, pick(r, keys), what)
	}
}

func portalDelete(h *harness, r *rand.Rand) error {
	keys := h.liveInState()
	if len(keys) == 0 {
		h.describe("no customer to delete")
		return nil
	}
	return h.portalChange(r, pick(r, keys), "delete")
}

// portalLookAlike creates a customer in the portal that looks like one
// Terraform manages (same name and settings): Terraform must leave it alone.
// Only of a customer Terraform has created: one that looks like a customer it
// has yet to create makes the plan fail by design (the portal-same-name step).
func portalLookAlike(h *harness, r *rand.Rand) error {
	keys := h.configuredLive()
	if len(keys) == 0 {
		h.describe("no created customer to imitate")
		return nil
	}
	key := pick(r, keys)
	s := h.model.Fleet[key]
	c, err := h.emu.CreateCustomer(emulator.CustomerInput{Name: s.Name, CurrencyISO: s.Currency, CountryISO: s.Country,
		Realms: slices.Clone(s.Realms), ShownSubRealms: slices.Clone(s.Shown), EnabledSubRealms: slices.Clone(s.Enabled)})
	if err != nil {
		return fmt.Errorf("look-alike of %s: %w", key, err)
	}
	h.byHarness[c.ID] = true
	h.describe("portal creates customer %d, a look-alike of %s (%q)", c.ID, key, s.Name)
	return nil
}

// --- Terraform workflows ---------------------------------------------------

var noColor = []string{"-no-color", "-input=false"}

// args is a CLI command with the flags every command gets, before any
// positional argument (the CLIs refuse flags after them).
func args(command string, rest ...string) []string {
	return slices.Concat([]string{command}, noColor, rest)
}

// refreshed records that state now holds what the API held for keys (all
// keys when keys is nil).
func (h *harness) refreshed(keys []string) {
	if keys == nil {
		clear(h.dirty)
		return
	}
	st := h.state()
	for _, k := range keys {
		if in, ok := st[k]; ok {
			delete(h.dirty, in.ID)
		}
	}
}

// applied ends every step that applies: when the command succeeded (or
// failed only as succeeded allows), the instances it refreshed no longer lag
// the portal (refreshedKeys as for refreshed: nil for all of them,
// refreshedNone for a command that read nothing) and state must agree with
// the API.
func (h *harness) applied(res result, mayFail bool, refreshedKeys []string) {
	if h.succeeded(res, mayFail) {
		h.refreshed(refreshedKeys)
		h.checkStateMatchesAPI(res)
	}
}

// refreshedNone is applied's refreshedKeys for a command that refreshes nothing.
var refreshedNone = []string{}

func workflowApply(h *harness, _ *rand.Rand) error {
	b := h.refreshBudget(0, 2)
	b.addWrites(h.expect())
	res := h.tf(b, args("apply", "-auto-approve")...)
	h.applied(res, false, nil)
	h.describe("apply: exit %d", res.ExitCode)
	return nil
}

// workflowPlanfile: plan -out, maybe a portal change, then apply the saved
// plan, as a GitOps pipeline does. Without the stale-write switch the portal
// change only touches a customer the plan leaves alone.
func workflowPlanfile(h *harness, r *rand.Rand) error {
	want, p, ok := h.savePlan()
	if !ok {
		return nil
	}
	var mid string
	var midID int64
	if r.IntN(10) < 6 {
		var candidates []string
		for _, k := range h.liveInState() {
			if !plannedFor(want, h.model, k) || h.cfg.Defects["stale-write"] {
				candidates = append(candidates, k)
			}
		}
		if len(candidates) > 0 {
			mid = pick(r, candidates)
			midID = h.state()[mid].ID
			what := pick(r, append(slices.Clone(portalAttrs), "delete"))
			if what == "sub-realms" && !h.cfg.Defects["stale-unchanged-attr"] && splitsSubRealms(plannedAttrs(p)[midID]) {
				// A PATCH that sends both sets although the plan changes one
				// reverts the other's portal change: issue 22's defect, drawn
				// only with its switch on.
				what = pick(r, []string{"name", "currency", "country", "realms", "delete"})
			}
			if err := h.portalChange(r, mid, what); err != nil {
				return err
			}
		}
	}
	b := h.refreshBudget(0, 1)
	b.reads = 0 // the plan read them; a 404 of a write may still cost a confirming list
	b.addWrites(want)
	stale := mid != "" && plannedFor(want, h.model, mid)
	before := apiAttrsByID(h.api())
	res := h.tf(b, args("apply", "soak.tfplan")...)
	h.describe("apply planfile: exit %d", res.ExitCode)
	h.checkUnplanned(res, p, before)
	if h.succeeded(res, stale) {
		h.refreshed(nil) // applying the plan saved its refresh, from before the portal change
		if midID != 0 {
			h.dirty[midID] = true
		}
		h.checkStateMatchesAPI(res)
	}
	return nil
}

// splitsSubRealms reports whether planned (a customer's changed attributes)
// changes one sub-realm set and not the other.
func splitsSubRealms(planned []string) bool {
	return slices.Contains(planned, "shown_sub_realms") != slices.Contains(planned, "enabled_sub_realms")
}

// checkUnplanned: the apply of saved plan p changed in the API only what p
// shows changing (before is the API just before the apply).
func (h *harness) checkUnplanned(res result, p planJSON, before map[int64]attrs) {
	if h.violation != nil {
		return
	}
	var implicit []int64
	if h.faults.ImplicitRealm {
		implicit = []int64{1}
	}
	if problems := unplannedChanges(p, before, apiAttrsByID(h.api()), implicit); len(problems) > 0 {
		h.violate("apply-changes-only-what-the-plan-showed", "%s changed what its plan did not show changing:\n  %s\n%s",
			strings.Join(res.Args, " "), strings.Join(problems, "\n  "), res)
	}
}

// workflowRefreshFalse: apply -refresh=false plans from state alone. A
// customer changed in the portal since state last read it, which the apply
// then writes, is the stale-write defect; without that switch the step
// refreshes state first (apply -refresh-only).
func workflowRefreshFalse(h *harness, _ *rand.Rand) error {
	st := h.state()
	want := expectPlan(h.model, st, attrsByID(st))
	stale := false
	for _, in := range st {
		stale = stale || len(want) > 0 && h.dirty[in.ID]
	}
	if stale && !h.cfg.Defects["stale-write"] {
		h.describe("state lags the portal: refresh-only first")
		if err := workflowRefreshOnly(h, nil); err != nil || h.violation != nil {
			return err
		}
		if len(h.dirty) > 0 {
			return nil // the refresh failed under faults: leave -refresh=false for another time
		}
		st = h.state()
		want, stale = expectPlan(h.model, st, attrsByID(st)), false
	}
	b := h.refreshBudget(0, 2)
	b.reads = 0 // no refresh; a 404 of a write may still cost a confirming list
	b.addWrites(want)
	res := h.tf(b, args("apply", "-refresh=false", "-auto-approve")...)
	h.describe("apply -refresh=false: exit %d", res.ExitCode)
	h.applied(res, stale, refreshedNone)
	return nil
}

func workflowRefreshOnly(h *harness, _ *rand.Rand) error {
	res := h.tf(h.refreshBudget(0, 2), args("apply", "-refresh-only", "-auto-approve")...)
	h.describe("apply -refresh-only: exit %d", res.ExitCode)
	h.applied(res, false, nil)
	return nil
}

func workflowTarget(h *harness, r *rand.Rand) error {
	key := pick(r, h.model.keys())
	want := h.expect()
	b := h.refreshBudget(0, 2)
	if c, ok := want[key]; ok {
		b.addWrites(map[string]change{key: c})
	}
	target, scope := address(key), []string{key}
	if movesPending(h) {
		// Terraform plans moved instances only with their whole resource
		// ("Moved resource instances excluded by targeting").
		target, scope = "cloudlx_customer.fleet", nil
		b.addWrites(want)
	}
	res := h.tf(b, args("apply", "-target="+target, "-auto-approve")...)
	h.describe("apply -target %s: exit %d", target, res.ExitCode)
	h.applied(res, false, scope)
	return nil
}

// configuredLive returns the keys in state, in the configuration, whose
// customer the API still holds.
func (h *harness) configuredLive() []string {
	var keys []string
	for _, k := range h.liveInState() {
		if _, ok := h.model.Fleet[k]; ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// workflowImport: state rm, then import the customer again (an import block,
// an import block by identity, or terraform import). A failed import (under
// faults) is retried once with the faults off, as a user would; the customer
// must be back in state either way.
func workflowImport(how string) func(h *harness, r *rand.Rand) error {
	return func(h *harness, r *rand.Rand) error {
		keys := h.configuredLive()
		if len(keys) == 0 {
			h.describe("nothing to import")
			return nil
		}
		key := pick(r, keys)
		id := h.state()[key].ID
		want := h.expect()
		res := h.tf(budget{}, "state", "rm", address(key))
		if !h.succeeded(res, false) {
			return nil
		}
		h.describe("state rm %s, import %d by %s", key, id, how)
		attempt := func() result {
			if how == "cli" {
				return h.tf(h.refreshBudget(1, 1), args("import", address(key), fmt.Sprint(id))...)
			}
			h.model.Imports = []importBlock{{Key: key, ID: id, Identity: how == "identity"}}
			defer func() { h.model.Imports = nil }()
			if err := h.writeConfig(); err != nil {
				h.violate("harness", "%v", err)
			}
			b := h.refreshBudget(1, 2)
			b.addWrites(want)
			return h.tf(b, args("apply", "-auto-approve")...)
		}
		res = attempt()
		if res.ExitCode != 0 && h.violation == nil && h.faults.disruptive() {
			h.describe("import failed under faults (%s); again without", h.faults)
			live := h.faults
			h.setFaults(live.variants())
			res = attempt()
			h.setFaults(live)
		}
		if err := h.writeConfig(); err != nil {
			return err
		}
		if how == "cli" {
			h.applied(res, false, []string{key})
		} else {
			h.applied(res, false, nil)
		}
		if _, back := h.state()[key]; !back && h.violation == nil {
			h.violate("import-restores", "%s is not in state after importing customer %d:\n%s", address(key), id, res)
		}
		return nil
	}
}

func workflowDestroySubset(h *harness, r *rand.Rand) error {
	if movesPending(h) {
		// A targeted plan must cover moved instances with their whole
		// resource: let an apply carry out the moves first.
		h.describe("moves pending: apply first")
		if err := workflowApply(h, r); err != nil || h.violation != nil || movesPending(h) {
			return err
		}
	}
	st := h.state()
	keys := sortedKeys(st)
	if len(keys) == 0 {
		h.describe("nothing to destroy")
		return nil
	}
	r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	keys = keys[:1+r.IntN(min(2, len(keys)))]
	b := h.refreshBudget(0, 2)
	a := []string{"destroy", "-auto-approve"}
	api := h.api()
	want := h.expect()
	for _, k := range keys {
		// destroy plans the targets' pending changes first (and checks
		// their new realm ids against the catalogues).
		b.catalogues(want[k])
		b.catalogues(want[h.model.moveTarget(k)])
		a = append(a, "-target="+address(k))
		if _, ok := api[st[k].ID]; ok {
			b.deletes++
		}
	}
	res := h.tf(b, args(a[0], a[1:]...)...)
	h.describe("destroy %v: exit %d", keys, res.ExitCode)
	if h.succeeded(res, false) {
		h.refreshed(keys)
		for _, k := range keys {
			if _, still := h.state()[k]; still {
				h.violate("destroy-removes", "%s is still in state after destroy succeeded", address(k))
			}
		}
	}
	return nil
}

// movesPending reports whether state holds an instance a moved block has yet
// to move.
func movesPending(h *harness) bool {
	for k := range h.state() {
		if h.model.moveTarget(k) != k {
			return true
		}
	}
	return false
}

// plannedFor reports whether the oracle's plan writes the customer that state
// holds under key (a moved customer's change is under its new key).
func plannedFor(want map[string]change, cfg *config, key string) bool {
	_, here := want[key]
	_, moved := want[cfg.moveTarget(key)]
	return here || moved
}

// --- faults ----------------------------------------------------------------

var gatewayRoutes = []string{"GET /api/customers/{id}", "GET /api/customers", "PATCH /api/customers/{id}", "DELETE /api/customers/{id}"}

func toggleFault(which string) func(h *harness, r *rand.Rand) error {
	return func(h *harness, r *rand.Rand) error {
		f := h.faults
		switch which {
		case "throttle":
			f.Throttle = !f.Throttle
		case "5xx":
			f.Fail = !f.Fail
		case "drop":
			f.Drop = !f.Drop
		case "short-token":
			f.ShortToken = !f.ShortToken
		case "gateway-404":
			f.Gateway404 = !f.Gateway404
			f.GatewayRoute = gatewayRoutes[0] // the refresh's GET, the common case, half the time
			if r.IntN(2) == 0 {
				f.GatewayRoute = pick(r, gatewayRoutes[1:])
			}
		case "implicit-realm":
			f.ImplicitRealm = !f.ImplicitRealm
		case "pages":
			f.Pages = !f.Pages
		case "quirks":
			f.Quirks = !f.Quirks
		case "off":
			f = faultState{}
		}
		h.setFaults(f)
		h.describe("faults now: %s", f)
		return nil
	}
}

// customerSchemaHas reports whether the provider's cloudlx_customer resource
// has the attribute name: the soak draws the steps of an argument only when
// the provider under test has it.
func customerSchemaHas(name string) bool {
	ctx := context.Background()
	p := provider.New("soak")()
	for _, f := range p.Resources(ctx) {
		res := f()
		var md resource.MetadataResponse
		res.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cloudlx"}, &md)
		if md.TypeName != "cloudlx_customer" {
			continue
		}
		var sr resource.SchemaResponse
		res.Schema(ctx, resource.SchemaRequest{}, &sr)
		_, ok := sr.Schema.Attributes[name]
		return ok
	}
	return false
}

// providerHasIdentity reports whether the provider's customer resource has a
// resource identity (import { identity = ... }).
func providerHasIdentity() bool {
	ctx := context.Background()
	p := provider.New("soak")()
	for _, f := range p.Resources(ctx) {
		res := f()
		var md resource.MetadataResponse
		res.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cloudlx"}, &md)
		if _, ok := res.(resource.ResourceWithIdentity); ok && md.TypeName == "cloudlx_customer" {
			return true
		}
	}
	return false
}

// --- issue 22: the plan is the contract --------------------------------------

// pendingCreates returns the keys the oracle's plan creates, sorted.
func pendingCreates(want map[string]change) []string {
	var keys []string
	for _, k := range sortedKeys(want) {
		if want[k].Action == "create" {
			keys = append(keys, k)
		}
	}
	return keys
}

// ensureCreate makes sure the next apply creates a customer (adding one to
// the configuration when none is pending) and returns the oracle's plan;
// false when the fleet is full.
func (h *harness) ensureCreate(r *rand.Rand) (map[string]change, bool) {
	want := h.expect()
	if len(pendingCreates(want)) > 0 {
		return want, true
	}
	if len(h.model.Fleet) >= maxFleet {
		h.describe("fleet full (%d) and nothing to create", len(h.model.Fleet))
		return want, false
	}
	if err := configAdd(h, r); err != nil {
		h.violate("harness", "%v", err)
		return want, false
	}
	return h.expect(), true
}

// workflowLostCreate: the API creates a customer and the connection drops
// before its answer; then CI runs the apply again. The customer must end up in
// state once, and no second customer of its name may appear (the provider
// resolves the lost answer on evidence: one list read).
func workflowLostCreate(h *harness, r *rand.Rand) error {
	want, ok := h.ensureCreate(r)
	if !ok {
		return nil
	}
	const route = "POST /api/customers"
	h.emu.InjectFault(route, emulator.Fault{AfterProcessing: true, Drop: true}, 1)
	defer h.emu.InjectFault(route, emulator.Fault{}, 0)
	b := h.refreshBudget(0, 2)
	b.addWrites(want)
	b.lostCreates = 1
	res := h.tf(b, args("apply", "-auto-approve")...)
	h.describe("apply, the first create's answer lost: exit %d", res.ExitCode)
	h.applied(res, true, nil)
	if h.violation != nil {
		return nil
	}
	h.emu.InjectFault(route, emulator.Fault{}, 0)
	want = h.expect()
	b = h.refreshBudget(0, 2)
	b.addWrites(want)
	res = h.tf(b, args("apply", "-auto-approve")...)
	h.describe("apply again, as CI does: exit %d", res.ExitCode)
	h.applied(res, false, nil)
	return nil
}

// portalSameName: a portal user creates a customer under the name of one the
// configuration has yet to create. The plan must fail naming that customer
// (and how to adopt it); then the configuration either renames its customer
// or, when the provider has the setting, allows the duplicate and applies.
func portalSameName(h *harness, r *rand.Rand) error {
	want, ok := h.ensureCreate(r)
	if !ok {
		return nil
	}
	key := pick(r, pendingCreates(want))
	s := h.model.Fleet[key].clone()
	shown := randomIDs(r, subRealms, 0)
	c, err := h.emu.CreateCustomer(emulator.CustomerInput{Name: s.Name, CurrencyISO: pick(r, currencies), CountryISO: pick(r, countries),
		Realms: randomIDs(r, realmIDs[1:], 1), ShownSubRealms: shown, EnabledSubRealms: randomIDs(r, shown, 0)})
	if err != nil {
		return fmt.Errorf("portal customer named like %s: %w", key, err)
	}
	h.byHarness[c.ID] = true
	h.describe("portal creates customer %d named %q, which %s has yet to create", c.ID, s.Name, key)
	return h.planRefusesName(r, key, c.ID)
}

// planRefusesName: the configuration creates key under a name that customer
// holder already has. The plan must fail naming holder and how to import it;
// then the configuration either renames its customer or, when the provider
// has the setting, allows the duplicate and applies.
func (h *harness) planRefusesName(r *rand.Rand, key string, holder int64) error {
	s := h.model.Fleet[key].clone()
	// The faults off for this plan: its failure must be the guard's.
	live := h.faults
	h.setFaults(live.variants())
	b := h.refreshBudget(0, 1)
	b.plans(h.expect())
	res := h.tf(b, args("plan")...)
	h.setFaults(live)
	h.describe("plan: exit %d", res.ExitCode)
	if h.violation != nil {
		return nil
	}
	named := regexp.MustCompile(`\b` + strconv.FormatInt(holder, 10) + `\b`).MatchString(res.Combined())
	switch {
	case res.ExitCode == 0:
		h.violate("create-refuses-existing-name", "the plan creates %s named %q although CloudLX customer %d has that name: "+
			"it must fail, naming the customer and how to import it:\n%s", address(key), s.Name, holder, res)
		return nil
	case !named || !strings.Contains(res.Combined(), "import"):
		h.violate("create-refuses-existing-name", "the plan that would duplicate %q failed without naming customer %d and its import:\n%s",
			s.Name, holder, res)
		return nil
	}
	if h.caps.allowDuplicate && r.IntN(2) == 0 {
		s.AllowDuplicate = true
		h.model.Fleet[key] = s
		h.describe("%s allows the duplicate name", key)
		if err := h.writeConfig(); err != nil {
			return err
		}
		return workflowApply(h, r)
	}
	s.Name = h.freshName(key)
	h.model.Fleet[key] = s
	h.describe("%s renamed to %q", key, s.Name)
	return h.writeConfig()
}

// workflowStaleUnchanged: a saved plan changes one attribute of a customer
// (one sub-realm set, foremost); before it is applied, the portal changes
// another (the other set). The apply must leave the portal's change alone.
func workflowStaleUnchanged(h *harness, r *rand.Rand) error {
	keys := h.configuredLive()
	if len(keys) == 0 {
		h.describe("no customer to change")
		return nil
	}
	key := pick(r, keys)
	id := h.state()[key].ID
	s := h.model.Fleet[key].clone()
	var missing []int64
	for _, sr := range subRealms {
		if !slices.Contains(s.Shown, sr) {
			missing = append(missing, sr)
		}
	}
	edits := []string{"name"}
	if len(s.Shown) > 0 {
		edits = append(edits, "enabled", "enabled")
	}
	if len(missing) > 0 {
		edits = append(edits, "shown", "shown")
	}
	switch pick(r, edits) {
	case "enabled":
		s.Enabled = editIDs(r, s.Enabled, s.Shown, 0)
		if slices.Equal(sortedIDs(s.Enabled), sortedIDs(h.model.Fleet[key].Enabled)) {
			s.Enabled = toggle(s.Enabled, pick(r, s.Shown))
		}
		h.describe("%s enabled %v (shown stays %v)", key, s.Enabled, s.Shown)
	case "shown":
		s.Shown = append(s.Shown, pick(r, missing))
		h.describe("%s shown %v (enabled stays %v)", key, s.Shown, s.Enabled)
	default:
		s.Name = h.freshName(key)
		h.describe("rename %s to %q", key, s.Name)
	}
	h.model.Fleet[key] = s
	if err := h.writeConfig(); err != nil {
		return err
	}
	want, p, ok := h.savePlan()
	if !ok {
		return nil
	}
	var after attrs
	for _, rc := range p.ResourceChanges {
		if got, _ := rc.Change.Before["id"].(float64); int64(got) == id && rc.Change.After != nil {
			after = attrsFromJSON(rc.Change.After)
		}
	}
	if err := h.portalChangeUnplanned(r, key, id, plannedAttrs(p)[id], after); err != nil {
		return err
	}
	b := h.refreshBudget(0, 1)
	b.reads = 0
	b.addWrites(want)
	before := apiAttrsByID(h.api())
	res := h.tf(b, args("apply", "soak.tfplan")...)
	h.describe("apply planfile: exit %d", res.ExitCode)
	h.checkUnplanned(res, p, before)
	if h.succeeded(res, false) {
		h.refreshed(nil)
		h.dirty[id] = true
		h.checkStateMatchesAPI(res)
	}
	return nil
}

func toggle(ids []int64, id int64) []int64 {
	if i := slices.Index(ids, id); i >= 0 {
		return slices.Delete(slices.Clone(ids), i, i+1)
	}
	return append(slices.Clone(ids), id)
}

// portalChangeUnplanned changes, in the portal, an attribute of customer id
// that planned (what the saved plan changes for it) leaves alone: the other
// sub-realm set when the plan changes one, else name, currency, country or
// realms. after is the customer as the plan leaves it.
func (h *harness) portalChangeUnplanned(r *rand.Rand, key string, id int64, planned []string, after attrs) error {
	c, ok := h.emu.Customer(id)
	if !ok {
		h.describe("customer %d is gone", id)
		return nil
	}
	held := apiAttrs(c)
	changesShown, changesEnabled := slices.Contains(planned, "shown_sub_realms"), slices.Contains(planned, "enabled_sub_realms")
	var shown, enabled []int64
	switch {
	case changesEnabled && !changesShown:
		// Add a sub-realm to the shown set (enabled stays within it, whatever
		// the plan enables), or take one away that neither enables.
		var add, drop []int64
		for _, sr := range subRealms {
			switch {
			case !slices.Contains(held.Shown, sr):
				add = append(add, sr)
			case !slices.Contains(held.Enabled, sr) && !slices.Contains(after.Enabled, sr):
				drop = append(drop, sr)
			}
		}
		switch {
		case len(add) > 0:
			shown, enabled = append(slices.Clone(held.Shown), pick(r, add)), held.Enabled
		case len(drop) > 0:
			shown, enabled = toggle(held.Shown, pick(r, drop)), held.Enabled
		}
	case changesShown && !changesEnabled:
		// Enable another subset of what stays shown either way.
		var both []int64
		for _, sr := range held.Shown {
			if slices.Contains(after.Shown, sr) {
				both = append(both, sr)
			}
		}
		if len(both) > 0 {
			shown, enabled = held.Shown, toggle(held.Enabled, pick(r, both))
			for _, sr := range enabled {
				if !slices.Contains(both, sr) {
					enabled = held.Enabled // it enabled one the plan hides: keep it simple
					break
				}
			}
			if slices.Equal(sortedIDs(enabled), held.Enabled) {
				shown, enabled = nil, nil
			}
		}
	}
	if shown != nil {
		if _, err := h.emu.UpdateCustomer(id, func(in *emulator.CustomerInput) {
			in.ShownSubRealms, in.EnabledSubRealms = slices.Clone(shown), slices.Clone(enabled)
		}); err != nil {
			return fmt.Errorf("portal change of %s: %w", key, err)
		}
		h.dirty[id] = true
		h.describe("portal sets %s shown %v enabled %v", key, sortedIDs(shown), sortedIDs(enabled))
		return nil
	}
	var others []string
	for what, attr := range map[string]string{"name": "name", "currency": "currency_iso", "country": "country_iso", "realms": "realms"} {
		if !slices.Contains(planned, attr) {
			others = append(others, what)
		}
	}
	if len(others) == 0 {
		h.describe("the plan changes everything the portal could")
		return nil
	}
	slices.Sort(others)
	return h.portalChange(r, key, pick(r, others))
}

// workflowThrottledList: a plan that reads the customer list (more customers
// than bulk_refresh_threshold) while the API answers the list 429 twice. The
// list must wait and be retried: the budget allows no GET per customer for it.
func workflowThrottledList(h *harness, r *rand.Rand) error {
	// The other faults off for this step: what it tests is the 429 alone.
	live := h.faults
	h.setFaults(live.variants())
	defer h.setFaults(live)
	const need = bulkRefreshThreshold + 2
	if len(h.liveInState()) < need {
		for len(h.model.Fleet) < min(need+1, maxFleet) {
			if err := configAdd(h, r); err != nil {
				return err
			}
		}
		h.describe("%d customers for the list to answer: apply first", len(h.model.Fleet))
		if err := workflowApply(h, r); err != nil || h.violation != nil {
			return err
		}
	}
	if n := len(h.liveInState()); n < need {
		h.describe("only %d customers: not enough to read the list", n)
		return nil
	}
	const route = "GET /api/customers"
	h.emu.InjectFault(route, emulator.Fault{Status: 429, RetryAfter: "1"}, 2)
	defer h.emu.InjectFault(route, emulator.Fault{}, 0)
	want := h.expect()
	b := h.refreshBudget(0, 1)
	b.plans(want)
	res := h.tf(b, args("plan")...)
	h.describe("plan of %d customers, the list answered 429 twice: exit %d", b.reads, res.ExitCode)
	h.succeeded(res, false)
	return nil
}

// settle applies the configuration when its plan destroys a customer, so
// that the no-delete steps' destroy is the only one (another would meet the
// API without DELETE too); false if it could not. Other changes may stay
// pending (under the implicit-realm variant, realms never settle).
func (h *harness) settle(r *rand.Rand) bool {
	destroys := func() bool {
		for _, c := range h.expect() {
			if c.Action == "delete" {
				return true
			}
		}
		return false
	}
	if !destroys() {
		return true
	}
	h.describe("destroys pending: apply first")
	if err := workflowApply(h, r); err != nil {
		h.violate("harness", "%v", err)
	}
	if h.violation != nil || destroys() {
		h.describe("destroys still pending: nothing more")
		return false
	}
	return true
}

// withNoDelete runs f on an API without DELETE (405), as documented.
func (h *harness) withNoDelete(f func()) {
	live := h.faults
	nd := live
	nd.NoDelete = true
	h.setFaults(nd)
	defer h.setFaults(live)
	f()
}

// removable picks a configured, created customer to remove from the
// configuration whose deletion_policy is policy; "" when there is none (or
// the fleet is at its minimum).
func (h *harness) removable(r *rand.Rand, policy string) string {
	if len(h.model.Fleet) <= minFleet {
		h.describe("fleet at its minimum (%d)", len(h.model.Fleet))
		return ""
	}
	var keys []string
	for _, k := range h.configuredLive() {
		if h.model.Fleet[k].policy() == policy {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		h.describe("no customer with deletion_policy %s", policy)
		return ""
	}
	return pick(r, keys)
}

// workflowAbandon: deletion_policy = "ABANDON", then the customer leaves the
// configuration, on an API without DELETE. The plan warns that it will remain
// in CloudLX; the apply sends no DELETE, and the customer stays in CloudLX,
// out of state.
func workflowAbandon(h *harness, r *rand.Rand) error {
	if !h.caps.deletionPolicy {
		h.describe("the provider has no %s", deletionPolicyAttr)
		return nil
	}
	if !h.settle(r) {
		return nil
	}
	key := h.removable(r, "DELETE")
	if key == "" {
		return nil
	}
	id := h.state()[key].ID
	s := h.model.Fleet[key].clone()
	s.DeletionPolicy = "ABANDON"
	h.model.Fleet[key] = s
	if err := h.writeConfig(); err != nil {
		return err
	}
	want := h.expect()
	b := h.refreshBudget(0, 2)
	b.addWrites(want)
	res := h.tf(b, args("apply", "-auto-approve")...)
	h.describe("%s deletion_policy ABANDON, apply: exit %d", key, res.ExitCode)
	h.applied(res, false, nil)
	if res.ExitCode != 0 {
		return nil
	}
	h.withNoDelete(func() {
		delete(h.model.Fleet, key)
		if err := h.writeConfig(); err != nil {
			h.violate("harness", "%v", err)
			return
		}
		want := h.expect()
		b := h.refreshBudget(0, 1)
		res := h.tf(b, args("plan")...)
		h.describe("remove %s, plan: exit %d", key, res.ExitCode)
		if !h.succeeded(res, false) {
			return
		}
		out := res.Combined()
		if !strings.Contains(out, "Warning") || !strings.Contains(out, "ABANDON") && !strings.Contains(strings.ToLower(out), "remain") {
			h.violate("destroy-shows-its-fate", "the plan destroys %s, whose deletion_policy is ABANDON, without warning that it remains in CloudLX:\n%s",
				address(key), res)
			return
		}
		b = h.refreshBudget(0, 2)
		b.addWrites(want)
		b.deletes = 0 // ABANDON sends nothing
		res = h.tf(b, args("apply", "-auto-approve")...)
		h.describe("apply: exit %d", res.ExitCode)
		h.checkAbandoned(res, key, id)
	})
	return h.revertRemoval(r, key, s, id)
}

// workflowNoDelete: a customer with deletion_policy DELETE leaves the
// configuration on an API without DELETE. The apply warns that it remains in
// CloudLX and names deletion_policy = "ABANDON" as the way to say so.
func workflowNoDelete(h *harness, r *rand.Rand) error {
	if !h.caps.deletionPolicy {
		h.describe("the provider has no %s", deletionPolicyAttr)
		return nil
	}
	if !h.settle(r) {
		return nil
	}
	key := h.removable(r, "DELETE")
	if key == "" {
		return nil
	}
	id := h.state()[key].ID
	s := h.model.Fleet[key]
	h.withNoDelete(func() {
		delete(h.model.Fleet, key)
		if err := h.writeConfig(); err != nil {
			h.violate("harness", "%v", err)
			return
		}
		b := h.refreshBudget(0, 2)
		b.addWrites(h.expect())
		res := h.tf(b, args("apply", "-auto-approve")...)
		h.describe("remove %s, apply on an API without DELETE: exit %d", key, res.ExitCode)
		if res.ExitCode == 0 && (!strings.Contains(res.Combined(), "Warning") || !strings.Contains(res.Combined(), "ABANDON")) {
			h.violate("destroy-shows-its-fate", "the apply could not delete %s (no DELETE) and did not warn naming deletion_policy = \"ABANDON\":\n%s",
				address(key), res)
			return
		}
		h.checkAbandoned(res, key, id)
	})
	return h.revertRemoval(r, key, s, id)
}

// checkAbandoned: after an apply that let customer id of key go, it is out of
// state and still in CloudLX (no longer Terraform's: not an orphan).
func (h *harness) checkAbandoned(res result, key string, id int64) {
	if !h.succeeded(res, false) {
		return
	}
	h.refreshed(nil)
	if _, still := h.state()[key]; still {
		h.violate("destroy-removes", "%s is still in state after %s succeeded", address(key), strings.Join(res.Args, " "))
		return
	}
	if _, ok := h.emu.Customer(id); !ok {
		h.violate("abandon-keeps-customer", "customer %d (%s) is gone from CloudLX although nothing may delete it:\n%s", id, address(key), res)
		return
	}
	h.abandoned[id] = true
	h.checkStateMatchesAPI(res)
}

// revertRemoval: half the time, the configuration takes back the removal of
// key (s as it was), whose customer id stayed in CloudLX: the plan would
// create a second customer of its name, and must refuse to.
func (h *harness) revertRemoval(r *rand.Rand, key string, s spec, id int64) error {
	if h.violation != nil || !h.abandoned[id] || r.IntN(2) == 0 {
		return nil
	}
	s.DeletionPolicy = ""
	h.model.Fleet[key] = s
	h.describe("revert: %s back in the configuration", key)
	if err := h.writeConfig(); err != nil {
		return err
	}
	return h.planRefusesName(r, key, id)
}

// savePlan runs `plan -out=soak.tfplan` within the budget of the changes the
// oracle expects now, and reads the saved plan. It returns those changes and
// the plan; false when the plan failed (as the faults allow, or a violation)
// or could not be shown.
func (h *harness) savePlan() (map[string]change, planJSON, bool) {
	want := h.expect()
	pb := h.refreshBudget(0, 1)
	pb.plans(want)
	res := h.tf(pb, args("plan", "-out=soak.tfplan")...)
	h.describe("plan -out: exit %d", res.ExitCode)
	if !h.succeeded(res, false) {
		return want, planJSON{}, false
	}
	p, ok := h.showPlan("soak.tfplan")
	return want, p, ok
}
