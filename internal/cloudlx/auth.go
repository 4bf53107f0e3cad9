package cloudlx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const tokenPath = "/api/oauth2/access-token"

// tokenSource hands out the bearer token. With client credentials it fetches a
// token on first use, caches it until shortly before it expires, and shares it
// between all concurrent operations of this process. Tokens live only in
// memory: nothing is ever written to disk.
type tokenSource struct {
	client *Client // for sending the token request (retries, logging)

	clientID     string
	clientSecret string
	static       string // a pre-issued access token; no renewal possible

	// lock is held while fetching, so concurrent callers wait for one request.
	// It is a channel rather than a mutex so a caller whose operation is
	// cancelled (Terraform interrupted) stops waiting at once.
	lock    chan struct{}
	token   string
	expires time.Time
	now     func() time.Time
	fetches int
	// redirected is the first token request's redirect, answered again to
	// every later caller without sending the request: a token endpoint that
	// redirects is a configuration error that does not change within a
	// process, and each retry would only send the client secret once more.
	redirected error
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	// token_type is ignored: its real value is unknown and "Bearer" is always sent.
	// expires_in is decoded by hand: a number, or a numeric string, or absent.
	ExpiresIn json.RawMessage `json:"expires_in"`
	// refresh_token is never used (a new client-credentials token is as cheap as a
	// refresh); it is decoded only so the redactor masks it if a server echoes it.
	RefreshToken string `json:"refresh_token"`
}

// Token returns a valid token, fetching one when none is cached or the cached
// one is about to expire.
func (ts *tokenSource) Token(ctx context.Context) (string, error) {
	if ts.static != "" {
		return ts.static, nil
	}
	if err := ts.acquire(ctx); err != nil {
		return "", err
	}
	defer ts.release()
	if ts.token != "" && ts.now().Before(ts.expires) {
		return ts.token, nil
	}
	return ts.fetchLocked(ctx)
}

func (ts *tokenSource) acquire(ctx context.Context) error {
	select {
	case ts.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for an access token: %w", ctx.Err())
	}
}

func (ts *tokenSource) release() { <-ts.lock }

// Renew is called after a 401 for token: it fetches a new token unless another
// operation already replaced the rejected one.
func (ts *tokenSource) Renew(ctx context.Context, rejected string) (string, error) {
	if ts.static != "" {
		return "", fmt.Errorf("the access token was rejected and cannot be renewed")
	}
	if err := ts.acquire(ctx); err != nil {
		return "", err
	}
	defer ts.release()
	if ts.token != "" && ts.token != rejected && ts.now().Before(ts.expires) {
		return ts.token, nil
	}
	return ts.fetchLocked(ctx)
}

func (ts *tokenSource) CanRenew() bool { return ts.static == "" }

func (ts *tokenSource) fetchLocked(ctx context.Context) (string, error) {
	if ts.redirected != nil {
		return "", ts.redirected
	}
	params := map[string]string{
		"grant_type":    "client_credentials",
		"client_id":     ts.clientID,
		"client_secret": ts.clientSecret,
	}
	body, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	// The docs do not say how the parameters are encoded. JSON is what the
	// vendor's own SDK sends; a server that refuses it as malformed or
	// unsupported gets the same parameters once more as a form.
	ans, err := ts.client.send(ctx, http.MethodPost, tokenPath, body, jsonContent, "", policyIdempotent)
	if err == nil && (ans.status == http.StatusBadRequest || ans.status == http.StatusUnsupportedMediaType ||
		ans.status == http.StatusUnprocessableEntity) {
		form := url.Values{}
		for k, v := range params {
			form.Set(k, v)
		}
		ans, err = ts.client.send(ctx, http.MethodPost, tokenPath, []byte(form.Encode()), formContent, "", policyIdempotent)
	}
	if err == nil {
		// A redirect is not followed (the body holds the client secret) and is
		// reported as what it is, not as rejected credentials.
		if err := ts.client.redirectError(http.MethodPost, tokenPath, ans); err != nil {
			ts.redirected = err
			return "", err
		}
	}
	// Every other failure is an *AuthError, never the answer of the call that
	// needed the token: a 404 here says nothing about a customer.
	authErr := &AuthError{URL: ts.client.URL(tokenPath), ClientID: ts.clientID}
	if err != nil {
		authErr.Err = err
		return "", ts.client.redactor.Error(authErr)
	}
	if ans.status/100 != 2 {
		authErr.Answer = newAPIError(ts.client.redactor, http.MethodPost, tokenPath, ans.url, ans.status, ans.body)
		return "", ts.client.redactor.Error(authErr)
	}
	var tr tokenResponse
	if err := json.Unmarshal(ans.body, &tr); err != nil || tr.AccessToken == "" {
		authErr.Err = fmt.Errorf("POST %s answered HTTP %d without an access_token", authErr.URL, ans.status)
		return "", authErr
	}
	// Known secrets from the moment they arrive, before anything can echo them.
	ts.client.redactor.Add(tr.AccessToken)
	ts.client.redactor.Add(tr.RefreshToken)
	lifetime := tokenLifetime(tr.ExpiresIn)
	ts.token = tr.AccessToken
	ts.expires = ts.now().Add(lifetime - renewalMargin(lifetime))
	ts.fetches++
	return ts.token, nil
}

// renewalMargin renews a token a little before it expires, so a request never
// leaves with a token that dies in flight: a minute for the documented hour,
// a tenth of the lifetime for short-lived tokens.
func renewalMargin(lifetime time.Duration) time.Duration {
	return min(lifetime/10, time.Minute)
}

// tokenLifetime reads expires_in leniently; without a usable value it assumes
// the documented lifetime of an hour.
func tokenLifetime(raw json.RawMessage) time.Duration {
	text := strings.Trim(string(raw), `" `)
	if secs, err := strconv.ParseFloat(text, 64); err == nil && secs > 0 && secs < 1e9 {
		return time.Duration(secs * float64(time.Second))
	}
	return time.Hour
}
