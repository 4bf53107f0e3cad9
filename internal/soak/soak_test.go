package soak

import (
	"bytes"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func TestMain(m *testing.M) {
	code := m.Run()
	clitest.RemoveProvider()
	os.Exit(code)
}

// The short soak of `make test`: a fixed seed, a dozen steps (about a minute
// of CLI commands). testDefects are the known-defect step kinds it may draw:
// all of them, since every fix is on main (issue 10's three, and issue 22's
// five, which TestSoakIssue22 replays once each).
const (
	testSeed  = 635
	testSteps = 12
)

var testDefects = map[string]bool{"gateway-404": true, "implicit-realm": true, "stale-write": true, "lost-create": true, "name-exists": true, "stale-unchanged-attr": true, "throttle-fanout": true, "no-delete-policy": true}

// issue22Steps take each of issue 22's step kinds once, on the fleet of
// issue22Seed (their step seeds picked so that stale-unchanged-attr changes
// one sub-realm set and the portal the other, and throttle-list grows the
// fleet past the list's threshold). About a minute of CLI commands.
const (
	issue22Seed  = 7
	issue22Steps = "apply@1 stale-unchanged-attr@2 portal-same-name@2 throttle-list@2 lost-create@2 no-delete-abandon@3 no-delete-delete@4"
)

// TestSoakIssue22 replays issue22Steps, with the kinds whose known-defect
// switch is on in testDefects (none until issue 22's fixes merge: it skips).
func TestSoakIssue22(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("the soak drives the real Terraform CLI: set TF_ACC=1 (make test does)")
	}
	all, err := ParseSteps(issue22Steps)
	if err != nil {
		t.Fatal(err)
	}
	steps := all[:1]
	for _, s := range all[1:] {
		if testDefects[kindByName[s.Kind].defect] {
			steps = append(steps, s)
		}
	}
	if len(steps) == 1 {
		t.Skip("issue 22's known-defect switches are off in testDefects")
	}
	tf := clitest.Terraform(t)
	var out bytes.Buffer
	rep, err := Run(t.Context(), Config{Seed: issue22Seed, Replay: steps, CLIPath: tf.Path, Defects: testDefects,
		ProviderDir: clitest.ProviderDir(t), Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(rep.Summary())
	if rep.Violation != nil {
		rep.WriteReport(&out, "")
		t.Fatalf("%s", out.String())
	}
	if len(rep.Steps) != len(steps) {
		t.Fatalf("took %d steps, want %d", len(rep.Steps), len(steps))
	}
}

// TestSoak runs the short soak with the real CLI (TF_ACC, as the acceptance
// tests). SOAK_TEST_STEPS makes it longer.
func TestSoak(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("the soak drives the real Terraform CLI: set TF_ACC=1 (make test does)")
	}
	tf := clitest.Terraform(t)
	steps := testSteps
	if v := os.Getenv("SOAK_TEST_STEPS"); v != "" {
		steps, _ = strconv.Atoi(v)
	}
	var out bytes.Buffer
	rep, err := Run(t.Context(), Config{Seed: testSeed, Steps: steps, CLIPath: tf.Path, Defects: testDefects,
		ProviderDir: clitest.ProviderDir(t), Out: &out, ShrinkFor: 3 * time.Minute})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(rep.Summary())
	if rep.Violation != nil {
		rep.WriteReport(&out, "")
		t.Fatalf("%s", out.String())
	}
	if len(rep.Steps) != steps {
		t.Fatalf("took %d steps, want %d", len(rep.Steps), steps)
	}
}

func TestGenerateIsSeededAndHonoursSwitches(t *testing.T) {
	all, _ := ParseDefects("all")
	a := Generate(42, 300, all, capabilities{})
	b := Generate(42, 300, all, capabilities{})
	if FormatSteps(a) != FormatSteps(b) {
		t.Fatal("the same seed generated two sequences")
	}
	if FormatSteps(Generate(43, 300, all, capabilities{})) == FormatSteps(a) {
		t.Fatal("two seeds generated the same sequence")
	}
	if a[0].Kind != "apply" {
		t.Fatalf("first step %s, want apply", a[0])
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s.Kind] = true
	}
	for _, k := range kinds {
		if want := k.needs == nil; seen[k.name] != want {
			t.Errorf("kind %s drawn=%v in 300 steps, want %v", k.name, seen[k.name], want)
		}
	}
	lifecycle := map[string]bool{}
	for _, s := range Generate(42, 300, all, capabilities{deletionPolicy: true}) {
		lifecycle[s.Kind] = true
	}
	if !lifecycle["no-delete-abandon"] || !lifecycle["no-delete-delete"] || lifecycle["import-identity"] {
		t.Errorf("with deletion_policy and no identity import, drew %v", lifecycle)
	}
	for _, s := range Generate(42, 300, map[string]bool{}, capabilities{identity: true, deletionPolicy: true}) {
		if k := kindByName[s.Kind]; k.defect != "" {
			t.Fatalf("drew %s with its known-defect switch off", s)
		}
	}
	parsed, err := ParseSteps(FormatSteps(a))
	if err != nil || FormatSteps(parsed) != FormatSteps(a) {
		t.Fatalf("ParseSteps(FormatSteps) = %v, %v", parsed, err)
	}
	if _, err := ParseSteps("apply@1 fly@2"); err == nil {
		t.Fatal("ParseSteps accepted an unknown kind")
	}
	if _, err := ParseDefects("gateway-404,nonsense"); err == nil {
		t.Fatal("ParseDefects accepted an unknown switch")
	}
}

