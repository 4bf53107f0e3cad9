// Package cloudlx is a typed client for the CloudLX reseller API. It knows
// nothing of Terraform: it sends requests, retries what is safe to retry,
// manages the OAuth2 token, and turns error answers into *APIError.
package cloudlx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// MediaType is the API's versioned media type, required on every request.
const MediaType = "application/vnd.cloudlx.v1+json"

const (
	jsonContent = "application/json"
	formContent = "application/x-www-form-urlencoded"
)

// Defaults for Config's zero values.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
)

// Config configures a Client. Exactly one of AccessToken or ClientID+ClientSecret is used.
type Config struct {
	Endpoint     string // base URL; https, or http to a loopback host
	ClientID     string
	ClientSecret string
	AccessToken  string // a token minted elsewhere; used as is and never renewed
	UserAgent    string

	// MaxRetries bounds the retries of failures (5xx, connection errors). A
	// throttled request (429) is retried as the API asks until the context
	// ends, up to maxThrottledRetries; 0 disables all retries.
	MaxRetries     int
	RequestTimeout time.Duration // per attempt; 0 means DefaultRequestTimeout
	RetryWaitMin   time.Duration // 0 means DefaultRetryWaitMin
	RetryWaitMax   time.Duration // 0 means DefaultRetryWaitMax

	// CACertificates is PEM text of CA certificates trusted in addition to
	// the system's (a private CA, or a TLS-inspecting proxy's). Certificates
	// are always verified; there is no way to turn that off.
	CACertificates []byte

	Logger    Logger
	Transport http.RoundTripper // for tests; default is newTransport's

	// Redactor, when set, is the one the client teaches its secrets to (so a
	// caller that masks its own output with it, the provider's diagnostics,
	// knows every token the client is issued); nil gives the client its own.
	Redactor *Redactor
}

// Client talks to one CloudLX endpoint. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	maxRetries int
	timeout    time.Duration // per attempt
	userAgent  string
	http       *retryablehttp.Client
	tokens     *tokenSource
	redactor   *Redactor
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
		pooled, err := newTransport(cfg.CACertificates)
		if err != nil {
			return nil, fmt.Errorf("the CA certificates are not usable: %w", err)
		}
		transport = pooled
	}
	timeout := orDefault(cfg.RequestTimeout, DefaultRequestTimeout)
	retries := max(cfg.MaxRetries, 0)
	attemptsAllowed := 0 // retryablehttp's own limit: every retry, throttled or not
	if retries > 0 {
		attemptsAllowed = retries + maxThrottledRetries
	}

	// Every attempt goes through attemptRecorder, which keeps the record that
	// create safety depends on; logging, when configured, is a separate layer.
	transport = &attemptRecorder{next: transport}
	if cfg.Logger != nil {
		transport = &loggingTransport{next: transport, log: cfg.Logger}
	}
	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Timeout:   timeout,
			Transport: transport,
			// No redirect is followed: see redirect.go.
			CheckRedirect: stopAtRedirect,
		},
		Logger:       nil, // our loggingTransport logs each attempt, with the context
		RetryWaitMin: orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin),
		RetryWaitMax: orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax),
		RetryMax:     attemptsAllowed,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	redactor := cfg.Redactor
	if redactor == nil {
		redactor = &Redactor{}
	}
	c := &Client{base: base, maxRetries: retries, timeout: timeout, userAgent: cfg.UserAgent, http: rc, redactor: redactor}
	c.redactor.Add(cfg.ClientSecret)
	c.redactor.Add(cfg.AccessToken)
	rc.CheckRetry = c.checkRetry
	c.tokens = &tokenSource{
		client:       c,
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		static:       cfg.AccessToken,
		lock:         make(chan struct{}, 1),
		now:          time.Now,
	}
	rc.PrepareRetry = c.refreshBearer
	return c, nil
}

// Redactor masks this client's secrets: the client secret, the configured access
// token and every token the API has issued to it. Text that leaves the process
// (errors, diagnostics, log lines) goes through it.
func (c *Client) Redactor() *Redactor { return c.redactor }

// URL is the full URL of an API path on this client's endpoint, as errors
// name it: an endpoint with a wrong prefix shows there, where the path alone
// would hide it.
func (c *Client) URL(path string) string {
	u := url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + path}
	return u.String()
}

// orDefault is def when d is zero or negative (cmp.Or would keep a negative d).
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// What travels with a request in its context. retryablehttp calls its hooks
// (CheckRetry, PrepareRetry, the transports) with the request or its context
// and nothing else, so what they must know about the request rides there:
// send puts in the retry policy and a fresh attempt record, Raw marks its
// requests.
type ctxKey int

const (
	policyKey ctxKey = iota
	attemptKey
	rawKey // a Raw request: its bearer token is the caller's, never swapped
)

