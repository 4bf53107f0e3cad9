package cloudlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// APIError is a non-2xx answer from the API. It carries what the API said in its
// Dingo-style body ({message, status_code, errors}) so callers can show field
// errors next to the attribute that caused them.
type APIError struct {
	Method string
	Path   string // the API path, such as /api/customers/915
	// URL is the full URL requested, so that an endpoint with a wrong prefix
	// shows in the error (the path alone would hide it).
	URL        string
	StatusCode int
	// Message is the API's own "message", or the OAuth2 "error_description".
	Message string
	// FieldErrors maps an API field name ("currency_iso", "realms.0") to its messages.
	FieldErrors map[string][]string
	// Body is the raw body (truncated) when it was not a recognisable error document.
	Body string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Where(), e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.Body != "":
		fmt.Fprintf(&b, ": %s", e.Body)
	}
	for _, field := range e.SortedFields() {
		fmt.Fprintf(&b, "\n  %s: %s", field, strings.Join(e.FieldErrors[field], " "))
	}
	return b.String()
}

// Where is the full URL requested, or the path when the URL is not known.
func (e *APIError) Where() string {
	if e.URL != "" {
		return e.URL
	}
	return e.Path
}

// IsErrorDocument reports whether the answer was a JSON error document (the
// API's Dingo shape or OAuth2's) rather than a page: an HTML 404 comes from a
// proxy or gateway, not from the API's routing. It is a hint for messages,
// never proof that the API itself answered.
func (e *APIError) IsErrorDocument() bool {
	return e.Body == "" || e.Message != "" || len(e.FieldErrors) > 0
}

// LooksLikeHTML reports whether the raw body is an HTML page.
func (e *APIError) LooksLikeHTML() bool {
	head := strings.ToLower(strings.TrimSpace(e.Body))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<body")
}

// SortedFields returns the keys of FieldErrors in a stable order.
func (e *APIError) SortedFields() []string {
	return slices.Sorted(maps.Keys(e.FieldErrors))
}

// UncertainError reports a request that failed in a way that does not tell
// whether the server processed it (a timeout or a dropped connection after the
// request was sent). For a POST that means the object may exist.
type UncertainError struct {
	Method string
	Path   string
	Err    error
}

func (e *UncertainError) Error() string {
	return fmt.Sprintf("%s %s: no answer, and the request may have reached the server: %v", e.Method, e.Path, e.Err)
}

func (e *UncertainError) Unwrap() error { return e.Err }

// AuthError is a failed token request: the credentials, the endpoint or the
// token service is at fault, never a customer. It deliberately does not unwrap
// to the token endpoint's *APIError, so StatusCode and IsNotFound never read a
// token failure (a 404 from a wrong endpoint, say) as the answer of the call
// that needed the token.
type AuthError struct {
	URL      string    // the token endpoint requested
	ClientID string    // the client_id sent (not a secret)
	Answer   *APIError // the token endpoint's answer; nil when there was none
	Err      error     // why there was no usable answer, when Answer is nil
}

func (e *AuthError) Error() string {
	who := ""
	if e.ClientID != "" {
		who = fmt.Sprintf(" with client_id %q", e.ClientID)
	}
	if e.Answer != nil {
		return fmt.Sprintf("requesting an access token%s: %v", who, e.Answer)
	}
	return fmt.Sprintf("requesting an access token%s: %v", who, e.Err)
}

// Unwrap exposes a transport failure (a timeout, a refused connection, a
// cancelled context), never the token endpoint's answer.
func (e *AuthError) Unwrap() error { return e.Err }

// Status is the token endpoint's HTTP status, or 0 when it did not answer.
func (e *AuthError) Status() int {
	if e.Answer == nil {
		return 0
	}
	return e.Answer.StatusCode
}

// AsAuthError returns the *AuthError in err's chain, if any.
func AsAuthError(err error) (*AuthError, bool) {
	var a *AuthError
	ok := errors.As(err, &a)
	return a, ok
}

// NoAnswerError is a request whose every attempt connected but got no answer
// in time: the endpoint accepted the connection and never answered (a
// firewall or proxy holding it, a server that hangs). It says how many
// attempts were made and how long each could take.
type NoAnswerError struct {
	Method     string
	URL        string
	Attempts   int
	PerAttempt time.Duration // the request timeout
	Err        error         // the last attempt's error, or the operation's deadline
}

func (e *NoAnswerError) Error() string {
	attempts := "1 attempt"
	if e.Attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.Attempts)
	}
	return fmt.Sprintf("%s %s: no answer after %s of up to %s each (request_timeout): the endpoint accepted the connection "+
		"but did not answer. Check that the endpoint is the CloudLX portal's base URL and that no proxy or firewall holds "+
		"the connection; if the API is only slow, raise request_timeout (%v)", e.Method, e.URL, attempts, e.PerAttempt, e.Err)
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is the API's 404.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsUncertain reports whether err leaves it open whether the server acted.
func IsUncertain(err error) bool {
	var u *UncertainError
	return errors.As(err, &u)
}

// MayHaveSucceeded reports whether a failed write leaves it open whether the
// server carried it out: no answer (*UncertainError), or a server error that
// can come after the work was done (500, 502, 504, ...). 501 and 503 say the
// request was not processed, and a 4xx is a refusal.
func MayHaveSucceeded(err error) bool {
	if IsUncertain(err) {
		return true
	}
	status := StatusCode(err)
	return status >= 500 && status != http.StatusNotImplemented && status != http.StatusServiceUnavailable
}

const maxErrorBody = 2048

// newAPIError decodes an error body. The API documents no error format; the
// Dingo shape is expected, the OAuth2 shape is possible on the token route, and
// anything else is kept raw so the user still sees what the server said. An
// error body can echo the request (its Authorization header, the token form),
// so the body is redacted before anything is read from it.
func newAPIError(r *Redactor, method, path, fullURL string, status int, body []byte) *APIError {
	body = []byte(r.Redact(string(body)))
	e := &APIError{Method: method, Path: path, URL: fullURL, StatusCode: status}
	var doc struct {
		Message          string                     `json:"message"`
		Errors           map[string]json.RawMessage `json:"errors"`
		Error            string                     `json:"error"`
		ErrorDescription string                     `json:"error_description"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		e.Body = truncate(strings.TrimSpace(string(body)), maxErrorBody)
		return e
	}
	e.Message = doc.Message
	if e.Message == "" {
		e.Message = strings.TrimSpace(doc.Error + ": " + doc.ErrorDescription)
		e.Message = strings.Trim(e.Message, ": ")
	}
	for field, raw := range doc.Errors {
		if msgs := decodeMessages(raw); len(msgs) > 0 {
			if e.FieldErrors == nil {
				e.FieldErrors = map[string][]string{}
			}
			e.FieldErrors[field] = msgs
		}
	}
	if e.Message == "" && len(e.FieldErrors) == 0 {
		e.Body = truncate(strings.TrimSpace(string(body)), maxErrorBody)
	}
	return e
}

// decodeMessages accepts ["a", "b"] (Laravel's shape) or a bare "a".
func decodeMessages(raw json.RawMessage) []string {
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil && one != "" {
		return []string{one}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
