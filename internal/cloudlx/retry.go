package cloudlx

// The retry policy: which failures of a request may be sent again, how many
// times, how long to wait in between, and which token the next attempt
// carries. retryablehttp runs the loop; the hooks it calls between attempts
// (checkRetry, backoff, refreshBearer) are here.

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const (
	// maxRetryAfter caps a server's Retry-After so a bogus value cannot stall an apply for hours.
	maxRetryAfter = 2 * time.Minute
	// maxThrottledRetries is a safety net for 429s; the operation's timeout
	// (Terraform's `timeouts`) normally ends a long throttle first.
	maxThrottledRetries = 50
)

// retryPolicy says which failures of a request are safe to retry.
type retryPolicy int

const (
	// policyIdempotent: GET, PATCH (it sets fields), DELETE (404 counts as done)
	// and the token request are retried on 429, 5xx and connection errors.
	policyIdempotent retryPolicy = iota
	// policyCreate: a POST that creates must not run twice. It is retried only
	// when the answer proves the server did not process it (429, 503) or the
	// connection was never made.
	policyCreate
	// policyFailFast: for requests whose caller has a fallback cheaper than
	// retrying a failure (the customer list, where the fallback is one GET per
	// customer). A 429 is still waited out and sent again: against an API that
	// throttles, every request of a fallback would be throttled too, so
	// falling back would multiply the requests, not avoid the wait.
	policyFailFast
)

// checkRetry decides after each attempt whether to try again: when the failure
// is one a retry can fix (retryable), and, unless the API throttled the
// request, only MaxRetries times. Throttling is the API working as intended
// and saying when to come back, so an apply at high parallelism against a
// small quota slows down rather than fails; the operation's timeout bounds it.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	attempts := attemptRecordOf(ctx)
	if attempts != nil {
		attempts.outcome(resp, err)
	}
	retry, err := retryable(ctx, resp, err)
	if !retry || err != nil {
		return retry, err
	}
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		return true, nil
	}
	return attempts == nil || attempts.failure() <= c.maxRetries, nil
}

// retryable reports whether a failed attempt may be sent again.
func retryable(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	// The policy travels in the request's context: send put it there, because
	// the context is all retryablehttp gives CheckRetry about the request.
	// Every request comes through send; absent, it would read as
	// policyIdempotent (the zero value).
	policy, _ := ctx.Value(policyKey).(retryPolicy)
	if policy == policyFailFast {
		return err == nil && resp.StatusCode == http.StatusTooManyRequests, nil
	}
	if err != nil {
		if permanentTransportError(err) {
			return false, nil
		}
		if policy == policyCreate {
			return neverSent(err), nil
		}
		return true, nil
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		// Both mean "not processed, come back later", for a create too.
		return true, nil
	case code >= 500 && code != http.StatusNotImplemented:
		return policy != policyCreate, nil
	}
	return false, nil
}

// neverSent reports a failure that happened before the request could reach
// the server (the connection was never established), so even a create is safe
// to send again.
func neverSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// permanentTransportError reports failures that no retry can fix: a server
// certificate that fails verification (the same failures asTLSError names),
// or a URL that does not parse.
func permanentTransportError(err error) bool {
	if asTLSError("", err) != nil {
		return true
	}
	var urlErr *url.Error
	return errors.As(err, &urlErr) && urlErr.Op == "parse"
}

// backoff doubles the wait from min up to max after each failed attempt, with
// jitter so that twenty throttled operations do not all come back in the same
// instant. When the server says how long to wait (Retry-After, or Dingo's
// X-RateLimit-Reset) it never waits less than that; a request throttled again
// and again still backs off further, which spreads a crowd of waiters out
// instead of sending them all back the moment the window reopens.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := minWait << min(attempt, 20)
	if d <= 0 || d > maxWait {
		d = maxWait
	}
	wait := d/2 + rand.N(d/2+1)
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if asked, ok := serverWait(resp.Header, time.Now()); ok && asked >= wait {
			wait = asked + rand.N(minWait/2+1)
		}
	}
	return wait
}

// serverWait reads how long the server asked us to wait.
func serverWait(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			return min(time.Duration(secs)*time.Second, maxRetryAfter), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return min(max(t.Sub(now), 0), maxRetryAfter), true
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if epoch, err := strconv.ParseInt(v, 10, 64); err == nil {
			return min(max(time.Unix(epoch, 0).Sub(now), 0), maxRetryAfter), true
		}
	}
	return 0, false
}

// refreshBearer runs before every retry. Retries can wait minutes (Retry-After,
// backoff), longer than a short-lived token lives, so each attempt carries the
// token that is current when it leaves rather than the one the first attempt
// had. Token requests carry no bearer and are left alone, and so are Raw
// requests, whose token is the caller's.
func (c *Client) refreshBearer(req *http.Request) error {
	if req.Header.Get("Authorization") == "" || req.Context().Value(rawKey) != nil {
		return nil
	}
	token, err := c.tokens.Token(req.Context())
	if err != nil {
		return &retryPrepareError{err}
	}
	req.Header = req.Header.Clone() // the previous attempt's request may still be read by the transport
	req.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// retryPrepareError is a failure between attempts (no token for the next
// one). The previous attempt's answer asked for a retry, so it was not
// processed: even a create is certain not to have happened.
type retryPrepareError struct{ err error }

func (e *retryPrepareError) Error() string { return e.err.Error() }
func (e *retryPrepareError) Unwrap() error { return e.err }
