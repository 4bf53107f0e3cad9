package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/iso"
)

// createChecks are the catalogue reads of a walk that plans creating a
// customer with realms and sub-realms: each catalogue once.
const createChecks = "GET /api/realms, GET /api/sub-realms"

// createPlanReads are all the reads of a walk that plans creating such a
// customer: the catalogues, then the customer list of the duplicate-name
// guard (customer_lifecycle.go).
const createPlanReads = createChecks + ", GET /api/customers"

// diagMatching matches an error with this summary whose text, from the
// configuration line it quotes on, reads words (see errorMatching).
func diagMatching(summary, words string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Error: ` + regexp.QuoteMeta(summary) + `\n.*` + strings.TrimPrefix(errorMatching(words).String(), "(?s)"))
}

// checkNoWrites fails if anything but a read reached the API.
func (e *testEnv) checkNoWrites(what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if w := e.writes(); len(w) > 0 {
			return fmt.Errorf("%s sent %q", what, w)
		}
		return nil
	}
}

// A well-formed code missing from the table fails the plan, with the code it
// is most likely a typo of; nothing is written.
func TestAccCustomer_isoCodeTyposFailThePlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.customerConfig(strings.Replace(minimalCustomer, `"EUR"`, `"GPB"`, 1)),
				ExpectError: diagMatching("Unknown currency code", `currency_iso = "GPB" currency_iso: "GPB" is not in this provider's table of ISO 4217 currency codes (checked on `+
					iso.AsOf+`), so CloudLX would refuse it when the plan is applied. Did you mean "GBP"? If "GPB" is a currency `+
					`assigned since that CloudLX accepts, allow it in the provider configuration with additional_currency_codes = `+
					`["GPB"], or with the environment variable CLOUDLX_ADDITIONAL_CURRENCY_CODES=GPB.`),
			},
			{
				Config:      env.customerConfig(strings.Replace(minimalCustomer, `"DE"`, `"ED"`, 1)),
				ExpectError: diagMatching("Unknown country code", `country_iso = "ED" country_iso: "ED" is not in this provider's table of ISO 3166-1 alpha-2 country codes (checked on `+iso.AsOf+`), so CloudLX would refuse it when the plan is applied. Did you mean "DE"?`),
			},
		},
		CheckDestroy: env.checkNoWrites("plans refused for their codes"),
	})
}

// A code assigned after the table's date is allowed by the provider's
// additional codes (an attribute, or its environment variable) and reaches
// CloudLX, which accepts it; a customer that already holds it plans clean
// without the setting, because the plan only checks what it creates or
// changes. Not parallel: it sets an environment variable of this process,
// where the provider runs.
func TestAccCustomer_additionalCodesReachTheAPI(t *testing.T) {
	t.Setenv(envAdditionalCountryCodes, "XK, QZ")
	env := newTestEnv(t, emulator.Options{ExtraCurrencies: []string{"XYZ"}, ExtraCountries: []string{"XK"}})
	body := `
  name         = "Prishtina Ltd"
  currency_iso = "XYZ"
  country_iso  = "XK"
  realms       = [2]
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerBlockWith(`additional_currency_codes = ["XYZ"]`) + customerBlock(body),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("currency_iso", str("XYZ")), attrCheck("country_iso", str("XK")),
				},
				Check: env.checkWrites(`POST /api/customers {"country_iso":"XK","currency_iso":"XYZ","enabled_sub_realms":[],"name":"Prishtina Ltd","realms":[2],"shown_sub_realms":[]}`),
			},
			{
				Config:           env.customerConfig(body),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.checkWrites(),
			},
			{
				// Without the setting, a new customer with the code is refused.
				Config:      env.customerConfig(body) + customerBlockNamed("other", strings.Replace(body, `"Prishtina Ltd"`, `"Other"`, 1)),
				ExpectError: errorMatching(`"XYZ" is not in this provider's table of ISO 4217 currency codes`),
			},
		},
		CheckDestroy: env.checkWrites(`DELETE /api/customers/{id}`),
	})
}

func customerBlockNamed(name, body string) string {
	return "\nresource \"cloudlx_customer\" \"" + name + "\" {\n" + body + "\n}\n"
}

