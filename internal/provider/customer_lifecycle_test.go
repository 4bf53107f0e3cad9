package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// The lifecycle rules of customer_lifecycle.go, with the real CLI: what a
// destroy does per deletion_policy (and what its plan says), the
// duplicate-name guard at plan, and a create whose answer was lost.

// lifecycleRun is a CLI working directory against env's emulator.
type lifecycleRun struct {
	t   *testing.T
	env *testEnv
	w   *clitest.Workdir
}

func newLifecycleRun(t *testing.T, env *testEnv, cli clitest.CLI) *lifecycleRun {
	t.Helper()
	requireAcc(t)
	return &lifecycleRun{t: t, env: env, w: clitest.NewWorkdir(t, cli, nil)}
}

// config writes main.tf: the provider and resources.
func (r *lifecycleRun) config(resources string) {
	r.w.WriteFile("main.tf", r.env.providerBlock()+resources)
}

// run runs the CLI (-no-color) and checks its exit code and that its output,
// joined into one line, matches every pattern.
func (r *lifecycleRun) run(wantCode int, args []string, patterns ...string) clitest.Result {
	r.t.Helper()
	res := r.w.Run(append(args, "-no-color")...)
	if res.ExitCode != wantCode {
		r.t.Fatalf("exit code %d, want %d: %s", res.ExitCode, wantCode, res)
	}
	out := oneLine(res.Stdout + res.Stderr)
	for _, p := range patterns {
		if !errorMatching(p).MatchString(out) {
			r.t.Errorf("%s: output lacks %q:\n%s", strings.Join(args, " "), p, res)
		}
	}
	return res
}

// expectRoutes checks the API requests (token requests aside) since the last
// reset, as "METHOD route STATUS", in order, then resets the log.
func (r *lifecycleRun) expectRoutes(what string, want ...string) {
	r.t.Helper()
	var got []string
	for _, req := range r.env.apiRequests("") {
		got = append(got, fmt.Sprintf("%s %d", req.Route, req.Status))
	}
	r.env.emu.ResetRequests()
	if !slices.Equal(got, want) {
		r.t.Errorf("%s sent:\n  %q\nwant\n  %q", what, got, want)
	}
}

// expectState checks the customer ids in state and in the emulator.
func (r *lifecycleRun) expectState(what string, inState []string, inEmulator []string) {
	r.t.Helper()
	if got := stateIDs(r.t, r.w); !slices.Equal(got, inState) {
		r.t.Errorf("%s: state holds %v, want %v", what, got, inState)
	}
	if got := customerIDsInEmulator(r.env.emu); !slices.Equal(got, inEmulator) {
		r.t.Errorf("%s: the emulator holds %v, want %v", what, got, inEmulator)
	}
}

var (
	applyArgs   = []string{"apply", "-auto-approve", "-input=false"}
	destroyArgs = []string{"destroy", "-auto-approve", "-input=false"}
	planArgs    = []string{"plan", "-input=false"}
)

// namedCustomer is a resource block of cloudlx_customer.<label> named name,
// with extra arguments.
func namedCustomer(label, name, extra string) string {
	return fmt.Sprintf(`
resource "cloudlx_customer" %q {
  name         = %q
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2]
  %s
}
`, label, name, extra)
}

