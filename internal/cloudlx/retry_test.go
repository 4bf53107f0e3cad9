package cloudlx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

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
