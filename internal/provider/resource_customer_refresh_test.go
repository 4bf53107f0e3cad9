package provider

import (
	"fmt"
	"maps"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// Acceptance tests of the request cost of whole runs, bulk refresh included.
// Each Terraform walk configures its own provider, which fetches its own
// token, so the bearer token tells the walks apart (see walkOf).

// Every operation costs exactly one request per customer (plus one list read
// per walk that plans creates), and a refresh costs one GET per customer up to
// the threshold and then a single list.
func TestAccCustomer_requestsPerRun(t *testing.T) {
	cases := []struct {
		name      string
		n         int
		threshold string
		refresh   string // the requests of one refresh walk
	}{
		{"one customer", 1, "", "GET /api/customers/{id} x1"},
		{"twelve customers", 12, "", fmt.Sprintf("GET /api/customers x1, GET /api/customers/{id} x%d", defaultBulkRefreshThreshold)},
		{"twelve customers without bulk refresh", 12, "0", "GET /api/customers/{id} x12"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{})
			each := func(route string) string { return fmt.Sprintf("%s x%d", route, tc.n) }
			expectWalks := func(want ...string) func() {
				return func() {
					if err := env.expectWalks(want...); err != nil {
						t.Error(err)
					}
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					// Create: the plan reads the realm catalogue once (to check
					// realm 2, for every customer) and the customer list once (no
					// customer may have a name it creates); the apply reads both
					// once more (it plans each create again), then sends one POST
					// per customer and no GET (the POST's answer is complete).
					{
						Config: env.manyCustomersConfig(tc.n, tc.threshold, ""),
						Check: func(*terraform.State) error {
							return env.expectWalks("GET /api/customers x1, GET /api/realms x1", "GET /api/customers x1, GET /api/realms x1, "+each("POST /api/customers"))
						},
					},
					// The refresh after the apply, then a plan with nothing changed.
					{
						PreConfig: expectWalks(tc.refresh),
						Config:    env.manyCustomersConfig(tc.n, tc.threshold, ""),
						PlanOnly:  true,
					},
					// Update every customer: a refresh, then one PATCH each and no GET.
					{
						PreConfig: expectWalks(tc.refresh),
						Config:    env.manyCustomersConfig(tc.n, tc.threshold, " (renamed)"),
						Check: func(*terraform.State) error {
							return env.expectWalks(tc.refresh, each("PATCH /api/customers/{id}"))
						},
					},
				},
				// The refresh after the update, then the destroy (the test
				// harness destroys with -refresh=false): one DELETE each.
				CheckDestroy: func(*terraform.State) error {
					return env.expectWalks(tc.refresh, each("DELETE /api/customers/{id}"))
				},
			})
		})
	}
}

// Drift made between two plans is found by the second, whose refresh comes
// from a list it loads itself; a customer deleted in the portal is missing
// from that list and only its own GET (a 404) removes it from state.
func TestAccCustomer_bulkRefreshDetectsDrift(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	const n, threshold = 5, 2
	cfg := env.manyCustomersConfig(n, fmt.Sprint(threshold), "")
	var renamed, deleted int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			// A plan that loads the list and finds nothing to do.
			{
				PreConfig: func() { env.emu.ResetRequests() },
				Config:    cfg,
				PlanOnly:  true,
			},
			// Changed and deleted in the portal between the plans.
			{
				PreConfig: func() {
					if err := env.expectWalks("GET /api/customers x1, GET /api/customers/{id} x2"); err != nil {
						t.Error(err)
					}
					renamed, deleted = env.customerIDByName("Customer 3"), env.customerIDByName("Customer 4")
					if _, err := env.emu.UpdateCustomer(renamed, func(in *emulator.CustomerInput) { in.Name = "Renamed in the portal" }); err != nil {
						t.Fatal(err)
					}
					env.emu.DeleteCustomer(deleted)
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("cloudlx_customer.c[3]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("cloudlx_customer.c[4]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("cloudlx_customer.c[0]", plancheck.ResourceActionNoop),
					},
				},
				Check: func(*terraform.State) error {
					refresh := env.walkOf("GET /api/customers")
					if err := expectRefreshUsedList(refresh, threshold, deleted); err != nil {
						return err
					}
					if c, _ := env.emu.Customer(renamed); c.Name != "Customer 3" {
						return fmt.Errorf("the apply left customer %d named %q", renamed, c.Name)
					}
					return nil
				},
			},
		},
	})
}

