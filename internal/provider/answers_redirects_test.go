package provider

// Issue 21: credentials go only where they are configured, and no answer is
// believed unchecked. These tests drive the Terraform CLI against the
// emulator's Redirect and PartialAnswers modes and a trap listener that a
// followed redirect would reach.

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

// trap is a place no request of the provider may reach: the target of a
// redirect. It records what arrives, and fails the test at once when a
// credential does (a bearer header, a client secret in the body or query).
type trap struct {
	t       *testing.T
	url     string
	secrets []string
	mu      sync.Mutex
	got     []string
}

func newTrap(t *testing.T, secrets ...string) *trap {
	t.Helper()
	tr := &trap{t: t, secrets: secrets}
	srv := httptest.NewServer(http.HandlerFunc(tr.serve))
	t.Cleanup(srv.Close)
	tr.url = srv.URL
	return tr
}

func (tr *trap) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	seen := fmt.Sprintf("%s %s Authorization=%q body=%q", r.Method, r.URL, r.Header.Get("Authorization"), body)
	tr.mu.Lock()
	tr.got = append(tr.got, seen)
	tr.mu.Unlock()
	leaked := r.Header.Get("Authorization") != "" || strings.Contains(string(body), "client_secret") ||
		strings.Contains(r.URL.RawQuery, "client_secret")
	for _, s := range tr.secrets {
		leaked = leaked || strings.Contains(seen, s)
	}
	if leaked {
		tr.t.Errorf("a credential left for a place the user did not configure: %s", seen)
	}
	// What a hostile or unrelated server would answer: the provider must not
	// take it for CloudLX rejecting the token.
	w.WriteHeader(http.StatusUnauthorized)
}

// checkNothingArrived fails the test if any request reached the trap.
func (tr *trap) checkNothingArrived() {
	tr.t.Helper()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.got) > 0 {
		tr.t.Errorf("the provider followed a redirect: %d requests reached its target:\n%s", len(tr.got), strings.Join(tr.got, "\n"))
	}
}

// expectFailure runs terraform with args, which must fail with each of
// wants in its output (Terraform's box and line wrapping undone: an error's
// summary and its detail are two wants, as Terraform prints the configuration
// it is about between them), and returns the output.
func expectFailure(t *testing.T, run *clitest.Workdir, args []string, wants ...string) string {
	t.Helper()
	res := run.Run(append([]string{args[0], "-input=false", "-no-color"}, args[1:]...)...)
	out := oneLine(res.Combined())
	if res.ExitCode == 0 {
		t.Fatalf("terraform %s succeeded:\n%s", strings.Join(args, " "), res.Combined())
	}
	for _, want := range wants {
		if !strings.Contains(out, oneLine(want)) {
			t.Errorf("terraform %s: the output does not hold\n%s\n--- output:\n%s", strings.Join(args, " "), want, res.Combined())
		}
	}
	for _, never := range []string{"authentication failed", "freshly issued token was rejected", "This is a bug in the provider"} {
		if strings.Contains(out, never) {
			t.Errorf("terraform %s: the output says %q:\n%s", strings.Join(args, " "), never, res.Combined())
		}
	}
	return res.Combined()
}

// notFollowed is the message of a redirect that was not followed.
func notFollowed(method, url string, status int, location, endpoint, suggested string) string {
	msg := fmt.Sprintf("%s %s answered HTTP %d %s, a redirect to %s. The provider follows no redirect, so nothing was sent "+
		"there: each request carries the client secret or an access token, which go only to the configured endpoint (%s).",
		method, url, status, http.StatusText(status), location, endpoint)
	if suggested != "" {
		msg += fmt.Sprintf(" If CloudLX has moved, set endpoint (or CLOUDLX_ENDPOINT) to the final URL: %q", suggested)
	}
	return msg
}

const redirectCustomer = `
resource "cloudlx_customer" "test" {
  name               = "Redirected Ltd"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2]
  shown_sub_realms   = [313]
  enabled_sub_realms = [313]
}
`