func fleetOf(specs map[string]spec) *config {
	return &config{Fleet: specs, NextKey: 10}
}

func TestExpectPlan(t *testing.T) {
	a := spec{Name: "A", Currency: "USD", Country: "US", Realms: []int64{7, 2}, Shown: []int64{313}, Enabled: []int64{}}
	b := spec{Name: "B", Currency: "EUR", Country: "DE", Realms: []int64{2}, Shown: []int64{}, Enabled: []int64{},
		Admin: &admin{Email: "b@x.example", FirstName: "B", LastName: "B"}}
	st := map[string]instance{
		"a":    {Key: "a", ID: 1, Attrs: specAttrs(a)},
		"b":    {Key: "b", ID: 2, Attrs: specAttrs(b), Admin: adminText(b.Admin)},
		"old":  {Key: "old", ID: 3, Attrs: specAttrs(a)},
		"gone": {Key: "gone", ID: 4, Attrs: specAttrs(a)},
	}
	renamed := specAttrs(a)
	renamed.Name = "portal"
	api := map[int64]attrs{1: renamed, 2: specAttrs(b), 3: specAttrs(a)}

	cfg := fleetOf(map[string]spec{"a": a, "b": b, "new": a})
	got := expectPlan(cfg, st, api)
	want := map[string]string{
		"a":   "update of name", // the portal's rename shows as drift
		"new": "create",         // not in state
		"old": "delete",         // in state, not in config
		// "b": no change; "gone": deleted in the portal and not configured, nothing to do
	}
	if len(got) != len(want) {
		t.Fatalf("expectPlan = %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k].String() != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}

	// A moved block carries "old" to "moved"; reordered ids and a dropped
	// admin_user are the only other edits.
	b2 := b.clone()
	b2.Realms, b2.Admin = []int64{2, 2}, nil
	cfg = fleetOf(map[string]spec{"a": a, "b": b2, "moved": a, "gone": a})
	cfg.Moves = [][2]string{{"old", "mid"}, {"mid", "moved"}}
	got = expectPlan(cfg, st, api)
	if got["moved"].String() != "no-op (moved from old)" || got["b"].String() != "update of admin_user" ||
		got["gone"].String() != "create" || len(got) != 4 {
		t.Fatalf("expectPlan with moves = %v", got)
	}
}

func TestComparePlan(t *testing.T) {
	a := spec{Name: "A", Currency: "USD", Country: "US", Realms: []int64{2}, Shown: []int64{}, Enabled: []int64{}}
	apiA := specAttrs(a)
	obj := func(name string) map[string]any {
		return map[string]any{"id": float64(1), "name": name, "currency_iso": "USD", "country_iso": "US",
			"realms": []any{float64(2)}, "shown_sub_realms": []any{}, "enabled_sub_realms": []any{}}
	}
	rc := plannedChange{Address: address("a"), Type: "cloudlx_customer", Name: "fleet", Index: "a"}
	rc.Change.Actions = []string{"update"}
	rc.Change.Before, rc.Change.After = obj("A"), obj("B")
	rc.Change.AfterUnknown = map[string]any{}
	p := planJSON{ResourceChanges: []plannedChange{rc}}
	api := map[int64]attrs{1: apiA}

	if got := comparePlan(p, map[string]change{"a": {Action: "update", Attrs: []string{"name"}}}, api); len(got) != 0 {
		t.Fatalf("a matching plan: %v", got)
	}
	if got := comparePlan(p, map[string]change{}, api); len(got) != 1 || !strings.Contains(got[0], "expected no change, the plan shows update of name") {
		t.Fatalf("an unexpected update: %v", got)
	}
	rc.Change.AfterUnknown = map[string]any{"currency": true}
	p.ResourceChanges[0] = rc
	got := comparePlan(p, map[string]change{"a": {Action: "update", Attrs: []string{"name"}}}, api)
	if len(got) != 1 || !strings.Contains(got[0], "currency is unknown=true") {
		t.Fatalf("noise in the plan: %v", got)
	}
	rc.Change.AfterUnknown = map[string]any{}
	rc.Change.Before = obj("stale")
	p.ResourceChanges[0] = rc
	got = comparePlan(p, map[string]change{"a": {Action: "update", Attrs: []string{"name"}}}, api)
	if len(got) != 1 || !strings.Contains(got[0], "refreshed state differs from the API in name") {
		t.Fatalf("a stale refresh: %v", got)
	}
}

func TestBudget(t *testing.T) {
	req := func(route string, status int, fault string) emulator.Request {
		return emulator.Request{Route: route, Status: status, Fault: fault}
	}
	// A plan of 8 customers: one token, 5 GETs, then one list.
	reqs := []emulator.Request{req("POST /api/oauth2/access-token", 200, "")}
	for range 5 {
		reqs = append(reqs, req("GET /api/customers/{id}", 200, ""))
	}
	reqs = append(reqs, req("GET /api/customers", 200, ""))
	b := budget{reads: 8, apiCount: 8, walks: 1}
	if p := b.check(reqs, faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("within budget: %v", p)
	}
	// A sixth GET is one too many; throttled requests do not count.
	over := append(append([]emulator.Request(nil), reqs...), req("GET /api/customers/{id}", 200, ""), req("GET /api/customers/{id}", 429, emulator.FaultThrottled))
	if p := b.check(over, faultState{}, time.Second); len(p) != 1 || !strings.Contains(p[0], "6 × GET /api/customers/{id}, at most 5") {
		t.Fatalf("over budget: %v", p)
	}
	// A PATCH nobody planned, a second token in one process.
	extra := append(append([]emulator.Request(nil), reqs...), req("PATCH /api/customers/{id}", 200, ""), req("POST /api/oauth2/access-token", 200, ""))
	if p := b.check(extra, faultState{}, time.Second); len(p) != 2 {
		t.Fatalf("an unplanned PATCH and a second token: %v", p)
	}
}

func TestDuplicateNames(t *testing.T) {
	cust := func(id int64, name string) emulator.Customer { return emulator.Customer{ID: id, Name: name} }
	never := func(string) bool { return false }
	before := []emulator.Customer{cust(1, "A"), cust(2, "B"), cust(3, "B")}
	cases := []struct {
		name      string
		after     []emulator.Customer
		byHarness map[int64]bool
		allowed   func(string) bool
		want      string // a substring of the one problem, "" for none
	}{
		{"a create of a name that exists", append(slices.Clone(before), cust(4, "A")), nil, never, `"A": customers [1 4], of which this command created [4]`},
		{"two creates of one new name", append(slices.Clone(before), cust(4, "C"), cust(5, "C")), nil, never, `created [4 5]`},
		{"the configuration allows it", append(slices.Clone(before), cust(4, "A")), nil, func(n string) bool { return n == "A" }, ""},
		{"the harness made it", append(slices.Clone(before), cust(4, "A")), map[int64]bool{4: true}, never, ""},
		{"duplicates from before the command", append(slices.Clone(before), cust(4, "D")), nil, never, ""},
	}
	for _, c := range cases {
		got := duplicateNames(before, c.after, c.byHarness, c.allowed)
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)) {
			t.Errorf("%s: %v, want %q", c.name, got, c.want)
		}
	}
}

