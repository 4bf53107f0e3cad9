package emulator

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSetOptionsSwitchesBehaviourWhileRunning(t *testing.T) {
	e := startAuthed(t, Options{})
	c := mustCreate(t, e.s, "Toggle Ltd")
	path := "/api/customers/" + strconv.FormatInt(c.ID, 10)

	e.s.SetOptions(func(o *Options) { o.DisableDelete = true })
	if r := e.do("DELETE", path, nil); r.status != 405 {
		t.Fatalf("DELETE with DisableDelete: status %d, want 405", r.status)
	}
	e.s.SetOptions(func(o *Options) { o.DisableDelete = false })
	if r := e.do("DELETE", path, nil); r.status != 200 && r.status != 204 {
		t.Fatalf("DELETE after DisableDelete was switched off: status %d", r.status)
	}
}

func TestSetOptionsKeepsCredentialsAndStore(t *testing.T) {
	e := startAuthed(t, Options{ClientSecret: "opened-with"})
	mustCreate(t, e.s, "Kept Ltd")
	e.s.SetOptions(func(o *Options) { o.ClientSecret = "changed"; o.Latency = time.Millisecond })
	if got := e.s.options().ClientSecret; got != "opened-with" {
		t.Errorf("ClientSecret = %q after SetOptions, want the one the server was opened with", got)
	}
	if r := e.do("GET", "/api/customers", nil); r.status != 200 || !strings.Contains(string(r.body), "Kept Ltd") {
		t.Errorf("the store did not survive SetOptions: %d %s", r.status, r.body)
	}
}

func TestGatewayNotFoundRoutes(t *testing.T) {
	e := startAuthed(t, Options{GatewayNotFoundRoutes: []string{"GET /api/customers/{id}"}})
	c := mustCreate(t, e.s, "Behind A Proxy")
	r := e.do("GET", "/api/customers/"+strconv.FormatInt(c.ID, 10), nil)
	if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "nginx") {
		t.Fatalf("got %d %q %s, want the proxy's HTML 404", r.status, r.header.Get("Content-Type"), r.body)
	}
	if _, ok := e.s.Customer(c.ID); !ok {
		t.Fatal("the customer is gone; the proxy's 404 must not touch the API")
	}
	reqs := e.s.Requests()
	if f := reqs[len(reqs)-1].Fault; f != FaultGatewayNotFound {
		t.Errorf("logged fault %q, want %q", f, FaultGatewayNotFound)
	}
	// Other routes are served as usual.
	if r := e.do("GET", "/api/customers", nil); r.status != 200 {
		t.Errorf("list: status %d, want 200", r.status)
	}
	e.s.SetOptions(func(o *Options) { o.GatewayNotFoundRoutes = nil })
	if r := e.do("GET", "/api/customers/"+strconv.FormatInt(c.ID, 10), nil); r.status != 200 {
		t.Errorf("after switching the gateway off: status %d, want 200", r.status)
	}
}

func TestImplicitRealmsAreAddedAndStored(t *testing.T) {
	e := startAuthed(t, Options{ImplicitRealms: []int64{1}})
	r := e.do("POST", "/api/customers", with(acme(), "realms", []int64{2}))
	if r.status != 200 || !strings.Contains(string(r.body), `"realms":[{"id":1,`) {
		t.Fatalf("create: %d %s, want realm 1 added", r.status, r.body)
	}
	// A PATCH that sets realms to [7] gets 1 added again, and reads return it.
	r = e.do("PATCH", "/api/customers/1000", map[string]any{"realms": []int64{7}})
	if r.status != 200 || !strings.Contains(string(r.body), `{"id":1,"name":"Default"`) || !strings.Contains(string(r.body), `{"id":7,`) {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/customers/1000", nil); !strings.Contains(string(r.body), `{"id":1,"name":"Default"`) {
		t.Fatalf("read: realm 1 not stored: %s", r.body)
	}
}

// Run with -race: SetOptions while requests are served.
func TestSetOptionsConcurrentWithRequests(t *testing.T) {
	e := startAuthed(t, Options{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				e.s.SetOptions(func(o *Options) { o.RateLimit = float64(1000 + i*j); o.Quirks = j%2 == 0 })
			}
		}()
	}
	for range 40 {
		e.do("GET", "/api/customers", nil)
	}
	wg.Wait()
}

