package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// TestAccProvider_invalidConfiguration: every bad provider setting, from the
// configuration or the environment, is an error at plan time that names the
// setting (and its environment variable), and nothing reaches the API. Not
// parallel: the cases set CLOUDLX_* variables.
func TestAccProvider_invalidConfiguration(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	creds := `  client_id     = "test-client-id"
  client_secret = "test-client-secret"`
	endpoint := fmt.Sprintf("  endpoint = %q\n", env.url)
	cases := []struct {
		name     string
		settings string            // the provider block's body
		env      map[string]string // CLOUDLX_* variables
		attr     string            // when set, Terraform must quote this setting's line
		wantErr  string
	}{
		// Endpoints: https anywhere, http only to loopback, nothing else.
		{"http to a remote host", `  endpoint = "http://cloudlx.epsilontel.com"` + "\n" + creds, nil, "endpoint",
			`"http://cloudlx.epsilontel.com" uses http:// to a host that is not loopback; use https://`},
		{"http to a private address", `  endpoint = "http://10.0.0.1:8080"` + "\n" + creds, nil, "endpoint", `uses http:// to a host that is not loopback`},
		{"no scheme", `  endpoint = "cloudlx.epsilontel.com"` + "\n" + creds, nil, "endpoint", `"cloudlx.epsilontel.com" is not an absolute URL`},
		{"ftp", `  endpoint = "ftp://cloudlx.example"` + "\n" + creds, nil, "endpoint", `"ftp://cloudlx.example" must start with https://`},
		// Not attached to the attribute, so Terraform does not print the line with the password.
		{"credentials in the URL", `  endpoint = "https://admin:pw@cloudlx.example"` + "\n" + creds, nil, "",
			`"https://***@cloudlx.example" must not contain credentials`},
		{"query in the URL", `  endpoint = "https://cloudlx.example/?tenant=1"` + "\n" + creds, nil, "endpoint", `must not have a query or fragment`},
		{"empty", `  endpoint = ""` + "\n" + creds, nil, "endpoint", `"" is not an absolute URL`},
		{"bad endpoint from the environment", creds, map[string]string{envEndpoint: "http://cloudlx.epsilontel.com"}, "",
			`The endpoint (from the configuration or CLOUDLX_ENDPOINT) is not usable: "http://cloudlx.epsilontel.com" uses http://`},

		// Credentials: exactly one way to authenticate.
		{"no credentials", endpoint, nil, "",
			`The provider needs credentials. Set client_id and client_secret (or the CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET environment variables)`},
		{"client_id without secret", endpoint + `  client_id = "test-client-id"`, nil, "", `client_id is set but client_secret is not. Set client_secret or the CLOUDLX_CLIENT_SECRET`},
		{"client_secret without id", endpoint + `  client_secret = "test-client-secret"`, nil, "", `client_secret is set but client_id is not. Set client_id or the CLOUDLX_CLIENT_ID`},
		{"client_id from the environment without secret", endpoint, map[string]string{envClientID: "test-client-id"}, "", `client_id is set but client_secret is not`},
		{"access_token and client credentials", endpoint + creds + "\n  access_token = \"t0ken\"", nil, "access_token",
			`Both an access token and client credentials are configured. Use exactly one way to authenticate`},
		{"client credentials and CLOUDLX_ACCESS_TOKEN", endpoint + creds, map[string]string{envAccessToken: "left-over"}, "",
			`Both an access token and client credentials are configured. Use exactly one way to authenticate: either access_token (CLOUDLX_ACCESS_TOKEN), or client_id and client_secret (CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET). Check the environment`},
		{"access_token and CLOUDLX_CLIENT_ID/SECRET", endpoint + `  access_token = "t0ken"`,
			map[string]string{envClientID: "test-client-id", envClientSecret: "test-client-secret"}, "access_token", `Both an access token and client credentials are configured`},

		// Retry and timeout settings.
		{"negative max_retries", endpoint + creds + "\n  max_retries = -1", nil, "max_retries", `Attribute max_retries value must be between 0 and 20, got: -1`},
		{"huge max_retries", endpoint + creds + "\n  max_retries = 21", nil, "max_retries", `Attribute max_retries value must be between 0 and 20, got: 21`},
		{"fractional max_retries", endpoint + creds + "\n  max_retries = 2.5", nil, "max_retries", `max_retries must be a whole number, such as 2; 2.5 is not one.`},
		{"fractional bulk_refresh_threshold", endpoint + creds + "\n  bulk_refresh_threshold = 0.5", nil, "bulk_refresh_threshold",
			`bulk_refresh_threshold must be a whole number, such as 2; 0.5 is not one.`},
		{"request_timeout without a unit", endpoint + creds + "\n  request_timeout = \"30\"", nil, "request_timeout", `"30" is not a positive duration`},
		{"zero request_timeout", endpoint + creds + "\n  request_timeout = \"0s\"", nil, "request_timeout", `"0s" is not a positive duration`},
		{"negative request_timeout", endpoint + creds + "\n  request_timeout = \"-1m\"", nil, "request_timeout", `"-1m" is not a positive duration`},

		// Values only known after apply cannot configure a provider.
		{"unknown endpoint", `  endpoint = "https://${terraform_data.later.id}.example"` + "\n" + creds, nil, "endpoint",
			`endpoint cannot come from a value that is only known after apply`},
		{"unknown client_secret", endpoint + `  client_id = "test-client-id"` + "\n  client_secret = terraform_data.later.id", nil, "client_secret",
			`client_secret cannot come from a value that is only known after apply. Set it to a value known before apply, or leave it out and set the CLOUDLX_CLIENT_SECRET environment variable`},
		{"unknown max_retries", endpoint + creds + "\n  max_retries = length(terraform_data.later.id)", nil, "max_retries",
			`max_retries cannot come from a value that is only known after apply`},
	}

	customer := `
resource "terraform_data" "later" {}

resource "cloudlx_customer" "test" {
  name         = "Acme Ltd"
  currency_iso = "USD"
  country_iso  = "US"
  realms       = [2]
}
`
	for _, name := range []string{envEndpoint, envClientID, envClientSecret, envAccessToken} {
		t.Setenv(name, "")
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		want := errorMatching(tc.wantErr)
		if tc.attr != "" {
			want = regexp.MustCompile(`(?s)\d+:\s+` + regexp.QuoteMeta(tc.attr) + `\s*=.*` + want.String())
		}
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				t.Log(tc.name)
				for _, name := range []string{envEndpoint, envClientID, envClientSecret, envAccessToken} {
					t.Setenv(name, tc.env[name])
				}
			},
			Config:      cliProviderBlock(strings.TrimRight(tc.settings, "\n")) + customer,
			PlanOnly:    true,
			ExpectError: want,
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             env.checkNoRequests("invalid provider settings"),
	})
}
