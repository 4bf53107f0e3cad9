package emulator

import (
	"crypto/rand"
	"crypto/subtle"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// refreshLifetime is the documented lifetime of a refresh token (7 days).
const refreshLifetime = 7 * 24 * time.Hour

// tokenStore mints and checks opaque tokens. Access and refresh tokens are 40 random
// alphanumerics like the real ones (not JWTs), from crypto/rand: they are bearer
// credentials even in an emulator that may listen on a shared machine.
type tokenStore struct {
	mu       sync.Mutex
	lifetime time.Duration
	static   map[string]bool
	access   map[string]time.Time // token -> expiry
	refresh  map[string]time.Time
	minted   int
	// issued is every access and refresh token ever minted, expired or not, so
	// that a test can prove none of them reached an output (IssuedTokens).
	issued []string
}

func newTokenStore(lifetime time.Duration, static []string) *tokenStore {
	ts := &tokenStore{
		lifetime: lifetime,
		static:   map[string]bool{},
		access:   map[string]time.Time{},
		refresh:  map[string]time.Time{},
	}
	for _, t := range static {
		if t != "" {
			ts.static[t] = true
		}
	}
	return ts
}

// setLifetime sets the lifetime of the tokens minted from now on.
func (ts *tokenStore) setLifetime(d time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.lifetime = d
}

// mint issues a new access and refresh token pair.
func (ts *tokenStore) mint() (access, refresh string) {
	access, refresh = randomAlnum(40), randomAlnum(40)
	now := time.Now()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.access[access] = now.Add(ts.lifetime)
	ts.refresh[refresh] = now.Add(refreshLifetime)
	ts.issued = append(ts.issued, access, refresh)
	// Long benchmark runs mint many tokens; sweep the expired ones now and then so the
	// maps stay small without a background goroutine.
	ts.minted++
	if ts.minted%256 == 0 {
		for t, exp := range ts.access {
			if now.After(exp) {
				delete(ts.access, t)
			}
		}
		for t, exp := range ts.refresh {
			if now.After(exp) {
				delete(ts.refresh, t)
			}
		}
	}
	return access, refresh
}

// expiresIn is what the token response reports: the lifetime rounded up to whole
// seconds, at least 1. Rounding down would turn a sub-second test lifetime into 0, which
// OAuth2 clients read as "never expires".
func (ts *tokenStore) expiresIn() int64 {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return max(1, int64(math.Ceil(ts.lifetime.Seconds())))
}

func (ts *tokenStore) valid(token string) bool {
	if token == "" {
		return false
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.static[token] {
		return true
	}
	exp, ok := ts.access[token]
	if ok && time.Now().After(exp) {
		delete(ts.access, token)
		return false
	}
	return ok
}

// useRefresh consumes a refresh token: it is valid once (rotation, as clients assume).
func (ts *tokenStore) useRefresh(token string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	exp, ok := ts.refresh[token]
	delete(ts.refresh, token)
	return ok && time.Now().Before(exp)
}

// all returns every token minted so far.
func (ts *tokenStore) all() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.issued...)
}

// revokeAll forgets every minted token; static tokens stay valid.
func (ts *tokenStore) revokeAll() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	clear(ts.access)
	clear(ts.refresh)
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header, "" if the
// header is missing or uses another scheme.
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomAlnum(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("emulator: crypto/rand failed: " + err.Error())
		}
		for _, b := range buf {
			// 248 = 4*62: dropping the bytes above it keeps every character equally likely.
			if b < 248 && len(out) < n {
				out = append(out, alnum[b%62])
			}
		}
	}
	return string(out)
}

// equalSecret compares credentials in constant time.
func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
