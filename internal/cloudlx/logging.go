package cloudlx

import (
	"context"
	"net/http"
	"time"
)

// Logger receives one line per HTTP attempt. The fields never hold headers,
// bodies or credentials.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// loggingTransport logs every attempt: method, path, status, attempt number and
// duration. It never logs headers or bodies, so tokens and secrets cannot leak.
// It only logs: nothing else depends on it (the attempt record is
// attemptRecorder's), and New leaves it out when there is no Logger.
type loggingTransport struct {
	next http.RoundTripper
	log  Logger
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attempt := 1
	if rec := attemptRecordOf(req.Context()); rec != nil {
		attempt = rec.count() // this attempt's number, counted by attemptRecorder
	}
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"attempt":     attempt,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
	} else {
		fields["status"] = resp.StatusCode
	}
	t.log.Debug(req.Context(), "CloudLX API request", fields)
	return resp, err
}
