package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

func runProbe(t *testing.T, stdin string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func emulatorURL(t *testing.T, opts emulator.Options) (string, *emulator.Server) {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return srv.URL, emu
}

func creds(endpoint string) map[string]string {
	return map[string]string{"CLOUDLX_ENDPOINT": endpoint, "CLOUDLX_CLIENT_ID": emulator.DefaultClientID, "CLOUDLX_CLIENT_SECRET": emulator.DefaultClientSecret}
}

// -json prints one object whose groups hold exactly the documented keys.
func TestJSONFromEnvironment(t *testing.T) {
	u, _ := emulatorURL(t, emulator.Options{})
	code, stdout, stderr := runProbe(t, "", creds(u), "-json", "-write", "-yes")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	want := map[string]string{
		"token":      "expires_in form_accepted json_accepted token_type",
		"list":       "page_size_honoured paginates",
		"not_found":  "json_body status",
		"catalogues": "realms_path sub_realms_path",
		"write":      "arrays_replace country_mutable currency_mutable delete_supported implicit_realms patch_partial sub_realm_set_alone",
	}
	if len(doc) != len(want) {
		t.Errorf("groups %v, want %v", keys(doc), want)
	}
	for group, k := range want {
		if got := strings.Join(keys(doc[group]), " "); got != k {
			t.Errorf("%s keys %q, want %q", group, got, k)
		}
	}
	if string(doc["write"]["delete_supported"]) != "true" || string(doc["not_found"]["status"]) != "404" {
		t.Errorf("answers: %s", stdout)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// -write without -yes asks first; anything but "yes" sends nothing.
func TestWriteNeedsConfirmation(t *testing.T) {
	u, emu := emulatorURL(t, emulator.Options{})
	code, _, stderr := runProbe(t, "no\n", creds(u), "-write")
	if code == 0 || !strings.Contains(stderr, "Type yes") || !strings.Contains(stderr, "not confirmed") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if n := len(emu.Requests()); n != 0 {
		t.Errorf("%d requests sent before confirmation", n)
	}
	code, stdout, stderr := runProbe(t, "yes\n", creds(u), "-write")
	if code != 0 || !strings.Contains(stdout, "DELETE of a customer") {
		t.Fatalf("confirmed: exit %d, %s %s", code, stdout, stderr)
	}
}

func TestExitStatus(t *testing.T) {
	u, _ := emulatorURL(t, emulator.Options{})
	wrong := creds(u)
	wrong["CLOUDLX_CLIENT_SECRET"] = "not-the-secret"
	if code, _, stderr := runProbe(t, "", wrong); code != exitUnauthenticated || !strings.Contains(stderr, "cannot authenticate") || strings.Contains(stderr, "not-the-secret") {
		t.Errorf("wrong secret: exit %d, %s", code, stderr)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	if code, _, stderr := runProbe(t, "", creds(closed.URL)); code != exitUnreachable || !strings.Contains(stderr, "cannot reach") {
		t.Errorf("closed endpoint: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runProbe(t, "", map[string]string{"CLOUDLX_ENDPOINT": u}); code != exitUsage || !strings.Contains(stderr, "client") {
		t.Errorf("no credentials: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runProbe(t, "", creds("http://example.com")); code != exitUsage || !strings.Contains(stderr, "https://") {
		t.Errorf("http to a remote host: exit %d, %s", code, stderr)
	}
}

// A server that echoes every secret it is sent, and the tokens it issued, in
// every answer: none of them may reach the probe's output, in any encoding.
func TestNoSecretInOutput(t *testing.T) {
	const secret = "s3cr&t/+=Secret-Value"
	const access = "Access-Token-0123456789abcdefghijklmnopqrst"
	const refresh = "Refresh-Token-0123456789abcdefghijklmnopqrs"
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen := fmt.Sprintf("auth=%s body=%s", r.Header.Get("Authorization"), body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "60 "+seen)
		switch {
		case r.URL.Path == "/api/oauth2/access-token":
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "refresh_token": refresh,
				"token_type": "Bearer " + access, "expires_in": 3600, "echo": seen, "form": url.QueryEscape(secret)})
		case r.URL.Path == "/api/customers" && r.Method == http.MethodGet:
			_ = json.NewEncoder(w).Encode(map[string]any{"customers": []any{}, "paginates": seen})
		case r.URL.Path == "/api/customers" && r.Method == http.MethodPost:
			_ = json.NewEncoder(w).Encode(map[string]any{"id": 5, "name": "cloudlx-probe-x " + seen,
				"realms": []any{map[string]any{"id": 2}}, "sub_realms": []any{}})
		case strings.HasPrefix(r.URL.Path, "/api/customers/") && r.Method == http.MethodPatch:
			w.WriteHeader(http.StatusUnprocessableEntity)
			_ = json.NewEncoder(w).Encode(map[string]any{"message": "refused " + seen, "status_code": 422})
		case strings.Contains(r.URL.Path, "realms"):
			_ = json.NewEncoder(w).Encode(map[string]any{"realms": []any{map[string]any{"id": 2, "name": seen}}, "sub_realms": []any{}})
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = fmt.Fprintf(w, "<html>not found %s %s</html>", seen, url.PathEscape(access))
		}
	})
	srv := httptest.NewServer(echo)
	t.Cleanup(srv.Close)
	env := map[string]string{"CLOUDLX_ENDPOINT": srv.URL, "CLOUDLX_CLIENT_ID": "the-client", "CLOUDLX_CLIENT_SECRET": secret}
	for _, args := range [][]string{{"-write", "-yes"}, {"-write", "-yes", "-json"}} {
		code, stdout, stderr := runProbe(t, "", env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		all := stdout + stderr
		for _, s := range []string{secret, url.QueryEscape(secret), access, refresh} {
			if strings.Contains(all, s) {
				t.Errorf("%v: output holds the secret %q:\n%s", args, s, all)
			}
		}
		if !strings.Contains(all, "***") {
			t.Errorf("%v: nothing was masked; the test server did not echo:\n%s", args, all)
		}
	}
	// With an access token: the same.
	env = map[string]string{"CLOUDLX_ENDPOINT": srv.URL, "CLOUDLX_ACCESS_TOKEN": access}
	code, stdout, stderr := runProbe(t, "", env)
	if code != 0 || strings.Contains(stdout+stderr, access) {
		t.Errorf("access token: exit %d, output:\n%s%s", code, stdout, stderr)
	}
}

// An endpoint behind a private CA: refused without the CA, answered with it
// (from the flag or CLOUDLX_CA_CERTIFICATES_FILE).
func TestPrivateCA(t *testing.T) {
	ca := testca.New(t, "Probe Test CA")
	srv := httptest.NewUnstartedServer(emulator.New(emulator.Options{}))
	srv.TLS = ca.TLSConfig(t, "127.0.0.1")
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env := creds(srv.URL)
	if code, _, stderr := runProbe(t, "", env); code != exitUnreachable || !strings.Contains(stderr, "certificate") {
		t.Errorf("without the CA: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runProbe(t, "", env, "-ca-certificates-file", caFile); code != 0 {
		t.Errorf("with -ca-certificates-file: exit %d, %s", code, stderr)
	}
	env["CLOUDLX_CA_CERTIFICATES_FILE"] = caFile
	if code, _, stderr := runProbe(t, "", env); code != 0 {
		t.Errorf("with CLOUDLX_CA_CERTIFICATES_FILE: exit %d, %s", code, stderr)
	}
	env["CLOUDLX_CA_CERTIFICATES_FILE"] = filepath.Join(t.TempDir(), "missing.pem")
	if code, _, stderr := runProbe(t, "", env); code != exitUsage || !strings.Contains(stderr, "-ca-certificates-file") {
		t.Errorf("missing CA file: exit %d, %s", code, stderr)
	}
}
