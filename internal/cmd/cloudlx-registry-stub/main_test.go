package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

const testKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n(test)\n-----END PGP PUBLIC KEY BLOCK-----\n"

// fakeDist writes a release of version in goreleaser's layout: a zip per
// platform (any bytes: the stub never opens them), SHA256SUMS listing them and
// the manifest, its .sig, and a file no release lists.
func fakeDist(t *testing.T, version string, platforms ...string) string {
	t.Helper()
	dir := t.TempDir()
	prefix := "terraform-provider-cloudlx_" + version
	files := map[string]string{prefix + "_manifest.json": `{"version":1,"metadata":{"protocol_versions":["6.0"]}}`}
	for _, p := range platforms {
		files[prefix+"_"+p+".zip"] = "zip of " + p
	}
	var sums strings.Builder
	for name, data := range files {
		sum := sha256.Sum256([]byte(data))
		sums.WriteString(hex.EncodeToString(sum[:]) + "  " + name + "\n")
	}
	files[prefix+"_SHA256SUMS"] = sums.String()
	files[prefix+"_SHA256SUMS.sig"] = "signature"
	files["config.yaml"] = "not part of a release"
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func getJSON(t *testing.T, client *http.Client, url string, v any) int {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// The registry protocol's answers, as `terraform init` reads them: discovery,
// versions with their platforms, and a download answer whose URLs serve the
// zip, SHA256SUMS and signature, with the shasum SHA256SUMS gives and the key.
func TestServesTheRegistryProtocol(t *testing.T) {
	dist := fakeDist(t, "0.4.1-snapshot-0123abc", "linux_amd64", "darwin_arm64")
	reg, err := loadRegistry(dist, "cloudlx-community", "cloudlx", signingKey{ID: "51852D87348FFC4C", ASCIIArmor: testKey}, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(reg)
	defer srv.Close()
	client := srv.Client()

	var discovery map[string]string
	if code := getJSON(t, client, srv.URL+"/.well-known/terraform.json", &discovery); code != 200 || discovery["providers.v1"] != "/v1/providers/" {
		t.Errorf("discovery: %d %v", code, discovery)
	}

	var versions struct {
		Versions []struct {
			Version   string
			Protocols []string
			Platforms []struct{ OS, Arch string }
		}
	}
	getJSON(t, client, srv.URL+"/v1/providers/cloudlx-community/cloudlx/versions", &versions)
	if len(versions.Versions) != 1 {
		t.Fatalf("versions: %+v", versions)
	}
	v := versions.Versions[0]
	if v.Version != "0.4.1-snapshot-0123abc" || strings.Join(v.Protocols, ",") != "6.0" || len(v.Platforms) != 2 ||
		v.Platforms[0].OS != "darwin" || v.Platforms[0].Arch != "arm64" || v.Platforms[1].OS != "linux" || v.Platforms[1].Arch != "amd64" {
		t.Errorf("versions: %+v", v)
	}

	var dl struct {
		OS, Arch, Filename, SHASum string
		Download                   string `json:"download_url"`
		Sums                       string `json:"shasums_url"`
		Signature                  string `json:"shasums_signature_url"`
		SigningKeys                struct {
			GPGPublicKeys []signingKey `json:"gpg_public_keys"`
		} `json:"signing_keys"`
	}
	getJSON(t, client, srv.URL+"/v1/providers/cloudlx-community/cloudlx/0.4.1-snapshot-0123abc/download/linux/amd64", &dl)
	zipSum := sha256.Sum256([]byte("zip of linux_amd64"))
	if dl.OS != "linux" || dl.Arch != "amd64" || dl.Filename != "terraform-provider-cloudlx_0.4.1-snapshot-0123abc_linux_amd64.zip" ||
		dl.SHASum != hex.EncodeToString(zipSum[:]) || len(dl.SigningKeys.GPGPublicKeys) != 1 ||
		dl.SigningKeys.GPGPublicKeys[0] != (signingKey{ID: "51852D87348FFC4C", ASCIIArmor: testKey}) {
		t.Errorf("download answer: %+v", dl)
	}
	for url, want := range map[string]string{
		dl.Download:  "zip of linux_amd64",
		dl.Signature: "signature",
	} {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != want {
			t.Errorf("GET %s: %d %q, want %q", url, resp.StatusCode, body, want)
		}
	}
	if !strings.HasPrefix(dl.Sums, srv.URL+"/files/") || !strings.HasSuffix(dl.Sums, "_SHA256SUMS") {
		t.Errorf("shasums_url %q", dl.Sums)
	}

	for _, path := range []string{
		"/v1/providers/cloudlx-community/cloudlx/9.9.9/download/linux/amd64",                // no such version
		"/v1/providers/cloudlx-community/cloudlx/0.4.1-snapshot-0123abc/download/linux/arm", // no such platform
		"/v1/providers/other/cloudlx/versions",                                              // another provider
		"/files/config.yaml",                                                                // in dist, listed by no release
		"/files/../main.go",
	} {
		if code := getJSON(t, client, srv.URL+path, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
}

// A dist the Terraform Registry would refuse is refused, saying why.
func TestRefusesAnIncompleteDist(t *testing.T) {
	cases := map[string]struct {
		remove string
		want   string
	}{
		"no signature":  {"_SHA256SUMS.sig", "SHA256SUMS.sig"},
		"no manifest":   {"_manifest.json", "manifest.json"},
		"no release":    {"_SHA256SUMS", "make release-check"},
		"another build": {"", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dist := fakeDist(t, "1.0.0", "linux_amd64")
			if c.remove != "" {
				if err := os.Remove(filepath.Join(dist, "terraform-provider-cloudlx_1.0.0"+c.remove)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := loadRegistry(dist, "cloudlx-community", "cloudlx", signingKey{}, "")
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %s", err, c.want)
			}
		})
	}
}

// goreleaser leaves the manifest out of dist: the one given is read instead,
// if it is the file SHA256SUMS lists.
func TestReadsTheManifestGivenWhenDistLacksIt(t *testing.T) {
	dist := fakeDist(t, "1.0.0", "linux_amd64")
	listed := filepath.Join(dist, "terraform-provider-cloudlx_1.0.0_manifest.json")
	given := filepath.Join(t.TempDir(), "terraform-registry-manifest.json")
	if err := os.Rename(listed, given); err != nil {
		t.Fatal(err)
	}
	reg, err := loadRegistry(dist, "cloudlx-community", "cloudlx", signingKey{}, given)
	if err != nil {
		t.Fatal(err)
	}
	if p := reg.releases["1.0.0"].protocols; len(p) != 1 || p[0] != "6.0" {
		t.Errorf("protocols %v", p)
	}
	if err := os.WriteFile(given, []byte(`{"version":1,"metadata":{"protocol_versions":["5.0"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadRegistry(dist, "cloudlx-community", "cloudlx", signingKey{}, given); err == nil || !strings.Contains(err.Error(), "not the") {
		t.Errorf("another manifest than the one listed: %v, want a refusal", err)
	}
}

// The program serves HTTPS with the given certificate on loopback, writes
// localhost:PORT once listening, and refuses a non-loopback address.
func TestRunServesTLSOnLoopback(t *testing.T) {
	dir := t.TempDir()
	ca := testca.New(t, "registry stub test CA")
	certPEM, keyPEM := ca.ServerCert(t, "localhost", "127.0.0.1")
	files := map[string][]byte{"cert.pem": certPEM, "key.pem": keyPEM, "key.asc": []byte(testKey)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-dist", fakeDist(t, "1.0.0", "linux_amd64"), "-tls-cert", filepath.Join(dir, "cert.pem"),
		"-tls-key", filepath.Join(dir, "key.pem"), "-gpg-key", filepath.Join(dir, "key.asc")}

	if err := run(t.Context(), append(args, "-listen", "0.0.0.0:0")); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("-listen 0.0.0.0:0: %v, want a refusal", err)
	}

	addrFile := filepath.Join(dir, "addr")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "-addr-file", addrFile)) }()
	var host string
	for host == "" {
		select {
		case err := <-done:
			t.Fatalf("the stub stopped: %v", err)
		case <-time.After(20 * time.Millisecond): // polling for the file the stub writes once it listens
		}
		if b, err := os.ReadFile(addrFile); err == nil {
			host = string(b)
		}
	}
	if !strings.HasPrefix(host, "localhost:") {
		t.Errorf("address %q, want localhost:PORT", host)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.PEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	var discovery map[string]string
	if code := getJSON(t, client, "https://"+host+"/.well-known/terraform.json", &discovery); code != 200 {
		t.Errorf("discovery over TLS: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("stopping: %v", err)
	}
}
