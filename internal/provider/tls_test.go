package provider

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

// The emulator served over HTTPS with a certificate from a CA the test makes,
// which no system trusts: a private CA, or a TLS-inspecting proxy re-signing
// traffic. https to 127.0.0.1 works because the certificate's SAN is 127.0.0.1.

// tlsTestEnv is a testEnv whose emulator speaks HTTPS, and the PEM file of
// the CA that signed its certificate.
type tlsTestEnv struct {
	*testEnv
	caFile string
	host   string // host:port of the emulator
}

func newTLSTestEnv(t *testing.T) *tlsTestEnv {
	t.Helper()
	ca := testca.New(t, "Corporate Inspection CA")
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewUnstartedServer(emu)
	srv.TLS = ca.TLSConfig(t, "127.0.0.1")
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what some tests expect
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "corporate-ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return &tlsTestEnv{
		testEnv: &testEnv{t: t, emu: emu, url: srv.URL},
		caFile:  caFile,
		host:    strings.TrimPrefix(srv.URL, "https://"),
	}
}

// config is a customer with the provider block holding extra settings.
func (e *tlsTestEnv) config(extra string) string {
	return e.providerBlockWith(extra) + customerBlock(fullCustomer)
}

// cleanCreate: one POST (after the token request), then a plan with no changes.
func (e *tlsTestEnv) cleanCreateSteps(config string) []resource.TestStep {
	return []resource.TestStep{
		{
			Config: config,
			Check:  e.checkWrites(`POST /api/customers {"country_iso":"US","currency_iso":"USD","email":"ops@acme.example","enabled_sub_realms":[313],"first_name":"Jane","last_name":"Doe","name":"Acme Ltd","realms":[2,7],"role_group":"Admin","shown_sub_realms":[313,328]}`),
		},
		{
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	}
}

func TestAccProvider_privateCAUntrustedIsAClearError(t *testing.T) {
	env := newTLSTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(""),
			ExpectError: errorMatching(fmt.Sprintf("The provider did not connect to %s: the TLS certificate it presented could not be "+
				"verified, because it is signed by a certificate authority that is not trusted here. If the API is reached through a "+
				"TLS-inspecting proxy, or its certificate is issued by a private CA, give the provider that CA's certificate with "+
				"ca_certificates", env.host)),
		}},
		CheckDestroy: env.checkNoRequests("a provider whose CA settings failed"),
	})
}

func TestAccProvider_privateCAFromAttribute(t *testing.T) {
	env := newTLSTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    env.cleanCreateSteps(env.config(fmt.Sprintf("ca_certificates = file(%q)", env.caFile))),
	})
}

// The environment variable is read by this process (the provider runs in
// it), so the test cannot run in parallel with others.
func TestAccProvider_privateCAFromEnvironment(t *testing.T) {
	env := newTLSTestEnv(t)
	t.Setenv(envCACertificatesFile, env.caFile)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    env.cleanCreateSteps(env.config("")),
	})
}

func TestAccProvider_invalidCACertificates(t *testing.T) {
	env := newTLSTestEnv(t)
	_, keyPEM := testca.New(t, "Other").ServerCert(t, "127.0.0.1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:   env.config(`ca_certificates = "not a certificate"`),
				PlanOnly: true,
				// Attached to the attribute: Terraform quotes its line.
				ExpectError: regexp.MustCompile(`(?s)Invalid ca_certificates.*\d+:\s+ca_certificates = "not a certificate".*` +
					errorMatching(`ca_certificates must be the PEM text of one or more CA certificates`).String() + `.*` +
					errorMatching(`it holds no PEM block`).String()),
			},
			{
				Config:      env.config(fmt.Sprintf("ca_certificates = <<-EOT\n%sEOT", keyPEM)),
				PlanOnly:    true,
				ExpectError: errorMatching(`PEM block 1 is a "EC PRIVATE KEY", not a CERTIFICATE: give the CA's certificate, never a key`),
			},
		},
		CheckDestroy: env.checkNoRequests("a provider whose CA settings failed"),
	})
}

func TestAccProvider_unreadableCACertificatesFile(t *testing.T) {
	env := newTLSTestEnv(t)
	t.Setenv(envCACertificatesFile, filepath.Join(t.TempDir(), "missing.pem"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(""),
			PlanOnly:    true,
			ExpectError: errorMatching(envCACertificatesFile + " names the file of CA certificates to trust, but it cannot be read"),
		}},
		CheckDestroy: env.checkNoRequests("a provider whose CA settings failed"),
	})
}
