package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// TestAccLogs_onlyWhenAsked runs the provider binary in debug mode, so that
// its own standard error can be read (a provider Terraform starts writes its
// log lines to Terraform only), and applies and plans one customer through it.
// Without any log setting the process writes no SDK or provider log line: not
// the framework's or the protocol's trace lines, not the provider's own. With
// TF_LOG=trace it writes all of them, as before logs were turned off when
// unread.
func TestAccLogs_onlyWhenAsked(t *testing.T) {
	requireAcc(t)
	cli := clitest.Terraform(t)
	for _, tfLog := range []string{"", "trace"} {
		t.Run("TF_LOG="+tfLog, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{ClientID: "logs-client", ClientSecret: "logs-secret"})

			provider := clitest.StartDebugProvider(t, map[string]string{"TF_LOG": tfLog})
			wd := clitest.NewWorkdir(t, cli, map[string]string{"TF_REATTACH_PROVIDERS": provider.Reattach})
			wd.WriteFile("main.tf", cliProviderBlock(fmt.Sprintf(`  endpoint      = %q
  client_id     = "logs-client"
  client_secret = "logs-secret"`, env.url))+`
resource "cloudlx_customer" "test" {
  name         = "Log Readers"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2]
}
`)
			wd.MustRun("apply", "-auto-approve", "-no-color")
			wd.MustRun("plan", "-detailed-exitcode", "-no-color")
			stderr := provider.Stop()
			if n := len(env.emu.Requests()); n < 3 {
				t.Fatalf("the emulator saw %d requests; the commands did not go through the debug provider", n)
			}

			// go-plugin's few lines about the connection itself carry no
			// @module; every SDK, framework and provider line does.
			modules := map[string]int{}
			apiLines := 0
			for _, l := range logLines(stderr) {
				if module, ok := l["@module"].(string); ok {
					modules[module]++
				}
				if l["@message"] == "CloudLX API request" && l["@level"] == "debug" {
					apiLines++
				}
			}
			if tfLog == "" {
				if len(modules) > 0 {
					t.Errorf("without TF_LOG the provider wrote log lines (by module %v), want none:\n%s", modules, stderr)
				}
				return
			}
			for _, module := range []string{"sdk.framework", "sdk.proto"} {
				if modules[module] == 0 {
					t.Errorf("with TF_LOG=trace, no %s lines; lines by module: %v", module, modules)
				}
			}
			if !strings.Contains(stderr, "Calling provider defined Resource ModifyPlan") {
				t.Errorf("with TF_LOG=trace, no framework trace line for ModifyPlan")
			}
			if apiLines < 3 {
				t.Errorf("with TF_LOG=trace, %d DEBUG lines for API requests, want one per request (at least 3)", apiLines)
			}
		})
	}
}

// logLines decodes the JSON log lines in a provider's standard error.
func logLines(stderr string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(stderr, "\n") {
		var fields map[string]any
		if json.Unmarshal([]byte(line), &fields) == nil && fields["@message"] != nil {
			out = append(out, fields)
		}
	}
	return out
}
