package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// Acceptance tests of issue 10's numbered cases 1, 2, 4, 6 and 7 (case 3 is
// in secrets_test.go): wrong answers, wrong endpoints and wrong credentials,
// run with the real Terraform CLI the way a user meets them. Each starts from
// two customers applied through a good endpoint, then checks after every
// command that state still holds exactly those two, that the API holds
// exactly those two (nothing lost, nothing duplicated) and which requests the
// command sent.

// evidenceRun is an emulator with two customers applied through Terraform.
type evidenceRun struct {
	t   *testing.T
	env *testEnv
	wd  *clitest.Workdir
	ids []string // the two customers' ids, as in state
}

const twoCustomers = `
resource "cloudlx_customer" "alpha" {
  name         = "Alpha"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2]
}

resource "cloudlx_customer" "beta" {
  name         = "Beta"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2, 7]
}
`

func newEvidenceRun(t *testing.T, opts emulator.Options) *evidenceRun {
	t.Helper()
	r := &evidenceRun{t: t, env: newTestEnv(t, opts)}
	r.wd = newCLIRun(t, nil)
	r.configure(r.credentials(r.env.url))
	r.wd.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	r.ids = stateIDs(t, r.wd)
	if len(r.ids) != 2 || len(r.env.emu.Customers()) != 2 {
		t.Fatalf("setup: state %v, API %d customers", r.ids, len(r.env.emu.Customers()))
	}
	r.env.emu.ResetRequests()
	return r
}

// credentials is a provider block's body with client credentials.
func (r *evidenceRun) credentials(endpoint string) string {
	return fmt.Sprintf("  endpoint      = %q\n  client_id     = %q\n  client_secret = %q",
		endpoint, emulator.DefaultClientID, emulator.DefaultClientSecret)
}

func (r *evidenceRun) configure(providerSettings string) {
	r.wd.WriteFile("main.tf", cliProviderBlock(providerSettings)+twoCustomers)
}

// fails runs a command that must fail, with output matching every pattern.
func (r *evidenceRun) fails(args []string, patterns ...string) {
	r.t.Helper()
	res := r.wd.Run(append(args, "-input=false", "-no-color")...)
	if res.ExitCode == 0 {
		r.t.Fatalf("%s succeeded:\n%s", strings.Join(args, " "), res.Combined())
	}
	out := oneLine(res.Combined())
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(out) {
			r.t.Errorf("%s: output does not match %q:\n%s", strings.Join(args, " "), p, res.Combined())
		}
	}
	if strings.Contains(res.Combined(), "bug in the provider") || strings.Contains(res.Combined(), "provider developers") {
		r.t.Errorf("%s blames the provider:\n%s", strings.Join(args, " "), res.Combined())
	}
}

// expectIntact checks that state and the API still hold exactly the two
// customers: nothing left state, nothing was deleted or created.
func (r *evidenceRun) expectIntact(when string) {
	r.t.Helper()
	if got := stateIDs(r.t, r.wd); !slices.Equal(got, r.ids) {
		r.t.Errorf("%s: state holds %v, want %v", when, got, r.ids)
	}
	if api := customerIDsInEmulator(r.env.emu); !slices.Equal(api, r.ids) {
		r.t.Errorf("%s: the API holds customers %v, want %v", when, api, r.ids)
	}
}

// expectRequests checks the requests since the last call, as sorted
// "ROUTE STATUS xN" entries, and resets the log.
func (r *evidenceRun) expectRequests(when string, want ...string) {
	r.t.Helper()
	counts := map[string]int{}
	for _, req := range r.env.emu.Requests() {
		counts[fmt.Sprintf("%s %d", req.Route, req.Status)]++
	}
	r.env.emu.ResetRequests()
	var got []string
	for k, n := range counts {
		got = append(got, fmt.Sprintf("%s x%d", k, n))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		r.t.Errorf("%s: requests\n  got  %q\n  want %q", when, got, want)
	}
}

const (
	tokenOK     = "POST /api/oauth2/access-token 200 x1"
	twoGetsOK   = "GET /api/customers/{id} 200 x2"
	twoGets404  = "GET /api/customers/{id} 404 x2"
	twoLists    = "GET /api/customers 200 x2"
	noChangesRe = `No changes\. Your infrastructure matches the configuration\.`
)

