package cloudlx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Raw sends exactly what it is given, with the client's headers, returns any
// status with its headers and body, retries a 503 with the caller's own token,
// and never fetches a token of its own.
func TestRawSendsAsGivenAndKeepsTheCallersToken(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path == tokenPath {
			t.Errorf("Raw fetched a token")
		}
		if got := r.Header.Get("Authorization"); got != "Bearer callers-token" {
			t.Errorf("attempt %d: Authorization %q", n, got)
		}
		if r.Header.Get("Accept") != MediaType || r.Header.Get("User-Agent") != "probe-test" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.URL.RawQuery != "page=2" {
			t.Errorf("headers %v, query %q", r.Header, r.URL.RawQuery)
		}
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "59")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("echo client-secret-value"))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{Endpoint: srv.URL, ClientID: "id", ClientSecret: "client-secret-value", UserAgent: "probe-test",
		MaxRetries: 2, RetryWaitMin: 1, RetryWaitMax: 1})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Raw(context.Background(), RawRequest{Method: "POST", Path: "/api/x?page=2", Body: []byte("a=b"),
		ContentType: "application/x-www-form-urlencoded", Token: "callers-token"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusTeapot || resp.Header.Get("X-RateLimit-Remaining") != "59" || !strings.Contains(string(resp.Body), "echo") {
		t.Fatalf("got %d %v %q", resp.Status, resp.Header, resp.Body)
	}
	if calls.Load() != 2 {
		t.Errorf("%d attempts, want 2 (the 503 retried)", calls.Load())
	}
}