func TestUnplannedChanges(t *testing.T) {
	obj := func(id int64, shown, enabled []any) map[string]any {
		return map[string]any{"id": float64(id), "name": "A", "currency_iso": "USD", "country_iso": "US",
			"realms": []any{float64(2)}, "shown_sub_realms": shown, "enabled_sub_realms": enabled}
	}
	// The plan enables 313 for customer 1 (shown stays [301 313]) and deletes customer 3.
	rc := plannedChange{Type: "cloudlx_customer", Name: "fleet", Index: "a"}
	rc.Change.Actions = []string{"update"}
	rc.Change.Before = obj(1, []any{float64(301), float64(313)}, []any{})
	rc.Change.After = obj(1, []any{float64(301), float64(313)}, []any{float64(313)})
	del := plannedChange{Type: "cloudlx_customer", Name: "fleet", Index: "c"}
	del.Change.Actions = []string{"delete"}
	del.Change.Before = obj(3, []any{}, []any{})
	p := planJSON{ResourceChanges: []plannedChange{rc, del}}
	if got := plannedAttrs(p); len(got) != 2 || !slices.Equal(got[1], []string{"enabled_sub_realms"}) || got[3] != nil {
		t.Fatalf("plannedAttrs = %v", got)
	}

	a := func(realms, shown, enabled []int64) attrs {
		return attrs{Name: "A", Currency: "USD", Country: "US", Realms: realms, Shown: shown, Enabled: enabled}
	}
	// The portal showed 340 after the plan.
	before := map[int64]attrs{1: a([]int64{2}, []int64{301, 313, 340}, []int64{}), 2: a([]int64{2}, []int64{}, []int64{}), 3: a([]int64{2}, []int64{}, []int64{})}
	kept := map[int64]attrs{1: a([]int64{2}, []int64{301, 313, 340}, []int64{313}), 2: before[2], 3: a([]int64{5}, []int64{}, []int64{})}
	if got := unplannedChanges(p, before, kept, nil); len(got) != 0 {
		t.Fatalf("an apply that kept the portal's change: %v", got)
	}
	reverted := map[int64]attrs{1: a([]int64{2}, []int64{301, 313}, []int64{313}), 2: before[2]}
	got := unplannedChanges(p, before, reverted, nil)
	if len(got) != 1 || !strings.Contains(got[0], "customer 1: shown_sub_realms went from [301 313 340] to [301 313], but the plan did not show shown_sub_realms changing (it changed enabled_sub_realms)") {
		t.Fatalf("an apply that reverted the portal's change: %v", got)
	}
	// A customer the plan leaves alone changes: a violation; realm 1 added by
	// an API that adds it to every write: not the apply's doing.
	touched := map[int64]attrs{1: kept[1], 2: a([]int64{1, 2}, []int64{}, []int64{})}
	if got := unplannedChanges(p, before, touched, nil); len(got) != 1 || !strings.Contains(got[0], "customer 2: realms") {
		t.Fatalf("a customer outside the plan changed: %v", got)
	}
	if got := unplannedChanges(p, before, touched, []int64{1}); len(got) != 0 {
		t.Fatalf("the implicit realm: %v", got)
	}
}

