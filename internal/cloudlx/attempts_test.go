package cloudlx

// The tests of the attempt record (attempts.go). They fail when the record
// stops being kept, so they are what guards create safety against a change
// to the transports: without attemptRecorder, a create cut off on the wire
// reads as certain to have failed.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// An endpoint that accepts the connection and never answers: the error says
// how many attempts were made, how long each could take, and what that means.
func TestNoAnswerSaysAttemptsAndRequestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() { _, _ = io.Copy(io.Discard, conn) }() // held open, never answered
		}
	}()
	defer ln.Close()
	c, err := New(Config{Endpoint: "http://" + ln.Addr().String(), AccessToken: "static-token", MaxRetries: 2,
		RequestTimeout: 200 * time.Millisecond, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCustomer(context.Background(), 915)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || noAnswer.Attempts != 3 || noAnswer.PerAttempt != 200*time.Millisecond {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{"GET http://" + ln.Addr().String() + "/api/customers/915", "no answer after 3 attempts of up to 200ms each (request_timeout)",
		"accepted the connection but did not answer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if accepted.Load() != 3 {
		t.Errorf("%d connections accepted, want one per attempt (3)", accepted.Load())
	}

	// The operation's own deadline ending during an attempt says the same.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, _ = New(Config{Endpoint: "http://" + ln.Addr().String(), AccessToken: "static-token", MaxRetries: 5,
		RequestTimeout: time.Minute, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err = c.GetCustomer(ctx, 915)
	if !errors.As(err, &noAnswer) || noAnswer.Attempts != 1 || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "no answer after 1 attempt of up to 1m0s each") {
		t.Fatalf("err = %v", err)
	}
}

// Each case interrupts the create on an event (the server has the POST; the
// client has logged the 429), never on a timer that a slow machine could
// let fire before the create got there.
func TestInterruptedCreate(t *testing.T) {
	t.Run("while the POST is on the wire: it may have been processed", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			cancel()             // the client gives up while the server is still working
			<-r.Context().Done() // and the server notices
		})
		_, err := f.client(t).CreateCustomer(ctx, CustomerCreate{Name: "Acme"})
		if !IsUncertain(err) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want an uncertain outcome", err)
		}
	})
	t.Run("while waiting to retry a 429: nothing was processed", func(t *testing.T) {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Cancelled once the client has the 429: it logs each attempt after
		// its answer, then waits to retry.
		answered := logHook(func(fields map[string]any) {
			if fields["path"] == "/api/customers" && fields["status"] == http.StatusTooManyRequests {
				cancel()
			}
		})
		start := time.Now()
		_, err := f.client(t, func(c *Config) { c.Logger = answered }).CreateCustomer(ctx, CustomerCreate{Name: "Acme"})
		// Waiting out the Retry-After would take 30 s; stopping takes two local
		// requests, so 5 s holds on a machine 10x slower.
		if MayHaveSucceeded(err) || !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
			t.Fatalf("err = %v after %s, want a prompt, certain failure", err, time.Since(start))
		}
		if f.calls.Load() != 1 {
			t.Fatalf("calls = %d", f.calls.Load())
		}
	})
}
