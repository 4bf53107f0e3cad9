package soak

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

// providerPackage is the main package of the provider binary.
const providerPackage = "github.com/cloudlx-community/terraform-provider-cloudlx"

// BuildProvider builds the provider into dir (go build of this module's main
// package) and returns dir, for Config.ProviderDir.
func BuildProvider(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-cloudlx"), providerPackage)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", providerPackage, err, out)
	}
	return dir, nil
}

// cli is the Terraform or OpenTofu executable under test.
type cli struct {
	path    string
	product string // "Terraform" or "OpenTofu"
	version []int
}

var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)`)

func identifyCLI(path string) (cli, error) {
	cmd := exec.Command(path, "version")
	cmd.Env = cleanEnv([]string{"CHECKPOINT_DISABLE=1"})
	out, err := cmd.Output()
	if err != nil {
		return cli{}, fmt.Errorf("%s version: %w", path, err)
	}
	m := versionLine.FindStringSubmatch(string(out))
	if m == nil {
		return cli{}, fmt.Errorf("%s version printed no Terraform or OpenTofu version", path)
	}
	c := cli{path: path, product: m[1]}
	for _, p := range m[2:] {
		n, _ := strconv.Atoi(p)
		c.version = append(c.version, n)
	}
	return c, nil
}

func (c cli) String() string {
	return fmt.Sprintf("%s v%d.%d.%d", c.product, c.version[0], c.version[1], c.version[2])
}

// atLeast reports whether the CLI is at least major.minor.
func (c cli) atLeast(major, minor int) bool {
	return c.version[0] > major || c.version[0] == major && c.version[1] >= minor
}

// identityImport reports whether the CLI understands import blocks with an
// identity: Terraform and OpenTofu 1.12 and later.
func (c cli) identityImport() bool { return c.atLeast(1, 12) }

// result is what one CLI command did.
type result struct {
	args     []string
	out      string // stdout then stderr
	stdout   string
	exit     int
	duration time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("%s: exit code %d after %s\n%s", strings.Join(r.args, " "), r.exit, r.duration.Round(time.Millisecond), r.out)
}

// commandTimeout bounds one CLI command: a command that takes longer hangs.
const commandTimeout = 4 * time.Minute

// runCLI runs the CLI in dir with env (added to a clean environment).
func runCLI(ctx context.Context, c cli, dir string, env []string, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := result{args: append([]string{filepath.Base(c.path)}, args...), stdout: stdout.String(),
		out: stdout.String() + stderr.String(), duration: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("%s did not finish within %s", strings.Join(res.args, " "), commandTimeout)
	case errors.As(err, &exit):
		res.exit = exit.ExitCode()
	case err != nil:
		return res, err
	}
	return res, nil
}

// cleanEnv is this process's environment without the variables that would
// change how the CLI or the provider behave, plus set.
func cleanEnv(set []string) []string {
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

// cliConfig is a CLI configuration that serves the provider in providerDir to
// both CLIs' spellings of its address, so neither init nor a registry is needed.
func cliConfig(providerDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudlx-community/cloudlx" = %q
    "registry.opentofu.org/cloudlx-community/cloudlx" = %q
  }
  direct {}
}
disable_checkpoint = true
`, providerDir, providerDir)
}