// expectRefreshUsedList checks one refresh walk: a single list, one GET for
// each of the first threshold reads, and otherwise only the GET of the
// customer missing from the list, which answered 404, and the one read of the
// realm catalogue by the plan that creates that customer again.
func expectRefreshUsedList(walk []emulator.Request, threshold int, missing int64) error {
	lists, gets, catalogueReads := 0, 0, 0
	missingRead, missingBeforeList := false, false
	for _, r := range walk {
		switch r.Route {
		case "GET /api/customers":
			lists++
		case "GET /api/realms":
			catalogueReads++
		case "GET /api/customers/{id}":
			gets++
			if r.Path == fmt.Sprintf("/api/customers/%d", missing) {
				if r.Status != 404 {
					return fmt.Errorf("the GET of deleted customer %d answered %d", missing, r.Status)
				}
				missingRead = true
				missingBeforeList = lists == 0
			}
		default:
			return fmt.Errorf("the refresh sent %s", r.Route)
		}
	}
	// The deleted customer is read with a GET either way: among the first
	// reads, or after the list did not hold it. Its 404 is confirmed by the
	// bulk list, or, when it came before any list was loaded, by one list of
	// its own.
	if lists != 1 && (lists != 2 || !missingBeforeList) || !missingRead || gets != threshold && gets != threshold+1 || catalogueReads != 1 {
		return fmt.Errorf("the refresh sent %s", routes(walk))
	}
	return nil
}

// A list that fails (a server error, or no such path on this API) costs one
// request and nothing else: the plan reads every customer with its own GET,
// the documented cost when the list is unusable, and still finds the drift.
// A throttled list is not a failure: see TestAccCustomer_bulkRefreshWaitsOutAThrottledList.
func TestAccCustomer_bulkRefreshFallsBackWhenTheListFails(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	const n = 5
	cfg := env.manyCustomersConfig(n, "2", "")
	failingList := func(fault emulator.Fault) resource.TestStep {
		var renamed int64
		return resource.TestStep{
			PreConfig: func() {
				env.emu.ResetRequests()
				env.emu.InjectFault("GET /api/customers", fault, 1)
				renamed = env.customerIDByName("Customer 1")
				if _, err := env.emu.UpdateCustomer(renamed, func(in *emulator.CustomerInput) { in.Name = "Renamed in the portal" }); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cloudlx_customer.c[1]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("cloudlx_customer.c[2]", plancheck.ResourceActionNoop),
				},
			},
			Check: func(*terraform.State) error {
				refresh := env.walkOf("GET /api/customers")
				lists := 0
				for _, r := range refresh {
					if r.Route == "GET /api/customers" {
						lists++
						if r.Fault != emulator.FaultInjected {
							return fmt.Errorf("the list was tried again after failing: %s", routes(refresh))
						}
					}
				}
				if lists != 1 || len(refresh) != 1+n {
					return fmt.Errorf("the refresh sent %s, want the failed list and one GET per customer", routes(refresh))
				}
				return env.expectWrites(`PATCH /api/customers/{id} {"name":"Customer 1"}`)
			},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			failingList(emulator.Fault{Status: 500}),
			failingList(emulator.Fault{Status: 404}),
		},
	})
}

// Throttling costs waits, not requests: a plan of 12 customers whose list is
// answered 429 three times sends its documented requests (5 GETs below the
// threshold and one list) plus the three retried lists, each after the
// Retry-After the API asked for, and never a GET per customer into the
// throttle (before issue 22: the one 429, then 7 more GETs, each throttled in
// turn on a rate-limited API). The list it waited for still finds the drift.
func TestAccCustomer_bulkRefreshWaitsOutAThrottledList(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	const n = 12
	cfg := env.manyCustomersConfig(n, "", "")
	var renamed int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.emu.ResetRequests()
					env.emu.InjectFault("GET /api/customers", emulator.Fault{Status: 429, RetryAfter: "1"}, 3)
					renamed = env.customerIDByName("Customer 9")
					if _, err := env.emu.UpdateCustomer(renamed, func(in *emulator.CustomerInput) { in.Name = "Renamed in the portal" }); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("cloudlx_customer.c[9]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("cloudlx_customer.c[2]", plancheck.ResourceActionNoop),
					},
				},
				Check: func(*terraform.State) error {
					refresh := env.walkOf("GET /api/customers")
					counts := map[string]int{}
					for _, r := range refresh {
						key := r.Route
						if r.Status == 429 {
							key += " (429)"
						}
						counts[key]++
					}
					want := map[string]int{"GET /api/customers (429)": 3, "GET /api/customers": 1,
						"GET /api/customers/{id}": defaultBulkRefreshThreshold}
					if !maps.Equal(counts, want) {
						return fmt.Errorf("the plan's refresh sent %v (%s), want %v", counts, routes(refresh), want)
					}
					return env.expectWrites(`PATCH /api/customers/{id} {"name":"Customer 9"}`)
				},
			},
		},
	})
}
