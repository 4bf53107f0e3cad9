package cloudlx

import (
	"context"
	"errors"
	"net/http"
	"sync"
)

// attemptLog follows the attempts of one request: how many were sent, and how
// the last one ended. Attempts of one request never overlap.
type attemptLog struct {
	mu       sync.Mutex
	n        int
	failures int   // retryable failures other than throttling
	lastErr  error // nil: the last attempt got an answer (or none was sent)
	open     bool  // an attempt is on the wire
	silent   int   // attempts that connected and timed out with no answer
	other    bool  // an attempt got an answer, or failed in another way
}

// outcome records how a finished attempt ended (checkRetry sees each one).
func (a *attemptLog) outcome(resp *http.Response, err error) {
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
func (a *attemptLog) noAnswer() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.silent > 0 && !a.other
}

func (a *attemptLog) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

func (a *attemptLog) start() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	a.open = true
	return a.n
}

// failure counts one more retryable failure and returns the count.
func (a *attemptLog) failure() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failures++
	return a.failures
}

func (a *attemptLog) end(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.open, a.lastErr = false, err
}

// interruptedInFlight reports whether the request was cut off while an attempt
// may have been reaching the server, rather than while waiting to retry after
// an answer (or before anything was sent).
func (a *attemptLog) interruptedInFlight() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.open || (a.lastErr != nil && !neverSent(a.lastErr))
}
