package provider

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// testAccProtoV6ProviderFactories runs the provider in-process for the real
// Terraform CLI that terraform-plugin-testing drives.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudlx": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is one emulator on loopback, private to one test, so tests can run
// in parallel and assert the exact requests their own provider sent.
type testEnv struct {
	t   *testing.T
	emu *emulator.Server
	url string
}

func newTestEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, emu: emu, url: srv.URL}
}

// providerBlock configures the provider for this env. Retries are kept, so
// tests exercise the same client a user gets.
func (e *testEnv) providerBlock() string {
	return "\n" + cliProviderBlock(fmt.Sprintf(`  endpoint      = %q
  client_id     = "test-client-id"
  client_secret = "test-client-secret"`, e.url))
}

// cliProviderBlock declares the provider with the given settings (the rest
// come from CLOUDLX_* variables or defaults). The source names the registry
// host: OpenTofu would resolve a bare "cloudlx-community/cloudlx" to
// registry.opentofu.org, while terraform-plugin-testing serves the provider as
// registry.terraform.io (clitest's dev_overrides cover both).
func cliProviderBlock(settings string) string {
	return `terraform {
  required_providers {
    cloudlx = {
      source = "registry.terraform.io/cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {
` + settings + `
}
`
}

// apiRequests returns the logged requests to non-token routes matching route
// (e.g. "PATCH /api/customers/{id}"), or all of them when route is "".
func (e *testEnv) apiRequests(route string) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.emu.Requests() {
		if r.Route == route || (route == "" && !strings.Contains(r.Route, "oauth2")) {
			out = append(out, r)
		}
	}
	return out
}

// writes lists the create, update and delete requests, as "METHOD route body".
func (e *testEnv) writes() []string {
	var out []string
	for _, r := range e.emu.Requests() {
		if r.Method == "POST" && strings.Contains(r.Route, "oauth2") {
			continue
		}
		if r.Method != "GET" {
			out = append(out, strings.TrimSpace(r.Route+" "+compactJSON(r.Body)))
		}
	}
	return out
}

func compactJSON(s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	b, _ := json.Marshal(v) // sorted keys: stable to compare
	return string(b)
}

// expectWrites fails unless exactly want were sent since the last reset, then resets.
func (e *testEnv) expectWrites(want ...string) error {
	got := e.writes()
	e.emu.ResetRequests()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Errorf("write requests:\n  got  %q\n  want %q", got, want)
	}
	return nil
}

// walks groups the API requests (token requests aside) by the Terraform walk
// that sent them, in order. Each walk configures its own provider, which
// fetches its own token, so the token tells the walks apart.
func (e *testEnv) walks() [][]emulator.Request {
	var order []string
	byToken := map[string][]emulator.Request{}
	for _, r := range e.apiRequests("") {
		if _, seen := byToken[r.TokenID]; !seen {
			order = append(order, r.TokenID)
		}
		byToken[r.TokenID] = append(byToken[r.TokenID], r)
	}
	out := make([][]emulator.Request, len(order))
	for i, token := range order {
		out[i] = byToken[token]
	}
	return out
}

// walkOf returns the requests of the Terraform walk that sent the first
// request on route. Each walk configures its own provider, which fetches its
// own token, so the bearer token tells one walk's traffic from another's: the
// apply walk of a create holds exactly what Create sent.
func (e *testEnv) walkOf(route string) []emulator.Request {
	token := ""
	for _, r := range e.emu.Requests() {
		if r.Route == route {
			token = r.TokenID
			break
		}
	}
	var out []emulator.Request
	for _, r := range e.emu.Requests() {
		if token != "" && r.TokenID == token {
			out = append(out, r)
		}
	}
	return out
}

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
	config := strings.Replace(env.customerConfig(fullCustomer), env.providerBlock(), `
terraform {
  required_providers {
    cloudlx = {
      source = "registry.terraform.io/cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}
`, 1)
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
					case !regexp.MustCompile(`^terraform-provider-cloudlx/test \(\+https://registry\.terraform\.io/providers/cloudlx-community/cloudlx\) Terraform/\d+\.\d+`).MatchString(r.UserAgent):
						return fmt.Errorf("%s: User-Agent %q", r.Route, r.UserAgent)
					}
				}
				return nil
			},
		}},
	})
}