// The token request answered 307 to another host: the client secret is not
// sent there, nothing is created, and the error is the redirect's. The plan
// fails before the create: the catalogue checks only warn (naming the
// redirect), then the duplicate-name guard cannot read the customer list and
// fails the plan, with the redirect as its cause. The token request is sent
// once: the client remembers a redirected token request for the process.
func TestAccRedirect_tokenRequestToAnotherHostIsNotFollowed(t *testing.T) {
	secret := randomSecret(t)
	tr := newTrap(t, secret)
	env := newTestEnv(t, emulator.Options{ClientID: "redirect-client", ClientSecret: secret,
		Redirect: emulator.Redirect{To: tr.url, Status: http.StatusTemporaryRedirect, Routes: []string{"POST /api/oauth2/access-token"}}})
	run := newCLIRun(t, map[string]string{"TF_LOG": "trace", "TF_LOG_PATH": "terraform.log"})
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint      = %q\n  client_id     = \"redirect-client\"\n  client_secret = %q",
		env.url, secret))+redirectCustomer)

	out := expectFailure(t, run, []string{"apply", "-auto-approve"}, "Error: Could not check that no CloudLX customer has this name",
		"Warning: Could not check realm ids against the CloudLX realm catalogue",
		notFollowed("POST", env.url+"/api/oauth2/access-token", 307, tr.url+"/api/oauth2/access-token", env.url, tr.url))

	tr.checkNothingArrived()
	if got := routes(env.emu.Requests()); got != "POST /api/oauth2/access-token" {
		t.Errorf("the API received %q; want only the token request (redirected), once", got)
	}
	if ids := customerIDsInEmulator(env.emu); len(ids) != 0 {
		t.Errorf("customers were created: %v", ids)
	}
	logFile, err := os.ReadFile(filepath.Join(run.Dir, "terraform.log"))
	if err != nil {
		t.Fatal(err)
	}
	for place, text := range map[string]string{"the output": out, "the TF_LOG file": string(logFile)} {
		if strings.Contains(text, secret) {
			t.Errorf("%s holds the client secret", place)
		}
	}
}

// An https endpoint whose answers redirect to plain http on the same host:
// neither the token request (client secret) nor a read (bearer token) goes
// out in clear text, and the import fails with the redirect's message.
func TestAccRedirect_httpsToPlainHTTPIsNotFollowed(t *testing.T) {
	secret, staticToken := randomSecret(t), randomSecret(t)
	tr := newTrap(t, secret, staticToken)
	ca := testca.New(t, "Redirect test CA")
	emu := emulator.New(emulator.Options{ClientID: "redirect-client", ClientSecret: secret, StaticTokens: []string{staticToken}})
	srv := httptest.NewUnstartedServer(emu)
	srv.TLS = ca.TLSConfig(t, "127.0.0.1")
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	existing, err := emu.CreateCustomer(emulator.CustomerInput{Name: "Imported Ltd", CurrencyISO: "GBP", CountryISO: "GB", Realms: []int64{2}})
	if err != nil {
		t.Fatal(err)
	}
	// Every answer now points to the same host (127.0.0.1) over plain http.
	emu.SetOptions(func(o *emulator.Options) {
		o.Redirect = emulator.Redirect{To: tr.url, Status: http.StatusMovedPermanently}
	})
	id := fmt.Sprint(existing.ID)
	config := func(auth string) string {
		return cliProviderBlock(fmt.Sprintf("  endpoint        = %q\n  ca_certificates = file(%q)\n%s", srv.URL, caFile, auth)) + `
resource "cloudlx_customer" "test" {
  name         = "Imported Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2]
}
`
	}
	run := newCLIRun(t, nil)

	// Client credentials: the token request is the first to be redirected.
	run.WriteFile("main.tf", config(fmt.Sprintf("  client_id       = \"redirect-client\"\n  client_secret   = %q", secret)))
	expectFailure(t, run, []string{"import", "cloudlx_customer.test", id}, "Error: Could not read CloudLX customer "+id,
		notFollowed("POST", srv.URL+"/api/oauth2/access-token", 301, tr.url+"/api/oauth2/access-token", srv.URL, ""))

	// A configured token: the read itself, with its bearer, is redirected.
	run.WriteFile("main.tf", config(fmt.Sprintf("  access_token    = %q", staticToken)))
	expectFailure(t, run, []string{"import", "cloudlx_customer.test", id}, "Error: Could not read CloudLX customer "+id,
		notFollowed("GET", srv.URL+"/api/customers/"+id, 301, tr.url+"/api/customers/"+id, srv.URL, ""))

	tr.checkNothingArrived()
	if got := routes(emu.Requests()); got != "POST /api/oauth2/access-token, GET /api/customers/{id}" {
		t.Errorf("the API received %q; want one token request, then one read", got)
	}
	if _, err := os.Stat(filepath.Join(run.Dir, "terraform.tfstate")); err == nil {
		if ids := stateIDs(t, run); len(ids) != 0 {
			t.Errorf("the failed imports left %v in state", ids)
		}
	}
}