// On an API without DELETE, a customer with deletion_policy = "ABANDON" is
// destroyed without a request, and the plan says so first; one with the
// default "DELETE" gets its DELETE, answered 405, and a warning that names
// "ABANDON" as the way to say so in the configuration.
func TestAccLifecycle_abandonAndNoDelete(t *testing.T) {
	env := newTestEnv(t, emulator.Options{DisableDelete: true})
	r := newLifecycleRun(t, env, clitest.Terraform(t))
	r.config(namedCustomer("kept", "Kept Ltd", `deletion_policy = "ABANDON"`) + namedCustomer("deleted", "Deleted Ltd", ""))
	r.run(0, applyArgs)
	kept, deleted := env.customerIDByName("Kept Ltd"), env.customerIDByName("Deleted Ltd")
	all := customerIDsInEmulator(env.emu)
	env.emu.ResetRequests()

	// The plan warns for the abandoned customer only, naming it.
	r.run(0, append(slices.Clone(planArgs), "-destroy"),
		`Warning: Destroying this CloudLX customer leaves it in CloudLX`,
		fmt.Sprintf(`Customer "Kept Ltd" (id %d) has deletion_policy = "ABANDON", so destroying it sends nothing to CloudLX`, kept),
		`Plan: 0 to add, 0 to change, 2 to destroy.`)
	if res := r.run(0, append(slices.Clone(planArgs), "-destroy")); strings.Count(res.Stdout+res.Stderr, "Warning: Destroying this CloudLX customer") != 1 {
		t.Errorf("want one warning, for the customer with deletion_policy ABANDON:\n%s", res)
	}
	env.emu.ResetRequests()

	r.run(0, destroyArgs,
		`Warning: CloudLX customer left in CloudLX`,
		fmt.Sprintf(`Customer "Kept Ltd" (id %d) has deletion_policy = "ABANDON": it was removed from Terraform state only, no request was sent`, kept),
		`Warning: CloudLX customer still exists`,
		fmt.Sprintf(`customer "Deleted Ltd" (id %d) still exists`, deleted),
		`set deletion_policy = "ABANDON" on its resource`)
	// One DELETE, for the customer with DELETE; the refresh reads both.
	var deletes []string
	for _, req := range env.apiRequests("DELETE /api/customers/{id}") {
		deletes = append(deletes, fmt.Sprintf("%s %d", req.Path, req.Status))
	}
	if want := []string{fmt.Sprintf("/api/customers/%d 405", deleted)}; !slices.Equal(deletes, want) {
		t.Errorf("DELETE requests %q, want %q", deletes, want)
	}
	if writes := env.writes(); len(writes) != 1 {
		t.Errorf("writes %q, want the one DELETE", writes)
	}
	r.expectState("after destroy", []string{}, all)
}

// deletion_policy = "PREVENT" fails every plan that would destroy the
// customer, and Delete refuses the destroy half of a -replace, which no plan
// can see; a removed block stops managing it without a destroy. Each step
// sends no write and leaves state as it was.
func TestAccLifecycle_prevent(t *testing.T) {
	t.Run("terraform", func(t *testing.T) { testPrevent(t, clitest.Terraform(t), true) })
	// The oldest Terraform supported: it plans a destroy through the provider too.
	t.Run("terraform 1.5.7", func(t *testing.T) { testPrevent(t, clitest.Terraform157(t), false) })
}

func testPrevent(t *testing.T, cli clitest.CLI, removedBlock bool) {
	env := newTestEnv(t, emulator.Options{})
	r := newLifecycleRun(t, env, cli)
	resourceBlock := namedCustomer("test", "Acme Ltd", `deletion_policy = "PREVENT"`)
	r.config(resourceBlock)
	r.run(0, applyArgs)
	id := fmt.Sprint(env.currentID())
	env.emu.ResetRequests()

	prevented := []string{`Error: CloudLX customer is protected from destroy`,
		fmt.Sprintf(`Customer "Acme Ltd" (id %s) has deletion_policy = "PREVENT" in Terraform state, so Terraform refuses to destroy it`, id),
		`first set deletion_policy = "DELETE"`, `or "ABANDON"`, `and apply that change; then destroy it.`,
		`removed { from = <resource address> lifecycle { destroy = false } }`}
	r.run(1, append(slices.Clone(planArgs), "-destroy"), prevented...)
	r.run(1, destroyArgs, prevented...)
	// Removing the resource block: state still says PREVENT.
	r.config("")
	r.run(1, planArgs, prevented...)
	r.expectState("after the refused destroys", []string{id}, []string{id})
	if writes := env.writes(); len(writes) != 0 {
		t.Errorf("the refused destroys sent %q", writes)
	}

	// -replace: Terraform plans the create half with the private state of
	// the customer's own plan, which names it and its policy.
	r.config(resourceBlock)
	r.run(1, append(slices.Clone(applyArgs), "-replace=cloudlx_customer.test"), prevented[:2]...)
	r.expectState("after the refused -replace", []string{id}, []string{id})
	if writes := env.writes(); len(writes) != 0 {
		t.Errorf("the refused -replace sent %q", writes)
	}

	if removedBlock { // Terraform 1.7 and later
		r.config(`
removed {
  from = cloudlx_customer.test
  lifecycle {
    destroy = false
  }
}
`)
		forgotten := `will no longer be managed by Terraform`
		if cli.Product == "OpenTofu" { // `make test-opentofu` runs this subtest under OpenTofu
			forgotten = `will be removed from the OpenTofu state but will not be destroyed`
		}
		r.run(0, applyArgs, forgotten)
		r.expectState("after the removed block", []string{}, []string{id})
		if writes := env.writes(); len(writes) != 0 {
			t.Errorf("the removed block sent %q", writes)
		}
	}
}

