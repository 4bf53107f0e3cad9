package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// apiLogger forwards the client's per-request lines to tflog at DEBUG. The
// client never passes headers or bodies; masking the secrets here as well means
// a future log line cannot leak them by accident.
type apiLogger struct {
	secrets []string
}

func newAPILogger(secrets ...string) *apiLogger {
	l := &apiLogger{}
	for _, s := range secrets {
		if s != "" {
			l.secrets = append(l.secrets, s)
		}
	}
	return l
}

func (l *apiLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	if len(l.secrets) > 0 {
		ctx = tflog.MaskMessageStrings(ctx, l.secrets...)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, l.secrets...)
	}
	tflog.Debug(ctx, msg, fields)
}
