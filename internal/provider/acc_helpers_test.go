package provider

// The acceptance-test harness of this package, in one place: the in-process
// provider, testEnv (an emulator of one test's own) with its configurations
// and its views of the emulator's request log, the knownvalue shorthands, and
// the helpers of the tests that drive the Terraform CLI themselves. Helpers of
// one feature's tests stay with them: the protocol-level harness in
// protocol_test.go, the catalogue checks with the catalogue data source's
// tests, the customer data source checks with that data source's tests.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
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
	return newWrappedTestEnv(t, opts, func(emu *emulator.Server) http.Handler { return emu })
}

// newWrappedTestEnv is newTestEnv with the emulator behind the handler wrap
// returns, for answers the emulator itself never gives and for counting what
// reached the server.
func newWrappedTestEnv(t *testing.T, opts emulator.Options, wrap func(emu *emulator.Server) http.Handler) *testEnv {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(wrap(emu))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, emu: emu, url: srv.URL}
}

// --- Configurations ---

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

// providerBlock configures the provider for this env. Retries are kept, so
// tests exercise the same client a user gets.
func (e *testEnv) providerBlock() string {
	return e.providerBlockWith("")
}

// providerBlockWith is providerBlock with extra provider arguments.
func (e *testEnv) providerBlockWith(extra string) string {
	settings := fmt.Sprintf(`  endpoint      = %q
  client_id     = "test-client-id"
  client_secret = "test-client-secret"`, e.url)
	if extra != "" {
		settings += "\n  " + extra
	}
	return "\n" + cliProviderBlock(settings)
}

const customerAddr = "cloudlx_customer.test"

// customerBlock is the resource block of cloudlx_customer.test with body.
func customerBlock(body string) string {
	return "\nresource \"cloudlx_customer\" \"test\" {\n" + body + "\n}\n"
}

func (e *testEnv) customerConfig(body string) string {
	return e.providerBlock() + customerBlock(body)
}

// customerWithoutAdminUser is fullCustomer without its admin_user, which an
// imported customer never has: its import plans clean.
const customerWithoutAdminUser = `
  name               = "Acme Ltd"
  currency_iso       = "USD"
  country_iso        = "US"
  realms             = [2, 7]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]
`

// fullCustomer sets every attribute of a customer.
const fullCustomer = customerWithoutAdminUser + `  admin_user = {
    email      = "ops@acme.example"
    first_name = "Jane"
    last_name  = "Doe"
  }
`

// minimalCustomer sets only the required attributes.
const minimalCustomer = `
  name         = "Minimal"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [1]
`

// manyCustomersConfig manages n customers. threshold is the provider's
// bulk_refresh_threshold, or "" to leave the default.
func (e *testEnv) manyCustomersConfig(n int, threshold, nameSuffix string) string {
	e.t.Helper()
	provider := e.providerBlock()
	if threshold != "" {
		provider = e.providerBlockWith("bulk_refresh_threshold = " + threshold)
	}
	return provider + fmt.Sprintf(`
resource "cloudlx_customer" "c" {
  count        = %d
  name         = "Customer ${count.index}%s"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2]
}
`, n, nameSuffix)
}

// --- The emulator's customers ---