// deletion_policy and allow_duplicate_name live in state only: changing them
// plans an in-place update that sends nothing, an import sets their defaults
// (the plan after it is empty), and a wrong value fails the plan with the fix.
func TestAccLifecycle_stateOnlySettings(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	withPolicy := func(extra string) string { return env.customerConfig(customerWithoutAdminUser + extra) }
	updateInPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: withPolicy(""),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("deletion_policy", str("DELETE")),
					attrCheck("allow_duplicate_name", knownvalue.Bool(false)),
				},
			},
			{
				PreConfig:         env.emu.ResetRequests,
				Config:            withPolicy(`deletion_policy = "ABANDON"`),
				ConfigPlanChecks:  updateInPlace,
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("deletion_policy", str("ABANDON"))},
				Check:             env.checkWrites(),
			},
			{
				Config:            withPolicy("deletion_policy = \"PREVENT\"\n  allow_duplicate_name = true"),
				ConfigPlanChecks:  updateInPlace,
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("deletion_policy", str("PREVENT")), attrCheck("allow_duplicate_name", knownvalue.Bool(true))},
				Check:             env.checkWrites(),
			},
			{
				Config: withPolicy(`deletion_policy = "delete"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid deletion_policy.*` + errorMatching(`deletion_policy is "delete"; it must be "DELETE"`).String() +
					`.*` + errorMatching(`Did you mean "DELETE"?`).String()),
			},
			{
				Config:      withPolicy(`deletion_policy = "KEEP"`),
				ExpectError: regexp.MustCompile(`(?s)deletion_policy is "KEEP"; it must be.*"ABANDON".*"PREVENT"`),
			},
			{Config: withPolicy(`deletion_policy = "ABANDON"`), ConfigPlanChecks: updateInPlace, Check: env.checkWrites()},
			// Removed from the configuration: abandoned, nothing sent.
			{
				Config: env.providerBlock(),
				Check: resource.ComposeTestCheckFunc(env.checkWrites(), func(*terraform.State) error {
					if n := len(env.emu.Customers()); n != 1 {
						return fmt.Errorf("%d customers, want the abandoned one", n)
					}
					return nil
				}),
			},
			// An import gets the defaults: the plan after it is empty.
			{
				Config:             withPolicy(""),
				ResourceName:       customerAddr,
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateIdFunc:  func(*terraform.State) (string, error) { return fmt.Sprint(env.currentID()), nil },
			},
			{
				Config:            withPolicy(""),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("deletion_policy", str("DELETE")), attrCheck("allow_duplicate_name", knownvalue.Bool(false))},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Customers()); n != 0 {
				return fmt.Errorf("%d customers left after destroy", n)
			}
			return nil
		},
	})
}