// A read answered 302 to another host: the user is told about the redirect,
// not that the token was rejected, and state stays as it was.
func TestAccRedirect_readToAnotherHostIsNotAnAuthFailure(t *testing.T) {
	secret := randomSecret(t)
	env := newTestEnv(t, emulator.Options{ClientID: "redirect-client", ClientSecret: secret})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint      = %q\n  client_id     = \"redirect-client\"\n  client_secret = %q",
		env.url, secret))+redirectCustomer)
	run.MustRun("apply", "-auto-approve", "-input=false")
	before := run.ReadFile("terraform.tfstate")
	id := stateIDs(t, run)[0]

	tr := newTrap(t, secret)
	env.emu.SetOptions(func(o *emulator.Options) {
		o.Redirect = emulator.Redirect{To: tr.url, Status: http.StatusFound, Routes: []string{"GET /api/customers/{id}"}}
	})
	reads := len(env.apiRequests("GET /api/customers/{id}"))
	expectFailure(t, run, []string{"apply", "-refresh-only", "-auto-approve"}, "Error: Could not read CloudLX customer "+id,
		notFollowed("GET", env.url+"/api/customers/"+id, 302, tr.url+"/api/customers/"+id, env.url, tr.url))

	tr.checkNothingArrived()
	if n := len(env.apiRequests("GET /api/customers/{id}")) - reads; n != 1 {
		t.Errorf("the refresh sent %d reads; want 1 (a redirect is not retried, and no token is renewed for it)", n)
	}
	if after := run.ReadFile("terraform.tfstate"); after != before {
		t.Errorf("the state changed:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

// Each partial answer to GET /api/customers/{id} fails the refresh, the plan
// and the apply with the same message, leaves state as it was, and no PATCH
// is built on it; once the answers are whole again, the plan is empty.
func TestAccPartialAnswers_readIsRefused(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", env.customerConfig(customerWithoutAdminUser))
	run.MustRun("apply", "-auto-approve", "-input=false")
	before := run.ReadFile("terraform.tfstate")
	id := stateIDs(t, run)[0]
	url := env.url + "/api/customers/" + id

	for _, tc := range []struct {
		name       string
		omit, null []string
		missing    string
	}{
		{"without sub_realms", []string{"sub_realms"}, nil, "sub_realms"},
		{"sub_realms null", nil, []string{"sub_realms"}, "sub_realms"},
		{"without realms", []string{"realms"}, nil, "realms"},
		{"without name", []string{"name"}, nil, "name"},
		{"only the id", []string{"name", "currency", "country", "realms", "sub_realms"}, nil, "name, currency, country, realms and sub_realms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.emu.SetOptions(func(o *emulator.Options) {
				o.PartialAnswers = emulator.PartialAnswers{Omit: tc.omit, Null: tc.null, Routes: []string{"GET /api/customers/{id}"}}
			})
			summary := "Error: Could not read CloudLX customer " + id
			detail := fmt.Sprintf("GET %s answered HTTP 200 for customer %s without %s (absent, null or empty): the answer is "+
				"not the whole customer, so nothing was taken from it. Check for a proxy or cache between Terraform and CloudLX "+
				"that rewrites answers", url, id, tc.missing)
			expectFailure(t, run, []string{"apply", "-refresh-only", "-auto-approve"}, summary, detail)
			expectFailure(t, run, []string{"plan"}, summary, detail)
			expectFailure(t, run, []string{"apply", "-auto-approve"}, summary, detail)
			if after := run.ReadFile("terraform.tfstate"); after != before {
				t.Errorf("the state changed:\n--- before\n%s\n--- after\n%s", before, after)
			}
			if patches := env.apiRequests("PATCH /api/customers/{id}"); len(patches) > 0 {
				t.Errorf("a PATCH was built on a partial answer: %v", patches)
			}
		})
	}

	env.emu.SetOptions(func(o *emulator.Options) { o.PartialAnswers = emulator.PartialAnswers{} })
	if res := run.Run("plan", "-detailed-exitcode", "-input=false", "-no-color"); res.ExitCode != 0 {
		t.Errorf("with whole answers again, the plan is not empty:\n%s", res.Combined())
	}
}