func TestAdditionalCodesFromTheEnvironment(t *testing.T) {
	t.Setenv(envAdditionalCurrencyCodes, " XYZ,,ABC ")
	var diags diag.Diagnostics
	unset := types.ListNull(types.StringType)
	got := additionalCodes(t.Context(), unset, &iso.Currencies, envAdditionalCurrencyCodes, &diags)
	if diags.HasError() || len(got) != 2 || !got["XYZ"] || !got["ABC"] {
		t.Errorf("got %v, %v", got, diags)
	}
	// The attribute, when set, wins over the variable.
	configured := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("QQQ")})
	if got := additionalCodes(t.Context(), configured, &iso.Currencies, envAdditionalCurrencyCodes, &diags); len(got) != 1 || !got["QQQ"] {
		t.Errorf("got %v, want only the configured QQQ", got)
	}
	// An element known only after apply cannot configure the provider.
	diags = nil
	partly := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("QQQ"), types.StringUnknown()})
	additionalCodes(t.Context(), partly, &iso.Currencies, envAdditionalCurrencyCodes, &diags)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Summary(), "Unknown CloudLX provider setting: additional_currency_codes") {
		t.Errorf("an unknown element: %v", diags)
	}
	t.Setenv(envAdditionalCurrencyCodes, "XYZ,usd,EURO")
	diags = nil
	additionalCodes(t.Context(), unset, &iso.Currencies, envAdditionalCurrencyCodes, &diags)
	if n := len(diags.Errors()); n != 2 || !strings.Contains(diags.Errors()[0].Detail(),
		`CLOUDLX_ADDITIONAL_CURRENCY_CODES holds "usd", which is not an uppercase ISO 4217 currency code of 3 letters`) {
		t.Errorf("want 2 errors naming the variable and the code, got %v", diags)
	}
}

// Realm and sub-realm ids are checked against the catalogues in plans that
// create a customer or change those sets; the error names the attribute and
// the unknown id, and lists the known ones by id and name.
func TestAccCustomer_unknownCatalogueIDsFailThePlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	knownRealms := `The known realms are: 1 ("Default"), 2 ("Networking"), 3 ("Compute"), 4 ("Storage"), 5 ("Security"), 7 ("Voice").`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.customerConfig(strings.Replace(fullCustomer, "[2, 7]", "[2, 99, 98]", 1)),
				ExpectError: diagMatching("Unknown realm id", `realms = [2, 99, 98] realms contains 98 and 99, which are not in CloudLX's realm catalogue (GET /api/realms), `+
					`so CloudLX would refuse them when the plan is applied. `+knownRealms+` Use one of these ids, or look one up `+
					`by name with the cloudlx_realms data source, for example data.cloudlx_realms.all.ids_by_name["Networking"].`),
			},
			{
				Config: env.customerConfig(fullCustomer),
				Check:  env.checkWrites(`POST /api/customers {"country_iso":"US","currency_iso":"USD","email":"ops@acme.example","enabled_sub_realms":[313],"first_name":"Jane","last_name":"Doe","name":"Acme Ltd","realms":[2,7],"role_group":"Admin","shown_sub_realms":[313,328]}`),
			},
			{
				Config:      env.customerConfig(strings.Replace(fullCustomer, "[2, 7]", "[2, 7, 6]", 1)),
				ExpectError: errorMatching(`realms contains 6, which is not in CloudLX's realm catalogue (GET /api/realms)`),
			},
			{
				Config: env.customerConfig(strings.Replace(fullCustomer, "[313, 328]", "[313, 328, 999]", 1)),
				ExpectError: diagMatching("Unknown sub-realm id", `shown_sub_realms = [313, 328, 999] shown_sub_realms contains 999, which is not in CloudLX's sub-realm catalogue `+
					`(GET /api/sub-realms), so CloudLX would refuse it when the plan is applied. The known sub-realms are: `+
					`301 ("Internet Access"), 313 ("SD WAN"), 328 ("Cloud SBC & Conversion"), 340 ("SIP Trunking"), `+
					`355 ("Number Porting"), 362 ("Teams Direct Routing").`),
				Check: env.checkWrites(),
			},
		},
		CheckDestroy: env.checkWrites(`DELETE /api/customers/{id}`),
	})
}

