package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

const customersAddr = "data.cloudlx_customers.test"

func (e *testEnv) customersConfig(body string) string {
	return e.providerBlock() + "\ndata \"cloudlx_customers\" \"test\" {\n" + body + "\n}\n"
}

func customersIn(i int) func(string) tfjsonpath.Path {
	return func(attr string) tfjsonpath.Path { return tfjsonpath.New("customers").AtSliceIndex(i).AtMapKey(attr) }
}

// namesAre checks the listed customers' names, in order.
func namesAre(names ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(names))
	for i, n := range names {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": str(n)})
	}
	return statecheck.ExpectKnownValue(customersAddr, tfjsonpath.New("customers"), knownvalue.ListExact(checks))
}

func TestAccCustomersDataSource_pagination(t *testing.T) {
	// How many list requests one read costs: pages until num_results customers
	// are in hand, or a page comes back short; one request when the API does
	// not paginate.
	cases := []struct {
		name      string
		pageSize  int
		customers int
		wantPages int
	}{
		{"5 customers, 2 a page", 2, 5, 3},
		{"4 customers, 2 a page: no empty page", 2, 4, 2},
		{"no customers, paginated", 2, 0, 1},
		{"5 customers, not paginated", 0, 5, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{PageSize: tc.pageSize})
			var created []emulator.Customer
			var names []string
			for i := range tc.customers {
				in := simpleCustomer(fmt.Sprintf("Customer %d", i+1))
				if i == 0 {
					in.ShownSubRealms, in.EnabledSubRealms = []int64{313, 328}, []int64{313}
				}
				created = append(created, env.mustCreateCustomer(in))
				names = append(names, in.Name)
			}
			checks := []statecheck.StateCheck{namesAre(names...)}
			if len(created) > 0 {
				checks = append(checks, customerChecks(customersAddr, customersIn(0), created[0])...)
				checks = append(checks, customerChecks(customersAddr, customersIn(len(created)-1), created[len(created)-1])...)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            env.customersConfig(""),
					ConfigStateChecks: checks,
					Check:             func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/customers", tc.wantPages) },
				}},
			})
		})
	}
}

func TestAccCustomersDataSource_nameRegex(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	for _, name := range []string{"Globex", "Acme Ltd", "Acme (UK) Ltd.", "Initech", "acme labs"} {
		env.mustCreateCustomer(simpleCustomer(name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// First, so that the post-test destroy runs with a valid config.
			{
				Config:      env.customersConfig(`name_regex = "Acme ("`),
				PlanOnly:    true,
				ExpectError: errorMatching(`"Acme (" is not a valid RE2 regular expression: error parsing regexp: missing closing )`),
			},
			{Config: env.customersConfig(""), ConfigStateChecks: []statecheck.StateCheck{
				namesAre("Globex", "Acme Ltd", "Acme (UK) Ltd.", "Initech", "acme labs"),
			}},
			// Unanchored: anywhere in the name, case included.
			{Config: env.customersConfig(`name_regex = "Acme"`), ConfigStateChecks: []statecheck.StateCheck{
				namesAre("Acme Ltd", "Acme (UK) Ltd."),
			}},
			{Config: env.customersConfig(`name_regex = "(?i)^acme"`), ConfigStateChecks: []statecheck.StateCheck{
				namesAre("Acme Ltd", "Acme (UK) Ltd.", "acme labs"),
			}},
			{Config: env.customersConfig(`name_regex = "^Acme \\(UK\\) Ltd\\.$"`), ConfigStateChecks: []statecheck.StateCheck{
				namesAre("Acme (UK) Ltd."),
			}},
			// No match is an empty list, not an error and not null.
			{
				Config: env.customersConfig(`name_regex = "^Nobody$"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(customersAddr, tfjsonpath.New("customers"), knownvalue.ListExact([]knownvalue.Check{})),
				},
				// The filter is the provider's: the whole list is still read.
				Check: func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/customers", 3) },
			},
		},
	})
}

func TestAccCustomersDataSource_readTimeout(t *testing.T) {
	// Every page is slow; the read timeout bounds the whole read, pages and retries included.
	// No luck involved either way: the three pages take at least 900 ms however
	// fast the machine, more than 500 ms; and a minute is 60 times what they
	// need here, which a machine 10x slower still meets.
	env := newTestEnv(t, emulator.Options{PageSize: 1, Latency: 300 * time.Millisecond})
	for _, name := range []string{"One", "Two", "Three"} {
		env.mustCreateCustomer(simpleCustomer(name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.customersConfig("timeouts {\n    read = \"500ms\"\n  }"),
				ExpectError: regexp.MustCompile(`(?s)Could not list CloudLX customers.*context deadline exceeded`),
			},
			{
				Config:            env.customersConfig("timeouts {\n    read = \"1m\"\n  }"),
				ConfigStateChecks: []statecheck.StateCheck{namesAre("One", "Two", "Three")},
			},
		},
	})
}
