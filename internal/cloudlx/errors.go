package cloudlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// APIError is a non-2xx answer from the API. It carries what the API said in its
// Dingo-style body ({message, status_code, errors}) so callers can show field
// errors next to the attribute that caused them.
type APIError struct {
	Method     string
	Path       string
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
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
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

// SortedFields returns the keys of FieldErrors in a stable order.
func (e *APIError) SortedFields() []string {
	fields := make([]string, 0, len(e.FieldErrors))
	for f := range e.FieldErrors {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields
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
// anything else is kept raw so the user still sees what the server said.
func newAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status}
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
