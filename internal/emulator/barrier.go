package emulator

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Barrier holds the requests on one route until N of them are held at once,
// then lets them all go on together. A test uses it to prove that a client
// really sends N requests at the same time (Terraform's -parallelism): the
// barrier opening is an event, so the proof does not depend on how fast the
// machine is, as a measured peak of concurrent requests would.
type Barrier struct {
	// Route is the route to hold, as in Request.Route ("PATCH /api/customers/{id}").
	Route string
	// N is how many requests must be held at once for the barrier to open.
	N int
	// Timeout, counted from the first request held, opens the barrier anyway
	// when fewer than N arrived in time, so a run that cannot prove the point
	// still ends; Hold.Err then says so. 0 means DefaultBarrierTimeout.
	Timeout time.Duration
	// OnOpen, if set, is called once when N requests are held, before any of
	// them goes on: something the test wants to happen at that moment (say,
	// RevokeTokens).
	OnOpen func()
}

// DefaultBarrierTimeout is a Barrier's Timeout when it has none: far longer
// than a client that sends N requests at once needs to get them there, and
// shorter than a client's usual request timeout (60s), so that held requests
// are not abandoned and sent again while they wait.
const DefaultBarrierTimeout = 30 * time.Second

// Hold is one armed Barrier; Err reports how it went.
type Hold struct {
	b Barrier

	mu       sync.Mutex
	held     int // requests waiting now
	peak     int // the most that waited at once
	first    time.Time
	filled   time.Duration // from the first held request to the Nth
	timer    *time.Timer
	timedOut bool
	open     chan struct{} // closed when the barrier opens, with N held or on timeout
}

// holds are the armed barriers of a Server, by route.
type holds struct {
	mu      sync.Mutex
	byRoute map[string]*Hold
}

// HoldUntil arms b: from now on, requests on b.Route wait after Latency, an
// injected fault and the gateway's 404 (requests those answer are not held),
// before throttling and everything else, until b.N of them wait at once. Then all go
// on, and so does every later request: a barrier opens once. Arming a route
// again replaces its barrier (the old one opens). A request whose client
// gives up while held is answered with nothing and stops counting.
//
// A held request's token is checked as it reaches the barrier, as a gateway
// that authenticates and then queues would: a token that expires while its
// request waits does not turn the request into a 401.
func (s *Server) HoldUntil(b Barrier) *Hold {
	if b.N < 1 {
		panic("emulator: a Barrier needs N >= 1")
	}
	if b.Timeout <= 0 {
		b.Timeout = DefaultBarrierTimeout
	}
	h := &Hold{b: b, open: make(chan struct{})}
	s.holds.mu.Lock()
	defer s.holds.mu.Unlock()
	if s.holds.byRoute == nil {
		s.holds.byRoute = map[string]*Hold{}
	}
	if old := s.holds.byRoute[b.Route]; old != nil {
		old.release(false)
	}
	s.holds.byRoute[b.Route] = h
	return h
}

// holdAt makes a request wait at its route's barrier, if one is armed and
// has not opened; its token is checked first (c.authorizedBeforeHold). It
// returns false when the client gave up while waiting.
func (s *Server) holdAt(r *http.Request, c *call) bool {
	s.holds.mu.Lock()
	h := s.holds.byRoute[c.route]
	s.holds.mu.Unlock()
	if h == nil || h.opened() {
		return true
	}
	c.authorizedBeforeHold = s.tokens.valid(bearerToken(r))
	return h.wait(r.Context())
}

func (h *Hold) opened() bool {
	select {
	case <-h.open:
		return true
	default:
		return false
	}
}

func (h *Hold) wait(ctx context.Context) bool {
	h.mu.Lock()
	if h.opened() {
		h.mu.Unlock()
		return true
	}
	h.held++
	h.peak = max(h.peak, h.held)
	if h.timer == nil {
		h.first = time.Now()
		h.timer = time.AfterFunc(h.b.Timeout, func() { h.release(true) })
	}
	if h.held >= h.b.N {
		h.filled = time.Since(h.first)
		h.timer.Stop()
		if h.b.OnOpen != nil {
			h.b.OnOpen()
		}
		close(h.open)
		h.mu.Unlock()
		return true
	}
	h.mu.Unlock()
	select {
	case <-h.open:
		return true
	case <-ctx.Done():
		h.mu.Lock()
		h.held--
		h.mu.Unlock()
		return false
	}
}

// release opens the barrier without N held.
func (h *Hold) release(timedOut bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.opened() {
		h.timedOut = timedOut
		close(h.open)
	}
}

// Opened reports whether N requests were held at once (and so released together).
func (h *Hold) Opened() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak >= h.b.N
}

// Err is nil when the barrier opened with N requests held at once, and
// otherwise says how far it got.
func (h *Hold) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.peak >= h.b.N:
		return nil
	case h.timer == nil:
		return fmt.Errorf("no %s request reached the barrier waiting for %d of them", h.b.Route, h.b.N)
	case h.timedOut:
		return fmt.Errorf("at most %d %s requests were in flight at once: the barrier waited %s after the first for %d of them",
			h.peak, h.b.Route, h.b.Timeout, h.b.N)
	default:
		return fmt.Errorf("at most %d of %d %s requests were in flight at once (the barrier has not opened)",
			h.peak, h.b.N, h.b.Route)
	}
}

// String describes the outcome for a test log.
func (h *Hold) String() string {
	if err := h.Err(); err != nil {
		return err.Error()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return fmt.Sprintf("%d %s requests in flight at once, %s after the first", h.b.N, h.b.Route, h.filled.Round(time.Millisecond))
}
