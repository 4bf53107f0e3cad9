package cloudlx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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

// Whatever an error body echoes (the Authorization header, the token form),
// no error string and no APIError field holds a secret of the client.
func TestErrorBodiesEchoingSecretsAreRedacted(t *testing.T) {
	const secret, token = "Zy98Xw76Vu54Ts32Rq10Po98Nm76Lk54Ji32Hg10", "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90"
	tokenRequests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == tokenPath {
			tokenRequests++
			if tokenRequests <= 2 { // the JSON request, then the form: both refused, echoed
				w.WriteHeader(http.StatusBadRequest)
				_, _ = fmt.Fprintf(w, `{"message":"Bad request: %s","status_code":400}`, strings.ReplaceAll(string(body), `"`, `\"`))
				return
			}
			_, _ = fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600}`, token)
			return
		}
		w.WriteHeader(http.StatusBadGateway)
		_, _ = fmt.Fprintf(w, "<html><body><pre>Authorization: %s</pre></body></html>", r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, ClientID: "id", ClientSecret: secret, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, tokenErr := c.GetCustomer(context.Background(), 1)
	_, pageErr := c.GetCustomer(context.Background(), 1)
	if tokenRequests != 3 {
		t.Fatalf("%d token requests, want 3 (JSON, form, then a good one)", tokenRequests)
	}
	for name, err := range map[string]error{"token 400 echoing the form": tokenErr, "502 page echoing the header": pageErr} {
		var apiErr *APIError
		authErr, _ := AsAuthError(err)
		texts := []string{err.Error()}
		if errors.As(err, &apiErr) {
			texts = append(texts, apiErr.Message, apiErr.Body)
		}
		if authErr != nil {
			texts = append(texts, authErr.Answer.Message, authErr.Answer.Body)
		}
		for _, text := range texts {
			if strings.Contains(text, secret) || strings.Contains(text, token) {
				t.Errorf("%s: a secret in %q", name, text)
			}
		}
		if !strings.Contains(err.Error(), Mask) {
			t.Errorf("%s: %q shows no mask: the echo is not in the error, so this test proves nothing", name, err)
		}
	}
}

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

func TestIdempotentRequestsAreRetried(t *testing.T) {
	name := "x"
	calls := map[string]func(*Client) error{
		"GET": func(c *Client) error { _, err := c.GetCustomer(context.Background(), 915); return err },
		"PATCH": func(c *Client) error {
			_, err := c.UpdateCustomer(context.Background(), 915, CustomerPatch{Name: &name})
			return err
		},
		"DELETE": func(c *Client) error { return c.DeleteCustomer(context.Background(), 915) },
	}
	for method, call := range calls {
		for _, status := range []int{429, 500, 502, 503, 504, 0} {
			t.Run(fmt.Sprintf("%s %d", method, status), func(t *testing.T) {
				f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
					if r.Method != method {
						t.Errorf("method %s", r.Method)
					}
					if n <= 2 {
						fault(t, w, status)
						return
					}
					_, _ = io.WriteString(w, customerJSON)
				})
				if err := call(f.client(t, noKeepAlive)); err != nil {
					t.Fatal(err)
				}
				if f.calls.Load() != 3 {
					t.Fatalf("calls = %d, want 2 failures and a success", f.calls.Load())
				}
			})
		}
	}
}

func TestRequestsThatCannotSucceedAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 403, 404, 405, 409, 422, 501} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) { fault(t, w, status) })
		_, err := f.client(t).GetCustomer(context.Background(), 915)
		if StatusCode(err) != status || f.calls.Load() != 1 {
			t.Errorf("%d: err=%v calls=%d", status, err, f.calls.Load())
		}
	}
}

func TestRetriesGiveUpWithTheLastAnswer(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, `<html>bad gateway</html>`)
	})
	_, err := f.client(t).GetCustomer(context.Background(), 915)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || !strings.Contains(apiErr.Body, "bad gateway") {
		t.Fatalf("err = %v", err)
	}
	if f.calls.Load() != 4 {
		t.Fatalf("calls = %d, want 1 + 3 retries", f.calls.Load())
	}
}

func TestCreateIsRetriedOnlyWhenNotProcessed(t *testing.T) {
	cases := []struct {
		status    int
		wantCalls int32
		wantOK    bool
	}{
		{429, 2, true},  // throttled: not processed, retried
		{503, 2, true},  // unavailable: not processed, retried
		{500, 1, false}, // may have been processed: never retried
		{502, 1, false},
		{504, 1, false},
		{422, 1, false},
		{0, 1, false}, // dropped after sending: may have been processed, never resent
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					fault(t, w, tc.status)
					return
				}
				_, _ = io.WriteString(w, customerJSON)
			})
			_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{Name: "Acme"})
			if (err == nil) != tc.wantOK || f.calls.Load() != tc.wantCalls {
				t.Fatalf("err=%v calls=%d", err, f.calls.Load())
			}
			// Only the answers that may follow a processed request leave the outcome open.
			wantUncertain := tc.status == 0 || tc.status == 500 || tc.status == 502 || tc.status == 504
			if err != nil && MayHaveSucceeded(err) != wantUncertain {
				t.Fatalf("MayHaveSucceeded(%v) = %v", err, !wantUncertain)
			}
		})
	}
}

func TestCreateDroppedAfterSendingIsUncertain(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.Close()
	})
	c := f.client(t)
	_, err := c.CreateCustomer(context.Background(), CustomerCreate{Name: "Acme"})
	if !IsUncertain(err) {
		t.Fatalf("err = %v, want UncertainError", err)
	}
	if f.calls.Load() != 1 {
		t.Fatalf("calls = %d, a create must not be resent", f.calls.Load())
	}
	// A GET on the same failure is retried.
	f.calls.Store(0)
	if _, err := c.GetCustomer(context.Background(), 1); err == nil || IsUncertain(err) {
		t.Fatalf("err = %v", err)
	}
	if f.calls.Load() != 4 {
		t.Fatalf("GET calls = %d, want 4", f.calls.Load())
	}
}

func TestCreateRetriedWhenConnectionRefused(t *testing.T) {
	// A closed port: the connection is never made, so nothing can have been created.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := New(Config{Endpoint: url, AccessToken: "static-token", MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateCustomer(context.Background(), CustomerCreate{Name: "Acme"})
	if err == nil || IsUncertain(err) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("err = %v, want a plain connection error", err)
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := f.client(t, func(c *Config) { c.RetryWaitMax = time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetCustomer(ctx, 1)
	// Waiting out the Retry-After would take 30 s; stopping takes the 200 ms
	// timeout and two local requests, so 5 s holds on a machine 10x slower.
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
}

func TestUpdateSendsOnlyGivenFields(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Method != http.MethodPatch || r.URL.Path != "/api/customers/915" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	name := "New name"
	empty := []int64(nil)
	if _, err := f.client(t).UpdateCustomer(context.Background(), 915, CustomerPatch{Name: &name, EnabledSubRealms: &empty}); err != nil {
		t.Fatal(err)
	}
	if got := f.lastBodies[0]; got != `{"name":"New name","enabled_sub_realms":[]}` {
		t.Fatalf("body = %s", got)
	}
}

func TestCreateSendsEmptyListsNotNull(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, customerJSON) })
	_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{Name: "A", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"A","currency_iso":"USD","country_iso":"US","realms":[2],"shown_sub_realms":[],"enabled_sub_realms":[]}`
	if f.lastBodies[0] != want {
		t.Fatalf("body = %s", f.lastBodies[0])
	}
}