func TestEchoRequestsPutsTheRequestInErrorBodies(t *testing.T) {
	e := startAuthed(t, Options{EchoRequests: true})
	// A JSON error: the message ends with the request, Authorization included.
	r := e.do("GET", "/api/customers/4242", nil)
	m := r.must(t, 404)
	msg, _ := m["message"].(string)
	if !strings.HasPrefix(msg, "Customer not found. [request: GET /api/customers/4242;") ||
		!strings.Contains(msg, "Authorization: Bearer "+e.token+";") || m["status_code"] != float64(404) {
		t.Fatalf("message %q", msg)
	}
	// The token route echoes its form, client_secret and all.
	form := "grant_type=client_credentials&client_id=test-client-id&client_secret=wrong-secret"
	r = e.do("POST", "/api/oauth2/access-token", form, header("Content-Type", "application/x-www-form-urlencoded"), noHeader("Authorization"))
	if m := r.must(t, 401); !strings.Contains(m["message"].(string), `body: "`+form+`"`) {
		t.Fatalf("token 401: %s", r.body)
	}
	// An HTML page gets the echo in a <pre>.
	e.s.SetOptions(func(o *Options) { o.GatewayNotFoundRoutes = []string{"GET /api/customers/{id}"} })
	r = e.do("GET", "/api/customers/4242", nil)
	if r.status != 404 || !strings.Contains(string(r.body), "<pre>[request: GET /api/customers/4242;") ||
		!strings.Contains(string(r.body), "Authorization: Bearer "+e.token) || !strings.HasSuffix(strings.TrimSpace(string(r.body)), "</html>") {
		t.Fatalf("gateway page: %d %s", r.status, r.body)
	}
	// Successful answers are untouched.
	if r := e.do("GET", "/api/realms", nil); r.status != 200 || strings.Contains(string(r.body), "[request:") {
		t.Fatalf("realms: %d %s", r.status, r.body)
	}
	if reqs := e.s.Requests(); reqs[0].Status != 404 || reqs[len(reqs)-1].Status != 200 {
		t.Errorf("the request log lost the statuses: %+v", reqs)
	}
}

func TestListIgnoresPageAnswersTheFirstPageAgain(t *testing.T) {
	e := startAuthed(t, Options{PageSize: 2, ListIgnoresPage: true})
	for _, name := range []string{"A", "B", "C"} {
		mustCreate(t, e.s, name)
	}
	first := string(e.do("GET", "/api/customers?page=1&max_per_page=200", nil).body)
	second := string(e.do("GET", "/api/customers?page=2&max_per_page=200", nil).body)
	if first != second || !strings.Contains(first, `"num_results":3,"paginates":true`) || strings.Count(first, `"currency"`) != 2 {
		t.Fatalf("page 1 %s\npage 2 %s", first, second)
	}
}

// A path the API does not serve, such as /api/api/... behind an endpoint that
// ends in /api, or any other prefix, is answered by routing: the API's JSON 404,
// logged as the unknown route. No option is needed for it.
func TestUnservedPrefixIsAnsweredByRouting(t *testing.T) {
	e := start(t, Options{})
	for _, path := range []string{"/api/api/oauth2/access-token", "/cloudlx/api/customers/1"} {
		r := e.do("POST", path, `{}`)
		r.exact(t, 404, `{"message":"404 Not Found","status_code":404}`)
	}
	for _, req := range e.s.Requests() {
		if req.Route != "POST "+UnknownRoute {
			t.Errorf("logged route %q", req.Route)
		}
	}
}

func TestSilentAcceptsAndNeverAnswers(t *testing.T) {
	s, err := ListenSilent()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 100 * time.Millisecond}
	for range 2 {
		resp, err := client.Get(s.URL() + "/api/customers")
		if err == nil {
			resp.Body.Close()
			t.Fatalf("an answer: %d", resp.StatusCode)
		}
		var timeout interface{ Timeout() bool }
		if !errors.As(err, &timeout) || !timeout.Timeout() {
			t.Fatalf("err = %v, want a timeout", err)
		}
	}
	if s.Accepted() != 2 {
		t.Errorf("accepted %d connections, want 2", s.Accepted())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if resp, err := client.Get(s.URL()); err == nil {
		resp.Body.Close()
		t.Fatal("still accepting after Close")
	}
}
