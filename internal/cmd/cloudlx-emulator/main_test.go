package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

// -tls-cert and -tls-key serve the API over HTTPS with that certificate, and
// the address file says https://.
func TestServesTLS(t *testing.T) {
	dir := t.TempDir()
	ca := testca.New(t, "Emulator test CA")
	certPEM, keyPEM := ca.ServerCert(t, "127.0.0.1")
	certFile, keyFile, addrFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "addr")
	for name, data := range map[string][]byte{certFile: certPEM, keyFile: keyPEM} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-addr-file", addrFile, "-tls-cert", certFile, "-tls-key", keyFile})
	}()
	var base string
	for base == "" {
		select {
		case err := <-done:
			t.Fatalf("the emulator stopped: %v", err)
		case <-time.After(20 * time.Millisecond): // polling for the file the emulator writes once it listens
		}
		if b, err := os.ReadFile(addrFile); err == nil {
			base = string(b)
		}
	}
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Errorf("address %q, want https://127.0.0.1:port", base)
	}

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.PEM)
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	resp, err := trusting.Get(base + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Errorf("health over TLS: status %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	// A client that does not trust the CA is refused in the handshake.
	untrusted, err := http.Get(base + "/_emulator/health")
	if err == nil {
		untrusted.Body.Close()
	}
	if !errors.As(err, new(*tls.CertificateVerificationError)) {
		t.Errorf("a client without the CA: %v", err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestTLSFlagsGoTogether(t *testing.T) {
	for _, args := range [][]string{{"-tls-cert", "cert.pem"}, {"-tls-key", "key.pem"}} {
		err := run(context.Background(), append([]string{"-listen", "127.0.0.1:0"}, args...))
		if err == nil || !strings.Contains(err.Error(), "-tls-cert and -tls-key go together") {
			t.Errorf("%v: %v", args, err)
		}
	}
	err := run(context.Background(), []string{"-listen", "127.0.0.1:0", "-tls-cert", "missing.pem", "-tls-key", "missing.pem"})
	if err == nil || !strings.Contains(err.Error(), "-tls-cert/-tls-key") {
		t.Errorf("missing files: %v", err)
	}
}

// The modes of issue 21 are flags too: -redirect-to (with -redirect-status and
// -redirect-route) and -omit-field / -null-field (with -partial-route).
func TestRedirectAndPartialFlags(t *testing.T) {
	for _, args := range [][]string{{"-omit-field", "sub_realm"}, {"-null-field", "admin_user"}, {"-redirect-status", "200"}} {
		err := run(context.Background(), append([]string{"-listen", "127.0.0.1:0"}, args...))
		if err == nil || !strings.Contains(err.Error(), "want") {
			t.Errorf("%v: %v", args, err)
		}
	}

	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-addr-file", addrFile, "-static-token", "tok",
			"-redirect-to", "http://elsewhere.example", "-redirect-status", "307", "-redirect-route", "POST /api/oauth2/access-token",
			"-omit-field", "sub_realms", "-null-field", "name", "-partial-route", "GET /api/customers"})
	}()
	var base string
	for base == "" {
		select {
		case err := <-done:
			t.Fatalf("the emulator stopped: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if b, err := os.ReadFile(addrFile); err == nil {
			base = string(b)
		}
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// send returns the status, the headers and the body of a response it
	// has read and closed.
	send := func(method, path, body string) (int, http.Header, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Accept", "application/vnd.cloudlx.v1+json")
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Content-Type", "application/json")
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	if status, header, _ := send(http.MethodPost, "/api/oauth2/access-token", `{}`); status != http.StatusTemporaryRedirect ||
		header.Get("Location") != "http://elsewhere.example/api/oauth2/access-token" {
		t.Errorf("token request: %d, Location %q", status, header.Get("Location"))
	}
	if status, _, body := send(http.MethodPost, "/api/customers", `{"name":"Flags","currency_iso":"EUR","country_iso":"DE","realms":[2]}`); status != http.StatusOK ||
		!strings.Contains(body, `"sub_realms":[]`) {
		t.Errorf("create (not a partial route): %d %s", status, body)
	}
	if _, _, body := send(http.MethodGet, "/api/customers", ""); !strings.Contains(body, `"name":null`) || strings.Contains(body, "sub_realms") {
		t.Errorf("list (a partial route): %s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