// do sends one API call: it adds the bearer token, renews the token once on a
// 401, turns a non-2xx answer into *APIError and decodes a 2xx body into out.
// Every error it returns is redacted: no secret of this client is in its text.
func (c *Client) do(ctx context.Context, method, path string, in, out any, policy retryPolicy) error {
	return c.redactor.Error(c.call(ctx, method, path, in, out, policy))
}

func (c *Client) call(ctx context.Context, method, path string, in, out any, policy retryPolicy) error {
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
	ans, err := c.send(ctx, method, path, body, jsonContent, token, policy)
	if err == nil {
		// Before the 401 below: a redirect is never an authentication failure.
		err = c.redirectError(method, path, ans)
	}
	if err == nil && ans.status == http.StatusUnauthorized && c.tokens.CanRenew() {
		// A token can be revoked long before it expires: fetch a new one and
		// try once more. A 401 is never processed, so this is safe for POST too.
		// The rejected token is the one the last attempt carried (a retry may
		// have swapped it, see refreshBearer).
		if token, err = c.tokens.Renew(ctx, ans.bearer); err != nil {
			return err
		}
		ans, err = c.send(ctx, method, path, body, jsonContent, token, policy)
		if err == nil {
			err = c.redirectError(method, path, ans)
		}
	}
	if err != nil {
		return err
	}
	respBody := ans.body
	if ans.status/100 != 2 {
		apiErr := newAPIError(c.redactor, method, path, ans.url, ans.status, respBody)
		if ans.status == http.StatusUnauthorized {
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
		err = fmt.Errorf("decoding the response: %w", err)
		if policy == policyCreate {
			// A 2xx means the object was created; only its id is lost.
			return &UncertainError{Method: method, Path: path, Err: err}
		}
		return fmt.Errorf("%s %s: %w", method, ans.url, err)
	}
	return nil
}

// answer is the final response of a request: its status, its body (read and
// closed by send, so no caller can leak a connection), the bearer token the
// last attempt carried and the full URL requested.
type answer struct {
	status int
	header http.Header
	body   []byte
	bearer string
	url    string
}

// send performs the HTTP exchange with retries and returns the final answer.
// A transport failure of a create becomes *UncertainError.
func (c *Client) send(ctx context.Context, method, path string, body []byte, contentType, token string, policy retryPolicy) (answer, error) {
	u := *c.base
	pathOnly, rawQuery, _ := strings.Cut(path, "?")
	u.Path += pathOnly
	u.RawQuery = rawQuery
	where := c.URL(pathOnly)

	var rawBody any
	if len(body) > 0 {
		rawBody = body
	}
	// The policy and the attempt record travel in the request's context, where
	// checkRetry (retryable) reads the policy and the transports the record.
	ctx = context.WithValue(ctx, policyKey, policy)
	ctx, attempts := withAttemptRecord(ctx)
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Accept", MediaType)
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if rawBody != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		ctxErr := ctx.Err()
		if ctxErr != nil {
			err = ctxErr
		}
		cause := err
		if attempts.noAnswer() {
			// Connected, and no attempt got an answer in time: say so, with
			// the numbers, rather than a bare "deadline exceeded".
			cause = &NoAnswerError{Method: method, URL: where, Attempts: attempts.count(), PerAttempt: c.timeout, Err: err}
		}
		if ctxErr != nil {
			// Interrupted. Between attempts of a create (waiting out a 429 or
			// 503) nothing was processed; during one, it may have been.
			if policy == policyCreate && attempts.interruptedInFlight() {
				return answer{}, &UncertainError{Method: method, Path: where, Err: cause}
			}
			return answer{}, failed(method, where, cause)
		}
		if tlsErr := asTLSError(u.Host, err); tlsErr != nil {
			return answer{}, failed(method, where, tlsErr)
		}
		if policy == policyCreate && !neverSent(err) && !errors.As(err, new(*retryPrepareError)) {
			return answer{}, &UncertainError{Method: method, Path: where, Err: cause}
		}
		return answer{}, failed(method, where, cause)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		if policy == policyCreate {
			return answer{}, &UncertainError{Method: method, Path: where, Err: err}
		}
		return answer{}, fmt.Errorf("%s %s: reading the response: %w", method, where, err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: respBody, url: where,
		bearer: strings.TrimPrefix(resp.Request.Header.Get("Authorization"), "Bearer ")}, nil
}

// failed names the request in a transport failure, unless the error already
// does (*NoAnswerError).
func failed(method, where string, err error) error {
	var noAnswer *NoAnswerError
	if errors.As(err, &noAnswer) {
		return err
	}
	return fmt.Errorf("%s %s: %w", method, where, err)
}
