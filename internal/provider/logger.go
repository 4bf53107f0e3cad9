package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// apiLogger forwards the client's per-request lines to tflog at DEBUG. The
// client never passes headers or bodies, but an error string can hold what a
// server echoed: every message and string field goes through the redactor,
// which knows the client secret, the configured token and every token issued
// so far (tflog's own masks are fixed when the context is built, too early
// for tokens issued later).
type apiLogger struct {
	redactor *cloudlx.Redactor
}

func newAPILogger(r *cloudlx.Redactor) *apiLogger { return &apiLogger{redactor: r} }

func (l *apiLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, l.redactor.Redact(msg), l.redactFields(fields))
}

// Warn logs at WARN, redacted like Debug.
func (l *apiLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, l.redactor.Redact(msg), l.redactFields(fields))
}

func (l *apiLogger) redactFields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			out[k] = l.redactor.Redact(v)
		case error:
			out[k] = l.redactor.Redact(v.Error())
		default:
			out[k] = v
		}
	}
	return out
}
