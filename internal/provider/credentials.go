package provider

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Credentials at configure time. CloudLX issues client ids, secrets and
// tokens as alphanumeric strings, so whitespace around one is always a
// copying accident: a trailing newline from CLOUDLX_CLIENT_SECRET="$(cat
// secret.txt)", a CI variable pasted with a line break. Sent as is, it
// fails as a plain 401 ("check client_id and client_secret") that points
// nowhere near the cause; trimmed silently, a typo in the value would look
// the same as before. So it is an error that names the setting and the
// characters, never the value, and says how to remove them.

// credentialSource is where a credential's value came from: the attribute
// when set in the configuration, else its environment variable.
type credentialSource struct {
	attribute string // the provider attribute, for the diagnostic's path
	envVar    string
	fromEnv   bool
	secret    bool // client_secret, access_token: never shown
	value     string
}

func (s credentialSource) name() string {
	if s.fromEnv {
		return "The " + s.envVar + " environment variable (" + s.attribute + ")"
	}
	return s.attribute
}

// credentialWhitespace is the error for a credential that starts or ends
// with whitespace, or nil.
func credentialWhitespace(s credentialSource) diag.Diagnostic {
	lead := len(s.value) - len(strings.TrimLeftFunc(s.value, unicode.IsSpace))
	trail := len(s.value) - len(strings.TrimRightFunc(s.value, unicode.IsSpace))
	if lead == 0 && trail == 0 {
		return nil
	}
	var where []string
	if lead > 0 {
		where = append(where, "starts with "+describeSpace(s.value[:lead]))
	}
	if trail > 0 && trail < len(s.value) {
		where = append(where, "ends with "+describeSpace(s.value[len(s.value)-trail:]))
	}
	if lead == len(s.value) {
		where = []string{"is only whitespace: " + describeSpace(s.value)}
	}
	fix := "Remove it in the configuration (for example with trimspace())"
	if s.fromEnv {
		fix = fmt.Sprintf("Remove it where %s is set: for example %s=\"$(tr -d '[:space:]' < secret.txt)\" rather than "+
			"\"$(cat secret.txt)\", or strip the line break from the CI variable", s.envVar, s.envVar)
	}
	summary := "Whitespace around CloudLX " + s.attribute
	detail := fmt.Sprintf("%s %s. CloudLX credentials never contain whitespace, so this is a copying accident, and the value "+
		"would be refused as a wrong %s (HTTP 401); the provider sent nothing and does not trim it for you. %s.",
		s.name(), strings.Join(where, " and "), s.attribute, fix)
	if s.secret {
		detail += " The value itself is not shown."
		// Not attached to the attribute: Terraform would print its
		// configuration line, the secret's literal value included.
		return diag.NewErrorDiagnostic(summary, detail)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(s.attribute), summary, detail)
}

// describeSpace names whitespace characters: `a newline (\n)`, `2 spaces`.
func describeSpace(ws string) string {
	if ws == "\r\n" {
		return `a Windows line break (\r\n)`
	}
	type name struct{ one, many string }
	names := map[rune]name{'\n': {`a newline (\n)`, `newlines (\n)`}, '\r': {`a carriage return (\r)`, `carriage returns (\r)`},
		'\t': {`a tab (\t)`, `tabs (\t)`}, ' ': {"a space", "spaces"}}
	var parts []string
	for ws != "" {
		r, size := utf8.DecodeRuneInString(ws)
		n := 1
		for strings.HasPrefix(ws[n*size:], string(r)) {
			n++
		}
		nm, ok := names[r]
		if !ok {
			nm = name{fmt.Sprintf("a whitespace character (%U)", r), fmt.Sprintf("whitespace characters (%U)", r)}
		}
		if n > 1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, nm.many))
		} else {
			parts = append(parts, nm.one)
		}
		ws = ws[n*size:]
	}
	return strings.Join(parts, " then ")
}

// endpointPassword is the password in an endpoint URL's user information, if
// any: the endpoint is refused, but the redactor must know the password before
// anything can print it.
func endpointPassword(endpoint string) string {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil || u.User == nil {
		return ""
	}
	if pw, ok := u.User.Password(); ok {
		return pw
	}
	return ""
}
