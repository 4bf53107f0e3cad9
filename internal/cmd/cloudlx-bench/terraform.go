package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clirun"
)

// workspace is a Terraform working directory wired to one emulator, using
// the provider binary in providerDir through dev_overrides (no registry, no init).
type workspace struct {
	dir       string
	terraform string
	env       []string
}

// providerDir holds the terraform-provider-cloudlx Terraform starts; emu is
// nil for a provider that talks to no API. extraEnv is added as is.
func newWorkspace(dir string, o options, providerDir string, emu *emulatorProc, extraEnv []string) (*workspace, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	if err := clirun.WriteConfig(cliConfig, providerDir); err != nil {
		return nil, err
	}
	// Nothing from the caller's Terraform or provider setup may change what is measured.
	env := clirun.Env("TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	if emu != nil {
		env = append(env, "CLOUDLX_ENDPOINT="+emu.url, "CLOUDLX_CLIENT_ID="+emu.clientID, "CLOUDLX_CLIENT_SECRET="+emu.clientSecret)
	}
	env = append(env, extraEnv...)
	return &workspace{dir: dir, terraform: o.terraform, env: env}, nil
}

// Values the generated customers cycle through, so requests are not all alike.
var (
	places = [][2]string{{"EUR", "DE"}, {"GBP", "GB"}, {"USD", "US"}, {"EUR", "FR"}, {"CHF", "CH"}}
	realms = []string{"[2]", "[2, 7]", "[1, 2, 7]"}
)

// writeConfig writes main.tf with n customers whose names end in suffix.
func (w *workspace) writeConfig(n int, suffix string, threshold int) error {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

# Endpoint and credentials come from CLOUDLX_* environment variables.
provider "cloudlx" {
`)
	if threshold >= 0 {
		fmt.Fprintf(&b, "  bulk_refresh_threshold = %d\n", threshold)
	}
	b.WriteString("}\n")
	for i := range n {
		place := places[i%len(places)]
		fmt.Fprintf(&b, `
resource "cloudlx_customer" "c%04d" {
  name               = "Bench customer %d%s"
  currency_iso       = %q
  country_iso        = %q
  realms             = %s
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]
  admin_user = {
    email      = "admin-%d@bench.example"
    first_name = "Bench"
    last_name  = "Admin %d"
  }
}
`, i, i, suffix, place[0], place[1], realms[i%len(realms)], i, i)
	}
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(b.String()), 0o644)
}

// run runs terraform with args and returns its wall time, its exit code and
// the CPU seconds of the process tree it ran (Terraform and the provider
// processes it started and waited for, as wait4 reports them). Its output
// goes to a log file, shown when the command fails.
func (w *workspace) run(ctx context.Context, logName string, env []string, args ...string) (time.Duration, int, float64, error) {
	logPath := filepath.Join(w.dir, logName+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, 0, 0, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, w.terraform, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.dir, append(slices.Clone(w.env), env...), logFile, logFile
	// Interrupted, Terraform stops its provider processes itself; killed, it
	// would leave them running.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var cpu float64
	if cmd.ProcessState != nil {
		cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return wall, exitErr.ExitCode(), cpu, nil
	}
	return wall, 0, cpu, err
}

// tail returns the last lines of a workspace log, for error messages.
func (w *workspace) tail(logName string, lines int) string {
	b, _ := os.ReadFile(filepath.Join(w.dir, logName+".log"))
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
