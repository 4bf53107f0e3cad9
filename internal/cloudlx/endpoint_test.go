package cloudlx

import (
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	ok := []string{"https://cloudlx.epsilontel.com", "https://x.example/", "https://x.example/apis", "https://x.example/api/portal", "http://127.0.0.1:8787", "http://localhost:1", "http://[::1]:80"}
	for _, e := range ok {
		if _, err := ParseEndpoint(e); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	bad := map[string]string{
		"https://cloudlx.example/api":   "the endpoint is the portal's base URL, without /api (for example \"https://cloudlx.example\")",
		"https://cloudlx.example/api/":  "without /api",
		"https://cloudlx.example/x/API": "without /api (for example \"https://cloudlx.example/x\")",
		"http://cloudlx.epsilontel.com": "not loopback",
		"ftp://x.example":               "must start with https://",
		"cloudlx.epsilontel.com":        "not an absolute URL",
		"https://u:p@x.example":         "must not contain credentials",
		"https://x.example/?a=b":        "query",
		"http://10.0.0.1":               "not loopback",
	}
	for e, want := range bad {
		if _, err := ParseEndpoint(e); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", e, err, want)
		}
	}
}
