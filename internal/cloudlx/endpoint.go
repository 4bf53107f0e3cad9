package cloudlx

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultEndpoint is the production portal.
const DefaultEndpoint = "https://cloudlx.epsilontel.com"

// ParseEndpoint checks that raw is a base URL the provider may send credentials
// to: https anywhere, plain http only to a loopback host (an emulator or a
// tunnel on this machine), since tokens and secrets must never cross a network
// in clear text. It returns the URL without a trailing slash.
//
// Its errors show raw with any user information masked (MaskURL): a URL's
// password is a secret, and these errors reach the terminal and the log.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	shown := MaskURL(strings.TrimSpace(raw))
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) && !strings.Contains(raw, "@") {
			return nil, fmt.Errorf("%q is not a valid URL: %w", shown, urlErr.Err)
		}
		// The parser's reason may quote part of the user information.
		return nil, fmt.Errorf("%q is not a valid URL", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an absolute URL; use the form https://cloudlx.example.com", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q must not contain credentials (user information before @); remove them from the URL and configure client_id and client_secret instead", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or fragment", shown)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%q uses http:// to a host that is not loopback; use https:// so credentials and tokens are encrypted in transit", shown)
		}
	default:
		return nil, fmt.Errorf("%q must start with https:// (or http:// for a loopback host)", shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if strings.HasSuffix(strings.ToLower(u.Path), "/api") {
		// The most common mistake: every request would go to /api/api/...,
		// and answer 404 for reasons that have nothing to do with customers.
		return nil, fmt.Errorf("%q ends in /api, but the endpoint is the portal's base URL, without /api (for example %q): "+
			"the provider adds /api/... to it itself", shown, strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, u.Path[len(u.Path)-4:]))
	}
	return u, nil
}

// IsLoopbackHost reports whether host names this machine.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
