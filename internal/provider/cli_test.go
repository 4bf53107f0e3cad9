package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Some behaviour can only be seen from outside terraform-plugin-testing: what
// lands in TF_LOG files and plan output, -parallelism (terraform-exec always
// passes -parallelism=10 itself, overriding TF_CLI_ARGS_apply), and how the
// provider stops when Terraform is interrupted. Those tests build the provider
// binary and drive the Terraform CLI the way a user does, with a dev_overrides
// CLI configuration, against an emulator on loopback in this process.

func TestMain(m *testing.M) {
	code := m.Run()
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}

// providerBuild is the provider binary, built once per test process.
var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

func providerBinaryDir(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "cloudlx-provider-")
		if err != nil {
			providerBuild.err = err
			return
		}
		providerBuild.dir = dir
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-cloudlx"), ".")
		cmd.Dir = filepath.Join("..", "..") // the module root, where main.go is
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// cliRun is a working directory in which the test runs Terraform commands.
type cliRun struct {
	t         *testing.T
	dir       string
	terraform string
	env       []string
}

// newCLIRun prepares a working directory. extraEnv ("K=V") is added to the
// environment of every command.
func newCLIRun(t *testing.T, extraEnv ...string) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to drive the Terraform CLI")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	bin := providerBinaryDir(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "cli.tfrc")
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "cloudlx-community/cloudlx" = %q
  }
  direct {}
}
disable_checkpoint = true
`, bin))
	// The test's own environment may hold settings for other runs; start clean.
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_CLI_ARGS") ||
			strings.HasPrefix(name, "CLOUDLX_") || name == "TF_CLI_CONFIG_FILE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	env = append(env, extraEnv...)
	return &cliRun{t: t, dir: dir, terraform: terraform, env: env}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// config replaces the working directory's configuration.
func (r *cliRun) config(hcl string) {
	writeFile(r.t, filepath.Join(r.dir, "main.tf"), hcl)
}

func (r *cliRun) command(args ...string) *exec.Cmd {
	cmd := exec.Command(r.terraform, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	return cmd
}

// run runs one command and returns its combined output and exit code.
func (r *cliRun) run(args ...string) (string, int) {
	r.t.Helper()
	cmd := r.command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	}
	r.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	return "", -1
}

// must runs a command that has to succeed.
func (r *cliRun) must(args ...string) string {
	r.t.Helper()
	out, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// stateIDs returns the ids of the cloudlx_customer instances in the local state.
func (r *cliRun) stateIDs() []string {
	r.t.Helper()
	raw, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if err != nil {
		r.t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID json.Number `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		r.t.Fatal(err)
	}
	ids := []string{}
	for _, res := range state.Resources {
		if res.Type != "cloudlx_customer" {
			continue
		}
		for _, inst := range res.Instances {
			ids = append(ids, inst.Attributes.ID.String())
		}
	}
	sort.Strings(ids)
	return ids
}

// cliProviderBlock is the provider configuration for a CLI run; the settings
// not given here come from CLOUDLX_* variables or defaults.
func cliProviderBlock(settings string) string {
	return `terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {
` + settings + `
}
`
}

// elapsed runs f and returns how long it took.
func elapsed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
