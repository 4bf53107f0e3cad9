package cloudlx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// elsewhere is a server the client was never configured for: it counts what
// reaches it, and fails the test if a credential does.
func elsewhere(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "" || (strings.Contains(string(body), "s3cr3t") || strings.Contains(string(body), "client_secret")) {
			t.Errorf("a credential reached the redirect's target: %s %s Authorization=%q body=%q",
				r.Method, r.URL, r.Header.Get("Authorization"), body)
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestTokenRequestRedirectIsNotFollowed(t *testing.T) {
	other, hits := elsewhere(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", other.URL+r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	c, err := New(Config{Endpoint: api.URL, ClientID: "id", ClientSecret: "s3cr3t-value"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCustomer(context.Background(), 915)
	if !IsRedirect(err) {
		t.Fatalf("err = %v, want a *RedirectError", err)
	}
	if _, isAuth := AsAuthError(err); isAuth {
		t.Errorf("a redirect reported as an authentication failure: %v", err)
	}
	want := "POST " + api.URL + "/api/oauth2/access-token answered HTTP 307 Temporary Redirect, a redirect to " + other.URL +
		"/api/oauth2/access-token. The provider follows no redirect, so nothing was sent there: each request carries the " +
		"client secret or an access token, which go only to the configured endpoint (" + api.URL + "). If CloudLX has moved, " +
		"set endpoint (or CLOUDLX_ENDPOINT) to the final URL: \"" + other.URL + "\""
	if err.Error() != want {
		t.Errorf("err =\n%s\nwant\n%s", err, want)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the redirect's target", hits.Load())
	}
}

// A GET answered 302 to another host: reported as the redirect it is, not as
// the 401 the other host would answer once Go dropped the bearer.
func TestReadRedirectIsNotFollowedNorAnAuthFailure(t *testing.T) {
	other, hits := elsewhere(t)
	var reads atomic.Int32
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		reads.Add(1)
		w.Header().Set("Location", "https://admin:hunter2@"+strings.TrimPrefix(other.URL, "http://")+"/login")
		w.WriteHeader(http.StatusFound)
	})
	_, err := f.client(t).GetCustomer(context.Background(), 915)
	var redirect *RedirectError
	if !errors.As(err, &redirect) || redirect.StatusCode != http.StatusFound {
		t.Fatalf("err = %v, want a 302 *RedirectError", err)
	}
	if StatusCode(err) != 0 || IsNotFound(err) {
		t.Errorf("a redirect reads as status %d", StatusCode(err))
	}
	for _, want := range []string{"GET " + f.srv.URL + "/api/customers/915 answered HTTP 302 Found, a redirect to https://***@",
		"/login.", "set endpoint (or CLOUDLX_ENDPOINT) to the final URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the Location's password is in the error: %v", err)
	}
	if hits.Load() != 0 || reads.Load() != 1 || f.tokens.Load() != 1 {
		t.Errorf("target hits = %d, reads = %d, tokens = %d; want 0, 1 (no retry), 1 (no renewal)", hits.Load(), reads.Load(), f.tokens.Load())
	}
}

// An https endpoint whose answer redirects to plain http on the same host:
// never followed (the policy has no exception for a same-host redirect).
func TestRedirectToPlainHTTPIsNotFollowed(t *testing.T) {
	other, hits := elsewhere(t)
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusMovedPermanently)
	}))
	t.Cleanup(api.Close)
	c, err := New(Config{Endpoint: api.URL, AccessToken: "tok", Transport: api.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCustomer(context.Background(), 915)
	if !IsRedirect(err) || !strings.Contains(err.Error(), "HTTP 301 Moved Permanently, a redirect to "+other.URL+"/api/customers/915") {
		t.Fatalf("err = %v", err)
	}
	// http to 127.0.0.1 is loopback, so it could be suggested; a redirect
	// is never followed whatever the suggestion.
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the plain-http target", hits.Load())
	}
}

func TestRedirectSuggestsAnEndpointOnlyWhenLocationEndsWithThePath(t *testing.T) {
	for loc, want := range map[string]string{
		"https://new.example/api/customers/915":        "https://new.example",
		"https://new.example/portal/api/customers/915": "https://new.example/portal",
		"https://new.example/login":                    "",
		"http://new.example/api/customers/915":         "", // not loopback: ParseEndpoint would refuse it
		"https://u:p@new.example/api/customers/915":    "",
	} {
		e := &RedirectError{Location: loc, apiPath: "/api/customers/915"}
		if got := e.suggestedEndpoint(); got != want {
			t.Errorf("%s: suggested %q, want %q", loc, got, want)
		}
	}
}

func TestMaskURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://admin:pw@host.example/x":   "https://***@host.example/x",
		"https://token@host.example":        "https://***@host.example",
		"https://host.example/a@b":          "https://host.example/a@b",
		"https://admin:p%zz@host.example/x": "https://***@host.example/x", // does not parse
		"not a url":                         "not a url",
	} {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseEndpointNeverShowsThePassword(t *testing.T) {
	for _, raw := range []string{"https://admin:s3cr3t-pw@cloudlx.example", "https://admin:s3cr3t-pw%zz@cloudlx.example",
		"http://admin:s3cr3t-pw@cloudlx.example", "https://admin:s3cr3t-pw@cloudlx.example/api"} {
		_, err := ParseEndpoint(raw)
		if err == nil {
			t.Fatalf("%s accepted", raw)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the error shows the password: %v", raw, err)
		}
		if !strings.Contains(err.Error(), "***@cloudlx.example") {
			t.Errorf("%s: the error does not show the masked URL: %v", raw, err)
		}
	}
}

// Missing is the one completeness rule: each answer below lacks what it says.
func TestCustomerMissing(t *testing.T) {
	full := map[string]any{}
	if err := json.Unmarshal([]byte(customerJSON), &full); err != nil {
		t.Fatal(err)
	}
	with := func(change func(m map[string]any)) string {
		m := map[string]any{}
		b, _ := json.Marshal(full)
		_ = json.Unmarshal(b, &m)
		change(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	for name, tc := range map[string]struct {
		body string
		want string
	}{
		"whole":                  {customerJSON, "[]"},
		"empty lists are fine":   {with(func(m map[string]any) { m["realms"], m["sub_realms"] = []any{}, []any{} }), "[]"},
		"no sub_realms":          {with(func(m map[string]any) { delete(m, "sub_realms") }), "[sub_realms]"},
		"null sub_realms":        {with(func(m map[string]any) { m["sub_realms"] = nil }), "[sub_realms]"},
		"no realms":              {with(func(m map[string]any) { delete(m, "realms") }), "[realms]"},
		"no name":                {with(func(m map[string]any) { delete(m, "name") }), "[name]"},
		"only the id":            {`{"id":915}`, "[name currency country realms sub_realms]"},
		"currency without iso_3": {with(func(m map[string]any) { m["currency"] = map[string]any{"name": "USD"} }), "[currency.iso_3]"},
		"null country":           {with(func(m map[string]any) { m["country"] = nil }), "[country]"},
		"realm without id":       {with(func(m map[string]any) { m["realms"] = []any{map[string]any{"name": "Networking"}} }), "[realms[0].id]"},
		"sub-realm without has_access": {with(func(m map[string]any) {
			m["sub_realms"] = []any{map[string]any{"id": 313, "name": "SD WAN"}}
		}), "[sub_realms[0].has_access]"},
	} {
		var c Customer
		if err := json.Unmarshal([]byte(tc.body), &c); err != nil {
			t.Fatal(err)
		}
		if got := "[" + strings.Join(c.Missing(), " ") + "]"; got != tc.want {
			t.Errorf("%s: Missing() = %s, want %s", name, got, tc.want)
		}
	}
}

func TestPartialReadIsAnErrorNamingTheField(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = io.WriteString(w, `{"id":915,"name":"Acme","currency":{"iso_3":"USD"},"country":{"iso_2":"US"},"realms":[],"sub_realms":null}`)
	})
	got, err := f.client(t).GetCustomer(context.Background(), 915)
	var inc *IncompleteError
	if got != nil || !errors.As(err, &inc) {
		t.Fatalf("got %+v, err = %v; want an *IncompleteError", got, err)
	}
	want := "GET " + f.srv.URL + "/api/customers/915 answered HTTP 200 for customer 915 without sub_realms (absent, null or empty)"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v\nwant the prefix %q", err, want)
	}
}

// A token endpoint that redirects is a configuration error that holds for the
// whole process: later calls get the same *RedirectError without sending the
// client secret again. Other token failures are not remembered: the next call
// asks again (a 401 may be a credential rotated in the meantime).
func TestTokenRequestRedirectIsAskedOnce(t *testing.T) {
	other, hits := elsewhere(t)
	var tokenRequests atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			tokenRequests.Add(1)
		}
		w.Header().Set("Location", other.URL+r.URL.Path)
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(api.Close)
	c, err := New(Config{Endpoint: api.URL, ClientID: "id", ClientSecret: "s3cr3t-value"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, first := c.GetCustomer(ctx, 915)
	_, second := c.ListCustomers(ctx)
	third := c.DeleteCustomer(ctx, 915)
	for name, err := range map[string]error{"first": first, "second": second, "third": third} {
		var redirect *RedirectError
		if !errors.As(err, &redirect) || redirect.URL != api.URL+tokenPath {
			t.Errorf("%s call: err = %v, want the token request's *RedirectError", name, err)
		}
	}
	if second.Error() != first.Error() || third.Error() != first.Error() {
		t.Errorf("later calls answered\n%v\n%v\nnot the first redirect\n%v", second, third, first)
	}
	if n := tokenRequests.Load(); n != 1 {
		t.Errorf("the token request was sent %d times; want once", n)
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the redirect's target", hits.Load())
	}

	// Contrast: a token request refused with 401 is not remembered.
	var tokenAsks atomic.Int32
	rotating := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			if tokenAsks.Add(1) == 1 {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok", "expires_in": 3600})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"customers": []any{}})
	}))
	t.Cleanup(rotating.Close)
	c, err = New(Config{Endpoint: rotating.URL, ClientID: "id", ClientSecret: "s3cr3t-value", MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListCustomers(ctx); err == nil || IsRedirect(err) {
		t.Fatalf("first list: err = %v, want the 401 as an authentication failure", err)
	}
	if _, err := c.ListCustomers(ctx); err != nil {
		t.Errorf("second list: %v; want a new token request and the list", err)
	}
	if n := tokenAsks.Load(); n != 2 {
		t.Errorf("the token request was sent %d times; want twice (a 401 is not remembered)", n)
	}
}
