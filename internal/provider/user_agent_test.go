package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// The version handed to New (a release sets it with -X main.version) and the
// CLI's own version reach the User-Agent of every request, token requests
// included, so the API's operators can tell which build sent what.
func TestAccProvider_userAgentNamesBothVersions(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.customerConfig(minimalCustomer),
			Check: func(*terraform.State) error {
				reqs := env.emu.Requests()
				if len(reqs) == 0 {
					return fmt.Errorf("the emulator received no requests")
				}
				for _, r := range reqs {
					if !userAgentPattern.MatchString(r.UserAgent) {
						return fmt.Errorf("%s sent User-Agent %q, want a match for %s", r.Route, r.UserAgent, userAgentPattern)
					}
				}
				return nil
			},
		}},
	})
}
