package provider

import (
	"strings"
	"testing"
)

func TestCredentialWhitespace(t *testing.T) {
	for _, tc := range []struct {
		src  credentialSource
		want string // "" when the value is fine
	}{
		{credentialSource{attribute: "client_secret", value: "abc"}, ""},
		{credentialSource{attribute: "client_secret", value: "a b"}, ""}, // inside: the API decides
		{credentialSource{attribute: "client_secret", envVar: envClientSecret, fromEnv: true, secret: true, value: "abc\n"},
			`The CLOUDLX_CLIENT_SECRET environment variable (client_secret) ends with a newline (\n).`},
		{credentialSource{attribute: "client_id", value: "\tabc  "}, `client_id starts with a tab (\t) and ends with 2 spaces.`},
		{credentialSource{attribute: "access_token", secret: true, value: "abc\r\n"}, `access_token ends with a Windows line break (\r\n).`},
		{credentialSource{attribute: "access_token", secret: true, value: "abc\n\n"}, `access_token ends with 2 newlines (\n).`},
		{credentialSource{attribute: "client_id", value: " \n"}, `client_id is only whitespace: a space then a newline (\n).`},
	} {
		d := credentialWhitespace(tc.src)
		switch {
		case tc.want == "" && d != nil:
			t.Errorf("%q: %s", tc.src.value, d.Detail())
		case tc.want != "" && (d == nil || !strings.HasPrefix(d.Detail(), tc.want)):
			t.Errorf("%q: got %v, want a detail starting %q", tc.src.value, d, tc.want)
		case d != nil && strings.Contains(d.Detail(), tc.src.value):
			t.Errorf("%q: the detail shows the value: %s", tc.src.value, d.Detail())
		}
	}
}