func TestBudgetUnderThrottling(t *testing.T) {
	req := func(route string, status int, fault string) emulator.Request {
		return emulator.Request{Route: route, Status: status, Fault: fault}
	}
	// A plan of 8 customers whose list was answered 429 and then fanned out.
	reqs := []emulator.Request{req("POST /api/oauth2/access-token", 200, ""), req("GET /api/customers", 429, emulator.FaultInjected)}
	for range 8 {
		reqs = append(reqs, req("GET /api/customers/{id}", 200, ""))
	}
	b := budget{reads: 8, apiCount: 8, walks: 1}
	if p := b.check(reqs, faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("before issue 22 a throttled list excuses the fan-out: %v", p)
	}
	b.strictThrottle = true
	if p := b.check(reqs, faultState{}, time.Second); len(p) != 1 || !strings.Contains(p[0], "8 × GET /api/customers/{id}, at most 5") {
		t.Fatalf("a throttled list must not fan out: %v", p)
	}
	// Waiting and retrying the list is within budget; a list that failed
	// (5xx) still leaves every read to its own GET.
	retried := append(slices.Clone(reqs[:2]), req("GET /api/customers", 429, emulator.FaultThrottled))
	for range 5 {
		retried = append(retried, req("GET /api/customers/{id}", 200, ""))
	}
	retried = append(retried, req("GET /api/customers", 200, ""))
	if p := b.check(retried, faultState{}, 3*time.Second); len(p) != 0 {
		t.Fatalf("a retried list: %v", p)
	}
	failed := slices.Clone(reqs)
	failed[1] = req("GET /api/customers", 503, emulator.FaultFailed)
	if p := b.check(failed, faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("a failed list: %v", p)
	}
	// A lost create costs one list read (and may be sent again); a plan that
	// creates may read the list for the duplicate guard.
	lost := []emulator.Request{req("POST /api/oauth2/access-token", 200, ""), req("POST /api/customers", 0, emulator.FaultInjected),
		req("GET /api/customers", 200, ""), req("POST /api/customers", 201, "")}
	if p := (budget{apiCount: 3, walks: 1, lostCreates: 1}).check(lost, faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("a lost create: %v", p)
	}
	guard := []emulator.Request{req("POST /api/oauth2/access-token", 200, ""), req("GET /api/customers", 200, "")}
	if p := (budget{apiCount: 3, walks: 1}).check(guard, faultState{}, time.Second); len(p) != 1 {
		t.Fatalf("a list read in a plan that creates nothing: %v", p)
	}
	if p := (budget{apiCount: 3, walks: 1, planCreates: 1}).check(guard, faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("the duplicate guard's list read: %v", p)
	}
}

