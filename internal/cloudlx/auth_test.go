package cloudlx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetCustomerDecodesAndSharesOneToken(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") != "Bearer tok1" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	c := f.client(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.GetCustomer(context.Background(), 915)
			if err != nil {
				t.Error(err)
				return
			}
			if got.Name != "Acme" || got.Currency.ISO3 != "USD" || got.Country.ISO2 != "US" ||
				len(got.Realms) != 1 || got.Realms[0].ID != 2 || got.SubRealms[0].Description != nil {
				t.Errorf("decoded %+v", got)
			}
			if fmt.Sprint(got.ShownSubRealmIDs()) != "[313 328]" || fmt.Sprint(got.EnabledSubRealmIDs()) != "[313]" {
				t.Errorf("sub-realm ids: %v %v", got.ShownSubRealmIDs(), got.EnabledSubRealmIDs())
			}
		}()
	}
	wg.Wait()
	if n := f.tokens.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1 shared by all calls", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, customerJSON) })
	f.expiresIn = 100
	c := f.client(t)
	now := time.Now()
	c.tokens.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := c.GetCustomer(ctx, 915); err != nil {
		t.Fatal(err)
	}
	now = now.Add(85 * time.Second) // inside the lifetime, before the 10% margin
	if _, err := c.GetCustomer(ctx, 915); err != nil {
		t.Fatal(err)
	}
	if n := f.tokens.Load(); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
	now = now.Add(10 * time.Second) // within the renewal margin
	if _, err := c.GetCustomer(ctx, 915); err != nil {
		t.Fatal(err)
	}
	if n := f.tokens.Load(); n != 2 {
		t.Fatalf("token requests = %d, want 2", n)
	}
}

func TestUnauthorizedRenewsTokenOnce(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") == "Bearer tok1" { // revoked
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"Unauthenticated.","status_code":401}`)
			return
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	if _, err := f.client(t).GetCustomer(context.Background(), 915); err != nil {
		t.Fatal(err)
	}
	if f.tokens.Load() != 2 || f.calls.Load() != 2 {
		t.Fatalf("tokens=%d calls=%d, want 2 and 2", f.tokens.Load(), f.calls.Load())
	}
}

func TestSecondUnauthorizedIsAnError(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Unauthenticated.","status_code":401}`)
	})
	_, err := f.client(t).GetCustomer(context.Background(), 915)
	if StatusCode(err) != 401 || !strings.Contains(err.Error(), "freshly issued token") {
		t.Fatalf("err = %v", err)
	}
	if f.tokens.Load() != 2 || f.calls.Load() != 2 {
		t.Fatalf("tokens=%d calls=%d, want exactly one renewal", f.tokens.Load(), f.calls.Load())
	}
}

func TestStaticTokenIsNotRenewed(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") != "Bearer minted-elsewhere" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Unauthenticated.","status_code":401}`)
	})
	c := f.client(t, func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "minted-elsewhere" })
	_, err := c.GetCustomer(context.Background(), 1)
	if StatusCode(err) != 401 || !strings.Contains(err.Error(), "access_token was rejected") {
		t.Fatalf("err = %v", err)
	}
	if f.tokens.Load() != 0 || f.calls.Load() != 1 {
		t.Fatalf("tokens=%d calls=%d", f.tokens.Load(), f.calls.Load())
	}
}

func TestBadCredentials(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { t.Error("API called without a token") })
	c := f.client(t, func(c *Config) { c.ClientSecret = "wrong" })
	_, err := c.GetCustomer(context.Background(), 1)
	authErr, ok := AsAuthError(err)
	if !ok || authErr.Status() != 401 || authErr.URL != f.srv.URL+tokenPath || !strings.Contains(err.Error(), `client_id "id"`) ||
		strings.Contains(err.Error(), "wrong") {
		t.Fatalf("err = %v", err)
	}
	// The answer of the token request is not the answer of the GET.
	if StatusCode(err) != 0 || IsNotFound(err) {
		t.Fatalf("StatusCode(err) = %d: a token failure read as the GET's answer", StatusCode(err))
	}
}

// A 404 from the token endpoint (an endpoint ending in /api sends it to
// /api/api/oauth2/access-token) is an authentication failure, never the
// customer's "not found": for a GET, a DELETE and a list alike.
func TestTokenNotFoundIsNeverCustomerNotFound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != tokenPath {
			t.Errorf("%s %s sent without a token", r.Method, r.URL.Path)
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"404 Not Found","status_code":404}`)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, ClientID: "id", ClientSecret: "client-secret-value", MaxRetries: 1, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, getErr := c.GetCustomer(ctx, 915)
	_, listErr := c.ListCustomers(ctx)
	for name, err := range map[string]error{"GET": getErr, "DELETE": c.DeleteCustomer(ctx, 915), "list": listErr} {
		authErr, ok := AsAuthError(err)
		if !ok || authErr.Status() != http.StatusNotFound || IsNotFound(err) || StatusCode(err) != 0 {
			t.Errorf("%s: err = %v (auth error %v, IsNotFound %v)", name, err, ok, IsNotFound(err))
			continue
		}
		if want := "POST " + srv.URL + "/api/oauth2/access-token: HTTP 404"; !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %q does not name the URL requested (%q)", name, err, want)
		}
	}
}

func TestWaitingForATokenStopsOnCancel(t *testing.T) {
	release, fetching := make(chan struct{}), make(chan struct{}, 1)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, customerJSON) })
	// A token endpoint that hangs until released.
	slow := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			select {
			case fetching <- struct{}{}:
			default:
			}
			<-release
		}
		slow.ServeHTTP(w, r)
	})
	defer close(release)
	c := f.client(t)
	go func() { _, _ = c.GetCustomer(context.Background(), 1) }()
	<-fetching // the first call holds the token lock while its token request hangs
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetCustomer(ctx, 1)
	// Without the cancellation the call would wait as long as the token
	// request hangs (until the test ends); with it, 100 ms and no request, so
	// 2 s holds on a machine 10x slower.
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %s, want a prompt cancellation", err, time.Since(start))
	}
}

func TestTokenLifetimeIsReadLeniently(t *testing.T) {
	cases := map[string]time.Duration{
		`3600`: time.Hour, `"120"`: 2 * time.Minute, `2.5`: 2500 * time.Millisecond,
		``: time.Hour, `null`: time.Hour, `"soon"`: time.Hour, `0`: time.Hour, `-5`: time.Hour,
	}
	for raw, want := range cases {
		if got := tokenLifetime(json.RawMessage(raw)); got != want {
			t.Errorf("expires_in %s: %s, want %s", raw, got, want)
		}
	}
}

func TestTokenRequestFallsBackToFormWhenJSONIsRefused(t *testing.T) {
	var jsonTries, formTries atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			if r.Header.Get("Content-Type") == "application/json" {
				jsonTries.Add(1)
				w.WriteHeader(http.StatusUnsupportedMediaType)
				return
			}
			formTries.Add(1)
			if err := r.ParseForm(); err != nil || r.PostForm.Get("client_secret") != "secret" || r.PostForm.Get("grant_type") != "client_credentials" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = io.WriteString(w, `{"access_token":"formtok","expires_in":"3600"}`)
			return
		}
		if r.Header.Get("Authorization") != "Bearer formtok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, customerJSON)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.GetCustomer(context.Background(), 915); err != nil {
			t.Fatal(err)
		}
	}
	if jsonTries.Load() != 1 || formTries.Load() != 1 {
		t.Fatalf("json=%d form=%d token requests, want one of each", jsonTries.Load(), formTries.Load())
	}
}
