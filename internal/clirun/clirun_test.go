package clirun

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeCLI is a shell script that answers `version` like OpenTofu and otherwise
// prints its environment to stdout, "err" to stderr, and exits with $FAKE_EXIT.
func fakeCLI(t *testing.T) CLI {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tofu")
	script := "#!/bin/sh\nif [ \"$1\" = version ]; then echo 'OpenTofu v1.12.6-rc1'; exit 0; fi\nenv\necho err >&2\nexit \"${FAKE_EXIT:-0}\"\n"
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := Identify(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIdentifyAndAtLeast(t *testing.T) {
	c := fakeCLI(t)
	if c.Product != "OpenTofu" || c.Version != "1.12.6-rc1" || c.String() != "OpenTofu v1.12.6-rc1" {
		t.Errorf("got %+v", c)
	}
	if !c.AtLeast("1.12") || !c.AtLeast("1.12.6") || c.AtLeast("1.12.7") || c.AtLeast("1.13") {
		t.Errorf("AtLeast is wrong for %s", c)
	}
	if _, err := Identify("/bin/true"); err == nil || !strings.Contains(err.Error(), "no Terraform or OpenTofu version") {
		t.Errorf("Identify(/bin/true): %v", err)
	}
}

func TestRunDropsTheCallersSettingsAndReportsTheExitCode(t *testing.T) {
	t.Setenv("TF_LOG", "trace")
	t.Setenv("CLOUDLX_CLIENT_SECRET", "from-the-shell")
	t.Setenv("CHECKPOINT_TIMEOUT", "1")
	c := fakeCLI(t)
	dir := t.TempDir()
	res, err := Run(Command(context.Background(), c, dir, []string{"FAKE_EXIT=3", "TF_IN_AUTOMATION=1"}, "plan", "-no-color"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || res.Stderr != "err\n" || !slices.Equal(res.Args, []string{"tofu", "plan", "-no-color"}) {
		t.Errorf("result: %s", res)
	}
	for _, unwanted := range []string{"TF_LOG=", "CLOUDLX_CLIENT_SECRET=", "CHECKPOINT_TIMEOUT="} {
		if strings.Contains(res.Stdout, unwanted) {
			t.Errorf("the caller's %s reached the CLI", unwanted)
		}
	}
	if !strings.Contains(res.Stdout, "TF_IN_AUTOMATION=1") || !strings.Contains(res.Stdout, "PWD="+dir) {
		t.Errorf("the CLI's environment lacks what the caller set, or ran elsewhere:\n%s", res.Stdout)
	}
	if res.Combined() != res.Stdout+res.Stderr {
		t.Error("Combined is not stdout then stderr")
	}
	if _, err := Run(Command(context.Background(), CLI{Path: filepath.Join(dir, "missing")}, dir, nil)); err == nil {
		t.Error("Run of a missing CLI gave no error")
	}
}

func TestConfigServesBothRegistriesSpellings(t *testing.T) {
	got := Config("/p")
	for _, want := range []string{
		`"registry.terraform.io/cloudlx-community/cloudlx" = "/p"`,
		`"registry.opentofu.org/cloudlx-community/cloudlx" = "/p"`,
		"direct {}", "disable_checkpoint = true",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("config lacks %q:\n%s", want, got)
		}
	}
}