// mustCreateCustomer creates a customer in the emulator, as if in the portal.
func (e *testEnv) mustCreateCustomer(in emulator.CustomerInput) emulator.Customer {
	e.t.Helper()
	c, err := e.emu.CreateCustomer(in)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// seedNamed makes customers with these names in the emulator and returns them.
func seedNamed(t *testing.T, emu *emulator.Server, names ...string) []emulator.Customer {
	t.Helper()
	var out []emulator.Customer
	for _, name := range names {
		c, err := emu.CreateCustomer(emulator.CustomerInput{
			Name: name, CurrencyISO: "GBP", CountryISO: "GB",
			Realms: []int64{2, 7}, ShownSubRealms: []int64{313, 328}, EnabledSubRealms: []int64{313},
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// onlyCustomer returns the one customer the emulator holds, failing on any other count.
func onlyCustomer(t *testing.T, emu *emulator.Server) emulator.Customer {
	t.Helper()
	all := emu.Customers()
	if len(all) != 1 {
		t.Fatalf("the emulator holds %d customers, want 1: %+v", len(all), all)
	}
	return all[0]
}

// currentID returns the id of the only customer in the emulator.
func (e *testEnv) currentID() int64 {
	e.t.Helper()
	return onlyCustomer(e.t, e.emu).ID
}

// customerIDByName returns the emulator's id of the customer named name.
func (e *testEnv) customerIDByName(name string) int64 {
	e.t.Helper()
	for _, c := range e.emu.Customers() {
		if c.Name == name {
			return c.ID
		}
	}
	e.t.Fatalf("no customer named %q", name)
	return 0
}

// customerIDsInEmulator returns the ids of the emulator's customers, sorted as
// strings (as stateIDs and customerIDsInState return them).
func customerIDsInEmulator(emu *emulator.Server) []string {
	var out []string
	for _, c := range emu.Customers() {
		out = append(out, fmt.Sprint(c.ID))
	}
	sort.Strings(out)
	return out
}

// customerIDsInState returns the ids of every cloudlx_customer in state.
func customerIDsInState(s *terraform.State) []string {
	var out []string
	for _, m := range s.Modules {
		for _, rs := range m.Resources {
			if rs.Type == "cloudlx_customer" && rs.Primary != nil {
				out = append(out, rs.Primary.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// --- The emulator's request log ---

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

// routes renders requests as "ROUTE, ROUTE".
func routes(reqs []emulator.Request) string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Route
	}
	return strings.Join(out, ", ")
}

// checkNoAPIRequests fails if a request other than a token request reached
// the API; what names what must not have reached it.
func (e *testEnv) checkNoAPIRequests(what string) resource.TestCheckFunc {
	return checkNone(what, func() []emulator.Request { return e.apiRequests("") })
}

// checkNoRequests is checkNoAPIRequests for token requests too: for what
// must fail before the provider asks for a token.
func (e *testEnv) checkNoRequests(what string) resource.TestCheckFunc {
	return checkNone(what, e.emu.Requests)
}

func checkNone(what string, requests func() []emulator.Request) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if reqs := requests(); len(reqs) != 0 {
			return fmt.Errorf("%s reached the API: %s", what, routes(reqs))
		}
		return nil
	}
}

// userAgentPattern is the User-Agent of every request of the provider that
// testAccProtoV6ProviderFactories runs: the version handed to New, and the
// CLI's.
var userAgentPattern = regexp.MustCompile(`^terraform-provider-cloudlx/test \(\+https://registry\.terraform\.io/providers/cloudlx-community/cloudlx\) Terraform/\d+\.\d+\.\d+`)

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

func (e *testEnv) checkWrites(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error { return e.expectWrites(want...) }
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

// checkWalk fails unless the walk that sent route sent exactly want (routes joined by ", ").
func (e *testEnv) checkWalk(route, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := routes(e.walkOf(route)); got != want {
			return fmt.Errorf("the walk that sent %s sent: %s; want %s", route, got, want)
		}
		return nil
	}
}

// walkSummaries summarises the requests since the last reset, one line per
// walk such as "GET /api/customers x1, GET /api/customers/{id} x10", sorted,
// and resets the log.
func (e *testEnv) walkSummaries() []string {
	var out []string
	for _, walk := range e.walks() {
		counts := map[string]int{}
		for _, r := range walk {
			counts[r.Route]++
		}
		var parts []string
		for route, n := range counts {
			parts = append(parts, fmt.Sprintf("%s x%d", route, n))
		}
		slices.Sort(parts)
		out = append(out, strings.Join(parts, ", "))
	}
	e.emu.ResetRequests()
	slices.Sort(out)
	return out
}

func (e *testEnv) expectWalks(want ...string) error {
	got := e.walkSummaries()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("requests by walk:\n  got  %q\n  want %q", got, want)
	}
	return nil
}

// expectPagesPerWalk checks that every walk that requested route (a list)
// asked for exactly pages pages, in order, and that at least one did.
func (e *testEnv) expectPagesPerWalk(route string, pages int) error {
	want := make([]string, pages)
	for i := range want {
		want[i] = fmt.Sprintf("max_per_page=200&page=%d", i+1)
	}
	reads := 0
	for _, walk := range e.walks() {
		var got []string
		for _, r := range walk {
			if r.Route == route {
				got = append(got, r.Query)
			}
		}
		if len(got) == 0 {
			continue
		}
		reads++
		if strings.Join(got, " ") != strings.Join(want, " ") {
			return fmt.Errorf("a read sent %d %s requests %q, want %d: %q", len(got), route, got, pages, want)
		}
	}
	if reads == 0 {
		return fmt.Errorf("no %s requests", route)
	}
	return nil
}

// --- knownvalue shorthands ---

func str(s string) knownvalue.Check { return knownvalue.StringExact(s) }
func num(n int64) knownvalue.Check  { return knownvalue.Int64Exact(n) }
func ids(ns ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ns))
	for i, n := range ns {
		checks[i] = num(n)
	}
	return knownvalue.SetExact(checks)
}

// attrCheck checks one attribute of cloudlx_customer.test in state.
func attrCheck(name string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(customerAddr, tfjsonpath.New(name), check)
}

// --- Errors and CLI output ---

// errorMatching builds an ExpectError regexp from words; Terraform wraps long
// diagnostics, so any run of whitespace matches a space.
func errorMatching(words string) *regexp.Regexp {
	parts := strings.Fields(words)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `\s+`))
}

// oneLine joins Terraform's wrapped, boxed error text so patterns can span
// its line breaks.
func oneLine(s string) string {
	s = regexp.MustCompile(`\n[│╷╵ ]*`).ReplaceAllString(s, " ")
	return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
}

// lastLines is the last n lines of s, to show the end of a command's output.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// --- Tests that drive the Terraform CLI themselves ---

// Some behaviour can only be seen from outside terraform-plugin-testing: what
// lands in TF_LOG files and plan output, -parallelism (terraform-exec always
// passes -parallelism=10 itself, overriding TF_CLI_ARGS_apply), and how the
// provider stops when Terraform is interrupted. Those tests build the provider
// binary and drive the Terraform CLI the way a user does, with a dev_overrides
// CLI configuration, against an emulator on loopback in this process.

// requireAcc skips the test unless TF_ACC is set, as resource.Test does: for
// the tests that drive a CLI without it.
func requireAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to drive the Terraform CLI (make test does)")
	}
}

// newCLIRun is a working directory in which the test runs the Terraform CLI
// that terraform-plugin-testing uses, with the provider built from this module
// (see internal/clitest). env is added to every command's environment.
func newCLIRun(t *testing.T, env map[string]string) *clitest.Workdir {
	t.Helper()
	requireAcc(t)
	return clitest.NewWorkdir(t, clitest.Terraform(t), env)
}

// stateIDs returns the ids of the cloudlx_customer instances in the local state.
func stateIDs(t *testing.T, w *clitest.Workdir) []string {
	t.Helper()
	raw := []byte(w.ReadFile("terraform.tfstate"))
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID json.Number `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, res := range state.Resources {
		if res.Type != "cloudlx_customer" {
			continue
		}
		for _, inst := range res.Instances {
			ids = append(ids, inst.Attributes.ID.String())
		}
	}
	sort.Strings(ids)
	return ids
}

// elapsed runs f and returns how long it took.
func elapsed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
