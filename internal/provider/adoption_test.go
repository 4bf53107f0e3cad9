package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// The adoption tests play a reseller who brings every customer made in the
// portal under Terraform, with the real CLIs and the examples under
// examples/adoption exactly as a user copies them. terraform-plugin-testing
// cannot run these flows (`plan -generate-config-out`, import blocks with
// for_each under OpenTofu), so they drive the CLI through internal/clitest.
//
// Each asserts that adoption sends no create, update or delete request, that
// state then holds every customer with the values CloudLX has, that the next
// plan is empty, and that a change made in the portal afterwards shows as
// drift (the configuration holds literal values, not a copy of CloudLX; for
// route 1 only once the customers are frozen, which the test shows too). Run
// with -v to see the requests and wall time of each route.

const adoptedCustomers = 50

// Route 1: one apply with import blocks that use for_each (Terraform 1.7+,
// OpenTofu 1.7+), then the customers frozen into customers.auto.tfvars.json.
func TestAccAdoption_importForEach(t *testing.T) {
	requireAcc(t)
	t.Run("OpenTofu", func(t *testing.T) {
		t.Parallel()
		testImportForEach(t, clitest.OpenTofu(t))
	})
	t.Run("Terraform", func(t *testing.T) {
		t.Parallel()
		cli := clitest.Terraform(t)
		if !cli.AtLeast("1.7") {
			t.Skipf("%s has no for_each in import blocks (Terraform 1.7+); set TF_ACC_TERRAFORM_PATH to a newer one", cli)
		}
		testImportForEach(t, cli)
	})
}

// Route 2: import blocks from the data source's output, resource blocks from
// `plan -generate-config-out`, with no hand edits. Terraform 1.5 is the
// version whose generator crashes on computed-only nested attributes.
func TestAccAdoption_generateConfig(t *testing.T) {
	requireAcc(t)
	t.Run("Terraform_1.5", func(t *testing.T) {
		t.Parallel()
		testGenerateConfig(t, clitest.Terraform157(t))
	})
	t.Run("Terraform", func(t *testing.T) {
		t.Parallel()
		testGenerateConfig(t, clitest.Terraform(t))
	})
	t.Run("OpenTofu", func(t *testing.T) {
		t.Parallel()
		testGenerateConfig(t, clitest.OpenTofu(t))
	})
}