// Case 1: an endpoint ending in /api (the most common mistake) is refused at
// plan time with the fix, by plan and by destroy -refresh=false alike, from
// the configuration or from CLOUDLX_ENDPOINT; nothing is sent, nothing leaves
// state, nothing is deleted. The mechanism behind the data loss, a 404 from
// the token endpoint, is an authentication error whatever the endpoint: a
// proxy that answers the token route with 404 loses nothing either.
func TestAccEvidence_endpointEndingInAPI(t *testing.T) {
	r := newEvidenceRun(t, emulator.Options{})
	fix := `ends in /api, but the endpoint is the portal's base URL, without /api \(for example "` + regexp.QuoteMeta(r.env.url) + `"\)`

	r.configure(r.credentials(r.env.url + "/api"))
	r.fails([]string{"plan"}, `Invalid CloudLX endpoint`, fix)
	r.fails([]string{"destroy", "-auto-approve", "-refresh=false"}, fix)
	r.expectIntact("with endpoint .../api")
	r.expectRequests("with endpoint .../api") // refused before any request

	r.configure(fmt.Sprintf("  client_id     = %q\n  client_secret = %q", emulator.DefaultClientID, emulator.DefaultClientSecret))
	r.wd.SetEnv(envEndpoint, r.env.url+"/api/")
	r.fails([]string{"plan"}, `CLOUDLX_ENDPOINT`, `ends in /api`)
	r.fails([]string{"destroy", "-auto-approve", "-refresh=false"}, `ends in /api`)
	r.expectIntact("with CLOUDLX_ENDPOINT .../api/")
	r.expectRequests("with CLOUDLX_ENDPOINT .../api/")
	r.wd.SetEnv(envEndpoint, "")

	// The token route answered 404 by a proxy: an authentication error that
	// names the URL and the fix, for the refresh and for a destroy that does
	// not refresh (which used to report "Destroy complete", deleting nothing).
	r.configure(r.credentials(r.env.url))
	r.env.emu.SetOptions(func(o *emulator.Options) {
		o.GatewayNotFoundRoutes = []string{"POST /api/oauth2/access-token"}
	})
	tokenURL := regexp.QuoteMeta(r.env.url + "/api/oauth2/access-token")
	r.fails([]string{"plan"}, `CloudLX authentication failed`, `POST `+tokenURL+`: HTTP 404 Not Found`,
		`The token endpoint is not at `+tokenURL+`\. Check endpoint \(or CLOUDLX_ENDPOINT\): it is the portal's base URL`)
	r.expectIntact("plan with the token route answered 404")
	r.expectRequests("plan with the token route answered 404", "POST /api/oauth2/access-token 404 x2")
	r.fails([]string{"destroy", "-auto-approve", "-refresh=false"}, `CloudLX authentication failed`, `HTTP 404`)
	r.expectIntact("destroy -refresh=false with the token route answered 404")
	r.expectRequests("destroy -refresh=false with the token route answered 404", "POST /api/oauth2/access-token 404 x2")

	// Fixed: the next plan finds both customers where they were.
	r.env.emu.SetOptions(func(o *emulator.Options) { o.GatewayNotFoundRoutes = nil })
	r.wd.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	r.expectIntact("after the fix")
	r.expectRequests("after the fix", tokenOK, twoGetsOK)
}

// Case 2: a gateway answering the refresh GETs with its own HTML 404 page
// removes nothing: the customer list still holds both customers, so the plan
// fails with an error naming the URL and what to check. A wrong path prefix
// with access_token auth (every route 404, the list too) is the same. And a
// customer really deleted in the portal is still found and planned again.
func TestAccEvidence_a404TheListContradictsRemovesNothing(t *testing.T) {
	r := newEvidenceRun(t, emulator.Options{StaticTokens: []string{"minted-in-a-vault"}})
	getURL := regexp.QuoteMeta(r.env.url+"/api/customers/") + `\d+`

	r.env.emu.SetOptions(func(o *emulator.Options) { o.GatewayNotFoundRoutes = []string{"GET /api/customers/{id}"} })
	r.fails([]string{"plan"}, `Could not read CloudLX customer \d+`, `GET `+getURL+`: HTTP 404 Not Found`,
		`The customer list \(`+regexp.QuoteMeta(r.env.url+"/api/customers")+`\) still holds customer \d+`,
		`The 404 was an HTML page`, `Customer \d+ stays in Terraform state`)
	r.expectIntact("plan through the gateway")
	// Each 404 costs one list, and only the 404s do.
	r.expectRequests("plan through the gateway", tokenOK, twoGets404, twoLists)
	r.fails([]string{"apply", "-auto-approve"}, `still holds customer`)
	r.expectIntact("apply through the gateway")
	r.expectRequests("apply through the gateway", tokenOK, twoGets404, twoLists)
	r.env.emu.SetOptions(func(o *emulator.Options) { o.GatewayNotFoundRoutes = nil })

	// access_token auth and a path prefix the API does not serve: every
	// route answers 404, so the list cannot confirm anything.
	r.configure(fmt.Sprintf("  endpoint     = %q\n  access_token = %q", r.env.url+"/cloudlx", "minted-in-a-vault"))
	r.fails([]string{"plan"}, `GET `+regexp.QuoteMeta(r.env.url+"/cloudlx/api/customers/")+`\d+: HTTP 404`,
		`the list \(`+regexp.QuoteMeta(r.env.url+"/cloudlx/api/customers")+`\) could not be read`, `stays in Terraform state`)
	r.expectIntact("plan with a wrong path prefix")
	r.expectRequests("plan with a wrong path prefix", "GET (unknown) 404 x4")

	// Deleted in the portal: its GET answers 404, the list agrees, and the
	// plan offers to create it again.
	r.configure(r.credentials(r.env.url))
	deleted := r.env.customerIDByName("Beta")
	r.env.emu.DeleteCustomer(deleted)
	plan := r.wd.MustRun("plan", "-input=false", "-no-color")
	if !strings.Contains(plan.Stdout, "cloudlx_customer.beta will be created") || !strings.Contains(plan.Stdout, "1 to add, 0 to change, 0 to destroy") {
		t.Errorf("the plan does not recreate the deleted customer:\n%s", plan.Stdout)
	}
	// The plan that creates it checks its realm against the catalogue.
	r.expectRequests("plan after a deletion in the portal", tokenOK,
		"GET /api/customers/{id} 200 x1", "GET /api/customers/{id} 404 x1", "GET /api/customers 200 x1", "GET /api/realms 200 x1")
}