// A plan that creates a customer whose name CloudLX holds fails, naming the
// customer's id and the import block that adopts it, and sends no POST; the
// import block it gives adopts the customer; allow_duplicate_name = true
// creates a second one; two resources of one name in one plan fail.
func TestAccLifecycle_duplicateNameGuard(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	existing := env.mustCreateCustomer(emulator.CustomerInput{Name: "Acme Ltd", CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}})
	r := newLifecycleRun(t, env, clitest.Terraform(t))
	env.emu.ResetRequests()

	acme := namedCustomer("acme", "Acme Ltd", "")
	r.config(acme)
	r.run(1, planArgs,
		`Error: A CloudLX customer with this name already exists`,
		`with cloudlx_customer.acme,`,
		fmt.Sprintf(`CloudLX already has a customer named "Acme Ltd": id %d.`, existing.ID),
		fmt.Sprintf(`import { to = <resource address> id = "%d" }`, existing.ID),
		fmt.Sprintf(`terraform import <resource address> %d`, existing.ID),
		`add a moved block`, `set allow_duplicate_name = true on this resource`)
	// The realm catalogue check (realms = [2]), then the list: nothing else.
	r.expectRoutes("the refused plan", "GET /api/realms 200", "GET /api/customers 200")
	r.run(1, applyArgs, `A CloudLX customer with this name already exists`)
	r.expectRoutes("the refused apply", "GET /api/realms 200", "GET /api/customers 200")

	// Two resources of one name in one configuration: one of them fails.
	r.config(namedCustomer("one", "Twin Ltd", "") + namedCustomer("two", "Twin Ltd", ""))
	r.run(1, planArgs, `Error: Two resources create a CloudLX customer with this name`,
		`This plan creates more than one customer named "Twin Ltd"`)
	r.config(namedCustomer("one", "Twin Ltd", "") + namedCustomer("two", "Twin Ltd", "allow_duplicate_name = true"))
	// Which of the two reports it depends on the order Terraform plans them
	// in (nameGuard.check): the one that allows a duplicate says the other
	// does not; the other gets the plain error.
	res := r.run(1, planArgs, `Error: Two resources create a CloudLX customer with this name`)
	out := oneLine(res.Stdout + res.Stderr)
	allowingReports := strings.Contains(out, "with cloudlx_customer.two,") && strings.Contains(out, "This resource sets it; the other does not.")
	strictReports := strings.Contains(out, "with cloudlx_customer.one,") && !strings.Contains(out, "This resource sets it")
	if !allowingReports && !strictReports {
		t.Errorf("the error names neither the resource that allows a duplicate (saying the other does not) nor the other one:\n%s", res)
	}
	env.emu.ResetRequests()

	// The import block the error gives adopts the customer: no POST.
	r.config(acme + fmt.Sprintf("\nimport {\n  to = cloudlx_customer.acme\n  id = %q\n}\n", fmt.Sprint(existing.ID)))
	r.run(0, applyArgs, `1 imported, 0 added, 0 changed, 0 destroyed`)
	if writes := env.writes(); len(writes) != 0 {
		t.Errorf("the import sent %q", writes)
	}
	r.expectState("after the import", []string{fmt.Sprint(existing.ID)}, []string{fmt.Sprint(existing.ID)})

	// -replace of a customer with deletion_policy DELETE: its name is free
	// once it is deleted, which Terraform does first.
	r.config(acme)
	env.emu.ResetRequests()
	r.run(0, append(slices.Clone(applyArgs), "-replace=cloudlx_customer.acme"), `1 added, 0 changed, 1 destroyed`)
	if writes := env.writes(); len(writes) != 2 || writes[0] != "DELETE /api/customers/{id}" || !strings.HasPrefix(writes[1], "POST /api/customers {") {
		t.Errorf("the replacement sent %q, want a DELETE, then a POST", writes)
	}

	// A second customer of the name, deliberately.
	r.config(acme + namedCustomer("second", "Acme Ltd", "allow_duplicate_name = true"))
	env.emu.ResetRequests()
	r.run(0, applyArgs, `1 added, 0 changed, 0 destroyed`)
	if writes := env.writes(); len(writes) != 1 || !strings.HasPrefix(writes[0], `POST /api/customers {`) {
		t.Errorf("writes %q, want one POST", writes)
	}
	if n := len(env.emu.Customers()); n != 2 {
		t.Errorf("%d customers, want the 2 named Acme Ltd", n)
	}

	// With ABANDON the old customer would stay: the plan fails.
	r.config(namedCustomer("acme", "Acme Ltd", `deletion_policy = "ABANDON"`) + namedCustomer("second", "Acme Ltd", "allow_duplicate_name = true"))
	r.run(0, applyArgs)
	env.emu.ResetRequests()
	r.run(1, append(slices.Clone(planArgs), "-replace=cloudlx_customer.acme"), `A CloudLX customer with this name already exists`)
	// The refresh reads both customers; the planned create checks its realm
	// and reads the list.
	if err := env.expectWalks("GET /api/customers x1, GET /api/customers/{id} x2, GET /api/realms x1"); err != nil {
		t.Errorf("the refused replacement: %v", err)
	}
	r.run(0, destroyArgs)
}