// Route 4: a configuration that already manages customers, in a YAML file of
// its own with realms and sub-realms by name, adds the customers it lacks:
// the example's adoption.tf, its output appended to customers.yaml, one
// apply that imports them. The customers that share a name are left out of
// the import (their entries are deleted, as the guide says); every other one
// is imported under the key the output gave it, with no write.
func TestAccAdoption_existingConfig(t *testing.T) {
	requireAcc(t)
	cli := clitest.Terraform(t)
	if !cli.AtLeast("1.7") {
		t.Skipf("%s has no for_each in import blocks (Terraform 1.7+); set TF_ACC_TERRAFORM_PATH to a newer one", cli)
	}
	a := newAdoption(t, cli)
	a.wd.CopyFiles("../../examples/adoption/existing-config/main.tf")
	a.wd.CopyFiles("../../examples/adoption/existing-config/customers.yaml")

	// The repository as it was: it manages Acme Ltd, which it created.
	a.run("apply", "-auto-approve", "-input=false", "-no-color")
	customers := a.emu.Customers()
	acme := customers[len(customers)-1]
	if acme.Name != "Acme Ltd" || len(customers) != len(a.inCloudLX)+1 {
		t.Fatalf("the configuration's own apply should have created Acme Ltd alone, CloudLX holds %d customers, the last %q", len(customers), acme.Name)
	}
	a.inCloudLX = customers
	a.emu.ResetRequests()

	keys := map[int64]string{acme.ID: "acme"}
	twins := map[int64]bool{}
	nonAlphanumeric := regexp.MustCompile(`[^0-9A-Za-z]+`)
	for _, c := range a.inCloudLX[:len(a.inCloudLX)-1] {
		if c.Name == "Twin Ltd" {
			twins[c.ID] = true
			continue
		}
		keys[c.ID] = strings.Trim(strings.ToLower(nonAlphanumeric.ReplaceAllString(c.Name, "-"))+"-"+fmt.Sprint(c.ID), "-")
	}
	address := func(id int64) string {
		if key, ok := keys[id]; ok {
			return fmt.Sprintf("cloudlx_customer.this[%q]", key)
		}
		return "" // not managed
	}

	a.wd.CopyFiles("../../examples/adoption/existing-config/adoption.tf")
	start := a.phase()
	a.run("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	toAdd := a.run("output", "-raw", "customers_yaml_to_add").Stdout
	kept := withoutYAMLEntries(toAdd, `"twin-ltd-`)
	if strings.Count(toAdd, "Twin Ltd") != 2 || strings.Contains(kept, "Twin Ltd") || strings.Contains(toAdd, "Acme Ltd") {
		t.Fatalf("the YAML to add should hold both Twin Ltd and not Acme Ltd, which is managed:\n%s", toAdd)
	}
	a.wd.WriteFile("customers.yaml", a.wd.ReadFile("customers.yaml")+kept)
	apply := a.run("apply", "-auto-approve", "-input=false", "-no-color")
	a.report("adoption (apply -refresh-only, output, apply)", start)
	a.expectApplied(apply, adoptedCustomers-len(twins), 0)
	a.expectState(address)
	a.expectEmptyPlan("after adoption")

	// The output is down to what is left to adopt: the twins.
	left := a.run("output", "-raw", "customers_yaml_to_add").Stdout
	if strings.Count(left, "Twin Ltd") != 2 || strings.Contains(left, "Portal Customer") {
		t.Errorf("after the adoption, the output should list the twins alone:\n%s", left)
	}
	a.expectDriftShown(address)
	a.expectNoWrites()
}

// withoutYAMLEntries drops from yamlencode's output the top-level entries
// whose key starts with prefix.
func withoutYAMLEntries(doc, prefix string) string {
	var out strings.Builder
	skip := false
	for line := range strings.Lines(doc) {
		if !strings.HasPrefix(line, " ") {
			skip = strings.HasPrefix(line, prefix)
		}
		if !skip {
			out.WriteString(line)
		}
	}
	return out.String()
}

func testImportForEach(t *testing.T, cli clitest.CLI) {
	a := newAdoption(t, cli)
	a.wd.CopyFiles("../../examples/adoption/import-for-each/*.tf")
	address := func(id int64) string { return fmt.Sprintf("cloudlx_customer.this[%q]", fmt.Sprint(id)) }

	start := a.phase()
	apply := a.run("apply", "-auto-approve", "-input=false", "-no-color")
	a.report("adoption (apply)", start)
	a.expectApplied(apply, adoptedCustomers, 0)
	a.expectState(address)
	a.expectEmptyPlan("after adoption")
	a.expectDriftHidden()

	// Freeze (the example's step 2): from now on the configuration holds
	// literal values instead of copying CloudLX.
	frozen := a.run("output", "-json", "adopted_customers").Stdout
	a.wd.WriteFile("customers.auto.tfvars.json", frozen)
	// The example's step 3: the output shrinks to what is left to adopt
	// (nothing); from then on an apply prints no customer.
	a.run("apply", "-auto-approve", "-input=false", "-no-color")
	a.expectEmptyPlan("after freezing")
	apply = a.run("apply", "-auto-approve", "-input=false", "-no-color")
	if _, outputs, _ := strings.Cut(apply.Stdout, "\nOutputs:"); strings.Contains(outputs, a.inCloudLX[0].Name) {
		t.Errorf("an apply after freezing prints the adopted customers in its outputs:\n%s", outputs)
	}

	// The example's upkeep, in one apply: a customer made in the portal since
	// is adopted by copying its entry from the output (refreshed first), and
	// admin_user set on an adopted customer is an update that sends nothing,
	// with a warning.
	newcomer := a.createInPortal("Made in the portal after adoption")
	a.run("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	inOutput := decodeTfvars(t, a.run("output", "-json", "adopted_customers").Stdout)
	customers := decodeTfvars(t, frozen)
	entry, ok := inOutput[fmt.Sprint(newcomer.ID)]
	if !ok {
		t.Fatalf("the refreshed adopted_customers output lacks the customer made in the portal since (id %d)", newcomer.ID)
	}
	customers[fmt.Sprint(newcomer.ID)] = entry
	first := a.inCloudLX[0].ID
	customers[fmt.Sprint(first)]["admin_user"] = map[string]any{"email": "ops@example.com", "first_name": "Jane", "last_name": "Doe"}
	a.adminUsers[first] = "ops@example.com"
	edited, err := json.MarshalIndent(map[string]any{"customers": customers}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	a.wd.WriteFile("customers.auto.tfvars.json", string(edited))
	apply = a.run("apply", "-auto-approve", "-input=false", "-no-color")
	a.expectApplied(apply, 1, 1)
	if !strings.Contains(apply.Stdout+apply.Stderr, "admin_user only applies when the customer is created") {
		t.Errorf("setting admin_user on an adopted customer did not warn; the apply ended:\n%s", lastLines(apply.Stdout, 30))
	}
	a.expectState(address)
	a.expectEmptyPlan("after adopting a newcomer and setting admin_user")

	a.expectDriftShown(address)
	a.expectNoWrites()
}

func testGenerateConfig(t *testing.T, cli clitest.CLI) {
	a := newAdoption(t, cli)
	a.wd.CopyFiles("../../examples/adoption/generate-config/*.tf")
	address := func(id int64) string { return fmt.Sprintf("cloudlx_customer.customer_%d", id) }

	start := a.phase()
	a.run("apply", "-auto-approve", "-input=false", "-no-color") // reads the list, saves the output
	a.wd.WriteFile("imports.tf", a.run("output", "-raw", "import_blocks").Stdout)
	a.run("plan", "-generate-config-out=generated.tf", "-input=false", "-no-color")
	a.expectGeneratedBlocks()
	apply := a.run("apply", "-auto-approve", "-input=false", "-no-color")
	a.report("adoption (apply, output, plan -generate-config-out, apply)", start)
	a.expectApplied(apply, adoptedCustomers, 0)
	a.expectState(address)
	a.expectEmptyPlan("after adoption")
	a.expectDriftShown(address)
	a.expectNoWrites()
}

// decodeTfvars returns the customers of the example's customers.auto.tfvars.json.
func decodeTfvars(t *testing.T, content string) map[string]map[string]any {
	t.Helper()
	var tfvars struct {
		Customers map[string]map[string]any `json:"customers"`
	}
	if err := json.Unmarshal([]byte(content), &tfvars); err != nil || tfvars.Customers == nil {
		t.Fatalf("decoding %q: %v", content, err)
	}
	return tfvars.Customers
}

// adoption is one emulator seeded with customers "made in the portal", and a
// working directory for the CLI that adopts them.
type adoption struct {
	t   *testing.T
	cli clitest.CLI
	emu *emulator.Server
	wd  *clitest.Workdir
	// inCloudLX is what CloudLX must hold: the customers as the test made
	// them, directly in the emulator. Terraform must never change them.
	inCloudLX []emulator.Customer
	// adminUsers are the admin_user emails the configuration sets, by id.
	adminUsers map[int64]string
	elapsed    time.Duration // wall time of the CLI commands so far
}

func newAdoption(t *testing.T, cli clitest.CLI) *adoption {
	t.Helper()
	env := newTestEnv(t, emulator.Options{})
	emu := env.emu
	seedPortalCustomers(t, emu, adoptedCustomers)
	wd := clitest.NewWorkdir(t, cli, map[string]string{
		envEndpoint:     env.url,
		envClientID:     emulator.DefaultClientID,
		envClientSecret: emulator.DefaultClientSecret,
	})
	return &adoption{t: t, cli: cli, emu: emu, wd: wd, inCloudLX: emu.Customers(), adminUsers: map[int64]string{}}
}

// createInPortal makes one more customer directly in the emulator.
func (a *adoption) createInPortal(name string) emulator.Customer {
	a.t.Helper()
	c, err := a.emu.CreateCustomer(emulator.CustomerInput{Name: name, CurrencyISO: "EUR", CountryISO: "FR", Realms: []int64{2}})
	if err != nil {
		a.t.Fatal(err)
	}
	a.inCloudLX = append(a.inCloudLX, c)
	return c
}

// seedPortalCustomers creates n customers directly in the emulator, as the
// portal would (no request is logged). The mix is deterministic, so a
// failure reproduces: one to five realms, sub-realm sets that are empty,
// shown but none enabled, partly and fully enabled, names HCL must escape
// (quotes, backslashes, ${ and %{ sequences), non-ASCII names and a name that
// two customers share.
func seedPortalCustomers(t *testing.T, emu *emulator.Server, n int) {
	t.Helper()
	realms := idsOf(emulator.Realms(), func(r emulator.Realm) int64 { return r.ID })
	subRealms := idsOf(emulator.SubRealms(), func(s emulator.SubRealm) int64 { return s.ID })
	currencies := []string{"USD", "EUR", "GBP", "CHF", "JPY", "AUD", "CAD", "SEK", "ZAR"}
	countries := []string{"US", "DE", "GB", "CH", "JP", "AU", "CA", "SE", "ZA", "IE", "NL"}
	names := map[int]string{
		3:  `Acme "Quoted" Ltd`,
		7:  "Dollar ${var.not_a_reference} GmbH",
		11: "Percent %{ if true }x%{ endif } AG",
		13: `Back\slash & Sons`,
		17: "Zoë Ünïcödé Åland Oy",
		19: "Twin Ltd",
		23: "Twin Ltd",
		29: "株式会社 クラウド",
	}
	for i := range n {
		name, ok := names[i]
		if !ok {
			name = fmt.Sprintf("Portal Customer %02d", i)
		}
		var shown, enabled []int64
		if i%4 != 0 { // every fourth customer sees no sub-realm at all
			shown = subsetOf(subRealms, i*13)
			switch i % 3 {
			case 1:
				enabled = shown
			case 2:
				enabled = intersect(shown, subsetOf(subRealms, i*7))
			}
		}
		_, err := emu.CreateCustomer(emulator.CustomerInput{
			Name:             name,
			CurrencyISO:      currencies[i%len(currencies)],
			CountryISO:       countries[i%len(countries)],
			Realms:           subsetOf(realms, 1+i%(1<<len(realms)-1)), // never empty
			ShownSubRealms:   shown,
			EnabledSubRealms: enabled,
		})
		if err != nil {
			t.Fatalf("seeding customer %d: %v", i, err)
		}
	}
}

func idsOf[T any](items []T, id func(T) int64) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// subsetOf picks the ids whose bit is set in mask (bit 0 is ids[0]).
func subsetOf(ids []int64, mask int) []int64 {
	out := []int64{}
	for i, id := range ids {
		if mask&(1<<i) != 0 {
			out = append(out, id)
		}
	}
	return out
}

func intersect(a, b []int64) []int64 {
	out := []int64{}
	for _, id := range a {
		if slices.Contains(b, id) {
			out = append(out, id)
		}
	}
	return out
}

// run runs a command that must succeed.
func (a *adoption) run(args ...string) clitest.Result {
	a.t.Helper()
	res := a.wd.MustRun(args...)
	a.elapsed += res.Duration
	return res
}

// phaseStart marks where a phase begins: in the request log and in time.
type phaseStart struct {
	requests int
	elapsed  time.Duration
}

func (a *adoption) phase() phaseStart {
	return phaseStart{requests: len(a.emu.Requests()), elapsed: a.elapsed}
}

// report logs the requests and the CLI wall time since start.
func (a *adoption) report(what string, start phaseStart) {
	a.t.Helper()
	counts := map[string]int{}
	for _, r := range a.emu.Requests()[start.requests:] {
		counts[r.Route]++
	}
	var parts []string
	for _, route := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d %s", counts[route], route))
	}
	a.t.Logf("%s, %d customers, %s: %s wall time; requests: %s", a.cli, len(a.inCloudLX), what,
		(a.elapsed - start.elapsed).Round(time.Millisecond), strings.Join(parts, ", "))
}

// expectNoWrites fails if any request so far could have changed CloudLX
// (anything but a GET or a token request), or if CloudLX holds anything but
// what the test itself made there.
func (a *adoption) expectNoWrites() {
	a.t.Helper()
	for _, r := range a.emu.Requests() {
		if r.Method != "GET" && !strings.HasPrefix(r.Route, "POST /api/oauth2/") {
			a.t.Errorf("adoption sent %s %s %s", r.Method, r.Path, r.Body)
		}
	}
	if got := a.emu.Customers(); !reflect.DeepEqual(got, a.inCloudLX) {
		a.t.Errorf("the customers in CloudLX changed during adoption")
	}
}

// expectApplied checks an apply's summary: exactly imported imports and
// changed in-place updates, no creates or destroys. (expectNoWrites checks
// that the updates sent nothing.)
func (a *adoption) expectApplied(apply clitest.Result, imported, changed int) {
	a.t.Helper()
	want := fmt.Sprintf("Resources: %d imported, 0 added, %d changed, 0 destroyed.", imported, changed)
	if !strings.Contains(apply.Stdout, want) {
		a.t.Errorf("the apply did not end with %q:\n%s", want, lastLines(apply.Stdout, 15))
	}
}

// expectGeneratedBlocks checks that the generator wrote one block per customer.
func (a *adoption) expectGeneratedBlocks() {
	a.t.Helper()
	generated := a.wd.ReadFile("generated.tf")
	if n := strings.Count(generated, "\nresource \"cloudlx_customer\" "); n != adoptedCustomers {
		a.t.Fatalf("generated.tf holds %d cloudlx_customer blocks, want %d:\n%s", n, adoptedCustomers, generated)
	}
}

// stateCustomer is a cloudlx_customer's values in `show -json`.
type stateCustomer struct {
	ID               int64           `json:"id"`
	Name             string          `json:"name"`
	CurrencyISO      string          `json:"currency_iso"`
	CountryISO       string          `json:"country_iso"`
	Realms           []int64         `json:"realms"`
	ShownSubRealms   []int64         `json:"shown_sub_realms"`
	EnabledSubRealms []int64         `json:"enabled_sub_realms"`
	AdminUser        json.RawMessage `json:"admin_user"`
}

// expectState checks that state holds exactly the customers in CloudLX, at
// their addresses (none where address is ""), with CloudLX's values, and
// admin_user only where the configuration sets it.
func (a *adoption) expectState(address func(id int64) string) {
	a.t.Helper()
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string `json:"address"`
					Mode    string `json:"mode"`
					// Decoded for managed resources only: a data source's
					// values (the catalogues') have other shapes.
					Values json.RawMessage `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	a.wd.MustRunJSON(&shown, "show", "-json")
	got := map[string]stateCustomer{}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Mode != "managed" {
			continue
		}
		var c stateCustomer
		if err := json.Unmarshal(r.Values, &c); err != nil {
			a.t.Fatalf("%s in terraform show -json: %v", r.Address, err)
		}
		got[r.Address] = c
	}
	managed := 0
	for _, c := range a.inCloudLX {
		if address(c.ID) != "" {
			managed++
		}
	}
	if len(got) != managed {
		a.t.Errorf("state holds %d managed resources, want %d", len(got), managed)
	}
	for _, c := range a.inCloudLX {
		if address(c.ID) == "" {
			continue // not managed: the count above finds it in state
		}
		s, ok := got[address(c.ID)]
		if !ok {
			a.t.Errorf("state lacks %s", address(c.ID))
			continue
		}
		var user struct{ Email string }
		if err := json.Unmarshal(s.AdminUser, &user); err != nil || user.Email != a.adminUsers[c.ID] {
			a.t.Errorf("%s: admin_user %s, want email %q (null when empty)", address(c.ID), s.AdminUser, a.adminUsers[c.ID])
		}
		s.AdminUser = nil
		for _, set := range [][]int64{s.Realms, s.ShownSubRealms, s.EnabledSubRealms} {
			slices.Sort(set)
		}
		if want := stateCustomerOf(c); !reflect.DeepEqual(s, want) {
			a.t.Errorf("%s in state:\n  got  %+v\n  want %+v", address(c.ID), s, want)
		}
	}
}

func stateCustomerOf(c emulator.Customer) stateCustomer {
	s := stateCustomer{
		ID: c.ID, Name: c.Name, CurrencyISO: c.Currency.ISO3, CountryISO: c.Country.ISO2,
		Realms: []int64{}, ShownSubRealms: []int64{}, EnabledSubRealms: []int64{},
	}
	for _, r := range c.Realms {
		s.Realms = append(s.Realms, r.ID)
	}
	for _, sr := range c.SubRealms {
		s.ShownSubRealms = append(s.ShownSubRealms, sr.ID)
		if sr.HasAccess {
			s.EnabledSubRealms = append(s.EnabledSubRealms, sr.ID)
		}
	}
	return s
}

// expectEmptyPlan runs a plan that must find nothing to do.
func (a *adoption) expectEmptyPlan(when string) {
	a.t.Helper()
	start := a.phase()
	res := a.wd.Run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	a.elapsed += res.Duration
	if res.ExitCode != 0 {
		a.t.Fatalf("the plan %s is not empty: %s", when, res)
	}
	a.report("plan "+when, start)
}

// expectDriftShown renames a customer behind Terraform's back, as someone in
// the portal would, and checks that the plan puts exactly that customer's
// name back.
func (a *adoption) expectDriftShown(address func(id int64) string) {
	a.t.Helper()
	target := a.inCloudLX[len(a.inCloudLX)/2]
	changes := a.planAfterPortalRename(target.ID)
	want := fmt.Sprintf("%s [update] name=%q", address(target.ID), target.Name)
	if len(changes) != 1 || changes[0] != want {
		a.t.Errorf("the plan after a change in the portal:\n  got  %q\n  want [%q]", changes, want)
	}
}

// expectDriftHidden shows the trap of a configuration that copies CloudLX:
// after a rename in the portal, the plan changes no resource. The rename is
// then undone, so CloudLX is as it was adopted.
func (a *adoption) expectDriftHidden() {
	a.t.Helper()
	original := a.inCloudLX[1]
	if changes := a.planAfterPortalRename(original.ID); len(changes) != 0 {
		a.t.Errorf("a configuration copying CloudLX planned resource changes after a change in the portal: %q", changes)
	}
	if _, err := a.emu.UpdateCustomer(original.ID, func(in *emulator.CustomerInput) { in.Name = original.Name }); err != nil {
		a.t.Fatal(err)
	}
	a.inCloudLX[1] = original
}

// planAfterPortalRename renames customer id directly in the emulator, then
// plans, and returns the planned resource changes, as "address [actions]
// name=planned name". The plan must exit 2: even when no resource changes, the
// examples' outputs follow CloudLX.
func (a *adoption) planAfterPortalRename(id int64) []string {
	a.t.Helper()
	i := slices.IndexFunc(a.inCloudLX, func(c emulator.Customer) bool { return c.ID == id })
	changed, err := a.emu.UpdateCustomer(id, func(in *emulator.CustomerInput) { in.Name = fmt.Sprintf("Renamed in the portal (%d)", id) })
	if err != nil || i < 0 {
		a.t.Fatalf("renaming customer %d: %v", id, err)
	}
	a.inCloudLX[i] = changed

	res := a.wd.Run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=drift.tfplan")
	a.elapsed += res.Duration
	if res.ExitCode != 2 {
		a.t.Fatalf("the plan after a change in the portal should show a change (exit code 2): %s", res)
	}
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Mode    string `json:"mode"`
			Change  struct {
				Actions []string      `json:"actions"`
				After   stateCustomer `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	a.wd.MustRunJSON(&plan, "show", "-json", "drift.tfplan")
	var changes []string
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == "managed" && !slices.Equal(rc.Change.Actions, []string{"no-op"}) {
			changes = append(changes, fmt.Sprintf("%s %v name=%q", rc.Address, rc.Change.Actions, rc.Change.After.Name))
		}
	}
	return changes
}