func TestAPIErrorFieldMessages(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"message":"Could not create customer.","status_code":422,"errors":{"currency_iso":["The selected currency iso is invalid."],"name":"Taken."}}`)
	})
	_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Message != "Could not create customer." || apiErr.FieldErrors["currency_iso"][0] != "The selected currency iso is invalid." || apiErr.FieldErrors["name"][0] != "Taken." {
		t.Fatalf("%+v", apiErr)
	}
	for _, want := range []string{"POST " + f.srv.URL + "/api/customers", "HTTP 422", "currency_iso: The selected currency iso is invalid."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err.Error(), want)
		}
	}
}

// A DELETE's 404 is returned as such: only the customer list can make it
// "already gone" (the provider's rule), so the client does not decide.
func TestDeleteReturnsNotFound(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, `{"message":"405 Method Not Allowed","status_code":405}`)
	})
	c := f.client(t)
	if err := c.DeleteCustomer(context.Background(), 1); !IsNotFound(err) {
		t.Fatalf("err = %v, want the 404", err)
	}
	if err := c.DeleteCustomer(context.Background(), 1); StatusCode(err) != 405 {
		t.Fatalf("err = %v", err)
	}
}

func TestListFollowsPagesWhateverThePageSize(t *testing.T) {
	const total, serverPageSize = 7, 3 // the server ignores max_per_page=200
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Query().Get("max_per_page") != "200" {
			t.Errorf("query %s", r.URL.RawQuery)
		}
		var page int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		var items []string
		for id := (page-1)*serverPageSize + 1; id <= min(page*serverPageSize, total); id++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"name":"c%d"}`, id, id))
		}
		_, _ = fmt.Fprintf(w, `{"customers":[%s],"num_results":%d,"paginates":true}`, strings.Join(items, ","), total)
	})
	got, err := f.client(t).ListCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total || got[6].ID != 7 || f.calls.Load() != 3 {
		t.Fatalf("got %d customers in %d requests", len(got), f.calls.Load())
	}
}

