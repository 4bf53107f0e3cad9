package provider

import (
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
)

// Some behaviour can only be seen from outside terraform-plugin-testing: what
// lands in TF_LOG files and plan output, -parallelism (terraform-exec always
// passes -parallelism=10 itself, overriding TF_CLI_ARGS_apply), and how the
// provider stops when Terraform is interrupted. Those tests build the provider
// binary and drive the Terraform CLI the way a user does, with a dev_overrides
// CLI configuration, against an emulator on loopback in this process.

// newCLIRun is a working directory in which the test runs the Terraform CLI
// that terraform-plugin-testing uses, with the provider built from this module
// (see internal/clitest). env is added to every command's environment.
func newCLIRun(t *testing.T, env map[string]string) *clitest.Workdir {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to drive the Terraform CLI")
	}
	return clitest.NewWorkdir(t, clitest.Terraform(t), env)
}

// stateIDs returns the ids of the cloudlx_customer instances in the local state.
func stateIDs(t *testing.T, w *clitest.Workdir) []string {
	t.Helper()
	raw := []byte(w.ReadFile("terraform.tfstate"))
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
		t.Fatal(err)
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

// elapsed runs f and returns how long it took.
func elapsed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
