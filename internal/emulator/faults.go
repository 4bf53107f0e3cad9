package emulator

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Values of Request.Fault.
const (
	FaultThrottled = "throttled" // RateLimit answered 429
	FaultFailed    = "failed"    // FailureRate answered 500/502/503
	FaultDropped   = "dropped"   // DropRate closed the connection
	FaultInjected  = "injected"  // an InjectFault fault answered (whatever it was)
	// FaultGatewayNotFound: a GatewayNotFoundRoutes route answered by the "proxy".
	FaultGatewayNotFound = "gateway-not-found"
)

// gatewayPage is what a reverse proxy (nginx here) answers for a path it cannot route:
// a 404 that is HTML, not the API's JSON, and about no customer.
const gatewayPage = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func gatewayNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(gatewayPage))
}

// Fault is a failure InjectFault will answer with.
type Fault struct {
	// Status is the HTTP status to answer (500 when 0); ignored when Drop.
	Status int
	// RetryAfter, when non-empty, is sent as the Retry-After header.
	RetryAfter string
	// Drop closes the connection without a response.
	Drop bool
	// AfterProcessing handles the request for real first (the customer IS created or
	// changed), then answers Status or drops: the ambiguous case a client cannot tell
	// from a failure before processing.
	AfterProcessing bool
}

type pendingFault struct {
	f    Fault
	left int
}

// InjectFault makes the next `times` requests whose Route equals route (for example
// "POST /api/customers") answer with f instead of their normal answer. Faults injected
// for the same route queue up in order. times <= 0 removes the faults pending for route.
func (s *Server) InjectFault(route string, f Fault, times int) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if times <= 0 {
		delete(s.faults, route)
		return
	}
	s.faults[route] = append(s.faults[route], &pendingFault{f: f, left: times})
}

func (s *Server) takeFault(route string) (Fault, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	q := s.faults[route]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].f
	if q[0].left--; q[0].left == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(s.faults, route)
	} else {
		s.faults[route] = q
	}
	return f, true
}

func (s *Server) answerInjected(w http.ResponseWriter, r *http.Request, c *call, f Fault) {
	if f.AfterProcessing {
		s.handle(&discard{}, r, c)
	}
	if f.Drop {
		dropConnection(w)
		return
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, status, statusMessage(status), nil)
}

// dropConnection closes the client's connection without writing anything, as a proxy
// or a crashing server would. Where the connection cannot be hijacked (HTTP/2, or a
// wrapper that hides it), ErrAbortHandler makes net/http abort the response instead.
//
// Note for tests: Go's http.Transport transparently retries a replayable request (GET,
// or any request with GetBody and an idempotency key) once when a reused keep-alive
// connection is closed like this, so a dropped GET can reach the server twice.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// throttled answers 429 the way Laravel's throttle middleware does.
func (s *Server) throttled(w http.ResponseWriter, wait time.Duration) {
	secs := max(1, int64(math.Ceil(wait.Seconds())))
	h := w.Header()
	h.Set("Retry-After", strconv.FormatInt(secs, 10))
	h.Set("X-RateLimit-Limit", strconv.Itoa(int(math.Ceil(s.options().RateLimit))))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Duration(secs)*time.Second).Unix(), 10))
	writeError(w, http.StatusTooManyRequests, statusMessage(http.StatusTooManyRequests), nil)
}

// bucket is a token bucket: it holds up to burst tokens, refills at rate per second,
// and each request takes one.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time // time.Now; a test's clock in this package's tests
}

func newBucket(rate, burst float64) *bucket {
	if burst <= 0 {
		burst = max(1, rate)
	}
	return &bucket{rate: rate, burst: burst, tokens: burst, last: time.Now(), now: time.Now}
}

// allow takes a token if there is one; otherwise it says how long until there will be.
// A nil bucket (no RateLimit) always allows.
func (b *bucket) allow() (bool, time.Duration) {
	if b == nil {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}
