package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clirun"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/testca"
)

// TestReleaseInstalls is `make release-check`'s last step (scripts/release-check.sh
// sets its environment): the release in RELEASE_CHECK_DIST, served by this
// stub over TLS, installs with `terraform init` as users install from the
// registry, checksum and signature verified, and plans against the emulator
// program at CLOUDLX_ENDPOINT; the same zip installs from a filesystem mirror;
// a corrupted signature or zip makes init fail. With TF_ACC_TOFU_PATH, OpenTofu
// too.
func TestReleaseInstalls(t *testing.T) {
	dist := os.Getenv("RELEASE_CHECK_DIST")
	if dist == "" {
		t.Skip("RELEASE_CHECK_DIST is not set: make release-check runs this test with the snapshot it builds")
	}
	armor, err := os.ReadFile(os.Getenv("RELEASE_CHECK_GPG_KEY"))
	if err != nil {
		t.Fatalf("RELEASE_CHECK_GPG_KEY: %v", err)
	}
	key := signingKey{ID: os.Getenv("RELEASE_CHECK_GPG_KEY_ID"), ASCIIArmor: string(armor)}
	reg, err := loadRegistry(dist, "cloudlx-community", "cloudlx", key, os.Getenv("RELEASE_CHECK_MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.releases) != 1 {
		t.Fatalf("%d releases in %s, want the one just built", len(reg.releases), dist)
	}
	var rel *release
	for _, r := range reg.releases {
		rel = r
	}
	host, ok := rel.packages[runtime.GOOS+"_"+runtime.GOARCH]
	if !ok {
		t.Fatalf("the release has no zip for this machine (%s_%s)", runtime.GOOS, runtime.GOARCH)
	}
	env := []string{"CLOUDLX_ENDPOINT=" + os.Getenv("CLOUDLX_ENDPOINT"),
		"CLOUDLX_CLIENT_ID=" + os.Getenv("CLOUDLX_CLIENT_ID"), "CLOUDLX_CLIENT_SECRET=" + os.Getenv("CLOUDLX_CLIENT_SECRET")}

	ca := testca.New(t, "release-check CA")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	// The CLI trusts the stub's certificate through SSL_CERT_FILE (Go's
	// certificate pool on Linux reads it), as a private registry's users do.
	env = append(env, "SSL_CERT_FILE="+caFile)
	serve := func(reg *registry) string {
		srv := httptest.NewUnstartedServer(reg)
		srv.TLS = ca.TLSConfig(t, "localhost", "127.0.0.1")
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return "localhost:" + fmt.Sprint(srv.Listener.Addr().(*net.TCPAddr).Port)
	}
	good := serve(reg)
	badSignature := serve(corrupted(t, reg, rel.shasums+".sig"))
	badZip := serve(corrupted(t, reg, host.Filename))

	mirror := filepath.Join(t.TempDir(), "registry.terraform.io", "cloudlx-community", "cloudlx")
	if err := os.MkdirAll(mirror, 0o755); err != nil {
		t.Fatal(err)
	}
	linkOrCopy(t, filepath.Join(dist, host.Filename), filepath.Join(mirror, host.Filename))

	clis := []clirun.CLI{clitest.FindCLI(t, "TF_ACC_TERRAFORM_PATH", "terraform")}
	if os.Getenv("TF_ACC_TOFU_PATH") != "" {
		clis = append(clis, clitest.OpenTofu(t))
	}
	for _, cli := range clis {
		t.Run(cli.String(), func(t *testing.T) {
			t.Run("registry", func(t *testing.T) {
				dir := workdir(t, "disable_checkpoint = true\n", good+"/cloudlx-community/cloudlx", rel.version)
				res := runCLI(t, cli, dir, env, "init", "-input=false", "-no-color")
				if res.ExitCode != 0 {
					t.Fatalf("init: %s", res)
				}
				for _, line := range strings.Split(res.Stdout, "\n") {
					if strings.Contains(line, "Installed") {
						t.Log(strings.TrimSpace(line))
					}
				}
				// The key ID in init's report says the signature was checked
				// against the key the registry gave.
				if !strings.Contains(res.Stdout, "v"+rel.version) || !strings.Contains(res.Stdout, "key ID "+key.ID) {
					t.Errorf("init installed without naming v%s and the key ID %s: %s", rel.version, key.ID, res)
				}
				lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(lock), `"zh:`+host.SHA256+`"`) {
					t.Errorf("the lock file lacks zh:%s, the zip's sum in SHA256SUMS:\n%s", host.SHA256, lock)
				}
				res = runCLI(t, cli, dir, env, "plan", "-input=false", "-no-color")
				if res.ExitCode != 0 || !strings.Contains(res.Stdout, "1 to add") {
					t.Errorf("plan against the emulator: %s", res)
				}
			})
			t.Run("filesystem mirror", func(t *testing.T) {
				// Terraform lowercases the file names it reads from a mirror:
				// a snapshot version with upper case would never be found.
				rc := fmt.Sprintf("disable_checkpoint = true\nprovider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n",
					filepath.Dir(filepath.Dir(filepath.Dir(mirror))))
				dir := workdir(t, rc, "registry.terraform.io/cloudlx-community/cloudlx", rel.version)
				if res := runCLI(t, cli, dir, env, "init", "-input=false", "-no-color"); res.ExitCode != 0 {
					t.Fatalf("init from a filesystem mirror: %s", res)
				}
			})
			for name, c := range map[string]struct{ host, want string }{
				"corrupted signature": {badSignature, "signature"},
				"corrupted zip":       {badZip, "checksum"},
			} {
				t.Run(name, func(t *testing.T) {
					dir := workdir(t, "disable_checkpoint = true\n", c.host+"/cloudlx-community/cloudlx", rel.version)
					res := runCLI(t, cli, dir, env, "init", "-input=false", "-no-color")
					if res.ExitCode == 0 || !strings.Contains(strings.ToLower(res.Combined()), c.want) {
						t.Errorf("init: exit code %d, want a failure naming the %s: %s", res.ExitCode, c.want, res)
					}
					if installed := providerFiles(t, filepath.Join(dir, ".terraform", "providers")); len(installed) > 0 {
						t.Errorf("init failed but installed the provider: %v", installed)
					}
				})
			}
		})
	}
}