// Case 4: a list that says "paginates": true with a num_results larger than
// it returns, and ignores `page`. The refresh's list stops after its second
// page (it added nothing), the remaining customers are read one by one, and
// the plan is right; the cloudlx_customers data source fails with a clear
// error instead of paging until its timeout.
func TestAccEvidence_aListThatIgnoresThePageEnds(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 2, ListIgnoresPage: true})
	const n = 7
	cfg := env.manyCustomersConfig(n, "", "")
	wd := newCLIRun(t, nil)
	wd.WriteFile("main.tf", cfg)
	wd.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	env.emu.ResetRequests()

	res := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if res.ExitCode != 0 || !regexp.MustCompile(noChangesRe).MatchString(res.Stdout) {
		t.Fatalf("plan:\n%s", res.Combined())
	}
	// The threshold's GETs, two pages of the list, and a GET for each of the
	// rest (the list failed, so it answers none).
	if err := env.expectWalks(fmt.Sprintf("GET /api/customers x2, GET /api/customers/{id} x%d", n)); err != nil {
		t.Error(err)
	}
	if got := len(stateIDs(t, wd)); got != n || len(env.emu.Customers()) != n {
		t.Errorf("state holds %d customers and the API %d, want %d", got, len(env.emu.Customers()), n)
	}

	wd.WriteFile("main.tf", cfg+`
data "cloudlx_customers" "all" {}
`)
	res = wd.Run("plan", "-input=false", "-no-color", "-refresh=false")
	if res.ExitCode == 0 || !regexp.MustCompile(`the list is inconsistent: it says "paginates": true and "num_results": 7, but 2 pages returned 2 distinct items and page 2 added no item`).MatchString(oneLine(res.Combined())) {
		t.Errorf("data source over a list that ignores the page:\n%s", res.Combined())
	}
	if got := env.emu.Count("GET /api/customers"); got != 2 {
		t.Errorf("the data source sent %d list requests, want 2", got)
	}
}

// Case 6: a wrong client secret names client_id, client_secret and their
// environment variables, and the full URL of the token request.
func TestAccEvidence_wrongClientSecretSaysWhatToFix(t *testing.T) {
	r := newEvidenceRun(t, emulator.Options{})
	r.configure(fmt.Sprintf("  endpoint      = %q\n  client_id     = %q\n  client_secret = \"not-the-secret\"", r.env.url, emulator.DefaultClientID))
	r.fails([]string{"plan"}, `CloudLX authentication failed`,
		`requesting an access token with client_id "`+emulator.DefaultClientID+`": POST `+regexp.QuoteMeta(r.env.url+"/api/oauth2/access-token")+`: HTTP 401 Unauthorized: Invalid client credentials\.`,
		`Check client_id and client_secret in the provider configuration \(or the CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET environment variables\)`)
	r.expectIntact("plan with a wrong secret")
	// One token request per read, each refused; nothing else is sent.
	r.expectRequests("plan with a wrong secret", "POST /api/oauth2/access-token 401 x2")
}

// Case 7: an endpoint that accepts connections and never answers. The error
// says how many attempts were made, how long each could take
// (request_timeout), and that the endpoint accepted the connection but did not
// answer; state keeps both customers.
func TestAccEvidence_anEndpointThatNeverAnswers(t *testing.T) {
	r := newEvidenceRun(t, emulator.Options{})
	silent, err := emulator.ListenSilent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	r.configure(r.credentials(silent.URL()) + "\n  request_timeout = \"1s\"\n  max_retries     = 1")
	r.fails([]string{"plan", "-parallelism=1"}, `CloudLX authentication failed`,
		`POST `+regexp.QuoteMeta(silent.URL()+"/api/oauth2/access-token")+`: no answer after 2 attempts of up to 1s each \(request_timeout\): the endpoint accepted the connection but did not answer`)
	r.expectIntact("plan against an endpoint that never answers")
	// Two reads, each waiting for the token: the first read's two attempts,
	// then the second read's own two (the first fetch failed, nothing is cached).
	if got := silent.Accepted(); got != 4 {
		t.Errorf("the silent endpoint accepted %d connections, want 4 (2 reads x 2 attempts)", got)
	}
	r.expectRequests("plan against an endpoint that never answers") // the emulator heard nothing
}
