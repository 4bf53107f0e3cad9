package cloudlx

import (
	"errors"
	"strings"
	"testing"
)

func TestRedactorMasksEveryEncoding(t *testing.T) {
	var r Redactor
	secret := `s3cr3t+/&"=x`
	r.Add(secret)
	r.Add("Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90")
	r.Add("") // ignored

	for _, text := range []string{
		"client_secret=" + "s3cr3t%2B%2F%26%22%3Dx" + "&grant_type=client_credentials", // a form echoed back
		`{"client_secret":"s3cr3t+/&\"=x"}`,                                            // a JSON body echoed back
		"Authorization: Bearer Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90",               // a header echoed back
		`{"client_secret":"s3cr3t+/\u0026\"=x"}`,                                       // the same, HTML-escaped
		"raw " + secret,
	} {
		got := r.Redact(text)
		if strings.Contains(got, "s3cr3t") || strings.Contains(got, "Ab12Cd34") {
			t.Errorf("Redact(%q) = %q: a secret is left", text, got)
		}
		if !strings.Contains(got, Mask) {
			t.Errorf("Redact(%q) = %q: no mask", text, got)
		}
	}
	if got := r.Redact("nothing secret here"); got != "nothing secret here" {
		t.Errorf("Redact changed text without secrets: %q", got)
	}
}

func TestRedactorLongestFirst(t *testing.T) {
	var r Redactor
	r.Add("abc")
	r.Add("abcdef")
	if got := r.Redact("x abcdef y"); got != "x "+Mask+" y" {
		t.Errorf("got %q, want the longer secret masked whole", got)
	}
}

func TestRedactorErrorKeepsChain(t *testing.T) {
	var r Redactor
	r.Add("tok123")
	inner := &APIError{Method: "GET", Path: "/api/customers/1", StatusCode: 404, Body: "echo tok123"}
	err := r.Error(inner)
	if strings.Contains(err.Error(), "tok123") {
		t.Errorf("error text leaks the token: %v", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("errors.As lost the APIError: %v", err)
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) is not nil")
	}
	var nilRedactor *Redactor
	if nilRedactor.Redact("a") != "a" {
		t.Error("a nil Redactor must pass text through")
	}
}