// workdir is a root module requiring source at exactly version, with a
// customer to plan and rc as the CLI configuration.
func workdir(t *testing.T, rc, source, version string) string {
	t.Helper()
	dir := t.TempDir()
	main := fmt.Sprintf(`terraform {
  required_providers {
    cloudlx = {
      source  = %q
      version = "= %s"
    }
  }
}

provider "cloudlx" {}

resource "cloudlx_customer" "release_check" {
  name         = "Release Check Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2]
}
`, source, version)
	for name, data := range map[string]string{"main.tf": main, "cli.tfrc": rc} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCLI runs the CLI in dir with its configuration in dir/cli.tfrc.
func runCLI(t *testing.T, cli clirun.CLI, dir string, env []string, args ...string) clirun.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	env = append(env, "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	res, err := clirun.Run(clirun.Command(ctx, cli, dir, env, args...))
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(res.Args, " "), err)
	}
	return res
}

// corrupted is reg's release in a copy of its dist directory where file has
// one byte changed: its last, which in a signature is part of the signature
// value itself, not of a header that would fail to parse.
func corrupted(t *testing.T, reg *registry, file string) *registry {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(reg.dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && e.Name() != file {
			linkOrCopy(t, filepath.Join(reg.dist, e.Name()), filepath.Join(dir, e.Name()))
		}
	}
	data, err := os.ReadFile(filepath.Join(reg.dist, file))
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 0xff
	if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
		t.Fatal(err)
	}
	bad, err := loadRegistry(dir, reg.namespace, reg.typ, reg.key, os.Getenv("RELEASE_CHECK_MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	return bad
}

// providerFiles lists the provider executables under dir (OpenTofu leaves
// the provider's directory behind when an install fails, empty).
func providerFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "terraform-provider-cloudlx") {
			found = append(found, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// linkOrCopy hard-links src to dst (the zips are megabytes each), or copies it.
func linkOrCopy(t *testing.T, src, dst string) {
	t.Helper()
	if os.Link(src, dst) == nil {
		return
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
