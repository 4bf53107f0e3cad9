package provider

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// The tests in this file run the provider against an API that throttles,
// fails, drops connections, expires tokens and loses answers, and check that
// every apply ends exactly: no duplicate, no orphan, no failed operation that
// a retry could have saved.

// trafficReport sums up the emulator's request log.
type trafficReport struct {
	byRoute  map[string]int // "GET /api/customers/{id}" -> requests
	byFault  map[string]int // emulator.Fault* -> requests answered with it
	byStatus map[int]int
	total    int
	retried  int // requests answered with a fault: each one was retried
	tokens   int
	// The most faults one operation's request met in a row (same method, path
	// and body): 429s, and the failures that spend max_retries (default 5).
	worstThrottles, worstFailures int
	wallClock                     time.Duration
}

func reportOf(reqs []emulator.Request) trafficReport {
	r := trafficReport{byRoute: map[string]int{}, byFault: map[string]int{}, byStatus: map[int]int{}}
	throttles, failures := map[string]int{}, map[string]int{}
	for _, req := range reqs {
		key := req.Method + " " + req.Path + " " + req.Body
		switch {
		case req.Fault == emulator.FaultThrottled:
			throttles[key]++
			r.worstThrottles = max(r.worstThrottles, throttles[key])
		case req.Fault != "":
			failures[key]++
			r.worstFailures = max(r.worstFailures, failures[key])
		default:
			throttles[key], failures[key] = 0, 0
		}
		r.total++
		r.byRoute[req.Route]++
		r.byStatus[req.Status]++
		if req.Fault != "" {
			r.byFault[req.Fault]++
			r.retried++
		}
		if req.Route == "POST /api/oauth2/access-token" {
			r.tokens++
		}
	}
	return r
}

func (r trafficReport) String() string {
	routes := make([]string, 0, len(r.byRoute))
	for route, n := range r.byRoute {
		routes = append(routes, fmt.Sprintf("%s=%d", route, n))
	}
	sort.Strings(routes)
	return fmt.Sprintf("%d requests in %s (%s); faults answered (each retried): %d %v, "+
		"one request met at most %d 429s and %d other faults; statuses %v",
		r.total, r.wallClock.Round(100*time.Millisecond), strings.Join(routes, ", "), r.retried, r.byFault,
		r.worstThrottles, r.worstFailures, r.byStatus)
}

const fleetSize = 50

// fleetConfig manages fleetSize customers. A request to the hostile API meets
// a random failure or drop 1 time in 10; with 10 retries instead of the
// default 5, the chance that one of a run's few hundred requests meets 11 in a
// row and fails its operation is below 1e-8, whatever order the parallel
// requests meet the seeded faults in.
func fleetConfig(e *testEnv, nameSuffix string) string {
	return e.providerBlockWith("max_retries = 10") + fmt.Sprintf(`
resource "cloudlx_customer" "fleet" {
  count              = %d
  name               = "Fleet customer ${count.index}%s"
  currency_iso       = "EUR"
  country_iso        = "DE"
  realms             = [2, 7]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]
}
`, fleetSize, nameSuffix)
}

