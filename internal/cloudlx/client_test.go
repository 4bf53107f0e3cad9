package cloudlx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeAPI is a scriptable stand-in for the API: it serves tokens and hands
// every other request to handle, counting both.
type fakeAPI struct {
	t          *testing.T
	srv        *httptest.Server
	tokens     atomic.Int32
	calls      atomic.Int32
	expiresIn  int
	mu         sync.Mutex
	lastBodies []string
	handle     func(w http.ResponseWriter, r *http.Request, n int)
}

func newFakeAPI(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, handle: handle, expiresIn: 3600}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("Accept"); got != MediaType {
		f.t.Errorf("Accept = %q, want %q", got, MediaType)
	}
	if got := r.Header.Get("User-Agent"); got != "test-agent/1.0" {
		f.t.Errorf("User-Agent = %q", got)
	}
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path == tokenPath {
		var req map[string]string
		if err := json.Unmarshal(body, &req); err != nil {
			f.t.Errorf("token request is not JSON: %v", err)
		}
		if req["grant_type"] != "client_credentials" || req["client_id"] != "id" || req["client_secret"] != "secret" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"Invalid client credentials.","status_code":401}`)
			return
		}
		n := f.tokens.Add(1)
		_, _ = fmt.Fprintf(w, `{"access_token":"tok%d","token_type":"Bearer","expires_in":%d,"refresh_token":"refresh%d"}`, n, f.expiresIn, n)
		return
	}
	f.mu.Lock()
	f.lastBodies = append(f.lastBodies, string(body))
	f.mu.Unlock()
	f.handle(w, r, int(f.calls.Add(1)))
}

func (f *fakeAPI) client(t *testing.T, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint: f.srv.URL, ClientID: "id", ClientSecret: "secret", UserAgent: "test-agent/1.0",
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const customerJSON = `{"id":915,"name":"Acme","currency":{"name":"USD - US Dollar","iso_2":"US","iso_3":"USD"},
"country":{"name":"United States","iso_2":"US"},"realms":[{"id":2,"name":"Networking","description":"CLX"}],
"sub_realms":[{"id":313,"name":"SD WAN","description":null,"has_access":true},{"id":328,"name":"SBC","description":null,"has_access":false}],
"brand_new_field":{"x":1}}`

// fault answers one request with a failure: an HTTP status, or a connection
// closed without an answer (status 0).
func fault(t *testing.T, w http.ResponseWriter, status int) {
	if status == 0 {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.Close()
		return
	}
	w.Header().Set("Retry-After", "0")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"message":"fault","status_code":0}`)
}

// noKeepAlive keeps Go's transport from silently resending a dropped GET or
// DELETE on a reused connection, so the tests count exactly what the client sent.
func noKeepAlive(c *Config) { c.Transport = &http.Transport{DisableKeepAlives: true} }

func TestNewRejectsAmbiguousAuth(t *testing.T) {
	if _, err := New(Config{Endpoint: DefaultEndpoint, ClientID: "a", ClientSecret: "b", AccessToken: "c"}); err == nil {
		t.Error("both kinds accepted")
	}
	if _, err := New(Config{Endpoint: DefaultEndpoint, ClientID: "a"}); err == nil {
		t.Error("client_id alone accepted")
	}
}

func TestCreateSucceededButUnreadableIsUncertain(t *testing.T) {
	for _, body := range []string{`{"id":`, `<html>ok</html>`, `{"name":"Acme"}`, `{"id":"915"}`} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, body) })
		_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{Name: "Acme"})
		if !IsUncertain(err) || !MayHaveSucceeded(err) {
			t.Errorf("%s: err = %v, want an uncertain outcome (a 2xx means it was created)", body, err)
		}
	}
}