func TestLifecycleArguments(t *testing.T) {
	a := spec{Name: "A", Currency: "USD", Country: "US", Realms: []int64{2}, Shown: []int64{}, Enabled: []int64{}}
	st := map[string]instance{"a": {Key: "a", ID: 1, Attrs: specAttrs(a), Lifecycle: lifecycle{Policy: "DELETE"}}}
	api := map[int64]attrs{1: specAttrs(a)}
	if got := expectPlan(fleetOf(map[string]spec{"a": a}), st, api); len(got) != 0 {
		t.Fatalf("the defaults: %v", got)
	}
	abandon := a.clone()
	abandon.DeletionPolicy = "ABANDON"
	got := expectPlan(fleetOf(map[string]spec{"a": abandon}), st, api)
	if got["a"].String() != "update of deletion_policy" {
		t.Fatalf("deletion_policy ABANDON: %v", got)
	}
	var b budget
	b.addWrites(got)
	if b.updates != 0 {
		t.Fatalf("an update of deletion_policy alone sends nothing, budget %+v", b)
	}
	if d := lifecycleFromJSON(map[string]any{}).diff(lifecycle{Policy: "DELETE"}); len(d) != 0 {
		t.Fatalf("no deletion_policy in state is DELETE: %v", d)
	}
	if d := lifecycleFromJSON(map[string]any{deletionPolicyAttr: "ABANDON", allowDuplicateAttr: true}).diff(lifecycle{}); len(d) != 2 {
		t.Fatalf("ABANDON and a duplicate allowed: %v", d)
	}
	// The configuration passes the arguments only to a provider that has them.
	c := fleetOf(map[string]spec{"a": abandon})
	if strings.Contains(c.files()["main.tf"], deletionPolicyAttr+" =") {
		t.Fatal("deletion_policy passed to a provider without it")
	}
	c.Caps = capabilities{deletionPolicy: true, allowDuplicate: true}
	tf := c.files()["main.tf"]
	if !strings.Contains(tf, deletionPolicyAttr+" = each.value.deletion_policy") || !strings.Contains(tf, allowDuplicateAttr+" = each.value.allow_duplicate_name") {
		t.Fatalf("main.tf:\n%s", tf)
	}
	if !strings.Contains(c.files()["terraform.tfvars.json"], `"deletion_policy": "ABANDON"`) {
		t.Fatal("tfvars lacks deletion_policy")
	}
}

// testHarness is a harness without a CLI: an emulator, a working directory
// and a model, for the steps' pure parts.
func testHarness(t *testing.T, fleet map[string]spec) *harness {
	return &harness{emu: emulator.New(emulator.Options{Seed: 1}), dir: t.TempDir(), model: fleetOf(fleet),
		byHarness: map[int64]bool{}, abandoned: map[int64]bool{}, dirty: map[int64]bool{}}
}