// Import and the customer data sources refuse a partial customer too: by id
// (GET), by name and in the list (entries of GET /api/customers).
func TestAccPartialAnswers_importAndDataSourcesAreRefused(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	c := env.mustCreateCustomer(emulator.CustomerInput{Name: "Partial Ltd", CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}})
	id := fmt.Sprint(c.ID)
	env.emu.SetOptions(func(o *emulator.Options) {
		o.PartialAnswers = emulator.PartialAnswers{Null: []string{"sub_realms"}}
	})
	run := newCLIRun(t, nil)
	tail := "without sub_realms (absent, null or empty): the answer is not the whole customer, so nothing was taken from it."

	run.WriteFile("main.tf", env.customerConfig(`
  name         = "Partial Ltd"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2]
`))
	expectFailure(t, run, []string{"import", "cloudlx_customer.test", id}, "Error: Could not read CloudLX customer "+id,
		fmt.Sprintf("GET %s/api/customers/%s answered HTTP 200 for customer %s %s", env.url, id, id, tail))
	if _, err := os.Stat(filepath.Join(run.Dir, "terraform.tfstate")); err == nil && len(stateIDs(t, run)) > 0 {
		t.Error("the failed import left the customer in state")
	}

	for _, ds := range []struct{ config, summary, detail string }{
		{fmt.Sprintf(`data "cloudlx_customer" "x" { id = %s }`, id), "Error: Could not read CloudLX customer " + id,
			fmt.Sprintf("GET %s/api/customers/%s answered HTTP 200 for customer %s %s", env.url, id, id, tail)},
		{`data "cloudlx_customer" "x" { name = "Partial Ltd" }`, `Error: Could not read CloudLX customer "Partial Ltd"`,
			fmt.Sprintf("GET %s/api/customers listed customer %s %s", env.url, id, tail)},
		{`data "cloudlx_customers" "x" {}`, "Error: Could not list CloudLX customers",
			fmt.Sprintf("GET %s/api/customers listed customer %s %s", env.url, id, tail)},
	} {
		run.WriteFile("main.tf", env.providerBlock()+ds.config+"\n")
		expectFailure(t, run, []string{"plan"}, ds.summary, ds.detail)
	}
	if patches := env.apiRequests("PATCH /api/customers/{id}"); len(patches) > 0 {
		t.Errorf("PATCH sent: %v", patches)
	}
}

// A password in the endpoint URL is refused and never shown: not in the
// output, not in the TF_LOG file, whether it comes from the configuration or
// from CLOUDLX_ENDPOINT.
func TestAccEndpointPassword_neverShown(t *testing.T) {
	password := randomSecret(t)
	run := newCLIRun(t, map[string]string{"TF_LOG": "trace", "TF_LOG_PATH": "terraform.log"})
	var outputs []string
	credentials := fmt.Sprintf("  client_id     = \"endpoint-test-client\"\n  client_secret = %q", randomSecret(t))
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint      = %q\n", "https://admin:"+password+"@cloudlx.example.com")+
		credentials)+redirectCustomer)
	outputs = append(outputs, expectFailure(t, run, []string{"plan"}, "Error: Invalid CloudLX endpoint",
		`The endpoint (from the configuration or CLOUDLX_ENDPOINT) is not usable: "https://***@cloudlx.example.com" must not `+
			`contain credentials (user information before @); remove them from the URL and configure client_id and client_secret instead.`))

	run.SetEnv("CLOUDLX_ENDPOINT", "https://admin:"+password+"@cloudlx.example.com/")
	run.WriteFile("main.tf", cliProviderBlock(credentials)+redirectCustomer)
	outputs = append(outputs, expectFailure(t, run, []string{"plan"}, "Error: Invalid CloudLX endpoint",
		`The endpoint (from the configuration or CLOUDLX_ENDPOINT) is not usable: "https://***@cloudlx.example.com/" must not contain credentials`))

	logFile, err := os.ReadFile(filepath.Join(run.Dir, "terraform.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logFile), "https://***@cloudlx.example.com") {
		t.Error("the TF_LOG file does not hold the masked endpoint: the log check proves nothing")
	}
	for place, text := range map[string]string{"the output": strings.Join(outputs, "\n"), "the TF_LOG file": string(logFile)} {
		if strings.Contains(text, password) {
			t.Errorf("%s holds the endpoint's password", place)
		}
	}
}

