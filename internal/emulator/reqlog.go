package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// Request is one entry of the request log.
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`  // r.URL.Path
	Query  string `json:"query"` // raw query (secrets redacted on the token routes)
	// Route is "METHOD template", e.g. "PATCH /api/customers/{id}"; for paths the API
	// does not have, "METHOD (unknown)".
	Route string `json:"route"`
	// Body is the request body as received; on the OAuth2 routes a re-encoded form of it
	// with client_secret and refresh_token replaced by "REDACTED".
	Body       string `json:"body"`
	Status     int    `json:"status"` // 0 when the connection was dropped or the client went away
	UserAgent  string `json:"user_agent"`
	Accept     string `json:"accept"`
	Authorized bool   `json:"authorized"` // a valid bearer token was presented
	// TokenID names the bearer token without revealing it (a hash prefix), so
	// tests can group requests by the provider instance that sent them.
	TokenID string `json:"token_id,omitempty"`
	Fault   string `json:"fault"` // "", FaultThrottled, FaultFailed, FaultDropped, FaultInjected, FaultRedirected
}

// Requests returns a copy of the request log, in arrival order.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]Request, len(s.log))
	for i, e := range s.log {
		out[i] = *e
	}
	return out
}

// Count returns how many requests had Route route, e.g. "PATCH /api/customers/{id}".
func (s *Server) Count(route string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.counts[route]
}

// Counts returns the number of requests per Route.
func (s *Server) Counts() map[string]int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return maps.Clone(s.counts)
}

// ResetRequests clears the request log and the counters.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = nil
	s.counts = map[string]int{}
}

// logArrival records a request as it arrives, so that the log keeps arrival order and
// counts requests that never get an answer.
func (s *Server) logArrival(r *http.Request, c *call) *Request {
	e := &Request{
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		Route:      c.route,
		Body:       string(c.body),
		UserAgent:  r.UserAgent(),
		Accept:     strings.Join(r.Header.Values("Accept"), ", "),
		Authorized: s.tokens.valid(bearerToken(r)),
		TokenID:    tokenID(bearerToken(r)),
	}
	if c.token() {
		e.Body = redactBody(r.Header.Get("Content-Type"), c.body)
		e.Query = redactQuery(r.URL.RawQuery)
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = append(s.log, e)
	s.counts[c.route]++
	return e
}

func (s *Server) logDone(e *Request, rw *StatusRecorder) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	e.Status = rw.Status
}

func (s *Server) setFault(e *Request, fault string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	e.Fault = fault
}

// secretParams are the token-request parameters the log must never hold.
var secretParams = []string{"client_secret", "refresh_token"}

const redacted = "REDACTED"

// redactBody re-encodes a token request body with its secrets replaced. A body that
// cannot be parsed is not logged at all: it may still contain the secret.
func redactBody(contentType string, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	switch tokenBodyKind(contentType, body) {
	case "json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil || m == nil {
			return "(unparsable body, not logged)"
		}
		for _, k := range secretParams {
			if _, ok := m[k]; ok {
				m[k] = redacted
			}
		}
		out, _ := json.Marshal(m)
		return string(out)
	case "multipart":
		vals, err := parseMultipart(contentType, body)
		if err != nil {
			return "(unparsable body, not logged)"
		}
		return redactValues(vals).Encode()
	default:
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return "(unparsable body, not logged)"
		}
		return redactValues(vals).Encode()
	}
}

func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return "(unparsable query, not logged)"
	}
	return redactValues(vals).Encode()
}

func redactValues(vals url.Values) url.Values {
	for _, k := range secretParams {
		if _, ok := vals[k]; ok {
			vals.Set(k, redacted)
		}
	}
	return vals
}

// tokenBodyKind says how to read a token request body: by its Content-Type, or, when
// there is none, by its first character (clients in the wild send all of these).
func tokenBodyKind(contentType string, body []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return "json"
	case mt == "multipart/form-data":
		return "multipart"
	case mt == "application/x-www-form-urlencoded":
		return "form"
	case bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")):
		return "json"
	}
	return "form"
}

func parseMultipart(contentType string, body []byte) (url.Values, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, err
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(maxBody)
	if err != nil {
		return nil, err
	}
	defer func() { _ = form.RemoveAll() }()
	return url.Values(form.Value), nil
}

// tokenID is a short, non-reversible name for a bearer token ("" for none).
func tokenID(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:4])
}