func TestResolveNameConflicts(t *testing.T) {
	a := spec{Name: "Taken", Currency: "USD", Country: "US", Realms: []int64{2}, Shown: []int64{}, Enabled: []int64{}}
	b := a.clone()
	b.Name = "Lost"
	c := a.clone()
	c.Name, c.AllowDuplicate = "Allowed", true
	h := testHarness(t, map[string]spec{"a": a, "b": b, "c": c})
	for _, name := range []string{"Taken", "Lost", "Allowed"} {
		cust, err := h.emu.CreateCustomer(emulator.CustomerInput{Name: name, CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2}})
		if err != nil {
			t.Fatal(err)
		}
		// "Lost" is Terraform's own (a lost create): the orphan check's, not renamed.
		h.byHarness[cust.ID] = name != "Lost"
	}
	if err := h.resolveNameConflicts(); err != nil {
		t.Fatal(err)
	}
	if got := h.model.Fleet["a"].Name; got != "Soak a n1" {
		t.Errorf("a customer named like a portal customer: %q, want a fresh name", got)
	}
	if h.model.Fleet["b"].Name != "Lost" || h.model.Fleet["c"].Name != "Allowed" {
		t.Errorf("renamed what it must not: %+v", h.model.Fleet)
	}
	if vars, _ := os.ReadFile(h.dir + "/terraform.tfvars.json"); !strings.Contains(string(vars), "Soak a n1") {
		t.Errorf("the configuration was not written:\n%s", vars)
	}
}

func TestPortalChangeUnplanned(t *testing.T) {
	h := testHarness(t, map[string]spec{})
	cust, err := h.emu.CreateCustomer(emulator.CustomerInput{Name: "A", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2},
		ShownSubRealms: []int64{301, 313}, EnabledSubRealms: []int64{301}})
	if err != nil {
		t.Fatal(err)
	}
	held := apiAttrs(cust)
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		// The plan enables 313: the portal changes shown, and enabled stays.
		after := held
		after.Enabled = []int64{301, 313}
		if err := h.portalChangeUnplanned(r, "a", cust.ID, []string{"enabled_sub_realms"}, after); err != nil {
			t.Fatal(err)
		}
		now, _ := h.emu.Customer(cust.ID)
		got := apiAttrs(now)
		if d := held.diff(got); !slices.Equal(d, []string{"shown_sub_realms"}) {
			t.Fatalf("seed %d: the plan changes enabled, the portal changed %v (%+v)", seed, d, got)
		}
		// The plan shows 340: the portal changes enabled, and shown stays.
		held = got
		after = held
		after.Shown = append(slices.Clone(held.Shown), 340)
		if err := h.portalChangeUnplanned(r, "a", cust.ID, []string{"shown_sub_realms"}, after); err != nil {
			t.Fatal(err)
		}
		now, _ = h.emu.Customer(cust.ID)
		if d := held.diff(apiAttrs(now)); !slices.Equal(d, []string{"enabled_sub_realms"}) {
			t.Fatalf("seed %d: the plan changes shown, the portal changed %v", seed, d)
		}
		held = apiAttrs(now)
	}
}

func TestBudgetCatalogues(t *testing.T) {
	req := func(route string) emulator.Request { return emulator.Request{Route: route, Status: 200} }
	reqs := []emulator.Request{req("POST /api/oauth2/access-token"), req("GET /api/customers/{id}"), req("GET /api/realms"), req("GET /api/sub-realms")}
	// A plan that changes only names reads no catalogue.
	b := budget{reads: 1, apiCount: 1, walks: 1}
	b.plans(map[string]change{"a": {Action: "update", Attrs: []string{"name"}}})
	if p := b.check(reqs, faultState{}, time.Second); len(p) != 2 {
		t.Fatalf("catalogue reads in a plan that changes a name: %v", p)
	}
	// One that changes realms reads the realm catalogue, once per process.
	b = budget{reads: 1, apiCount: 1, walks: 1}
	b.plans(map[string]change{"a": {Action: "update", Attrs: []string{"realms"}}})
	if p := b.check(reqs, faultState{}, time.Second); len(p) != 1 || !strings.Contains(p[0], "GET /api/sub-realms") {
		t.Fatalf("a plan that changes realms: %v", p)
	}
	// A create may read both.
	b = budget{reads: 1, apiCount: 1, walks: 1}
	b.addWrites(map[string]change{"b": {Action: "create"}})
	if p := b.check(append(reqs, req("POST /api/customers")), faultState{}, time.Second); len(p) != 0 {
		t.Fatalf("a create: %v", p)
	}
	if p := b.check(append(reqs, req("GET /api/realms")), faultState{}, time.Second); len(p) != 1 {
		t.Fatalf("a second read of the realm catalogue in one process: %v", p)
	}
	// Paginated, a catalogue read is all its pages.
	if p := b.check(append(reqs, req("GET /api/realms"), req("POST /api/customers")), faultState{Pages: true}, time.Second); len(p) != 0 {
		t.Fatalf("a paginated catalogue: %v", p)
	}
}
