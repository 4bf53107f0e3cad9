package emulator

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func tokenBody() map[string]string {
	return map[string]string{"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret}
}

func TestInjectFault(t *testing.T) {
	t.Parallel()

	t.Run("status with Retry-After, then normal", func(t *testing.T) {
		e := startAuthed(t, Options{})
		c := mustCreate(t, e.s, "A")
		e.s.InjectFault("GET /api/customers/{id}", Fault{Status: 503, RetryAfter: "2"}, 2)
		path := "/api/customers/" + strconv.FormatInt(c.ID, 10)
		for range 2 {
			r := e.do("GET", path, nil)
			r.exact(t, 503, `{"message":"Service Unavailable","status_code":503}`)
			if r.header.Get("Retry-After") != "2" {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
		}
		e.do("GET", path, nil).must(t, 200)
		// Other routes were never affected.
		e.do("GET", "/api/customers", nil).must(t, 200)
		reqs := e.s.Requests()
		if reqs[0].Fault != FaultInjected || reqs[0].Status != 503 || reqs[2].Fault != "" || reqs[2].Status != 200 {
			t.Errorf("log %+v", reqs)
		}
	})

	t.Run("faults queue in order; times<=0 clears", func(t *testing.T) {
		e := startAuthed(t, Options{})
		e.s.InjectFault("GET /api/customers", Fault{Status: 429}, 1)
		e.s.InjectFault("GET /api/customers", Fault{Status: 500}, 1)
		e.do("GET", "/api/customers", nil).exact(t, 429, `{"message":"Too Many Attempts.","status_code":429}`)
		e.do("GET", "/api/customers", nil).exact(t, 500, `{"message":"Server Error","status_code":500}`)
		e.do("GET", "/api/customers", nil).must(t, 200)
		e.s.InjectFault("GET /api/customers", Fault{Status: 500}, 5)
		e.s.InjectFault("GET /api/customers", Fault{}, 0)
		e.do("GET", "/api/customers", nil).must(t, 200)
	})

	t.Run("after processing: created although 502", func(t *testing.T) {
		e := startAuthed(t, Options{})
		e.s.InjectFault("POST /api/customers", Fault{Status: 502, AfterProcessing: true}, 1)
		e.do("POST", "/api/customers", acme()).exact(t, 502, `{"message":"Bad Gateway","status_code":502}`)
		if c, ok := e.s.Customer(1000); !ok || c.Name != "Acme Ltd" {
			t.Fatal("customer was not created")
		}
	})

	t.Run("drop before processing: nothing created", func(t *testing.T) {
		e := startAuthed(t, Options{})
		e.s.InjectFault("POST /api/customers", Fault{Drop: true}, 1)
		if r := e.do("POST", "/api/customers", acme()); r.err == nil {
			t.Fatalf("got a response: %d %s", r.status, r.body)
		}
		if len(e.s.Customers()) != 0 {
			t.Fatal("customer created")
		}
		reqs := e.s.Requests()
		if len(reqs) != 1 || reqs[0].Status != 0 || reqs[0].Fault != FaultInjected {
			t.Fatalf("log %+v", reqs)
		}
	})

	t.Run("drop after processing: created, no answer", func(t *testing.T) {
		e := startAuthed(t, Options{})
		e.s.InjectFault("POST /api/customers", Fault{Drop: true, AfterProcessing: true}, 1)
		if r := e.do("POST", "/api/customers", acme()); r.err == nil {
			t.Fatalf("got a response: %d %s", r.status, r.body)
		}
		if len(e.s.Customers()) != 1 {
			t.Fatal("customer not created")
		}
	})

	t.Run("token route", func(t *testing.T) {
		e := start(t, Options{})
		e.s.InjectFault("POST /api/oauth2/access-token", Fault{Status: 401}, 1)
		e.do("POST", "/api/oauth2/access-token", tokenBody()).exact(t, 401, `{"message":"Unauthenticated.","status_code":401}`)
		e.do("POST", "/api/oauth2/access-token", tokenBody()).must(t, 200)
	})
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := startAuthed(t, Options{RateLimit: 1})
	// The bucket runs on the test's clock, so the second request is
	// throttled however long the machine takes between the two.
	now := time.Now()
	bucket := e.s.live.Load().limiter
	bucket.mu.Lock()
	bucket.now, bucket.last = func() time.Time { return now }, now
	bucket.mu.Unlock()
	e.do("GET", "/api/customers", nil).must(t, 200)
	r := e.do("GET", "/api/customers", nil)
	r.exact(t, 429, `{"message":"Too Many Attempts.","status_code":429}`)
	if ra, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("X-RateLimit-Remaining %q", r.header.Get("X-RateLimit-Remaining"))
	}
	// Token requests are never throttled.
	for range 3 {
		e.do("POST", "/api/oauth2/access-token", tokenBody()).must(t, 200)
	}
	reqs := e.s.Requests()
	if reqs[1].Fault != FaultThrottled || reqs[1].Status != 429 || reqs[2].Fault != "" {
		t.Errorf("log %+v", reqs)
	}
	// The bucket refills.
	bucket.mu.Lock()
	now = now.Add(1100 * time.Millisecond)
	bucket.mu.Unlock()
	e.do("GET", "/api/customers", nil).must(t, 200)
}

// RateBurst lets that many requests through at once, then throttles at the rate.
func TestRateBurst(t *testing.T) {
	t.Parallel()
	e := startAuthed(t, Options{RateLimit: 20, RateBurst: 3})
	now := time.Now()
	bucket := e.s.live.Load().limiter
	bucket.mu.Lock()
	bucket.now, bucket.last = func() time.Time { return now }, now
	bucket.mu.Unlock()
	for range 3 {
		e.do("GET", "/api/customers", nil).must(t, 200)
	}
	if r := e.do("GET", "/api/customers", nil); r.status != 429 {
		t.Fatalf("the fourth request at once answered %d, want 429", r.status)
	}
	// 20 per second: a token every 50 ms.
	bucket.mu.Lock()
	now = now.Add(60 * time.Millisecond)
	bucket.mu.Unlock()
	e.do("GET", "/api/customers", nil).must(t, 200)
	if r := e.do("GET", "/api/customers", nil); r.status != 429 {
		t.Fatalf("answered %d, want 429 before the next token", r.status)
	}
}

func TestRandomFaults(t *testing.T) {
	t.Parallel()
	t.Run("failure rate 1", func(t *testing.T) {
		e := startAuthed(t, Options{FailureRate: 1, Seed: 7})
		seen := map[int]bool{}
		for range 30 {
			r := e.do("POST", "/api/customers", acme())
			if r.status != 500 && r.status != 502 && r.status != 503 {
				t.Fatalf("status %d", r.status)
			}
			seen[r.status] = true
		}
		if len(seen) != 3 {
			t.Errorf("statuses %v, want all of 500, 502, 503", seen)
		}
		if len(e.s.Customers()) != 0 {
			t.Fatal("failed requests were processed")
		}
		e.do("POST", "/api/oauth2/access-token", tokenBody()).must(t, 200) // exempt
		if f := e.s.Requests()[0].Fault; f != FaultFailed {
			t.Errorf("fault %q", f)
		}
	})
	t.Run("drop rate 1", func(t *testing.T) {
		e := startAuthed(t, Options{DropRate: 1})
		if r := e.do("POST", "/api/customers", acme()); r.err == nil {
			t.Fatalf("got a response %d", r.status)
		}
		e.do("POST", "/api/oauth2/access-token", tokenBody()).must(t, 200)
		reqs := e.s.Requests()
		if reqs[0].Fault != FaultDropped || reqs[0].Status != 0 {
			t.Errorf("log %+v", reqs[0])
		}
	})
	t.Run("fault routes limit failures and drops", func(t *testing.T) {
		e := startAuthed(t, Options{FailureRate: 1, DropRate: 0.5, Seed: 3, FaultRoutes: []string{"GET /api/customers/{id}"}})
		// Go's transport resends a dropped GET once when its kept-alive
		// connection was reused, which depends on whether the previous
		// connection made it back to the pool in time; that extra request
		// would shift which requests meet which seeded faults. One connection
		// per request makes the sequence the seed's.
		e.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c := e.do("POST", "/api/customers", acme()).must(t, 200) // not listed: never faulted
		path := "/api/customers/" + strconv.FormatInt(int64(c["id"].(float64)), 10)
		for range 10 {
			if r := e.do("GET", path, nil); r.err == nil && r.status != 500 && r.status != 502 && r.status != 503 {
				t.Fatalf("listed route answered %d", r.status)
			}
		}
		e.do("PATCH", path, `{"name":"B"}`).must(t, 200)
		counts := map[string]int{}
		for _, r := range e.s.Requests() {
			counts[r.Route+" "+r.Fault]++
		}
		if counts["POST /api/customers "] != 1 || counts["PATCH /api/customers/{id} "] != 1 ||
			counts["GET /api/customers/{id} "+FaultFailed] == 0 || counts["GET /api/customers/{id} "+FaultDropped] == 0 {
			t.Errorf("faults by route: %v", counts)
		}
	})
	t.Run("failure rate 0.5 is seeded", func(t *testing.T) {
		statuses := func() string {
			e := startAuthed(t, Options{FailureRate: 0.5, Seed: 99})
			var b strings.Builder
			for range 20 {
				b.WriteString(strconv.Itoa(e.do("GET", "/api/customers", nil).status) + " ")
			}
			return b.String()
		}
		a, b := statuses(), statuses()
		if a != b || !strings.Contains(a, "200") || !strings.Contains(a, "50") {
			t.Errorf("runs differ or are one-sided:\n%s\n%s", a, b)
		}
	})
}

func TestLatency(t *testing.T) {
	t.Parallel()
	e := startAuthed(t, Options{Latency: 80 * time.Millisecond})
	start := time.Now()
	e.do("GET", "/api/customers", nil).must(t, 200)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	e := start(t, Options{ClientSecret: "s3cr3t-value"})
	form := "grant_type=client_credentials&client_id=" + DefaultClientID + "&client_secret=s3cr3t-value"
	e.do("POST", "/api/oauth2/access-token", `{"grant_type":"client_credentials","client_id":"`+DefaultClientID+`","client_secret":"s3cr3t-value"}`).must(t, 200)
	e.do("POST", "/api/oauth2/access-token", form, header("Content-Type", "application/x-www-form-urlencoded")).must(t, 200)
	e.do("POST", "/api/oauth2/access-token?"+form, nil).must(t, 200)
	e.token = e.s.IssueToken()
	e.do("POST", "/api/customers", acme(), header("User-Agent", "terraform-provider-cloudlx/1.0")).must(t, 200)
	e.do("GET", "/api/customers?page=1", nil).must(t, 200)
	e.do("PATCH", "/api/customers/1000", `{"name":"B"}`).must(t, 200)
	e.do("GET", "/api/customers/1000", nil, noHeader("Authorization")).must(t, 401)

	reqs := e.s.Requests()
	for _, r := range reqs {
		if strings.Contains(r.Body, "s3cr3t") || strings.Contains(r.Query, "s3cr3t") {
			t.Fatalf("secret in the log: %+v", r)
		}
	}
	if reqs[0].Body != `{"client_id":"test-client-id","client_secret":"REDACTED","grant_type":"client_credentials"}` {
		t.Errorf("JSON token body logged as %q", reqs[0].Body)
	}
	if reqs[1].Body != "client_id=test-client-id&client_secret=REDACTED&grant_type=client_credentials" {
		t.Errorf("form token body logged as %q", reqs[1].Body)
	}
	if reqs[2].Query != "client_id=test-client-id&client_secret=REDACTED&grant_type=client_credentials" {
		t.Errorf("token query logged as %q", reqs[2].Query)
	}
	want := []Request{
		{Method: "POST", Path: "/api/customers", Route: "POST /api/customers", Status: 200, UserAgent: "terraform-provider-cloudlx/1.0", Accept: MediaType, Authorized: true, TokenID: tokenID(e.token)},
		{Method: "GET", Path: "/api/customers", Query: "page=1", Route: "GET /api/customers", Status: 200, UserAgent: "emulator-test/1.0", Accept: MediaType, Authorized: true, TokenID: tokenID(e.token)},
		{Method: "PATCH", Path: "/api/customers/1000", Route: "PATCH /api/customers/{id}", Body: `{"name":"B"}`, Status: 200, UserAgent: "emulator-test/1.0", Accept: MediaType, Authorized: true, TokenID: tokenID(e.token)},
		{Method: "GET", Path: "/api/customers/1000", Route: "GET /api/customers/{id}", Status: 401, UserAgent: "emulator-test/1.0", Accept: MediaType},
	}
	for i := range 3 { // sent with e.token; the last one with no token
		want[i].TokenID = tokenID(e.token)
	}
	got := reqs[3:]
	got[0].Body = "" // checked elsewhere
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	counts := e.s.Counts()
	if counts["POST /api/oauth2/access-token"] != 3 || counts["GET /api/customers/{id}"] != 1 || len(counts) != 5 {
		t.Errorf("Counts %v", counts)
	}
	if e.s.Count("PATCH /api/customers/{id}") != 1 || e.s.Count("DELETE /api/customers/{id}") != 0 {
		t.Error("Count")
	}
	e.s.ResetRequests()
	if len(e.s.Requests()) != 0 || len(e.s.Counts()) != 0 {
		t.Error("ResetRequests")
	}
}

func TestPersistence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	e := startAuthed(t, Options{StatePath: path})
	e.do("POST", "/api/customers", acme()).must(t, 200)
	e.do("POST", "/api/customers", acme()).must(t, 200)
	e.do("PATCH", "/api/customers/1000", `{"name":"Renamed","enabled_sub_realms":[]}`).must(t, 200)
	r := e.do("DELETE", "/api/customers/1001", nil)
	if r.status != 204 {
		t.Fatalf("delete %d", r.status)
	}
	before, _ := e.s.Customer(1000)

	s2 := New(Options{StatePath: path})
	after, ok := s2.Customer(1000)
	if !ok || after.Name != "Renamed" || !reflect.DeepEqual(after, before) {
		t.Fatalf("reloaded %+v, want %+v", after, before)
	}
	if u, _ := s2.AdminUser(1000); u.Email != "ops@acme.example" {
		t.Errorf("admin user not persisted: %+v", u)
	}
	if len(s2.Customers()) != 1 {
		t.Fatalf("customers after reload: %+v", s2.Customers())
	}
	// The id counter is persisted too: 1001 stays retired.
	c, err := s2.CreateCustomer(CustomerInput{Name: "N", CurrencyISO: "EUR", CountryISO: "IE", Realms: []int64{1}})
	if err != nil || c.ID != 1002 {
		t.Fatalf("create after reload: %+v %v", c, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the state dir: %v", entries)
	}
	// Tokens are not persisted.
	s3 := New(Options{StatePath: path})
	ts := httptest.NewServer(s3)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/api/customers", nil)
	req.Header.Set("Accept", MediaType)
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("old token after restart: %d", resp.StatusCode)
	}

	t.Run("corrupt file", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.json")
		if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(Options{StatePath: bad}); err == nil {
			t.Fatal("Open accepted a corrupt state file")
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := Open(Options{StatePath: filepath.Join(t.TempDir(), "new.json")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unwritable directory", func(t *testing.T) {
		s := New(Options{StatePath: filepath.Join(t.TempDir(), "missing-dir", "state.json")})
		if _, err := s.CreateCustomer(CustomerInput{Name: "N", CurrencyISO: "EUR", CountryISO: "IE", Realms: []int64{1}}); err == nil {
			t.Fatal("create succeeded without saving")
		}
		if len(s.Customers()) != 0 {
			t.Fatal("unsaved customer kept in memory")
		}
	})
}

func TestAdminHandler(t *testing.T) {
	t.Parallel()
	e := startAuthed(t, Options{})
	e.do("GET", "/api/customers", nil).must(t, 200)
	e.do("GET", "/api/customers", nil).must(t, 200)
	e.do("GET", "/api/realms", nil).must(t, 200)
	e.token = ""
	e.do("GET", "/_emulator/health", nil).exact(t, 200, `{"status":"ok"}`)
	e.do("GET", "/_emulator/stats", nil).exact(t, 200, `{"counts":{"GET /api/customers":2,"GET /api/realms":1},"total":3}`)
	m := e.do("GET", "/_emulator/requests", nil).must(t, 200)
	if reqs, _ := m["requests"].([]any); len(reqs) != 3 {
		t.Errorf("requests %v", m)
	}
	tok := e.do("POST", "/_emulator/token", nil).must(t, 200)["access_token"].(string)
	if r := e.do("POST", "/_emulator/reset-stats", nil); r.status != 204 {
		t.Fatalf("reset %d", r.status)
	}
	e.do("GET", "/_emulator/stats", nil).exact(t, 200, `{"counts":{},"total":0}`)
	e.token = tok
	e.do("GET", "/api/customers", nil).must(t, 200)

	// Not for other machines.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/_emulator/stats", nil)
	req.RemoteAddr = "192.0.2.7:5555"
	e.s.AdminHandler().ServeHTTP(rec, req)
	if rec.Code != 403 {
		t.Fatalf("remote admin request: %d", rec.Code)
	}
}
