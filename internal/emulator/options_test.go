package emulator

import (
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
