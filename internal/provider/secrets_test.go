package provider

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// tokenTap sits in front of the emulator and remembers every access and
// refresh token it hands out, so a test can look for them where they must
// never appear.
type tokenTap struct {
	next   http.Handler
	mu     sync.Mutex
	tokens []string
}

func (tt *tokenTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/oauth2/") {
		tt.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	tt.next.ServeHTTP(rec, r)
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &body) == nil {
		tt.mu.Lock()
		for _, tok := range []string{body.AccessToken, body.RefreshToken} {
			if tok != "" {
				tt.tokens = append(tt.tokens, tok)
			}
		}
		tt.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// in puts the tap in front of emu (see newWrappedTestEnv).
func (tt *tokenTap) in(emu *emulator.Server) http.Handler {
	tt.next = emu
	return tt
}

func (tt *tokenTap) issued() []string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return append([]string(nil), tt.tokens...)
}

func randomSecret(t *testing.T) string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b) // 40 characters, like the portal's
}

// TestAccSecrets_neverInLogsStateOrPlanOutput runs create, update and destroy
// with TF_LOG=trace, the secrets written in the configuration itself (the
// worst case), tokens that expire and get revoked along the way, and then
// searches the log file, the state files and every command's output for the
// client secret, every access and refresh token the API issued, and a
// pre-issued access_token.
func TestAccSecrets_neverInLogsStateOrPlanOutput(t *testing.T) {
	clientSecret, staticToken := randomSecret(t), randomSecret(t)
	tap := &tokenTap{}
	env := newWrappedTestEnv(t, emulator.Options{
		ClientID:     "secrets-test-client",
		ClientSecret: clientSecret,
		StaticTokens: []string{staticToken},
		// Several tokens over the run. No check counts on a token expiring at a
		// given moment: every walk fetches its own, and the PATCH retried
		// below reaches the API 1 s (its Retry-After) after its walk's token
		// was issued, with a second to spare for work that takes milliseconds.
		TokenLifetime: 2 * time.Second,
	}, tap.in)
	emu := env.emu

	run := newCLIRun(t, map[string]string{"TF_LOG": "trace", "TF_LOG_PATH": "terraform.log"})
	withCredentials := cliProviderBlock(fmt.Sprintf(`  endpoint      = %q
  client_id     = "secrets-test-client"
  client_secret = %q`, env.url, clientSecret))
	customer := func(name string) string {
		return fmt.Sprintf(`
resource "cloudlx_customer" "test" {
  name               = %q
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2]
  shown_sub_realms   = [313]
  enabled_sub_realms = [313]
  admin_user = {
    email      = "ops@example.com"
    first_name = "Jane"
    last_name  = "Doe"
  }
}
`, name)
	}

	var outputs []string
	do := func(args ...string) {
		outputs = append(outputs, "$ terraform "+strings.Join(args, " ")+"\n"+run.MustRun(args...).Combined())
	}
	run.WriteFile("main.tf", withCredentials+customer("Secret Keepers"))
	do("apply", "-auto-approve", "-input=false")

	// The token is revoked behind the provider's back, and the update's PATCH
	// is throttled once: a renewal and a retry, both logged.
	emu.InjectFault("GET /api/customers/{id}", emulator.Fault{Status: http.StatusUnauthorized}, 1)
	emu.InjectFault("PATCH /api/customers/{id}", emulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}, 1)
	run.WriteFile("main.tf", withCredentials+customer("Secret Keepers Renamed"))
	do("plan", "-input=false", "-out=tfplan")
	do("show", "tfplan")
	do("apply", "-input=false", "tfplan")
	do("plan", "-input=false", "-detailed-exitcode")
	do("destroy", "-auto-approve", "-input=false")

	// The same with a pre-issued token instead of client credentials.
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint     = %q\n  access_token = %q", env.url, staticToken))+customer("Token Holders"))
	do("apply", "-auto-approve", "-input=false")
	do("destroy", "-auto-approve", "-input=false")

	logFile, err := os.ReadFile(filepath.Join(run.Dir, "terraform.log"))
	if err != nil {
		t.Fatal(err)
	}
	places := map[string]string{
		"the TF_LOG file":    string(logFile),
		"the command output": strings.Join(outputs, "\n"),
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		raw, err := os.ReadFile(filepath.Join(run.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		places[name] = string(raw)
	}

	secrets := map[string]string{"client_secret": clientSecret, "access_token (configured)": staticToken}
	tokens := tap.issued()
	if len(tokens) < 6 {
		t.Fatalf("the API issued %d tokens; expected several access and refresh tokens (renewals)", len(tokens))
	}
	for i, tok := range tokens {
		secrets[fmt.Sprintf("issued token #%d", i+1)] = tok
	}
	for place, text := range places {
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the %s", place, what)
			}
		}
	}

	// The log is not empty of what it should hold: one DEBUG line per HTTP
	// attempt with its method, path, status, attempt number and duration.
	attempts := apiRequestLines(string(logFile))
	for _, want := range []struct{ method, path, status, attempt string }{
		{"POST", "/api/oauth2/access-token", "200", "1"},
		{"POST", "/api/customers", "200", "1"},
		{"GET", `/api/customers/\d+`, "401", "1"},
		{"PATCH", `/api/customers/\d+`, "429", "1"},
		{"PATCH", `/api/customers/\d+`, "200", "2"},
		{"DELETE", `/api/customers/\d+`, "204", "1"},
	} {
		path := regexp.MustCompile(`^` + want.path + `$`)
		found := false
		for _, f := range attempts {
			if f["method"] == want.method && path.MatchString(f["path"]) && f["status"] == want.status &&
				f["attempt"] == want.attempt && regexp.MustCompile(`^\d+$`).MatchString(f["duration_ms"]) {
				found = true
			}
		}
		if !found {
			t.Errorf("the log has no DEBUG line for %s %s answered %s on attempt %s, with its duration", want.method, want.path, want.status, want.attempt)
		}
	}
	if t.Failed() {
		for _, f := range attempts {
			t.Log(f)
		}
	}
}

