// Package cloudlx is a typed client for the CloudLX reseller API. It knows
// nothing of Terraform: it sends requests, retries what is safe to retry,
// manages the OAuth2 token, and turns error answers into *APIError.
package cloudlx

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// MediaType is the API's versioned media type, required on every request.
const MediaType = "application/vnd.cloudlx.v1+json"

// Defaults for Config's zero values.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	// maxRetryAfter caps a server's Retry-After so a bogus value cannot stall an apply for hours.
	maxRetryAfter = 2 * time.Minute
)

// Logger receives one line per HTTP attempt. The fields never hold headers,
// bodies or credentials.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Exactly one of AccessToken or ClientID+ClientSecret is used.
type Config struct {
	Endpoint     string // base URL; https, or http to a loopback host
	ClientID     string
	ClientSecret string
	AccessToken  string // a token minted elsewhere; used as is and never renewed
	UserAgent    string

	MaxRetries     int           // retries after the first attempt (0: each request is sent once)
	RequestTimeout time.Duration // per attempt; 0 means DefaultRequestTimeout
	RetryWaitMin   time.Duration // 0 means DefaultRetryWaitMin
	RetryWaitMax   time.Duration // 0 means DefaultRetryWaitMax

	Logger    Logger
	Transport http.RoundTripper // for tests; default is a pooled transport
}

// Client talks to one CloudLX endpoint. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	userAgent string
	http      *retryablehttp.Client
	tokens    *tokenSource
}

// New checks cfg and builds a Client. It sends nothing: the token is fetched
// on the first API call.
func New(cfg Config) (*Client, error) {
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	hasCreds := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case cfg.AccessToken != "" && hasCreds:
		return nil, errors.New("configure either an access token or client credentials, not both")
	case cfg.AccessToken == "" && (cfg.ClientID == "" || cfg.ClientSecret == ""):
		return nil, errors.New("client credentials need both a client ID and a client secret")
	}

	transport := cfg.Transport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to 10 (or -parallelism) operations at once; keep
		// their connections instead of reopening one per request.
		pooled.MaxIdleConnsPerHost = 64
		transport = pooled
	}
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	retries := max(cfg.MaxRetries, 0)

	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Timeout:   timeout,
			Transport: &loggingTransport{next: transport, log: cfg.Logger},
		},
		Logger:       nil, // our loggingTransport logs each attempt, with the context
		RetryWaitMin: orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin),
		RetryWaitMax: orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax),
		RetryMax:     retries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	c := &Client{base: base, userAgent: cfg.UserAgent, http: rc}
	c.tokens = &tokenSource{
		client:       c,
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		static:       cfg.AccessToken,
		now:          time.Now,
	}
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

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
	// policyOnce: never retried, for requests whose caller has a fallback.
	policyOnce
)

type ctxKey int

const (
	policyKey ctxKey = iota
	attemptKey
)

// do sends one API call: it adds the bearer token, renews the token once on a
// 401, turns a non-2xx answer into *APIError and decodes a 2xx body into out.
func (c *Client) do(ctx context.Context, method, path string, in, out any, policy retryPolicy) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return err
	}
	resp, respBody, err := c.send(ctx, method, path, bytes.NewReader(body), token, policy)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && c.tokens.CanRenew() {
		// A token can be revoked long before it expires: fetch a new one and
		// try once more. A 401 is never processed, so this is safe for POST too.
		if token, err = c.tokens.Renew(ctx, token); err != nil {
			return err
		}
		resp, respBody, err = c.send(ctx, method, path, bytes.NewReader(body), token, policy)
	}
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		apiErr := newAPIError(method, path, resp.StatusCode, respBody)
		if resp.StatusCode == http.StatusUnauthorized {
			if c.tokens.CanRenew() {
				apiErr.Message += " (a freshly issued token was rejected: check that the API client still exists and its portal user has access)"
			} else {
				apiErr.Message += " (the configured access_token was rejected: it may have expired; configure client_id and client_secret so tokens are renewed)"
			}
		}
		return apiErr
	}
	if out == nil || len(bytes.TrimSpace(respBody)) == 0 {
		return nil
	}
	if err := json.Unmarshal(respBody, out); err != nil {
		return fmt.Errorf("%s %s: decoding the response: %w", method, path, err)
	}
	return nil
}

// send performs the HTTP exchange with retries and returns the final response
// with its body read. A transport failure of a create becomes *UncertainError.
func (c *Client) send(ctx context.Context, method, path string, body io.ReadSeeker, token string, policy retryPolicy) (*http.Response, []byte, error) {
	u := *c.base
	pathOnly, rawQuery, _ := cutQuery(path)
	u.Path += pathOnly
	u.RawQuery = rawQuery

	var rawBody any
	if body != nil {
		if n, _ := body.Seek(0, io.SeekEnd); n > 0 {
			_, _ = body.Seek(0, io.SeekStart)
			rawBody = body
		}
	}
	ctx = context.WithValue(ctx, policyKey, policy)
	ctx = context.WithValue(ctx, attemptKey, new(int))
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", MediaType)
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if rawBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", method, pathOnly, ctxErr)
		}
		if policy == policyCreate && !neverSent(err) {
			return nil, nil, &UncertainError{Method: method, Path: pathOnly, Err: err}
		}
		return nil, nil, fmt.Errorf("%s %s: %w", method, pathOnly, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		if policy == policyCreate {
			return nil, nil, &UncertainError{Method: method, Path: pathOnly, Err: err}
		}
		return nil, nil, fmt.Errorf("%s %s: reading the response: %w", method, pathOnly, err)
	}
	return resp, respBody, nil
}

func cutQuery(path string) (string, string, bool) {
	for i := 0; i < len(path); i++ {
		if path[i] == '?' {
			return path[:i], path[i+1:], true
		}
	}
	return path, "", false
}

// checkRetry decides after each attempt whether to try again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	policy, _ := ctx.Value(policyKey).(retryPolicy)
	if policy == policyOnce {
		return false, nil
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

// permanentTransportError reports failures that no retry can fix.
func permanentTransportError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var urlErr *url.Error
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &certInvalid) || errors.As(err, &verify) {
		return true
	}
	if errors.As(err, &urlErr) && urlErr.Op == "parse" {
		return true
	}
	return false
}

// backoff waits as the server asks (Retry-After, or Dingo's X-RateLimit-Reset)
// and otherwise doubles from min up to max, with jitter so that ten throttled
// operations do not all come back in the same instant.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := serverWait(resp.Header, time.Now()); ok {
			// A little jitter on top, so waiters spread out when the window reopens.
			return d + rand.N(minWait/2+1)
		}
	}
	d := minWait << min(attempt, 20)
	if d <= 0 || d > maxWait {
		d = maxWait
	}
	return d/2 + rand.N(d/2+1)
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

// loggingTransport logs every attempt: method, path, status, attempt number and
// duration. It never logs headers or bodies, so tokens and secrets cannot leak.
type loggingTransport struct {
	next http.RoundTripper
	log  Logger
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt := 1
	if n, ok := req.Context().Value(attemptKey).(*int); ok {
		*n++
		attempt = *n
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if t.log != nil {
		fields := map[string]any{
			"method":      req.Method,
			"path":        req.URL.Path,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if err != nil {
			fields["error"] = err.Error()
		} else {
			fields["status"] = resp.StatusCode
		}
		t.log.Debug(req.Context(), "CloudLX API request", fields)
	}
	return resp, err
}