// Whitespace around a credential is refused at configure time, by name,
// without showing the value, before any request.
func TestAccCredentialWhitespace_isAnErrorByName(t *testing.T) {
	secret := randomSecret(t)
	env := newTestEnv(t, emulator.Options{ClientID: "ws-client", ClientSecret: secret})
	run := newCLIRun(t, map[string]string{"CLOUDLX_CLIENT_SECRET": secret + "\n"})
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint  = %q\n  client_id = \"ws-client\"", env.url))+redirectCustomer)
	var outputs []string
	outputs = append(outputs, expectFailure(t, run, []string{"plan"}, "Error: Whitespace around CloudLX client_secret", `The CLOUDLX_CLIENT_SECRET `+
		`environment variable (client_secret) ends with a newline (\n). CloudLX credentials never contain whitespace, so this is a `+
		`copying accident, and the value would be refused as a wrong client_secret (HTTP 401); the provider sent nothing and does `+
		`not trim it for you. Remove it where CLOUDLX_CLIENT_SECRET is set: for example `+
		`CLOUDLX_CLIENT_SECRET="$(tr -d '[:space:]' < secret.txt)" rather than "$(cat secret.txt)", or strip the line break from `+
		`the CI variable. The value itself is not shown.`))

	run.SetEnv("CLOUDLX_CLIENT_SECRET", "")
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint      = %q\n  client_id     = \" ws-client\"\n  client_secret = \"%s\\r\\n\"",
		env.url, secret))+redirectCustomer)
	outputs = append(outputs, expectFailure(t, run, []string{"plan"},
		"Error: Whitespace around CloudLX client_id", "client_id starts with a space. CloudLX credentials never contain whitespace",
		"Error: Whitespace around CloudLX client_secret", `client_secret ends with a Windows line break (\r\n). CloudLX credentials never `+
			`contain whitespace, so this is a copying accident, and the value would be refused as a wrong client_secret (HTTP 401); the `+
			`provider sent nothing and does not trim it for you. Remove it in the configuration (for example with trimspace()). The `+
			`value itself is not shown.`))

	if reqs := env.emu.Requests(); len(reqs) > 0 {
		t.Errorf("requests reached the API: %s", routes(reqs))
	}
	for _, out := range outputs {
		if strings.Contains(out, secret) {
			t.Errorf("the output holds the client secret:\n%s", out)
		}
	}
}

// terraform query (the list resource, driven at the protocol level, as no CLI
// here has `query`) refuses a list whose entries are not whole customers.
func TestListResource_partialEntriesAreRefused(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PartialAnswers: emulator.PartialAnswers{Omit: []string{"realms"}, Routes: []string{"GET /api/customers"}}})
	seeded := seedNamed(t, env.emu, "Acme Ltd")
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	got, errs := p.list(nil, true, 0)
	if len(got) != 0 {
		t.Errorf("a partial list returned results: %v", got)
	}
	want := fmt.Sprintf("Could not list CloudLX customers: GET %s/api/customers listed customer %d without realms (absent, null or empty)",
		env.url, seeded[0].ID)
	if !strings.Contains(errs, want) {
		t.Errorf("the error does not say %q:\n%s", want, errs)
	}
}

// A create or update answer that lacks a field is completed with one GET (as
// the documented create answer without realm ids is), and state is the whole
// customer: the next plan is empty.
func TestAccPartialAnswers_writeAnswersAreCompletedByOneRead(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PartialAnswers: emulator.PartialAnswers{Omit: []string{"sub_realms"}, Null: []string{"name"},
		Routes: []string{"POST /api/customers", "PATCH /api/customers/{id}"}}})
	renamed := strings.Replace(customerWithoutAdminUser, `"Acme Ltd"`, `"Acme Renamed"`, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.customerConfig(customerWithoutAdminUser),
				// The apply walk plans the create again (createPlanReads),
				// then the POST and the one GET that completes its answer.
				Check: env.checkWalk("POST /api/customers", createPlanReads+", POST /api/customers, GET /api/customers/{id}"),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("name", str("Acme Ltd")), attrCheck("shown_sub_realms", ids(313, 328)), attrCheck("enabled_sub_realms", ids(313)),
				},
			},
			{
				Config: env.customerConfig(renamed),
				Check:  env.checkWalk("PATCH /api/customers/{id}", "PATCH /api/customers/{id}, GET /api/customers/{id}"),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("name", str("Acme Renamed")), attrCheck("shown_sub_realms", ids(313, 328)), attrCheck("enabled_sub_realms", ids(313)),
				},
			},
			{
				Config:           env.customerConfig(renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