// TestAccFaults_fiftyCustomersOnAHostileAPI is the 3 a.m. GitOps run: 50
// customers at -parallelism=20 against an API that throttles, fails and drops
// a share of requests, loses answers after doing the work, and issues tokens
// that live 5 seconds and are revoked in the middle of the update. Create,
// update and destroy must each end exactly: as
// many customers in the emulator as in state, and no failed operation.
//
// Nothing here depends on how fast the machine is. -parallelism=20 is proven
// by an event (the emulator holds each phase's writes until 20 wait at once),
// and the checks that the API really was hostile count only what is certain
// whatever the timing; see hostile and renewedMidWalk.
//
// It drives the CLI itself because terraform-plugin-testing always passes
// -parallelism=10 (so TF_CLI_ARGS_apply cannot raise it).
func TestAccFaults_fiftyCustomersOnAHostileAPI(t *testing.T) {
	const rateLimit = 15 // requests per second (burst 15); excess gets 429 with Retry-After
	env := newTestEnv(t, emulator.Options{
		Latency:     50 * time.Millisecond,
		RateLimit:   rateLimit,
		FailureRate: 0.08,
		DropRate:    0.02,
		// A create that fails ambiguously must not be resent (it fails with an
		// import hint, tested elsewhere), so the random 500/502 and drops hit
		// the other routes; creates are throttled and get 503s instead.
		FaultRoutes: []string{"GET /api/customers/{id}", "PATCH /api/customers/{id}", "DELETE /api/customers/{id}"},
		// Short enough to expire during the walks of a slow run; long enough
		// that a token just issued is never dead by the time its request is
		// checked, even when the request first waits out a 1 s Retry-After on
		// a heavily loaded machine (a 2 s lifetime was not).
		TokenLifetime: 5 * time.Second,
		Seed:          20260401,
	})
	env.emu.InjectFault("POST /api/customers", emulator.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"}, 5)
	run := newCLIRun(t, nil)
	parallel := "-parallelism=20"

	var reports []string
	// phase runs one command that must exit with wantCode and reports its traffic.
	phase := func(name string, wantCode int, args ...string) trafficReport {
		t.Helper()
		env.emu.ResetRequests()
		var r trafficReport
		took := elapsed(func() {
			if res := run.Run(args...); res.ExitCode != wantCode {
				t.Fatalf("%s: exit code %d, want %d: %s", name, res.ExitCode, wantCode, res)
			}
		})
		r = reportOf(env.emu.Requests())
		r.wallClock = took
		inState, inEmulator := stateIDs(t, run), customerIDsInEmulator(env.emu)
		reports = append(reports, fmt.Sprintf("%s: %s; customers: %d in the emulator, %d in state",
			name, r, len(inEmulator), len(inState)))
		if !slices.Equal(inState, inEmulator) {
			t.Fatalf("%s: the emulator holds %d customers %v, state %d %v", name, len(inEmulator), inEmulator, len(inState), inState)
		}
		return r
	}
	// atOnce arms the barrier that proves -parallelism=20 in a phase: the
	// emulator holds the phase's writes until 20 wait at once, then lets them
	// all go. With fewer in flight it waits 30 s after the first (far longer
	// than Terraform needs to start 20 operations, even on a slow machine)
	// and the phase goes on to fail below.
	atOnce := func(route string, onOpen func()) *emulator.Hold {
		return env.emu.HoldUntil(emulator.Barrier{Route: route, N: 20, Timeout: 30 * time.Second, OnOpen: onOpen})
	}
	// hostile checks that a phase ran in parallel and met the API's hostility,
	// counting only what is certain whatever the timing: the faults injected
	// for it were all answered, and the 20 requests the barrier let go
	// together overran the bucket of 15 (they reach it within microseconds of
	// each other; only a spread of a third of a second, in which the bucket
	// refills 5 tokens, would let them all pass). The random failures and drops
	// come on top, in numbers that depend on how many requests the run needed
	// and on which of them met the seeded faults: reported, not counted on.
	hostile := func(name string, r trafficReport, hold *emulator.Hold, injected int) {
		t.Helper()
		if err := hold.Err(); err != nil {
			t.Errorf("%s: %v; -parallelism=20 did not take effect", name, err)
		}
		reports = append(reports, name+": "+hold.String())
		if r.byFault[emulator.FaultThrottled] == 0 || r.byFault[emulator.FaultInjected] != injected {
			t.Errorf("%s: the API was not hostile enough to prove anything (want %d injected faults and a 429): %s", name, injected, r)
		}
	}
	// An apply is two walks (plan, apply), each with its own provider process
	// and first token: more token requests than that means tokens died and
	// were renewed in the middle of a walk, and no operation failed for it.
	// The update makes that certain rather than a matter of how long its walk
	// takes: the emulator revokes every token the moment its barrier opens,
	// with 20 PATCHes in flight (they were authorized on arrival) and at least
	// 30 still to send.
	renewedMidWalk := func(name string, r trafficReport) {
		t.Helper()
		if r.tokens <= 2 {
			t.Errorf("%s: %d token requests; no token was renewed mid-walk, so this proves nothing", name, r.tokens)
		}
	}
	names := func() map[string]bool {
		out := map[string]bool{}
		for _, c := range env.emu.Customers() {
			out[c.Name] = true
		}
		return out
	}
	defer func() {
		for _, r := range reports {
			t.Log(r)
		}
	}()

	run.WriteFile("main.tf", fleetConfig(env, ""))
	hold := atOnce("POST /api/customers", nil)
	created := phase("create", 0, "apply", "-auto-approve", "-input=false", parallel)
	hostile("create", created, hold, 5)
	if n := len(env.emu.Customers()); n != fleetSize {
		t.Fatalf("create: %d customers in the emulator, want %d", n, fleetSize)
	}
	// Every POST was either answered 200 (once per customer) or refused
	// in a way that proves it was not processed, and only those were resent.
	// (A 401 is one of those: a token can expire while its request waits.)
	var posted, refused int
	for _, r := range env.emu.Requests() {
		switch {
		case r.Route != "POST /api/customers":
		case r.Status == http.StatusOK:
			posted++
		case r.Status == http.StatusTooManyRequests || r.Status == http.StatusServiceUnavailable || r.Status == http.StatusUnauthorized:
			refused++
		default:
			t.Errorf("create: a POST was answered %d (fault %q)", r.Status, r.Fault)
		}
	}
	if posted != fleetSize || refused < 5 {
		t.Errorf("create: %d POSTs answered 200 and %d refused, want %d and at least the 5 injected 503s", posted, refused, fleetSize)
	}
	for i := range fleetSize {
		if !names()[fmt.Sprintf("Fleet customer %d", i)] {
			t.Fatalf("create: no customer %d in the emulator", i)
		}
	}

	// Nothing changed, so a plan (through the same faults) proposes nothing.
	phase("plan after create", 0, "plan", "-detailed-exitcode", "-input=false", parallel)

	// Updates that succeed and then lose their answer are simply sent again.
	env.emu.InjectFault("PATCH /api/customers/{id}", emulator.Fault{Status: http.StatusBadGateway, AfterProcessing: true}, 3)
	run.WriteFile("main.tf", fleetConfig(env, " (renamed)"))
	hold = atOnce("PATCH /api/customers/{id}", env.emu.RevokeTokens)
	updated := phase("update", 0, "apply", "-auto-approve", "-input=false", parallel)
	hostile("update", updated, hold, 3)
	renewedMidWalk("update", updated)
	if updated.byRoute["POST /api/customers"] != 0 || updated.byRoute["DELETE /api/customers/{id}"] != 0 {
		t.Errorf("update created or deleted: %s", updated)
	}
	patched := 0
	for _, r := range env.emu.Requests() {
		if r.Route == "PATCH /api/customers/{id}" && r.Status == http.StatusOK {
			patched++
		}
	}
	if patched != fleetSize {
		t.Errorf("update: %d PATCHes answered 200, want %d", patched, fleetSize)
	}
	for i := range fleetSize {
		if !names()[fmt.Sprintf("Fleet customer %d (renamed)", i)] {
			t.Fatalf("update: customer %d was not renamed", i)
		}
	}
	phase("plan after update", 0, "plan", "-detailed-exitcode", "-input=false", parallel)

	// Deletes that succeed and then lose their answer are retried and get 404: done.
	env.emu.InjectFault("DELETE /api/customers/{id}", emulator.Fault{Status: http.StatusBadGateway, AfterProcessing: true}, 3)
	hold = atOnce("DELETE /api/customers/{id}", nil)
	destroyed := phase("destroy", 0, "destroy", "-auto-approve", "-input=false", parallel)
	hostile("destroy", destroyed, hold, 3)
	// No renewal check here: the update above proves renewal mid-walk.
	if n := len(env.emu.Customers()); n != 0 {
		t.Errorf("destroy: %d customers left in the emulator", n)
	}
	if n := len(stateIDs(t, run)); n != 0 {
		t.Errorf("destroy: %d customers left in state", n)
	}
}

func TestAccCustomer_createWhoseReadBackFailsKeepsTheID(t *testing.T) {
	// The create answer lacks realm ids, so Create reads the customer back;
	// that read fails for good. The customer exists: state must have its id.
	env := newTestEnv(t, emulator.Options{OmitRealmIDsOnCreate: true})
	env.emu.InjectFault("GET /api/customers/{id}", emulator.Fault{Status: http.StatusInternalServerError}, 2)
	cfg := env.providerBlockWith("max_retries = 1") + customerBlock(fullCustomer)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("name", str("Acme Ltd")),
					attrCheck("realms", ids(2, 7)),
					attrCheck("realm_details", knownvalue.Null()), // unknown until the next refresh
				},
				Check: func(s *terraform.State) error {
					if got := routes(env.walkOf("POST /api/customers")); got != createPlanReads+", POST /api/customers, GET /api/customers/{id}, GET /api/customers/{id}" {
						return fmt.Errorf("create sent %s", got)
					}
					inState, inEmulator := customerIDsInState(s), customerIDsInEmulator(env.emu)
					if len(inEmulator) != 1 || !slices.Equal(inState, inEmulator) {
						return fmt.Errorf("emulator %v, state %v: want the one customer in both", inEmulator, inState)
					}
					return nil
				},
			},
			// The next refresh fills in what the failed read missed, and nothing is planned.
			{
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("realm_details", knownvalue.ListSizeExact(2))},
			},
		},
	})
}