func TestListSinglePage(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = io.WriteString(w, `{"customers":[{"id":1},{"id":2}]}`)
	})
	got, err := f.client(t).ListCustomers(context.Background())
	if err != nil || len(got) != 2 || f.calls.Load() != 1 {
		t.Fatalf("got %v %v in %d requests", got, err, f.calls.Load())
	}
}

func TestListCustomersOnceNeverRetries(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusInternalServerError} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, `{"message":"busy","status_code":503}`)
			})
			start := time.Now()
			_, err := f.client(t).ListCustomersOnce(context.Background())
			if StatusCode(err) != status || f.calls.Load() != 1 {
				t.Fatalf("err %v after %d requests", err, f.calls.Load())
			}
			// Honouring the Retry-After would take 30 s; not honouring it takes
			// two local requests, so 5 s holds on a machine 10x slower.
			if waited := time.Since(start); waited > 5*time.Second {
				t.Fatalf("waited %s: Retry-After must not hold up a call that is never retried", waited)
			}
		})
	}
	// The same failure is retried by ListCustomers.
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, `{"customers":[{"id":1}]}`)
	})
	if got, err := f.client(t).ListCustomers(context.Background()); err != nil || len(got) != 1 || f.calls.Load() != 2 {
		t.Fatalf("got %v %v in %d requests", got, err, f.calls.Load())
	}
}

func TestListStopsOnShortPageWithoutTotal(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			_, _ = io.WriteString(w, `{"realms":[{"id":1},{"id":2}],"paginates":true}`)
		case 2:
			_, _ = io.WriteString(w, `{"realms":[{"id":3}],"paginates":true}`)
		default:
			t.Error("asked for a page after a short one")
		}
	})
	got, err := f.client(t).ListRealms(context.Background())
	if err != nil || len(got) != 3 {
		t.Fatalf("got %v %v", got, err)
	}
}

