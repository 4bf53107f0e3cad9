package cloudlx

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(msg, fields))
}

func TestLogsEachAttemptWithoutSecrets(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	log := &captureLogger{}
	c := f.client(t, func(c *Config) { c.Logger = log })
	if _, err := c.GetCustomer(context.Background(), 915); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(log.lines, "\n")
	for _, want := range []string{"method:GET", "path:/api/customers/915", "attempt:1", "attempt:2", "status:503", "status:200", "duration_ms:", "path:/api/oauth2/access-token"} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
	for _, secret := range []string{"secret", "tok1", "Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("log leaks %q:\n%s", secret, all)
		}
	}
}

// logHook calls fn for every attempt the client logs.
type logHook func(fields map[string]any)

func (h logHook) Debug(_ context.Context, _ string, fields map[string]any) { h(fields) }