// Plans that neither create a customer nor change its realm sets read no
// catalogue; those that do read each catalogue they need once per Terraform
// command, however many customers they create.
func TestAccCustomer_catalogueReadsOnlyWhereNeeded(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	config := func(n int, name, realms string) string {
		return env.providerBlock() + fmt.Sprintf(`
resource "cloudlx_customer" "c" {
  count              = %d
  name               = "%s ${count.index}"
  currency_iso       = "EUR"
  country_iso        = "DE"
  realms             = %s
  shown_sub_realms   = [313]
  enabled_sub_realms = [313]
}
`, n, name, realms)
	}
	expectCatalogueWalks := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			var got []string
			for _, walk := range env.walks() {
				r, s := 0, 0
				for _, req := range walk {
					switch req.Route {
					case "GET /api/realms":
						r++
					case "GET /api/sub-realms":
						s++
					}
				}
				got = append(got, fmt.Sprintf("realms x%d, sub-realms x%d", r, s))
			}
			env.emu.ResetRequests()
			if strings.Join(got, "; ") != strings.Join(want, "; ") {
				return fmt.Errorf("catalogue reads by walk: %q, want %q", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Twenty creates: each catalogue once in the plan and once in the apply.
				Config: config(20, "Customer", "[2]"),
				Check:  expectCatalogueWalks("realms x1, sub-realms x1", "realms x1, sub-realms x1"),
			},
			{
				// A name change of every customer: no catalogue.
				Config: config(20, "Renamed", "[2]"),
				Check:  expectCatalogueWalks("realms x0, sub-realms x0", "realms x0, sub-realms x0", "realms x0, sub-realms x0"),
			},
			{
				// Realms of every customer change: the realm catalogue only.
				Config: config(20, "Renamed", "[2, 7]"),
				Check:  expectCatalogueWalks("realms x0, sub-realms x0", "realms x1, sub-realms x0", "realms x1, sub-realms x0"),
			},
			{
				Config:   config(20, "Renamed", "[2, 7]"),
				PlanOnly: true,
				Check:    expectCatalogueWalks(),
			},
		},
	})
}

// Where a catalogue cannot be read the plan goes on and CloudLX decides: a
// catalogue the account does not serve (404) silently, any other failure with
// a warning. Either way it is read once per process, not once per customer.
// terraform-plugin-testing does not show warnings, so this runs the CLI.
func TestAccCustomer_unreadableCatalogueLeavesTheDecisionToCloudLX(t *testing.T) {
	for _, tc := range []struct {
		status  int
		warning string
	}{
		{http.StatusNotFound, ""},
		{http.StatusForbidden, "Could not check realm ids against the CloudLX realm catalogue"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var catalogueReads atomic.Int32 // the emulator never sees them
			env := newWrappedTestEnv(t, emulator.Options{}, func(next *emulator.Server) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/api/realms" {
						catalogueReads.Add(1)
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(tc.status)
						_, _ = fmt.Fprintf(w, `{"message":"%s","status_code":%d}`, http.StatusText(tc.status), tc.status)
						return
					}
					next.ServeHTTP(w, r)
				})
			})
			run := newCLIRun(t, nil)
			run.WriteFile("main.tf", env.providerBlock()+`
resource "cloudlx_customer" "c" {
  count        = 3
  name         = "Customer ${count.index}"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2, 99]
}
`)
			res := run.Run("plan", "-no-color", "-detailed-exitcode")
			if res.ExitCode != 2 || !strings.Contains(res.Stdout, "3 to add") {
				t.Fatalf("the plan did not go on:\n%s", res)
			}
			out := oneLine(res.Combined())
			if tc.warning == "" && strings.Contains(out, "Warning: Could not check") {
				t.Errorf("a catalogue the account does not serve warns:\n%s", res)
			}
			if tc.warning != "" && !regexp.MustCompile(`Warning: `+tc.warning+`.*Reading the realm catalogue \(GET /api/realms\) failed, so the plan goes on without checking realms; CloudLX checks the ids when the plan is applied.*HTTP 403`).MatchString(out) {
				t.Errorf("no warning %q:\n%s", tc.warning, res)
			}
			// Besides the one catalogue read, only the duplicate-name guard's
			// customer list, once for the three creates.
			if got := routes(env.apiRequests("")); got != "GET /api/customers" || catalogueReads.Load() != 1 {
				t.Errorf("the plan sent %d catalogue reads and %q; want one catalogue read and GET /api/customers", catalogueReads.Load(), got)
			}
		})
	}
}

