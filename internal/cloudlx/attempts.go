package cloudlx

// The attempt record: what happened to each attempt of one request. It is
// what create safety rests on (was an attempt on the wire when the request was
// cut off, or did one fail after sending? then a create "may have been
// created") and what tells an endpoint that never answers (NoAnswerError).
// Its own transport keeps it, apart from logging, so that no change to the
// logging can lose it.

import (
	"context"
	"errors"
	"net/http"
	"sync"
)

// attemptRecord follows the attempts of one request: how many were sent, and
// how the last one ended. attemptRecorder marks each attempt leaving and
// ending; checkRetry records how it ended. Attempts of one request never
// overlap.
type attemptRecord struct {
	mu       sync.Mutex
	n        int
	failures int   // retryable failures other than throttling
	lastErr  error // nil: the last attempt got an answer (or none was sent)
	open     bool  // an attempt is on the wire
	silent   int   // attempts that connected and timed out with no answer
	other    bool  // an attempt got an answer, or failed in another way
}

// outcome records how a finished attempt ended (checkRetry sees each one).
func (a *attemptRecord) outcome(resp *http.Response, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var timeout interface{ Timeout() bool }
	switch {
	case resp == nil && err != nil && errors.As(err, &timeout) && timeout.Timeout() && !neverSent(err):
		a.silent++
	case err != nil && errors.Is(err, context.Canceled), err != nil && errors.Is(err, context.DeadlineExceeded):
		// the operation ended during the attempt: not the endpoint's doing
	default:
		a.other = true
	}
}

// noAnswer reports whether the request connected and never got an answer:
// at least one attempt timed out that way, and none ended otherwise.
func (a *attemptRecord) noAnswer() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.silent > 0 && !a.other
}

func (a *attemptRecord) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

func (a *attemptRecord) start() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	a.open = true
}

// failure counts one more retryable failure and returns the count.
func (a *attemptRecord) failure() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failures++
	return a.failures
}

func (a *attemptRecord) end(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.open, a.lastErr = false, err
}

// interruptedInFlight reports whether the request was cut off while an attempt
// may have been reaching the server, rather than while waiting to retry after
// an answer (or before anything was sent).
func (a *attemptRecord) interruptedInFlight() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.open || (a.lastErr != nil && !neverSent(a.lastErr))
}

// The record travels in the request's context: retryablehttp hands its hooks
// (CheckRetry, the transport) the request or its context and nothing else.
// send puts a fresh record there for each request; attemptRecorder,
// checkRetry and the logging transport read it back.

// withAttemptRecord returns ctx carrying a fresh record for one request.
func withAttemptRecord(ctx context.Context) (context.Context, *attemptRecord) {
	rec := &attemptRecord{}
	return context.WithValue(ctx, attemptKey, rec), rec
}

// attemptRecordOf returns the record of the request ctx belongs to, or nil
// for a context that did not come through send.
func attemptRecordOf(ctx context.Context) *attemptRecord {
	rec, _ := ctx.Value(attemptKey).(*attemptRecord)
	return rec
}

// attemptRecorder is the transport that keeps the attempt record: it marks
// each attempt on the wire while it runs, and how it ended. Create safety
// depends on it (see interruptedInFlight), so every client has it, with or
// without a logger.
type attemptRecorder struct {
	next http.RoundTripper
}

func (t *attemptRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := attemptRecordOf(req.Context())
	if rec == nil {
		return t.next.RoundTrip(req)
	}
	rec.start()
	resp, err := t.next.RoundTrip(req)
	rec.end(err)
	return resp, err
}
