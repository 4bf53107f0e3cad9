package cloudlx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The redirect policy: the client follows no redirect, ever. Every request
// carries a credential (the token request's body holds the client secret,
// every other request the bearer token), and a redirect points somewhere the
// user did not configure: another host, another port, or plain http. Go's
// default would follow it, re-send a 307's POST body (the client secret) to
// wherever Location says, and drop the bearer on another host, so that the
// user is told the token was rejected. Following only same-origin redirects
// would still mean choosing, per status, whether a POST or PATCH is replayed
// or turned into a GET; the API documents no redirect at all, so a redirect
// says the endpoint is not the API's base URL, and the fix is to configure
// the final one. The answer is reported as a *RedirectError, never as an
// authentication failure, and nothing is sent to its Location.

// stopAtRedirect is the http.Client's CheckRedirect: the 3xx answer itself is
// returned to the caller, which reports it (see redirectError).
func stopAtRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// RedirectError is a 3xx answer: the provider follows no redirect, so the
// request was not carried out. Location is the target, with any user
// information masked.
type RedirectError struct {
	Method     string
	URL        string // the URL requested
	StatusCode int
	Location   string // resolved against URL and masked (MaskURL); empty when the answer had none
	Endpoint   string // the configured endpoint
	apiPath    string // the API path requested, to suggest the endpoint Location implies
}

func (e *RedirectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s answered HTTP %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Location != "" {
		fmt.Fprintf(&b, ", a redirect to %s", e.Location)
	} else {
		b.WriteString(", a redirect without a Location")
	}
	b.WriteString(". The provider follows no redirect, so nothing was sent there: each request carries the client " +
		"secret or an access token, which go only to the configured endpoint (" + e.Endpoint + ")")
	if suggested := e.suggestedEndpoint(); suggested != "" {
		fmt.Fprintf(&b, ". If CloudLX has moved, set endpoint (or CLOUDLX_ENDPOINT) to the final URL: %q", suggested)
	} else {
		b.WriteString(". If CloudLX has moved, set endpoint (or CLOUDLX_ENDPOINT) to the final URL, the portal's base URL " +
			"the redirect leads to; otherwise check the proxies between Terraform and CloudLX")
	}
	return b.String()
}

// suggestedEndpoint is the base URL Location implies when it ends with the
// path requested (https://new.example.com/api/customers/915 for
// /api/customers/915 suggests https://new.example.com), else "". A plain http
// target is never suggested unless it is loopback, as ParseEndpoint would
// refuse it.
func (e *RedirectError) suggestedEndpoint() string {
	u, err := url.Parse(e.Location)
	if err != nil || u.User != nil || e.apiPath == "" {
		return ""
	}
	apiPath, _, _ := strings.Cut(e.apiPath, "?")
	base, ok := strings.CutSuffix(u.Path, apiPath)
	if !ok {
		return ""
	}
	s := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: base}).String()
	if _, err := ParseEndpoint(s); err != nil {
		return ""
	}
	return s
}

// IsRedirect reports whether err is a redirect that was not followed.
func IsRedirect(err error) bool {
	var r *RedirectError
	return errors.As(err, &r)
}

// redirectError is the *RedirectError for a 3xx answer, or nil.
func (c *Client) redirectError(method, path string, ans answer) error {
	if ans.status/100 != 3 {
		return nil
	}
	e := &RedirectError{Method: method, URL: ans.url, StatusCode: ans.status, Endpoint: c.URL(""), apiPath: path}
	if loc := ans.header.Get("Location"); loc != "" {
		if target, err := url.Parse(ans.url); err == nil {
			if ref, err := target.Parse(loc); err == nil {
				loc = ref.String()
			}
		}
		e.Location = MaskURL(loc)
	}
	return c.redactor.Error(e)
}

// MaskURL is raw with its user information (https://user:password@host)
// masked, for messages: a URL's password, or a token given as its user name,
// is a secret. Text that does not parse as a URL is masked from its scheme to
// the last '@' before the path.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil {
		if u.User == nil {
			return raw
		}
		u.User = nil
		s := u.String()
		if scheme, rest, ok := strings.Cut(s, "://"); ok {
			return scheme + "://" + Mask + "@" + rest
		}
		return s
	}
	// Unparsable: mask whatever sits between "://" and the last '@' of the authority.
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		return scheme + "://" + Mask + "@" + authority[i+1:] + tail
	}
	return raw
}