// Case 4 of issue 10: "paginates": true, a num_results larger than what comes
// back, and `page` ignored. The second page adds nothing new, so the list ends
// there, as an error (it cannot be whole), after two requests rather than
// thousands.
func TestListEndsWhenThePageIsIgnored(t *testing.T) {
	for _, total := range []string{`,"num_results":1000`, ""} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			_, _ = fmt.Fprintf(w, `{"customers":[{"id":1},{"id":2}],"paginates":true%s}`, total)
		})
		_, err := f.client(t).ListCustomers(context.Background())
		if err == nil || !strings.Contains(err.Error(), "the list is inconsistent") || !strings.Contains(err.Error(), "page 2 added no item") {
			t.Errorf("num_results %q: err = %v", total, err)
		}
		if f.calls.Load() != 2 {
			t.Errorf("num_results %q: %d list requests, want 2", total, f.calls.Load())
		}
	}
}

// A list whose pages keep adding items, but too slowly to ever reach
// num_results, ends after ceil(num_results / page size) + 1 pages.
func TestListEndsAfterTheCountsPagesPlusOne(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		var page int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		// Each page repeats the last id of the one before: one new item a page.
		_, _ = fmt.Fprintf(w, `{"customers":[{"id":%d},{"id":%d}],"num_results":10,"paginates":true}`, page, page+1)
	})
	_, err := f.client(t).ListCustomers(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"num_results": 10, but 6 pages returned 7 distinct items`) {
		t.Fatalf("err = %v", err)
	}
	if f.calls.Load() != 6 { // ceil(10/2) + 1
		t.Fatalf("%d list requests, want 6", f.calls.Load())
	}
}

// An endpoint that accepts the connection and never answers: the error says
// how many attempts were made, how long each could take, and what that means.
func TestNoAnswerSaysAttemptsAndRequestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() { _, _ = io.Copy(io.Discard, conn) }() // held open, never answered
		}
	}()
	defer ln.Close()
	c, err := New(Config{Endpoint: "http://" + ln.Addr().String(), AccessToken: "static-token", MaxRetries: 2,
		RequestTimeout: 200 * time.Millisecond, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCustomer(context.Background(), 915)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || noAnswer.Attempts != 3 || noAnswer.PerAttempt != 200*time.Millisecond {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{"GET http://" + ln.Addr().String() + "/api/customers/915", "no answer after 3 attempts of up to 200ms each (request_timeout)",
		"accepted the connection but did not answer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if accepted.Load() != 3 {
		t.Errorf("%d connections accepted, want one per attempt (3)", accepted.Load())
	}

	// The operation's own deadline ending during an attempt says the same.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, _ = New(Config{Endpoint: "http://" + ln.Addr().String(), AccessToken: "static-token", MaxRetries: 5,
		RequestTimeout: time.Minute, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err = c.GetCustomer(ctx, 915)
	if !errors.As(err, &noAnswer) || noAnswer.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "no answer after 1 attempt of up to 1m0s each") {
		t.Fatalf("err = %v", err)
	}
}

func TestBackoffHonoursServerWait(t *testing.T) {
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3"}}}
	if d := backoff(10*time.Millisecond, time.Second, 0, resp); d < 3*time.Second || d > 3*time.Second+10*time.Millisecond {
		t.Errorf("Retry-After 3: waited %s", d)
	}
	resp.Header = http.Header{"Retry-After": {"100000"}}
	if d := backoff(0, time.Second, 0, resp); d > maxRetryAfter+time.Millisecond {
		t.Errorf("huge Retry-After not capped: %s", d)
	}
	// Throttled again and again: never less than asked, but growing like any backoff.
	resp.Header = http.Header{"Retry-After": {"1"}}
	if d := backoff(500*time.Millisecond, 30*time.Second, 4, resp); d < 4*time.Second || d > 8*time.Second {
		t.Errorf("fifth throttled attempt: waited %s, want the backoff's 4-8s rather than Retry-After's 1s", d)
	}
	for attempt := range 10 {
		d := backoff(100*time.Millisecond, 2*time.Second, attempt, &http.Response{StatusCode: 500})
		want := min(100*time.Millisecond<<attempt, 2*time.Second)
		if d < want/2 || d > want {
			t.Errorf("attempt %d: %s not in [%s, %s]", attempt, d, want/2, want)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	ok := []string{"https://cloudlx.epsilontel.com", "https://x.example/", "https://x.example/apis", "https://x.example/api/portal", "http://127.0.0.1:8787", "http://localhost:1", "http://[::1]:80"}
	for _, e := range ok {
		if _, err := ParseEndpoint(e); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	bad := map[string]string{
		"https://cloudlx.example/api":   "the endpoint is the portal's base URL, without /api (for example \"https://cloudlx.example\")",
		"https://cloudlx.example/api/":  "without /api",
		"https://cloudlx.example/x/API": "without /api (for example \"https://cloudlx.example/x\")",
		"http://cloudlx.epsilontel.com": "not loopback",
		"ftp://x.example":               "must start with https://",
		"cloudlx.epsilontel.com":        "not an absolute URL",
		"https://u:p@x.example":         "must not contain credentials",
		"https://x.example/?a=b":        "query",
		"http://10.0.0.1":               "not loopback",
	}
	for e, want := range bad {
		if _, err := ParseEndpoint(e); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", e, err, want)
		}
	}
}

func TestNewRejectsAmbiguousAuth(t *testing.T) {
	if _, err := New(Config{Endpoint: DefaultEndpoint, ClientID: "a", ClientSecret: "b", AccessToken: "c"}); err == nil {
		t.Error("both kinds accepted")
	}
	if _, err := New(Config{Endpoint: DefaultEndpoint, ClientID: "a"}); err == nil {
		t.Error("client_id alone accepted")
	}
}

type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(msg, fields))
}

func TestLogsEachAttemptWithoutSecrets(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	log := &captureLogger{}
	c := f.client(t, func(c *Config) { c.Logger = log })
	if _, err := c.GetCustomer(context.Background(), 915); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(log.lines, "\n")
	for _, want := range []string{"method:GET", "path:/api/customers/915", "attempt:1", "attempt:2", "status:503", "status:200", "duration_ms:", "path:/api/oauth2/access-token"} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
	for _, secret := range []string{"secret", "tok1", "Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("log leaks %q:\n%s", secret, all)
		}
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

func TestRetryCarriesTheCurrentToken(t *testing.T) {
	// A throttled request waits; meanwhile its token expires. The retry must
	// leave with a fresh token, not the expired one (which would cost a 401).
	var now time.Time
	var c *Client
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			now = now.Add(time.Hour) // the wait outlived the token
			fault(t, w, http.StatusTooManyRequests)
			return
		}
		if got := r.Header.Get("Authorization"); got != "Bearer tok2" {
			t.Errorf("retry sent %q, want the renewed token", got)
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	c = f.client(t)
	now = time.Now()
	c.tokens.now = func() time.Time { return now }
	if _, err := c.GetCustomer(context.Background(), 915); err != nil {
		t.Fatal(err)
	}
	if f.tokens.Load() != 2 || f.calls.Load() != 2 {
		t.Fatalf("tokens=%d calls=%d, want 2 and 2", f.tokens.Load(), f.calls.Load())
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

func TestMayHaveSucceeded(t *testing.T) {
	cases := map[error]bool{
		&UncertainError{Err: errors.New("EOF")}:               true,
		&APIError{StatusCode: 500}:                            true,
		&APIError{StatusCode: 502}:                            true,
		&APIError{StatusCode: 504}:                            true,
		&APIError{StatusCode: 503}:                            false,
		&APIError{StatusCode: 501}:                            false,
		&APIError{StatusCode: 429}:                            false,
		&APIError{StatusCode: 422}:                            false,
		fmt.Errorf("wrapped: %w", &APIError{StatusCode: 502}): true,
		errors.New("dial tcp: connection refused"):            false,
	}
	for err, want := range cases {
		if got := MayHaveSucceeded(err); got != want {
			t.Errorf("MayHaveSucceeded(%v) = %v, want %v", err, got, want)
		}
	}
}

// logHook calls fn for every attempt the client logs.
type logHook func(fields map[string]any)

func (h logHook) Debug(_ context.Context, _ string, fields map[string]any) { h(fields) }

// Each case interrupts the create on an event (the server has the POST; the
// client has logged the 429), never on a timer that a slow machine could
// let fire before the create got there.
func TestInterruptedCreate(t *testing.T) {
	t.Run("while the POST is on the wire: it may have been processed", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			cancel()             // the client gives up while the server is still working
			<-r.Context().Done() // and the server notices
		})
		_, err := f.client(t).CreateCustomer(ctx, CustomerCreate{Name: "Acme"})
		if !IsUncertain(err) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want an uncertain outcome", err)
		}
	})
	t.Run("while waiting to retry a 429: nothing was processed", func(t *testing.T) {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Cancelled once the client has the 429: it logs each attempt after
		// its answer, then waits to retry.
		answered := logHook(func(fields map[string]any) {
			if fields["path"] == "/api/customers" && fields["status"] == http.StatusTooManyRequests {
				cancel()
			}
		})
		start := time.Now()
		_, err := f.client(t, func(c *Config) { c.Logger = answered }).CreateCustomer(ctx, CustomerCreate{Name: "Acme"})
		// Waiting out the Retry-After would take 30 s; stopping takes two local
		// requests, so 5 s holds on a machine 10x slower.
		if MayHaveSucceeded(err) || !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
			t.Fatalf("err = %v after %s, want a prompt, certain failure", err, time.Since(start))
		}
		if f.calls.Load() != 1 {
			t.Fatalf("calls = %d", f.calls.Load())
		}
	})
}

func TestAnswerThatIsNotTheCustomerIsAnError(t *testing.T) {
	// A 2xx without the customer (an empty body, `null`, another customer)
	// must not become state with id 0 and no name.
	for _, body := range []string{``, `null`, `{}`, `{"id":916,"name":"Other"}`} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, body) })
		c := f.client(t)
		if _, err := c.GetCustomer(context.Background(), 915); err == nil || !strings.Contains(err.Error(), "is not customer 915") {
			t.Errorf("GET answered %q: err = %v", body, err)
		}
		name := "x"
		if _, err := c.UpdateCustomer(context.Background(), 915, CustomerPatch{Name: &name}); err == nil {
			t.Errorf("PATCH answered %q: no error", body)
		}
	}
}

func TestThrottlingDoesNotSpendTheRetryBudget(t *testing.T) {
	script := func(answers ...int) func(w http.ResponseWriter, r *http.Request, n int) {
		return func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= len(answers) {
				fault(t, w, answers[n-1])
				return
			}
			_, _ = io.WriteString(w, customerJSON)
		}
	}
	maxRetries := func(n int) func(*Config) { return func(c *Config) { c.MaxRetries = n } }

	// Eight 429s in a row with a budget of two retries: the API said when to come back, so it succeeds.
	f := newFakeAPI(t, script(429, 429, 429, 429, 429, 429, 429, 429))
	if _, err := f.client(t, maxRetries(2)).GetCustomer(context.Background(), 915); err != nil || f.calls.Load() != 9 {
		t.Fatalf("throttled 8 times: err=%v calls=%d, want success on the 9th", err, f.calls.Load())
	}
	// Failures spend it, throttling or not in between: the third 500 ends the request.
	f = newFakeAPI(t, script(429, 500, 429, 502, 429, 500))
	if _, err := f.client(t, maxRetries(2)).GetCustomer(context.Background(), 915); StatusCode(err) != 500 || f.calls.Load() != 6 {
		t.Fatalf("err=%v calls=%d, want the third failure to end it", err, f.calls.Load())
	}
	// max_retries = 0 turns every retry off, throttling included.
	f = newFakeAPI(t, script(429))
	if _, err := f.client(t, maxRetries(0)).GetCustomer(context.Background(), 915); StatusCode(err) != 429 || f.calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d, want one attempt", err, f.calls.Load())
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