// apiRequestLines returns the fields of the provider's per-attempt DEBUG lines
// in a TF_LOG file ("... [DEBUG] provider.terraform-provider-cloudlx: CloudLX
// API request: key=value key=value ...", fields in no fixed order).
func apiRequestLines(log string) []map[string]string {
	const marker = "[DEBUG] provider.terraform-provider-cloudlx: CloudLX API request: "
	var out []map[string]string
	for _, line := range strings.Split(log, "\n") {
		_, rest, ok := strings.Cut(line, marker)
		if !ok {
			continue
		}
		fields := map[string]string{}
		for _, kv := range strings.Fields(rest) {
			if k, v, ok := strings.Cut(kv, "="); ok {
				fields[k] = v
			}
		}
		out = append(out, fields)
	}
	return out
}

// TestAccSecrets_echoedByErrorBodies is case 3 of issue 10: error answers
// that echo the request. A token endpoint's 400 echoes the form it was sent
// (client_secret=...), and a gateway's HTML error page echoes the request's
// headers (Authorization: Bearer ...). Terraform's output shows those errors,
// masked, and neither the output nor the TF_LOG file holds a secret.
func TestAccSecrets_echoedByErrorBodies(t *testing.T) {
	clientSecret := randomSecret(t)
	tap := &tokenTap{}
	env := newWrappedTestEnv(t, emulator.Options{ClientID: "echo-test-client", ClientSecret: clientSecret, EchoRequests: true}, tap.in)
	emu := env.emu

	run := newCLIRun(t, map[string]string{"TF_LOG": "trace", "TF_LOG_PATH": "terraform.log"})
	run.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf("  endpoint      = %q\n  client_id     = \"echo-test-client\"\n  client_secret = %q",
		env.url, clientSecret))+`
resource "cloudlx_customer" "test" {
  name         = "Echo Chamber"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms       = [2]
}
`)
	run.MustRun("apply", "-auto-approve", "-input=false", "-no-color")

	var outputs []string
	failing := func(what string, wantShown ...string) {
		t.Helper()
		res := run.Run("plan", "-input=false", "-no-color")
		if res.ExitCode == 0 {
			t.Fatalf("%s: the plan succeeded:\n%s", what, res.Combined())
		}
		out := oneLine(res.Combined())
		// The echo reaches the output, masked: without it this test proves nothing.
		for _, want := range wantShown {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output does not show %q:\n%s", what, want, res.Combined())
			}
		}
		outputs = append(outputs, res.Combined())
	}

	// The JSON token request and then the form are both refused with an echo.
	emu.InjectFault("POST /api/oauth2/access-token", emulator.Fault{Status: http.StatusBadRequest}, 2)
	failing("a token 400 echoing the form", "CloudLX authentication failed", "client_secret=***&grant_type=client_credentials")

	// A gateway's page for the refresh GET echoes the Authorization header.
	emu.SetOptions(func(o *emulator.Options) { o.GatewayNotFoundRoutes = []string{"GET /api/customers/{id}"} })
	failing("an error page echoing the Authorization header", "Authorization: Bearer ***", "still holds customer")

	logFile, err := os.ReadFile(filepath.Join(run.Dir, "terraform.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logFile), "Authorization: Bearer ***") {
		t.Error("the TF_LOG file does not hold the masked echo: the diagnostics were not logged, so the log check proves nothing")
	}
	secrets := map[string]string{"client_secret": clientSecret}
	for i, tok := range tap.issued() {
		secrets[fmt.Sprintf("issued token #%d", i+1)] = tok
	}
	if len(secrets) < 3 {
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	for place, text := range map[string]string{"the TF_LOG file": string(logFile), "the command output": strings.Join(outputs, "\n")} {
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the %s", place, what)
			}
		}
	}
}
