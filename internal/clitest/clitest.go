// Package clitest drives a real Terraform or OpenTofu CLI against the provider
// built from this module, for tests that terraform-plugin-testing cannot
// express: `plan -generate-config-out`, `import` blocks with `for_each`,
// OpenTofu-only flows, exact command sequences, captured CLI logs.
//
// A test finds a CLI, makes a working directory for it and runs commands there:
//
//	tofu := clitest.OpenTofu(t) // or Terraform, Terraform157, FindCLI
//	wd := clitest.NewWorkdir(t, tofu, map[string]string{"CLOUDLX_ENDPOINT": url})
//	wd.WriteFile("main.tf", config)
//	wd.MustRun("apply", "-auto-approve", "-no-color")
//	res := wd.Run("plan", "-detailed-exitcode", "-no-color")
//
// The provider is built once per test binary (ProviderDir) and served to the
// CLI through dev_overrides, so neither `init` nor a registry is needed. A
// package using it should remove the build when its tests are done:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		clitest.RemoveProvider()
//		os.Exit(code)
//	}
//
// Every command runs with an environment of its own: the caller's TF_*,
// CLOUDLX_* and CHECKPOINT_* variables are dropped, so a developer's TF_LOG or
// TF_CLI_ARGS cannot change a test's outcome, and only what the test sets
// (NewWorkdir's env, SetEnv) reaches the CLI and the provider.
//
// The runner itself (building, identifying, configuring, running) is
// internal/clirun, which the soak shares; this package adds the testing.TB side.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clirun"
)

// ProviderAddresses are the addresses the CLI configuration overrides
// (clirun.ProviderAddresses).
var ProviderAddresses = clirun.ProviderAddresses

var build struct {
	once sync.Once
	dir  string
	err  error
}

// ProviderDir builds the provider (go build of this module's main package)
// the first time it is called in a test binary and returns the directory that
// holds terraform-provider-cloudlx. Later calls reuse that build; a failed
// build fails every test that asks for it.
func ProviderDir(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		// Not t.TempDir: the build outlives this test and serves every test of
		// the binary; TestMain removes it with RemoveProvider.
		build.dir, build.err = os.MkdirTemp("", "clitest-provider-") //nolint:usetesting // shared by all tests, see above
		if build.err != nil {
			return
		}
		build.err = clirun.BuildProvider(context.Background(), build.dir)
	})
	if build.err != nil {
		t.Fatalf("building the provider: %v", build.err)
	}
	return build.dir
}

// RemoveProvider deletes the provider built by ProviderDir, if any. Call it
// from TestMain after m.Run.
func RemoveProvider() {
	if build.dir != "" {
		_ = os.RemoveAll(build.dir)
	}
}

// CLI is a Terraform or OpenTofu executable (Path, Product, Version, AtLeast).
type CLI = clirun.CLI

// ToolsCache is where scripts/ensure-cli.sh keeps the CLIs it builds
// ($CLOUDLX_TOOLS_CACHE, else $XDG_CACHE_HOME or ~/.cache, then
// terraform-provider-cloudlx), e.g. ToolsCache()/tofu-1.12.6/tofu.
func ToolsCache() string {
	if dir := os.Getenv("CLOUDLX_TOOLS_CACHE"); dir != "" {
		return dir
	}
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "terraform-provider-cloudlx")
}

