package cloudlx

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

// realmsAPI answers every request with an empty realm catalogue and counts them.
func realmsAPI(calls *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", MediaType)
		_, _ = io.WriteString(w, `{"realms": []}`)
	})
}

// tlsServer serves h over TLS with a certificate for hosts from ca.
func tlsServer(t *testing.T, ca *testca.CA, h http.Handler, hosts ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = ca.TLSConfig(t, hosts...)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestPrivateCA(t *testing.T) {
	ca := testca.New(t, "Corporate Inspection CA")
	var calls atomic.Int32
	srv := tlsServer(t, ca, realmsAPI(&calls), "127.0.0.1")
	host := strings.TrimPrefix(srv.URL, "https://")

	// The system pool does not know the CA: the handshake fails, nothing is
	// retried (no retry can fix it), and the error says which host and why.
	var attempts atomic.Int32
	countAttempts := logHook(func(map[string]any) { attempts.Add(1) })
	c, err := New(Config{Endpoint: srv.URL, AccessToken: "tls-test-token", MaxRetries: 3, RetryWaitMin: 1, RetryWaitMax: 1,
		Logger: countAttempts})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListRealms(context.Background())
	if n := attempts.Swap(0); n != 1 {
		t.Errorf("%d attempts, want 1: a certificate failure is not retried", n)
	}
	var tlsErr *TLSError
	if !errors.As(err, &tlsErr) {
		t.Fatalf("error %v (%T), want a *TLSError", err, err)
	}
	if tlsErr.Host != host || !strings.Contains(err.Error(), "the TLS certificate of "+host+" could not be verified: it is signed by a certificate authority that is not trusted here") {
		t.Errorf("error: %v", err)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
	// A create that fails in the handshake certainly created nothing.
	_, err = c.CreateCustomer(context.Background(), CustomerCreate{Name: "Acme"})
	if !errors.As(err, &tlsErr) || IsUncertain(err) || MayHaveSucceeded(err) {
		t.Errorf("create: %v (uncertain %v)", err, IsUncertain(err))
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("create: %d attempts, want 1", n)
	}

	// Trusting the CA in addition to the system pool makes it work.
	c, err = New(Config{Endpoint: srv.URL, AccessToken: "tls-test-token", CACertificates: ca.PEM})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListRealms(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestPrivateCA_certificateForAnotherHost(t *testing.T) {
	ca := testca.New(t, "Private CA")
	var calls atomic.Int32
	srv := tlsServer(t, ca, realmsAPI(&calls), "cloudlx.example")
	c, err := New(Config{Endpoint: srv.URL, AccessToken: "tls-test-token", CACertificates: ca.PEM})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListRealms(context.Background())
	var tlsErr *TLSError
	if !errors.As(err, &tlsErr) || tlsErr.Problem() != "it is not issued for this host name" {
		t.Fatalf("error %v", err)
	}
}

func TestParseCACertificates(t *testing.T) {
	a, b := testca.New(t, "A"), testca.New(t, "B")
	_, keyPEM := a.ServerCert(t, "127.0.0.1")
	for _, tc := range []struct {
		name    string
		pem     string
		certs   int
		wantErr string
	}{
		{"one", string(a.PEM), 1, ""},
		{"two, with blank lines", string(a.PEM) + "\n\n" + string(b.PEM) + "\n", 2, ""},
		{"not PEM", "hello", 0, "it holds no PEM block"},
		{"empty", "  \n", 0, "it is empty"},
		{"a key", string(keyPEM), 0, `PEM block 1 is a "EC PRIVATE KEY", not a CERTIFICATE`},
		{"a cert then a key", string(a.PEM) + string(keyPEM), 0, `PEM block 2 is a "EC PRIVATE KEY"`},
		{"a cert then text", string(a.PEM) + "trailing words", 0, "after 1 certificate(s) it holds text that is not a PEM block"},
		{"a broken certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 0, "PEM block 1 is not a valid certificate"},
	} {
		certs, err := ParseCACertificates([]byte(tc.pem))
		switch {
		case tc.wantErr == "" && (err != nil || len(certs) != tc.certs):
			t.Errorf("%s: %d certificates, error %v; want %d", tc.name, len(certs), err, tc.certs)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
	if _, err := New(Config{Endpoint: "https://cloudlx.example", AccessToken: "tls-test-token", CACertificates: keyPEM}); err == nil ||
		!strings.Contains(err.Error(), "the CA certificates are not usable") {
		t.Errorf("New with a key as CA: %v", err)
	}
}

// The pooled transport takes its proxy from HTTPS_PROXY, HTTP_PROXY and
// NO_PROXY, with or without extra CAs.
func TestTransportProxyIsTheEnvironments(t *testing.T) {
	ca := testca.New(t, "A")
	for _, pem := range [][]byte{nil, ca.PEM} {
		tr, err := newTransport(pem)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Proxy == nil || reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
			t.Errorf("with %d bytes of CAs, the transport's Proxy is not http.ProxyFromEnvironment", len(pem))
		}
	}
}

// A request goes through the proxy HTTPS_PROXY names: a CONNECT tunnel from a
// proxy on loopback to the API, whose certificate a private CA signs, as
// behind a corporate proxy. Go reads the proxy variables once per process, so
// the client runs in a child process of this test with HTTPS_PROXY set.
func TestRequestGoesThroughHTTPSProxy(t *testing.T) {
	if os.Getenv("CLOUDLX_PROXY_TEST_CHILD") != "" {
		proxyChild(t)
		return
	}
	ca := testca.New(t, "Proxy test CA")
	var calls atomic.Int32
	api := tlsServer(t, ca, realmsAPI(&calls), "cloudlx.example")
	apiAddr := strings.TrimPrefix(api.URL, "https://")

	var mu sync.Mutex
	var connects []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		connects = append(connects, r.Host)
		mu.Unlock()
		// Every tunnel leads to the API server, whatever host it asks for.
		upstream, err := net.Dial("tcp", apiAddr)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { _, _ = io.Copy(upstream, bufio.NewReader(buf)) }()
		_, _ = io.Copy(conn, upstream)
	}))
	t.Cleanup(proxy.Close)

	cmd := exec.Command(os.Args[0], "-test.run=^TestRequestGoesThroughHTTPSProxy$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"CLOUDLX_PROXY_TEST_CHILD=1",
		"CLOUDLX_PROXY_TEST_CA="+string(ca.PEM),
		"HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL,
		"NO_PROXY=", "no_proxy=",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the client behind the proxy failed: %v\n%s", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(connects) != 1 || connects[0] != "cloudlx.example:443" || calls.Load() != 1 {
		t.Errorf("proxy tunnels %q and %d API requests; want one tunnel to cloudlx.example:443 carrying one request\nchild:\n%s", connects, calls.Load(), out)
	}
}

// proxyChild is the client side of TestRequestGoesThroughHTTPSProxy. The
// endpoint's host does not resolve: only the proxy can reach it.
func proxyChild(t *testing.T) {
	c, err := New(Config{Endpoint: "https://cloudlx.example", AccessToken: "tls-test-token", MaxRetries: 0,
		CACertificates: []byte(os.Getenv("CLOUDLX_PROXY_TEST_CA"))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListRealms(context.Background()); err != nil {
		t.Fatal(err)
	}
}
