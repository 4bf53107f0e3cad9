// Package clirun runs a Terraform or OpenTofu CLI against the provider built
// from this module: it builds the provider, identifies a CLI, writes the CLI
// configuration that serves the build through dev_overrides (so neither
// `init` nor a registry is needed), and runs commands with an environment of
// their own. It is the one CLI runner of the repository: the tests use it
// through internal/clitest, which adds what needs a testing.TB, and the soak
// (internal/soak, a program's library) and the bench use it directly.
//
// Every command runs without the caller's TF_*, CLOUDLX_* and CHECKPOINT_*
// variables, so a developer's TF_LOG or TF_CLI_ARGS cannot change an outcome:
// only what the caller passes reaches the CLI and the provider.
package clirun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ProviderPackage is the main package of the provider binary.
const ProviderPackage = "github.com/cloudlx-community/terraform-provider-cloudlx"

// ProviderBinary is the provider's file name in a directory that Config serves.
const ProviderBinary = "terraform-provider-cloudlx"

// ProviderAddresses are the addresses the CLI configuration overrides. A
// configuration's `source = "cloudlx-community/cloudlx"` means the first to
// Terraform and the second to OpenTofu, which resolves short sources on its own
// registry; naming both hosts covers either CLI with either spelling.
var ProviderAddresses = []string{
	"registry.terraform.io/cloudlx-community/cloudlx",
	"registry.opentofu.org/cloudlx-community/cloudlx",
}

// BuildProvider builds the provider (go build of this module's main package)
// into dir/ProviderBinary.
func BuildProvider(ctx context.Context, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, ProviderBinary), ProviderPackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", ProviderPackage, err, out)
	}
	return nil
}

// Config is a CLI configuration whose dev_overrides serve the provider in
// providerDir under every address of ProviderAddresses.
func Config(providerDir string) string {
	var overrides strings.Builder
	for _, addr := range ProviderAddresses {
		fmt.Fprintf(&overrides, "    %q = %q\n", addr, providerDir)
	}
	return "provider_installation {\n  dev_overrides {\n" + overrides.String() + "  }\n  direct {}\n}\ndisable_checkpoint = true\n"
}

// WriteConfig writes Config(providerDir) to path.
func WriteConfig(path, providerDir string) error {
	return os.WriteFile(path, []byte(Config(providerDir)), 0o600)
}

// CLI is a Terraform or OpenTofu executable.
type CLI struct {
	Path    string
	Product string // "Terraform" or "OpenTofu"
	Version string // e.g. "1.5.7"
}

func (c CLI) String() string { return c.Product + " v" + c.Version }

// AtLeast reports whether the CLI's version is at least version ("1.7",
// "1.5.0"); pre-release suffixes are ignored.
func (c CLI) AtLeast(version string) bool {
	have, want := versionNumbers(c.Version), versionNumbers(version)
	for i := range want {
		if i >= len(have) || have[i] != want[i] {
			return i < len(have) && have[i] > want[i]
		}
	}
	return true
}

func versionNumbers(v string) []int {
	v, _, _ = strings.Cut(v, "-")
	var out []int
	for _, part := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(part)
		out = append(out, n)
	}
	return out
}

var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+\.\d+\.\d+\S*)`)

// Identify asks an executable which CLI and version it is.
func Identify(path string) (CLI, error) {
	cmd := exec.Command(path, "version")
	cmd.Env = Env("CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	m := versionLine.FindSubmatch(out)
	if m == nil {
		line, _, _ := strings.Cut(string(out), "\n")
		return CLI{}, fmt.Errorf("%s version printed no Terraform or OpenTofu version: %q", path, line)
	}
	return CLI{Path: path, Product: string(m[1]), Version: string(m[2])}, nil
}

// Env is this process's environment without the variables that would change
// how the CLI or the provider behave (TF_*, CLOUDLX_*, CHECKPOINT_*), plus set
// ("NAME=value" each).
func Env(set ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CLOUDLX_") || strings.HasPrefix(name, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, set...)
}

// Command is the CLI command for args in dir, with Env(env...) as its
// environment, ready to Run or to start. It is killed when ctx ends.
func Command(ctx context.Context, cli CLI, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, cli.Path, args...)
	cmd.Dir = dir
	cmd.Env = Env(env...)
	return cmd
}

// Result is what one command did.
type Result struct {
	Args     []string // the CLI's file name, then its arguments
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
}

// String names the command and its outcome, with its output, for failure messages.
func (r Result) String() string {
	return fmt.Sprintf("%s: exit code %d after %s\n--- stdout\n%s\n--- stderr\n%s",
		strings.Join(r.Args, " "), r.ExitCode, r.Duration.Round(time.Millisecond), r.Stdout, r.Stderr)
}

// Combined is the command's standard output followed by its standard error.
func (r Result) Combined() string { return r.Stdout + r.Stderr }

// Run runs cmd to its end and returns what it did, whatever its exit code. The
// error says only that it could not be started or waited for (a context that
// ended kills it: the caller tells that apart by its context).
func Run(cmd *exec.Cmd) (Result, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := Result{
		Args:     append([]string{filepath.Base(cmd.Path)}, cmd.Args[1:]...),
		Stdout:   stdout.String(),
		Stderr:   stderr.String(),
		Duration: time.Since(start),
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		res.ExitCode = exit.ExitCode()
		return res, nil
	}
	return res, err
}