func TestCheckISOCode(t *testing.T) {
	data := &providerData{extraCodes: map[*iso.Table]map[string]bool{&iso.Currencies: {"XYZ": true}, &iso.Countries: {}}}
	p := path.Root("currency_iso")
	for _, tc := range []struct {
		table *iso.Table
		code  string
		want  string // "" for no error
	}{
		{&iso.Currencies, "GBP", ""},
		{&iso.Currencies, "VES", ""},
		{&iso.Currencies, "XYZ", ""}, // allowed by additional_currency_codes
		{&iso.Currencies, "GPB", `Did you mean "GBP"?`},
		{&iso.Currencies, "USS", `Did you mean "USD", "USN" or "UZS"?`},
		{&iso.Currencies, "QQQ", `Use the customer's currency code.`},
		{&iso.Currencies, "HRK", ""}, // withdrawn: the attribute validator's
		{&iso.Currencies, "gpb", ""}, // lowercase: the attribute validator's
		{&iso.Countries, "XYZ", ""},  // malformed: the attribute validator's
		{&iso.Countries, "XK", `additional_country_codes = ["XK"], or with the environment variable CLOUDLX_ADDITIONAL_COUNTRY_CODES=XK`},
	} {
		d := data.checkISOCode(p, tc.table, tc.code)
		switch {
		case tc.want == "" && d != nil:
			t.Errorf("%s: unexpected %s", tc.code, d.Detail())
		case tc.want != "" && (d == nil || !strings.Contains(d.Detail(), tc.want)):
			t.Errorf("%s: got %v, want an error containing %q", tc.code, d, tc.want)
		}
	}
}

// names resolve to ids in their order; an unknown name is an error naming
// it, suggesting the closest known name and listing the known ones.
func TestAccRealmsDataSource_namesToIDs(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerBlock() + `
data "cloudlx_realms" "these" {
  names = ["Voice", "Networking", "Default"]
}

data "cloudlx_sub_realms" "these" {
  names = ["SD WAN", "Cloud SBC & Conversion"]
}

data "cloudlx_realms" "all" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudlx_realms.these", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{num(7), num(2), num(1)})),
					statecheck.ExpectKnownValue("data.cloudlx_sub_realms.these", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{num(313), num(328)})),
					statecheck.ExpectKnownValue("data.cloudlx_realms.all", tfjsonpath.New("ids"), knownvalue.Null()),
				},
			},
			{
				Config: env.providerBlock() + `
data "cloudlx_realms" "these" {
  names = ["Voice", "Netwroking"]
}
`,
				ExpectError: diagMatching("Unknown realm name", `names = ["Voice", "Netwroking"] names[1]: no realm in CloudLX's catalogue is named "Netwroking". Did you mean `+
					`"Networking"? Names are matched exactly, case included. The known realms are: "Compute", "Default", `+
					`"Networking", "Security", "Storage", "Voice".`),
			},
		},
	})
}

