package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveProvider()
	os.Exit(code)
}

// fakeCLI writes a shell script that answers `version` like Terraform and
// otherwise prints its arguments, its environment and the CLI configuration,
// then exits with the code in $FAKE_EXIT.
func fakeCLI(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "terraform")
	script := `#!/bin/sh
if [ "$1" = version ]; then echo "Terraform v1.11.4"; echo "on linux_amd64"; exit 0; fi
echo "args: $*"
env | sort
cat "$TF_CLI_CONFIG_FILE"
echo "to stderr" >&2
exit "${FAKE_EXIT:-0}"
`
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFindCLIIdentifiesTheCLI(t *testing.T) {
	t.Setenv("CLITEST_FAKE_PATH", fakeCLI(t))
	cli := FindCLI(t, "CLITEST_FAKE_PATH")
	if cli.Product != "Terraform" || cli.Version != "1.11.4" || cli.String() != "Terraform v1.11.4" {
		t.Errorf("got %+v", cli)
	}
	for version, want := range map[string]bool{"1.7": true, "1.11.4": true, "1.11.5": false, "1.12": false, "2": false, "1": true} {
		if got := cli.AtLeast(version); got != want {
			t.Errorf("AtLeast(%q) = %v, want %v", version, got, want)
		}
	}
}

func TestFindCLISkipsWithoutACandidate(t *testing.T) {
	t.Setenv("CLITEST_UNSET_PATH", "")
	skipped := true
	t.Run("find", func(t *testing.T) {
		FindCLI(t, "CLITEST_UNSET_PATH", filepath.Join(t.TempDir(), "no-such-cli"))
		skipped = false
	})
	if !skipped {
		t.Error("FindCLI returned without a CLI instead of skipping")
	}
}

func TestWorkdirRunsTheCLIWithItsOwnEnvironment(t *testing.T) {
	// The caller's Terraform and provider settings must not reach the CLI.
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_CLI_ARGS", "-lock=false")
	t.Setenv("CLOUDLX_ACCESS_TOKEN", "from-the-developer-shell")
	t.Setenv("CLITEST_FAKE_PATH", fakeCLI(t))
	wd := NewWorkdir(t, FindCLI(t, "CLITEST_FAKE_PATH"), map[string]string{"CLOUDLX_ENDPOINT": "http://127.0.0.1:1"})
	wd.WriteFile("main.tf", "# empty\n")
	if got := wd.ReadFile("main.tf"); got != "# empty\n" {
		t.Errorf("ReadFile: %q", got)
	}

	res := wd.MustRun("plan", "-no-color")
	for _, want := range []string{
		"args: plan -no-color",
		"CLOUDLX_ENDPOINT=http://127.0.0.1:1",
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		`"registry.terraform.io/cloudlx-community/cloudlx" = "` + ProviderDir(t) + `"`,
		`"registry.opentofu.org/cloudlx-community/cloudlx" = "` + ProviderDir(t) + `"`,
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.Stdout)
		}
	}
	for _, unwanted := range []string{"TF_LOG", "TF_CLI_ARGS", "CLOUDLX_ACCESS_TOKEN"} {
		if strings.Contains(res.Stdout, unwanted) {
			t.Errorf("the caller's %s reached the CLI:\n%s", unwanted, res.Stdout)
		}
	}
	if res.Stderr != "to stderr\n" || res.ExitCode != 0 || res.Duration <= 0 {
		t.Errorf("result: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(ProviderDir(t), "terraform-provider-cloudlx")); err != nil {
		t.Errorf("the provider was not built: %v", err)
	}

	wd.SetEnv("FAKE_EXIT", "2")
	if res := wd.Run("plan", "-detailed-exitcode"); res.ExitCode != 2 {
		t.Errorf("exit code %d, want 2", res.ExitCode)
	}
	wd.SetEnv("FAKE_EXIT", "")
	if res := wd.Run("plan"); res.ExitCode != 0 || strings.Contains(res.Stdout, "FAKE_EXIT") {
		t.Errorf("SetEnv with an empty value left FAKE_EXIT set: %s", res)
	}
}
