package cloudlx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

// Whatever an error body echoes (the Authorization header, the token form),
// no error string and no APIError field holds a secret of the client.
func TestErrorBodiesEchoingSecretsAreRedacted(t *testing.T) {
	const secret, token = "Zy98Xw76Vu54Ts32Rq10Po98Nm76Lk54Ji32Hg10", "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90"
	tokenRequests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == tokenPath {
			tokenRequests++
			if tokenRequests <= 2 { // the JSON request, then the form: both refused, echoed
				w.WriteHeader(http.StatusBadRequest)
				_, _ = fmt.Fprintf(w, `{"message":"Bad request: %s","status_code":400}`, strings.ReplaceAll(string(body), `"`, `\"`))
				return
			}
			_, _ = fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600}`, token)
			return
		}
		w.WriteHeader(http.StatusBadGateway)
		_, _ = fmt.Fprintf(w, "<html><body><pre>Authorization: %s</pre></body></html>", r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, ClientID: "id", ClientSecret: secret, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, tokenErr := c.GetCustomer(context.Background(), 1)
	_, pageErr := c.GetCustomer(context.Background(), 1)
	if tokenRequests != 3 {
		t.Fatalf("%d token requests, want 3 (JSON, form, then a good one)", tokenRequests)
	}
	for name, err := range map[string]error{"token 400 echoing the form": tokenErr, "502 page echoing the header": pageErr} {
		var apiErr *APIError
		authErr, _ := AsAuthError(err)
		texts := []string{err.Error()}
		if errors.As(err, &apiErr) {
			texts = append(texts, apiErr.Message, apiErr.Body)
		}
		if authErr != nil {
			texts = append(texts, authErr.Answer.Message, authErr.Answer.Body)
		}
		for _, text := range texts {
			if strings.Contains(text, secret) || strings.Contains(text, token) {
				t.Errorf("%s: a secret in %q", name, text)
			}
		}
		if !strings.Contains(err.Error(), Mask) {
			t.Errorf("%s: %q shows no mask: the echo is not in the error, so this test proves nothing", name, err)
		}
	}
}
