package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

const testSecret = "Zy98Xw76Vu54Ts32Rq10Po98Nm76Lk54Ji32Hg10"

func TestRedactDiagnosticsKeepsSeverityAndPath(t *testing.T) {
	r := &cloudlx.Redactor{}
	r.Add(testSecret)
	diags := diag.Diagnostics{
		diag.NewErrorDiagnostic("plain", "nothing secret"),
		diag.NewErrorDiagnostic("error "+testSecret, "detail "+testSecret),
		diag.NewWarningDiagnostic("warning", "Bearer "+testSecret),
		diag.NewAttributeErrorDiagnostic(path.Root("name"), "attr error", testSecret),
		diag.NewAttributeWarningDiagnostic(path.Root("realms"), "attr warning", testSecret),
	}
	redactDiagnostics(r, &diags)
	if len(diags) != 5 || diags[0].Detail() != "nothing secret" {
		t.Fatalf("diagnostics %v", diags)
	}
	for i, d := range diags {
		if strings.Contains(d.Summary()+d.Detail(), testSecret) {
			t.Errorf("#%d still holds the secret: %s %s", i, d.Summary(), d.Detail())
		}
	}
	wantSeverity := []diag.Severity{diag.SeverityError, diag.SeverityError, diag.SeverityWarning, diag.SeverityError, diag.SeverityWarning}
	wantPath := []string{"", "", "", "name", "realms"}
	for i, d := range diags {
		got := ""
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			got = p.Path().String()
		}
		if d.Severity() != wantSeverity[i] || got != wantPath[i] {
			t.Errorf("#%d: severity %v path %q, want %v %q", i, d.Severity(), got, wantSeverity[i], wantPath[i])
		}
	}
	if diags[1].Summary() != "error "+cloudlx.Mask {
		t.Errorf("summary %q", diags[1].Summary())
	}
}

// tokenClient is a client whose token endpoint answers status with body.
func tokenClient(t *testing.T, status int, body string) *cloudlx.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := cloudlx.New(cloudlx.Config{Endpoint: srv.URL, ClientID: "my-client", ClientSecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A failed token request is an authentication error whose hint says what to
// fix: the credentials and their environment variables for a 401, the
// endpoint for a 404. The hint is not dropped on the way to the diagnostic.
func TestAddAPIErrorOnTokenFailuresSaysWhatToFix(t *testing.T) {
	cases := map[int][]string{
		401: {"client_id and client_secret", "CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET", `client_id "my-client"`, "HTTP 401"},
		404: {"The token endpoint is not at", "/api/oauth2/access-token", "without /api", "CLOUDLX_ENDPOINT"},
	}
	for status, wants := range cases {
		c := tokenClient(t, status, `{"message":"nope","status_code":0}`)
		_, err := c.GetCustomer(context.Background(), 915)
		if cloudlx.IsNotFound(err) {
			t.Errorf("%d: a token failure reads as the customer's 404", status)
		}
		var d diag.Diagnostics
		addAPIError(&d, "Could not read CloudLX customer 915", err)
		if len(d) != 1 || d[0].Summary() != "CloudLX authentication failed" {
			t.Fatalf("%d: %v", status, d)
		}
		detail := d[0].Detail()
		for _, want := range append(wants, "Could not read CloudLX customer 915", c.URL("/api/oauth2/access-token")) {
			if !strings.Contains(detail, want) {
				t.Errorf("%d: detail lacks %q:\n%s", status, want, detail)
			}
		}
	}
}

// What wraps an API error (a hint added on the way) reaches the diagnostic.
func TestAddAPIErrorKeepsTheWholeChain(t *testing.T) {
	apiErr := &cloudlx.APIError{Method: "GET", Path: "/api/customers/1", URL: "https://x.example/api/customers/1", StatusCode: 502}
	var d diag.Diagnostics
	addAPIError(&d, "op", fmt.Errorf("%w (check the status page)", apiErr))
	if got := d[0].Detail(); !strings.Contains(got, "GET https://x.example/api/customers/1: HTTP 502") || !strings.Contains(got, "check the status page") {
		t.Fatalf("detail %q", got)
	}
}

// Every log line is masked with the secrets known when it is written, tokens
// issued after the logger was made included.
func TestAPILoggerRedactsMessagesAndFields(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	r := &cloudlx.Redactor{}
	l := newAPILogger(r)
	r.Add(testSecret) // learned later, as an issued token is
	l.Debug(ctx, "echo "+testSecret, map[string]any{"error": errors.New("Bearer " + testSecret), "path": "/x/" + testSecret, "n": 3})
	l.Warn(ctx, "warn", map[string]any{"error": testSecret})
	out := buf.String()
	if strings.Contains(out, testSecret) {
		t.Fatalf("the log holds the secret:\n%s", out)
	}
	if strings.Count(out, cloudlx.Mask) != 4 || !strings.Contains(out, `"n":3`) {
		t.Fatalf("log:\n%s", out)
	}
}