// FindCLI returns the CLI named by the environment variable envVar or, when
// that is unset, the first of candidates (paths, or names looked up on PATH)
// that is an executable. It skips the test, naming envVar and `make test`
// (which sets it), when there is none. A variable that names no executable is
// an error, not a skip: someone asked for that CLI.
func FindCLI(t testing.TB, envVar string, candidates ...string) CLI {
	t.Helper()
	if p := os.Getenv(envVar); p != "" {
		cli, err := clirun.Identify(p)
		if err != nil {
			t.Fatalf("%s=%s: %v", envVar, p, err)
		}
		return cli
	}
	for _, c := range candidates {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		cli, err := clirun.Identify(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return cli
	}
	t.Skipf("no CLI found: set %s to its path (make test does, building it once with scripts/ensure-cli.sh); tried %s",
		envVar, strings.Join(candidates, ", "))
	return CLI{}
}

// The CLIs the project tests with, found the way `make test` provides them:
// it sets each variable from scripts/ensure-cli.sh, which builds a missing CLI
// once into ToolsCache. Without the variable, a CLI on PATH or in that cache
// is used; without either, the test is skipped.

// Terraform returns $TF_ACC_TERRAFORM_PATH (the CLI terraform-plugin-testing
// uses too), else terraform on PATH, else the cached Terraform 1.5.7.
func Terraform(t testing.TB) CLI {
	t.Helper()
	return FindCLI(t, "TF_ACC_TERRAFORM_PATH", "terraform", filepath.Join(ToolsCache(), "terraform-1.5.7", "terraform"))
}

// Terraform157 returns $TF_ACC_TERRAFORM_157_PATH, else the cached Terraform
// 1.5.7: the oldest Terraform the provider supports and the last MPL release.
func Terraform157(t testing.TB) CLI {
	t.Helper()
	return FindCLI(t, "TF_ACC_TERRAFORM_157_PATH", filepath.Join(ToolsCache(), "terraform-1.5.7", "terraform"))
}

// OpenTofu returns $TF_ACC_TOFU_PATH, else tofu on PATH, else the cached
// OpenTofu 1.12.6.
func OpenTofu(t testing.TB) CLI {
	t.Helper()
	return FindCLI(t, "TF_ACC_TOFU_PATH", "tofu", filepath.Join(ToolsCache(), "tofu-1.12.6", "tofu"))
}

// Workdir is a directory the CLI runs in, with its own CLI configuration and
// environment.
type Workdir struct {
	Dir string // the working directory: the root module

	t   testing.TB
	cli CLI
	env map[string]string
}

// NewWorkdir makes an empty working directory (removed with the test) for
// cli, with a CLI configuration whose dev_overrides serve the provider from
// ProviderDir. env is added to every command's environment, e.g. the
// provider's CLOUDLX_* settings.
func NewWorkdir(t testing.TB, cli CLI, env map[string]string) *Workdir {
	t.Helper()
	rc := filepath.Join(t.TempDir(), "cli.tfrc")
	if err := clirun.WriteConfig(rc, ProviderDir(t)); err != nil {
		t.Fatal(err)
	}
	w := &Workdir{Dir: t.TempDir(), t: t, cli: cli, env: map[string]string{
		"TF_CLI_CONFIG_FILE": rc,
		"TF_IN_AUTOMATION":   "1", // no "run terraform apply next" advice in the output
		"TF_INPUT":           "0", // never wait for a prompt
		"CHECKPOINT_DISABLE": "1",
	}}
	for k, v := range env {
		w.env[k] = v
	}
	return w
}

// CLI returns the CLI this directory runs.
func (w *Workdir) CLI() CLI { return w.cli }

// SetEnv sets an environment variable for the commands run after it, e.g.
// TF_LOG; an empty value unsets it.
func (w *Workdir) SetEnv(key, value string) {
	if value == "" {
		delete(w.env, key)
		return
	}
	w.env[key] = value
}

// WriteFile writes content to name, relative to the working directory.
func (w *Workdir) WriteFile(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// ReadFile returns the content of name, relative to the working directory.
func (w *Workdir) ReadFile(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// CopyFiles copies the files matching a glob pattern (relative to the test's
// own directory, e.g. "../../examples/demo/*.tf") into the working directory.
// A pattern matching nothing fails the test.
func (w *Workdir) CopyFiles(pattern string) {
	w.t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		w.t.Fatalf("no files match %s (%v)", pattern, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			w.t.Fatal(err)
		}
		w.WriteFile(filepath.Base(f), string(b))
	}
}

// Result is what one command did (Args, Stdout, Stderr, ExitCode, Duration;
// String for failure messages, Combined).
type Result = clirun.Result

// Command returns the CLI command for args, ready to start in the working
// directory with its environment, for tests that must act while it runs (for
// example interrupt it). It is killed if the test ends first.
func (w *Workdir) Command(args ...string) *exec.Cmd {
	return clirun.Command(w.t.Context(), w.cli, w.Dir, envList(w.env), args...)
}

// Run runs the CLI with args in the working directory and returns what it
// did, whatever its exit code. It fails the test only when the CLI cannot be
// started. The command is killed if the test ends first.
func (w *Workdir) Run(args ...string) Result {
	w.t.Helper()
	res, err := clirun.Run(w.Command(args...))
	if err != nil {
		w.t.Fatalf("running %s: %v", strings.Join(res.Args, " "), err)
	}
	return res
}

// MustRun is Run that fails the test, showing the output, unless the command
// exits 0.
func (w *Workdir) MustRun(args ...string) Result {
	w.t.Helper()
	res := w.Run(args...)
	if res.ExitCode != 0 {
		w.t.Fatalf("%s", res)
	}
	return res
}

// MustRunJSON is MustRun that decodes the command's standard output, e.g. of
// `show -json`, into v.
func (w *Workdir) MustRunJSON(v any, args ...string) Result {
	w.t.Helper()
	res := w.MustRun(args...)
	if err := json.Unmarshal([]byte(res.Stdout), v); err != nil {
		w.t.Fatalf("%s: decoding its output: %v\n%s", strings.Join(res.Args, " "), err, res)
	}
	return res
}

// envList is env as NAME=value entries, sorted so each command's environment
// is the same from run to run.
func envList(env map[string]string) []string {
	list := make([]string, 0, len(env))
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	sort.Strings(list)
	return list
}

// DebugProvider is the provider built by ProviderDir running in debug mode
// (-debug): one process that serves every command whose environment sets
// TF_REATTACH_PROVIDERS to Reattach, and whose own standard error the test
// can read. A CLI-started provider's log lines only reach Terraform, which
// drops them unless its log is on; this shows what the process itself writes.
type DebugProvider struct {
	// Reattach is the value of TF_REATTACH_PROVIDERS that makes the CLI use this process.
	Reattach string

	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{}
}

// StartDebugProvider starts the provider in debug mode with the caller's
// environment cleaned as for a Workdir, plus env (TF_LOG, say), and waits
// until it prints its reattach configuration. It is stopped with the test.
func StartDebugProvider(t testing.TB, env map[string]string) *DebugProvider {
	t.Helper()
	p := &DebugProvider{stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(filepath.Join(ProviderDir(t), clirun.ProviderBinary), "-debug")
	p.cmd.Env = clirun.Env(envList(env)...)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		defer close(p.done)
		// Bash form: "\tTF_REATTACH_PROVIDERS='{...}'" (single quotes escaped as '"'"').
		re := regexp.MustCompile(`^\s*TF_REATTACH_PROVIDERS='(.*)'$`)
		buf := make([]byte, 0, 4096)
		chunk := make([]byte, 4096)
		for {
			n, err := stdout.Read(chunk)
			buf = append(buf, chunk[:n]...)
			for {
				line, rest, ok := bytes.Cut(buf, []byte("\n"))
				if !ok {
					break
				}
				if m := re.FindSubmatch(line); m != nil {
					found <- strings.ReplaceAll(string(m[1]), `'"'"'`, `'`)
				}
				buf = rest
			}
			if err != nil {
				_ = p.cmd.Wait()
				return
			}
		}
	}()
	t.Cleanup(func() { p.Stop() })
	select {
	case p.Reattach = <-found:
	case <-p.done:
		t.Fatalf("the provider exited before printing its reattach configuration:\n%s", p.stderr.String())
	case <-time.After(time.Minute):
		t.Fatalf("the provider printed no reattach configuration within a minute:\n%s", p.stderr.String())
	}
	return p
}

// Stop interrupts the provider, waits for it to exit and returns everything
// it wrote to standard error. Calling it again returns the same.
func (p *DebugProvider) Stop() string {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	return p.stderr.String()
}

// syncBuffer is a bytes.Buffer that a process writes while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