// A create whose answer is lost is decided by one list read: see
// TestAccLifecycle_lostCreateAnswer (customer_lifecycle_test.go).

func TestAccCustomer_rejectedTokenIsRenewedOnce(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cfg := env.customerConfig(fullCustomer)
	// seen renders the log as "ROUTE STATUS" lines, then clears it.
	seen := func() string {
		var out []string
		for _, r := range env.emu.Requests() {
			out = append(out, fmt.Sprintf("%s %d", r.Route, r.Status))
		}
		env.emu.ResetRequests()
		return strings.Join(out, ", ")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			// The token is revoked behind the provider's back: one 401, a new
			// token, the same request again, and the refresh succeeds.
			{
				PreConfig: func() {
					env.emu.ResetRequests()
					env.emu.InjectFault("GET /api/customers/{id}", emulator.Fault{Status: http.StatusUnauthorized}, 1)
				},
				Config: cfg,
				Check: func(*terraform.State) error {
					want := "POST /api/oauth2/access-token 200, GET /api/customers/{id} 401, POST /api/oauth2/access-token 200, GET /api/customers/{id} 200"
					if got := seen(); !strings.HasPrefix(got, want) {
						return fmt.Errorf("requests:\n  got  %s\n  want %s, ...", got, want)
					}
					return nil
				},
			},
			// Even a fresh token is refused: a clear error after exactly one renewal.
			{
				PreConfig: func() {
					env.emu.ResetRequests()
					env.emu.InjectFault("GET /api/customers/{id}", emulator.Fault{Status: http.StatusUnauthorized}, 2)
				},
				Config:      cfg,
				ExpectError: errorMatching("HTTP 401 Unauthorized: Unauthenticated. (a freshly issued token was rejected: check that the API client still exists"),
			},
			{
				PreConfig: func() {
					want := "POST /api/oauth2/access-token 200, GET /api/customers/{id} 401, POST /api/oauth2/access-token 200, GET /api/customers/{id} 401"
					if got := seen(); got != want {
						t.Fatalf("requests:\n  got  %s\n  want %s", got, want)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

func TestAccCustomer_maxRetriesIsHonoured(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cfg := env.providerBlockWith("max_retries = 2") + customerBlock(fullCustomer)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.emu.ResetRequests()
					env.emu.InjectFault("GET /api/customers/{id}", emulator.Fault{Status: http.StatusBadGateway}, 3)
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not read CloudLX customer \d+.*GET ` + regexp.QuoteMeta(env.url) + `/api/customers/\d+: HTTP 502 Bad Gateway`),
			},
			{
				PreConfig: func() {
					// The first attempt and exactly max_retries more, all answered 502.
					reads := env.apiRequests("GET /api/customers/{id}")
					if len(reads) != 3 || reads[0].Status != 502 || reads[2].Status != 502 {
						t.Fatalf("reads: %+v", reads)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

// TestAccFaults_interruptStopsPromptly interrupts terraform apply (as Ctrl-C
// or a CI runner's cancel would) while a create is held up, and checks that
// the provider stops at once and reports what it knows.
//
// The interrupt goes out on an event, when the create is held up where the
// case says (never after a guessed delay, which a slow machine could
// overrun). Terraform then stops within a second (40-840 ms measured on a
// 2-core machine at load averages of 10 to 60); the bound of 30 s is met by
// a machine ten times slower than that, and is still far below what a
// provider that ignored the interrupt would take: the 100 s Retry-After, or
// the 60 s request timeout while the server holds the POST.
func TestAccFaults_interruptStopsPromptly(t *testing.T) {
	const stopBound = 30 * time.Second
	cases := []struct {
		name string
		// holdUp makes the API hold up creates.
		holdUp func(emu *emulator.Server, next http.Handler) http.Handler
		// heldUp reports whether the create is held up where the case
		// interrupts it, from the POSTs the server received and the
		// provider's per-attempt log lines.
		heldUp  func(posts int32, attempts []map[string]string) bool
		wantErr string
	}{
		{
			name: "waiting out a 100 s Retry-After",
			holdUp: func(emu *emulator.Server, next http.Handler) http.Handler {
				emu.InjectFault("POST /api/customers", emulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: "100"}, 100)
				return next
			},
			// The provider logged the 429: it has the answer and waits to
			// retry, so the interrupt cannot find the POST on the wire.
			heldUp: func(_ int32, attempts []map[string]string) bool {
				return slices.ContainsFunc(attempts, func(a map[string]string) bool {
					return a["method"] == http.MethodPost && a["path"] == "/api/customers" && a["status"] == "429"
				})
			},
			// Nothing was processed: a plain error, not the import hint.
			wantErr: `(?s)Error: Could not create CloudLX customer.*POST\s+\S+/api/customers:\s+context\s+canceled`,
		},
		{
			name: "while the POST is on the wire",
			holdUp: func(_ *emulator.Server, next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost && r.URL.Path == "/api/customers" {
						// A server slow to answer, until the client gives up. (net/http
						// notices a closed connection only once the body has been read.)
						_, _ = io.Copy(io.Discard, r.Body)
						select {
						case <-r.Context().Done():
						case <-time.After(time.Minute):
						}
						return
					}
					next.ServeHTTP(w, r)
				})
			},
			// The server holds the POST until the client gives up.
			heldUp:  func(posts int32, _ []map[string]string) bool { return posts > 0 },
			wantErr: `(?s)Error: CloudLX customer may have been created.*Creating customer "Acme Ltd" failed.*context\s+canceled`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var creates atomic.Int32
			env := newWrappedTestEnv(t, emulator.Options{}, func(emu *emulator.Server) http.Handler {
				api := tc.holdUp(emu, emu)
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost && r.URL.Path == "/api/customers" {
						creates.Add(1)
					}
					api.ServeHTTP(w, r)
				})
			})

			run := newCLIRun(t, map[string]string{"TF_LOG": "debug", "TF_LOG_PATH": "terraform.log"})
			run.WriteFile("main.tf", env.customerConfig(fullCustomer))
			cmd := run.Command("apply", "-auto-approve", "-input=false", "-no-color")
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			// stop kills terraform and fails the test with its output.
			stop := func(format string, args ...any) {
				t.Helper()
				_ = cmd.Process.Kill()
				killed := <-exited
				t.Fatalf(format+"\nterraform, killed: %v\n%s", append(args, killed, out.String())...)
			}
			heldUp := func() bool {
				log, _ := os.ReadFile(filepath.Join(run.Dir, "terraform.log"))
				return tc.heldUp(creates.Load(), apiRequestLines(string(log)))
			}
			// An event, polled: the deadline only turns a hang into a failure.
			for deadline := time.Now().Add(2 * time.Minute); !heldUp(); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					stop("the create was not held up %s within 2 minutes", tc.name)
				}
			}
			interrupted := time.Now()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(stopBound):
				stop("terraform was still running %s after the interrupt", stopBound)
			}
			t.Logf("terraform exited %v after the interrupt", time.Since(interrupted).Round(10*time.Millisecond))
			if err == nil {
				t.Fatalf("apply succeeded after an interrupt:\n%s", out.String())
			}
			if !regexp.MustCompile(tc.wantErr).MatchString(out.String()) {
				t.Errorf("output does not match %s:\n%s", tc.wantErr, out.String())
			}
			if n := creates.Load(); n != 1 {
				t.Errorf("%d POSTs, want the one that was interrupted", n)
			}
			if n := len(env.emu.Customers()); n != 0 {
				t.Errorf("%d customers created", n)
			}
		})
	}
}
