package provider

import (
	"bytes"
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"
)

func TestUnreadLogSettings(t *testing.T) {
	off := map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER_CLOUDLX": "off"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"nothing set", nil, off},
		{"TF_LOG off", map[string]string{"TF_LOG": "OFF"}, off},
		{"Terraform's own log only", map[string]string{"TF_LOG_CORE": "trace", "TF_LOG_PATH_X": "x"}, off},
		{"blank", map[string]string{"TF_LOG": " "}, off},
		{"TF_LOG", map[string]string{"TF_LOG": "trace"}, nil},
		{"TF_LOG=json", map[string]string{"TF_LOG": "json"}, nil},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "debug"}, nil},
		{"this provider's level", map[string]string{"TF_LOG_PROVIDER_CLOUDLX": "debug"}, nil},
		{"an SDK level", map[string]string{"TF_LOG_SDK_FRAMEWORK": "trace"}, nil},
		{"a log file", map[string]string{"TF_LOG_PATH": "terraform.log"}, nil},
		{"an acceptance test log", map[string]string{"TF_ACC_LOG_PATH": "acc.log"}, nil},
		{"per-test logs", map[string]string{"TF_LOG_PATH_MASK": "%s.log"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unreadLogSettings(func(name string) string { return tc.env[name] })
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// formatCounter counts how often a logger turns it into text.
type formatCounter struct{ n *int }

func (c formatCounter) String() string { *c.n++; return "formatted" }
func (c formatCounter) MarshalJSON() ([]byte, error) {
	*c.n++
	return []byte(`"formatted"`), nil
}

// TestDisableUnreadLogs_frameworkTraceNotFormatted sets up the framework's
// logger the way the framework does for each RPC (its level read from the
// environment as the RPC starts) and logs a framework trace line
// with a field that counts its formatting: after DisableUnreadLogs, with
// nothing asked for, the line is neither written nor formatted; with
// TF_LOG=trace it is both.
func TestDisableUnreadLogs_frameworkTraceNotFormatted(t *testing.T) {
	for _, tc := range []struct {
		tfLog       string
		wantWritten bool
	}{{"", false}, {"trace", true}} {
		t.Run("TF_LOG="+tc.tfLog, func(t *testing.T) {
			for _, name := range append(append([]string(nil), logRequests...), loggerLevelVars...) {
				t.Setenv(name, "")
			}
			t.Setenv("TF_LOG", tc.tfLog)
			if err := DisableUnreadLogs(); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			ctx := tfsdklogtest.RootLogger(context.Background(), &out)
			ctx = tfsdklog.NewSubsystem(ctx, "framework", tfsdklog.WithLevelFromEnv("TF_LOG_SDK_FRAMEWORK"), tfsdklog.WithRootFields())
			formatted := 0
			tfsdklog.SubsystemTrace(ctx, "framework", "Calling provider defined Resource Read", map[string]any{"field": formatCounter{&formatted}})
			written := strings.Contains(out.String(), "Calling provider defined Resource Read")
			if written != tc.wantWritten || (formatted > 0) != tc.wantWritten {
				t.Errorf("written %v and formatted %d times, want written %v (output %q)", written, formatted, tc.wantWritten, out.String())
			}
		})
	}
}