// When the customer list cannot be read, a plan that creates fails: it cannot
// prove the name is free, and nothing is sent.
func TestAccLifecycle_duplicateNameGuardWithoutTheList(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	env.emu.InjectFault("GET /api/customers", emulator.Fault{Status: http.StatusBadGateway}, 100)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerBlockWith("max_retries = 1") + customerBlock(customerWithoutAdminUser),
			ExpectError: regexp.MustCompile(`(?s)Could not check that no CloudLX customer has this name.*` +
				errorMatching(`This plan creates customer "Acme Ltd".`).String()),
		}, {
			PreConfig: func() {
				// The catalogue checks, then the shared load sends the list
				// once, the check once more with a retry (max_retries = 1);
				// nothing else.
				if got := routes(env.apiRequests("")); got != createChecks+", GET /api/customers, GET /api/customers, GET /api/customers" {
					t.Fatalf("requests: %s", got)
				}
				env.emu.InjectFault("GET /api/customers", emulator.Fault{}, 0)
			},
			Config: env.customerConfig(customerWithoutAdminUser),
		}},
	})
}

// A create whose answer is lost is decided by one list read: the plan proved
// no customer had the name.
func TestAccLifecycle_lostCreateAnswer(t *testing.T) {
	const posted = "POST /api/customers"
	cases := []struct {
		name   string
		faults []emulator.Fault
		// sameName: someone else creates a customer of the same name while the POST is on the wire.
		sameName bool
		extra    string // more resource arguments
		code     int
		output   []string
		requests []string // the apply's API requests as "ROUTE STATUS"; 0 is a dropped connection
		inState  int      // customers in state; the emulator holds these plus the others' ones
		total    int      // customers in the emulator
	}{
		{
			name:     "created, then the connection dropped: saved from the list",
			faults:   []emulator.Fault{{Drop: true, AfterProcessing: true}},
			output:   []string{`Warning: CloudLX customer created, but its answer was lost`, `holds exactly one: id`, `no customer was created twice`},
			requests: []string{"GET /api/customers 200", posted + " 0", "GET /api/customers 200"},
			inState:  1, total: 1,
		},
		{
			name:     "created, then answered 502: saved from the list",
			faults:   []emulator.Fault{{Status: http.StatusBadGateway, AfterProcessing: true}},
			output:   []string{`Warning: CloudLX customer created, but its answer was lost`},
			requests: []string{"GET /api/customers 200", posted + " 502", "GET /api/customers 200"},
			inState:  1, total: 1,
		},
		{
			name:     "dropped before processing: sent again, once",
			faults:   []emulator.Fault{{Drop: true}},
			output:   []string{`Warning: CloudLX customer created on the second attempt`, `the request never reached CloudLX. It was sent again`},
			requests: []string{"GET /api/customers 200", posted + " 0", "GET /api/customers 200", posted + " 200"},
			inState:  1, total: 1,
		},
		{
			name:     "dropped twice before processing: not sent a third time",
			faults:   []emulator.Fault{{Drop: true}, {Drop: true}},
			code:     1,
			output:   []string{`Error: CloudLX customer was not created`, `failed twice without a clear answer`},
			requests: []string{"GET /api/customers 200", posted + " 0", "GET /api/customers 200", posted + " 0", "GET /api/customers 200"},
		},
		{
			name:     "another customer of the name appeared: an error listing both",
			faults:   []emulator.Fault{{Drop: true, AfterProcessing: true}},
			sameName: true,
			code:     1,
			output:   []string{`Error: Several CloudLX customers have this name`, `holds 2: ids`, `saved none to state`},
			requests: []string{"GET /api/customers 200", posted + " 0", "GET /api/customers 200"},
			total:    2,
		},
		{
			name:     "with allow_duplicate_name the list proves nothing: the old error",
			faults:   []emulator.Fault{{Drop: true, AfterProcessing: true}},
			extra:    "allow_duplicate_name = true",
			code:     1,
			output:   []string{`Error: CloudLX customer may have been created`, `This resource sets allow_duplicate_name = true`},
			requests: []string{posted + " 0"},
			total:    1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newWrappedTestEnv(t, emulator.Options{}, func(emu *emulator.Server) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					emu.ServeHTTP(w, r)
					if tc.sameName && r.Method == http.MethodPost && r.URL.Path == "/api/customers" {
						_, _ = emu.CreateCustomer(emulator.CustomerInput{Name: "Acme Ltd", CurrencyISO: "GBP", CountryISO: "GB", Realms: []int64{2}})
					}
				})
			})
			for _, f := range tc.faults {
				env.emu.InjectFault(posted, f, 1)
			}
			r := newLifecycleRun(t, env, clitest.Terraform(t))
			r.config(namedCustomer("test", "Acme Ltd", tc.extra))
			r.run(tc.code, append(slices.Clone(applyArgs), "-refresh=false"), tc.output...)
			// The plan walk checks the realm (realms = [2]) and reads the
			// list; the apply walk, in a new provider process, checks the
			// realm again, then sends these.
			var got []string
			for _, req := range env.apiRequests("") {
				got = append(got, fmt.Sprintf("%s %d", req.Route, req.Status))
			}
			const realmCheck = "GET /api/realms 200"
			want := append([]string{realmCheck, "GET /api/customers 200", realmCheck}, tc.requests...)
			if tc.extra != "" {
				// allow_duplicate_name: no list read at all
				want = append([]string{realmCheck, realmCheck}, tc.requests...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("requests:\n  got  %q\n  want %q", got, want)
			}
			inState := stateIDs(t, r.w)
			if len(inState) != tc.inState || len(env.emu.Customers()) != tc.total {
				t.Fatalf("state %v, emulator %v: want %d in state, %d in the emulator", inState, customerIDsInEmulator(env.emu), tc.inState, tc.total)
			}
			if tc.inState == 1 {
				// The customer saved is the one created, complete: the next plan is empty.
				if !slices.Equal(inState, customerIDsInEmulator(env.emu)) {
					t.Errorf("state %v, emulator %v", inState, customerIDsInEmulator(env.emu))
				}
				r.run(0, []string{"plan", "-input=false", "-detailed-exitcode"}, `No changes.`)
			}
		})
	}
}

// On an API without DELETE, a -replace planned with deletion_policy DELETE
// leaves the old customer behind (the DELETE answers 405), so the create that
// follows finds its name taken and is not sent: no second customer.
func TestAccLifecycle_replaceWithoutDelete(t *testing.T) {
	env := newTestEnv(t, emulator.Options{DisableDelete: true})
	r := newLifecycleRun(t, env, clitest.Terraform(t))
	r.config(namedCustomer("test", "Acme Ltd", ""))
	r.run(0, applyArgs)
	id := fmt.Sprint(env.currentID())
	env.emu.ResetRequests()
	r.run(1, append(slices.Clone(applyArgs), "-replace=cloudlx_customer.test"),
		`Warning: CloudLX customer still exists`,
		`Error: A CloudLX customer with this name already exists`,
		fmt.Sprintf(`CloudLX already has a customer named "Acme Ltd": id %s.`, id))
	if writes := env.writes(); len(writes) != 1 || writes[0] != "DELETE /api/customers/{id}" {
		t.Errorf("writes %q, want the one DELETE (answered 405) and no POST", writes)
	}
	r.expectState("after the replacement", []string{}, []string{id})
}
