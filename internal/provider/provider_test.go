package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// The provider block may be empty: everything comes from CLOUDLX_* variables.
// Here with a token minted elsewhere: no token request may be sent, and every
// request carries the versioned Accept header and a User-Agent naming the
// provider and Terraform versions.
func TestAccProvider_configuredFromEnvironmentWithAccessToken(t *testing.T) {
	env := newTestEnv(t, emulator.Options{StaticTokens: []string{"minted-in-a-vault"}})
	t.Setenv(envEndpoint, env.url)
	t.Setenv(envAccessToken, "minted-in-a-vault")
	t.Setenv(envClientID, "")
	t.Setenv(envClientSecret, "")
	config := cliProviderBlock("") + customerBlock(fullCustomer)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				reqs := env.emu.Requests()
				if len(reqs) == 0 {
					return fmt.Errorf("no requests")
				}
				for _, r := range reqs {
					switch {
					case strings.Contains(r.Route, "oauth2"):
						return fmt.Errorf("a token was requested although access_token is set")
					case !r.Authorized:
						return fmt.Errorf("%s was not authorized", r.Route)
					case r.Accept != "application/vnd.cloudlx.v1+json":
						return fmt.Errorf("%s: Accept %q", r.Route, r.Accept)
					case !userAgentPattern.MatchString(r.UserAgent):
						return fmt.Errorf("%s: User-Agent %q", r.Route, r.UserAgent)
					}
				}
				return nil
			},
		}},
	})
}
