package soak

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

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
func portalLookAlike(h *harness, r *rand.Rand) error {
	key := pick(r, h.model.keys())
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
	want := h.expect()
	planBudget := h.refreshBudget(0, 1)
	planBudget.addPlannedCreates(want)
	res := h.tf(planBudget, args("plan", "-out=soak.tfplan")...)
	h.describe("plan -out: exit %d", res.ExitCode)
	if !h.succeeded(res, false) {
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
			if err := h.portalChange(r, mid, what); err != nil {
				return err
			}
		}
	}
	b := h.refreshBudget(0, 1)
	b.reads = 0 // the plan read them; a 404 of a write may still cost a confirming list
	b.addWrites(want)
	stale := mid != "" && plannedFor(want, h.model, mid)
	res = h.tf(b, args("apply", "soak.tfplan")...)
	h.describe("apply planfile: exit %d", res.ExitCode)
	if h.succeeded(res, stale) {
		h.refreshed(nil) // applying the plan saved its refresh, from before the portal change
		if midID != 0 {
			h.dirty[midID] = true
		}
		h.checkStateMatchesAPI(res)
	}
	return nil
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

// workflowImport: state rm, then import the customer again (an import block,
// an import block by identity, or terraform import). A failed import (under
// faults) is retried once with the faults off, as a user would; the customer
// must be back in state either way.
func workflowImport(how string) func(h *harness, r *rand.Rand) error {
	return func(h *harness, r *rand.Rand) error {
		var keys []string
		for _, k := range h.liveInState() {
			if _, ok := h.model.Fleet[k]; ok {
				keys = append(keys, k)
			}
		}
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
			h.setFaults(faultState{ImplicitRealm: live.ImplicitRealm, Pages: live.Pages, Quirks: live.Quirks})
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
	for _, k := range keys {
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