// 200 catalogue data sources, one per customer, cost one read of the
// catalogue per Terraform command: the provider process reads it once. It
// uses count rather than for_each, which terraform-plugin-testing's state
// checks do not support on data sources; the provider sees no difference.
func TestAccRealmsDataSource_forEachReadsTheCatalogueOnce(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + `
locals {
  realm_of_customer = [for i in range(200) : ["Networking", "Voice", "Default"][i % 3]]
}

data "cloudlx_realms" "of" {
  count = length(local.realm_of_customer)
  names = [local.realm_of_customer[count.index]]
}

output "ids" {
  value = toset([for d in data.cloudlx_realms.of : d.ids[0]])
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("ids", knownvalue.SetExact([]knownvalue.Check{num(1), num(2), num(7)})),
			},
			Check: func(*terraform.State) error {
				if err := env.expectPagesPerWalk("GET /api/realms", 1); err != nil {
					return err
				}
				if n := len(env.walks()); n == 0 {
					return fmt.Errorf("no walks")
				}
				return nil
			},
		}},
	})
}

// Many resources plan at once: concurrent callers share one read of each
// catalogue, a failed read is remembered (one request, not one per resource),
// and a read cut short by its caller's context is not.
func TestCatalogueCacheReadsOncePerProcess(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	env := newWrappedTestEnv(t, emulator.Options{Latency: 20 * time.Millisecond}, func(next *emulator.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/sub-realms" && status.Load() != http.StatusOK {
				next.ServeHTTP(httptest.NewRecorder(), r) // logged, answered below
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(int(status.Load()))
				_, _ = fmt.Fprintf(w, `{"message":"no","status_code":%d}`, status.Load())
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	data := env.customerResource().data
	ctx := t.Context()

	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if entries, err := data.catalogue(ctx, realmsCatalogue); err != nil || len(entries) != 6 {
				t.Errorf("got %d entries, %v", len(entries), err)
			}
		}()
	}
	wg.Wait()
	if n := len(env.apiRequests("GET /api/realms")); n != 1 {
		t.Errorf("50 concurrent callers sent %d catalogue reads, want 1", n)
	}

	// A cancelled caller's failure is not the catalogue's answer.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := data.catalogue(cancelled, subRealmsCatalogue); err == nil {
		t.Fatal("a cancelled read succeeded")
	}
	status.Store(http.StatusForbidden)
	for range 5 {
		if _, err := data.catalogue(ctx, subRealmsCatalogue); cloudlx.StatusCode(err) != http.StatusForbidden {
			t.Errorf("got %v, want the 403", err)
		}
	}
	if n := len(env.apiRequests("GET /api/sub-realms")); n != 1 {
		t.Errorf("a failing catalogue was read %d times, want once", n)
	}
}

func TestIDsOfNames(t *testing.T) {
	entries := []catalogueEntry{{id: 2, name: "Networking"}, {id: 7, name: "Voice"}, {id: 8, name: "Networking 2"},
		{id: 9, name: "Twice"}, {id: 10, name: "Twice"}}
	got, diags := idsOfNames([]types.String{types.StringValue("Voice"), types.StringValue("Networking")}, entries, realmsCatalogue)
	if diags.HasError() || fmt.Sprint(got) != "[7 2]" {
		t.Errorf("got %v, %v; want [7 2] in the order asked", got, diags)
	}
	_, diags = idsOfNames([]types.String{types.StringValue("Twice"), types.StringNull(), types.StringValue("voice")}, entries, realmsCatalogue)
	var details []string
	for _, d := range diags.Errors() {
		details = append(details, d.Detail())
	}
	for i, want := range []string{
		`names[0]: 2 realms are named "Twice" (ids 9, 10), so the name does not say which one.`,
		`names[1] is null.`,
		`names[2]: no realm in CloudLX's catalogue is named "voice". Did you mean "Voice"? Names are matched exactly, case included. ` +
			`The known realms are: "Networking", "Networking 2", "Twice", "Voice".`,
	} {
		if i >= len(details) || !strings.Contains(details[i], want) {
			t.Errorf("error %d: got %q, want %q", i, details, want)
		}
	}
}

func TestUnknownCatalogueIDsListsAtMostFifty(t *testing.T) {
	var entries []catalogueEntry
	for i := range 60 {
		entries = append(entries, catalogueEntry{id: int64(60 - i), name: fmt.Sprintf("Realm %d", 60-i)})
	}
	d := unknownCatalogueIDs(path.Root("realms"), realmsCatalogue, []int64{99}, entries)
	for _, want := range []string{`realms contains 99, which is not`, `refuse it when`, `1 ("Realm 1"), 2 ("Realm 2")`, `50 ("Realm 50"), … and 10 more.`} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("%q lacks %q", d.Detail(), want)
		}
	}
}

// An unknown sub-realm in both sets is reported once, on shown_sub_realms:
// enabled_sub_realms is within it.
func TestAccCustomer_unknownSubRealmReportedOnce(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	run := newCLIRun(t, nil)
	run.WriteFile("main.tf", env.customerConfig(strings.NewReplacer("[313, 328]", "[313, 328, 999]", "[313]", "[313, 999]").Replace(customerWithoutAdminUser)))
	res := run.Run("plan", "-no-color")
	out := oneLine(res.Combined())
	if res.ExitCode != 1 || strings.Count(out, "Error: Unknown sub-realm id") != 1 || !strings.Contains(out, "shown_sub_realms contains 999") {
		t.Errorf("want one error, on shown_sub_realms:\n%s", res)
	}
	if w := env.writes(); len(w) > 0 {
		t.Errorf("the plan sent %q", w)
	}
}
