package provider

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// A write's answer never makes Terraform blame the provider: when CloudLX
// answers a create or an update with values other than the planned ones,
// state keeps the plan, a warning names the attribute, and the next plan shows
// the difference. These tests run the CLI directly (internal/clitest), because
// terraform-plugin-testing neither shows warnings nor lets a test act between
// `plan -out` and `apply planfile`.

// inconsistentResult is Terraform's text for a state that contradicts the plan.
var inconsistentResult = regexp.MustCompile(`(?i)inconsistent result|bug in the provider|tainted`)

// customerInstance is the cloudlx_customer.test instance of a local state file.
type customerInstance struct {
	Status     string `json:"status"` // "tainted" after a failed create
	Attributes struct {
		ID               int64   `json:"id"`
		Name             string  `json:"name"`
		Realms           []int64 `json:"realms"`
		ShownSubRealms   []int64 `json:"shown_sub_realms"`
		EnabledSubRealms []int64 `json:"enabled_sub_realms"`
		RealmDetails     []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"realm_details"`
		SubRealmDetails []struct {
			ID int64 `json:"id"`
		} `json:"sub_realm_details"`
	} `json:"attributes"`
}

func readCustomerInstance(t *testing.T, run *clitest.Workdir) customerInstance {
	t.Helper()
	var state struct {
		Resources []struct {
			Type      string             `json:"type"`
			Instances []customerInstance `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(run.ReadFile("terraform.tfstate")), &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Resources {
		if r.Type == "cloudlx_customer" && len(r.Instances) == 1 {
			inst := r.Instances[0]
			for _, s := range [][]int64{inst.Attributes.Realms, inst.Attributes.ShownSubRealms, inst.Attributes.EnabledSubRealms} {
				slices.Sort(s)
			}
			return inst
		}
	}
	t.Fatalf("no cloudlx_customer instance in state:\n%s", run.ReadFile("terraform.tfstate"))
	return customerInstance{}
}

// expectWarning fails unless the output (with Terraform's line wrapping and
// box drawing undone) contains every one of want: a warning's summary and
// parts of its detail.
func expectWarning(t *testing.T, res clitest.Result, want ...string) {
	t.Helper()
	out := oneLine(res.Combined())
	for _, w := range want {
		if !strings.Contains(out, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the output lacks %q:\n%s", w, res)
		}
	}
}

func expectSettled(t *testing.T, res clitest.Result) {
	t.Helper()
	if res.ExitCode != 0 || inconsistentResult.MatchString(res.Combined()) {
		t.Fatalf("the apply did not succeed cleanly:\n%s", res)
	}
}

const writeAnswerCustomer = `
  name               = "Acme Ltd"
  currency_iso       = "USD"
  country_iso        = "US"
  realms             = [2]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]
`

// A saved plan, as a GitOps pipeline applies it: planned, then the customer is
// renamed in the portal, then the plan file is applied. The PATCH sends only
// what the plan changes; the answer's new name stays out of state (the plan
// said "Acme Ltd") with a warning, and the next plan offers to restore it.
func TestAccCustomer_savedPlanAfterPortalChangeToUntouchedAttribute(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", env.customerConfig(writeAnswerCustomer))
	run.MustRun("apply", "-auto-approve", "-no-color")
	id := env.currentID()

	run.WriteFile("main.tf", env.customerConfig(strings.Replace(writeAnswerCustomer, "[2]", "[2, 7]", 1)))
	run.MustRun("plan", "-out=tfplan", "-no-color")
	if _, err := env.emu.UpdateCustomer(id, func(in *emulator.CustomerInput) { in.Name = "Renamed in the portal" }); err != nil {
		t.Fatal(err)
	}
	env.emu.ResetRequests()
	res := run.Run("apply", "-no-color", "tfplan")
	expectSettled(t, res)
	expectWarning(t, res, `CloudLX holds a different name than planned`,
		`Terraform planned name = "Acme Ltd" and this apply did not change it, but CloudLX answered with name = "Renamed in the portal"`,
		`saved plan`, `-refresh=false`)
	if got := env.writes(); !slices.Equal(got, []string{`PATCH /api/customers/{id} {"realms":[2,7]}`}) {
		t.Errorf("the apply sent %q; want only the PATCH of realms", got)
	}
	// The apply checks the changed realms against the catalogue again.
	if got := routes(env.apiRequests("")); got != "GET /api/realms, PATCH /api/customers/{id}" {
		t.Errorf("the apply of a saved plan sent %s", got)
	}
	inst := readCustomerInstance(t, run)
	if inst.Status != "" || inst.Attributes.ID != id || inst.Attributes.Name != "Acme Ltd" || !slices.Equal(inst.Attributes.Realms, []int64{2, 7}) ||
		len(inst.Attributes.RealmDetails) != 2 {
		t.Errorf("state: %+v", inst)
	}
	if c := onlyCustomer(t, env.emu); c.Name != "Renamed in the portal" || len(c.Realms) != 2 {
		t.Errorf("CloudLX holds %+v", c)
	}

	// The next plan reads CloudLX and shows the portal's name as drift.
	plan := run.Run("plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 2 || !strings.Contains(plan.Stdout, `~ name `) || !strings.Contains(plan.Stdout, `"Renamed in the portal" -> "Acme Ltd"`) ||
		!strings.Contains(plan.Stdout, "1 to change, 0 to destroy") {
		t.Errorf("the next plan does not show the drift:\n%s", plan)
	}
}

// apply -refresh=false plans from state as it was: a sub-realm shown in the
// portal since is not in the plan. The PATCH sends the name only; the answer's
// sub-realms stay out of state with a warning, and the next plan shows them.
func TestAccCustomer_applyWithoutRefreshAfterPortalChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", env.customerConfig(writeAnswerCustomer))
	run.MustRun("apply", "-auto-approve", "-no-color")
	id := env.currentID()

	if _, err := env.emu.UpdateCustomer(id, func(in *emulator.CustomerInput) { in.ShownSubRealms = []int64{313, 328, 340} }); err != nil {
		t.Fatal(err)
	}
	env.emu.ResetRequests()
	run.WriteFile("main.tf", env.customerConfig(strings.Replace(writeAnswerCustomer, `"Acme Ltd"`, `"Acme Renamed"`, 1)))
	res := run.Run("apply", "-refresh=false", "-auto-approve", "-no-color")
	expectSettled(t, res)
	expectWarning(t, res, `CloudLX holds a different shown_sub_realms than planned`,
		`Terraform planned shown_sub_realms = [313, 328] and this apply did not change it, but CloudLX answered with shown_sub_realms = [313, 328, 340]`)
	if strings.Contains(res.Combined(), "sub_realm_details differently") {
		t.Errorf("a second warning for the details of the same change:\n%s", res)
	}
	if got := env.writes(); !slices.Equal(got, []string{`PATCH /api/customers/{id} {"name":"Acme Renamed"}`}) {
		t.Errorf("the apply sent %q; want only the PATCH of the name", got)
	}
	if got := routes(env.apiRequests("")); got != "PATCH /api/customers/{id}" {
		t.Errorf("apply -refresh=false sent %s", got)
	}
	inst := readCustomerInstance(t, run)
	if inst.Attributes.Name != "Acme Renamed" || !slices.Equal(inst.Attributes.ShownSubRealms, []int64{313, 328}) ||
		len(inst.Attributes.SubRealmDetails) != 2 {
		t.Errorf("state: %+v", inst)
	}
	if c := onlyCustomer(t, env.emu); c.Name != "Acme Renamed" || len(c.SubRealms) != 3 {
		t.Errorf("CloudLX holds %+v", c)
	}

	plan := run.Run("plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 2 || !strings.Contains(plan.Stdout, "shown_sub_realms") || !strings.Contains(plan.Stdout, "- 340") {
		t.Errorf("the next plan does not show the drift:\n%s", plan)
	}
}

// An API that adds realm 1 ("Default") to every customer answers the create of
// realms = [2] with realms 1 and 2. The create succeeds: nothing tainted,
// nothing replaced, one customer; state keeps realms = [2] (the details say
// what CloudLX holds), the warning says to add 1 to realms, and the next plan
// is an in-place update, not a replacement.
func TestAccCustomer_createAnsweredWithAnImplicitRealm(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ImplicitRealms: []int64{1}})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", env.customerConfig(writeAnswerCustomer))
	res := run.Run("apply", "-auto-approve", "-no-color")
	expectSettled(t, res)
	expectWarning(t, res, `CloudLX holds a different realms than planned`,
		`Terraform planned realms = [2] and this apply sent it, but CloudLX answered with realms = [1, 2]`,
		`CloudLX added 1 ("Default")`, `add 1 to realms in the configuration`)
	// The plan and the apply each check the ids against the catalogues and
	// the name against the customer list, then the POST.
	if got := routes(env.apiRequests("")); got != createPlanReads+", "+createPlanReads+", POST /api/customers" {
		t.Errorf("the create sent %s", got)
	}
	c := onlyCustomer(t, env.emu)
	inst := readCustomerInstance(t, run)
	if inst.Status != "" || inst.Attributes.ID != c.ID || !slices.Equal(inst.Attributes.Realms, []int64{2}) {
		t.Errorf("state: %+v", inst)
	}
	if d := inst.Attributes.RealmDetails; len(d) != 2 || d[0].ID != 1 || d[0].Name != "Default" || d[1].ID != 2 {
		t.Errorf("realm_details %+v, want CloudLX's realms 1 and 2", d)
	}

	env.emu.ResetRequests()
	plan := run.Run("plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 2 || !strings.Contains(plan.Stdout, "update in-place") || strings.Contains(plan.Stdout, "replace") ||
		!strings.Contains(plan.Stdout, "- 1") {
		t.Errorf("the next plan does not show realm 1 as drift to update in place:\n%s", plan)
	}

	// With 1 added to realms, as the warning says, there is nothing to change.
	env.emu.ResetRequests()
	run.WriteFile("main.tf", env.customerConfig(strings.Replace(writeAnswerCustomer, "[2]", "[1, 2]", 1)))
	res = run.Run("apply", "-auto-approve", "-no-color")
	expectSettled(t, res)
	if !strings.Contains(res.Stdout, "No changes.") || strings.Contains(res.Combined(), "CloudLX holds") {
		t.Errorf("the apply with realm 1 configured:\n%s", res)
	}
	if got := env.writes(); len(got) != 0 {
		t.Errorf("the apply sent %q", got)
	}
	if n := len(env.emu.Customers()); n != 1 {
		t.Errorf("%d customers in CloudLX, want 1", n)
	}
}
