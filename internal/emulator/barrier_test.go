package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// waitFor waits until cond holds. It is an event, not a delay: the generous
// deadline only turns a hang into a failure that names what never happened.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func (h *Hold) heldNow() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}

// getInBackground sends GET /api/customers in the background and delivers its status
// (0 for a transport error, such as a cancelled request).
func (e *env) getInBackground(ctx context.Context) <-chan int {
	done := make(chan int, 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/api/customers", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", MediaType)
	req.Header.Set("Authorization", "Bearer "+e.token)
	go func() {
		resp, err := e.client.Do(req)
		if err != nil {
			done <- 0
			return
		}
		_ = resp.Body.Close()
		done <- resp.StatusCode
	}()
	return done
}

// stillHeld fails the test if the request has been answered.
func stillHeld(t *testing.T, ch <-chan int) {
	t.Helper()
	select {
	case status := <-ch:
		t.Fatalf("answered %d while it should be held", status)
	default:
	}
}

func TestBarrier(t *testing.T) {
	t.Parallel()

	t.Run("holds requests until N wait at once, then lets all go", func(t *testing.T) {
		e := startAuthed(t, Options{})
		h := e.s.HoldUntil(Barrier{Route: "GET /api/customers", N: 3})
		first, second := e.getInBackground(context.Background()), e.getInBackground(context.Background())
		waitFor(t, "two requests held", func() bool { return h.heldNow() == 2 })
		stillHeld(t, first)
		stillHeld(t, second)
		if h.Opened() || h.Err() == nil {
			t.Fatalf("opened with 2 of 3 held: %v", h.Err())
		}
		// Other routes are not held.
		e.do("GET", "/api/realms", nil).must(t, 200)

		third := e.getInBackground(context.Background())
		for i, ch := range []<-chan int{first, second, third} {
			if status := <-ch; status != 200 {
				t.Errorf("request %d answered %d", i+1, status)
			}
		}
		if err := h.Err(); err != nil || !h.Opened() {
			t.Fatalf("Err() = %v", err)
		}
		if !strings.Contains(h.String(), "3 GET /api/customers requests in flight at once") {
			t.Errorf("String() = %q", h.String())
		}
		// Opened once: later requests pass.
		e.do("GET", "/api/customers", nil).must(t, 200)
		if n := len(e.s.Requests()); n != 5 {
			t.Errorf("%d requests logged, want 5", n)
		}
	})

	t.Run("timeout lets the held requests go and says how far it got", func(t *testing.T) {
		e := startAuthed(t, Options{})
		h := e.s.HoldUntil(Barrier{Route: "GET /api/customers", N: 2, Timeout: 10 * time.Millisecond})
		e.do("GET", "/api/customers", nil).must(t, 200)
		err := h.Err()
		if err == nil || h.Opened() || !strings.Contains(err.Error(), "at most 1 GET /api/customers requests were in flight at once") {
			t.Fatalf("Err() = %v", err)
		}
	})

	t.Run("a client that gives up stops counting", func(t *testing.T) {
		e := startAuthed(t, Options{})
		h := e.s.HoldUntil(Barrier{Route: "GET /api/customers", N: 2})
		ctx, cancel := context.WithCancel(context.Background())
		gaveUp := e.getInBackground(ctx)
		waitFor(t, "one request held", func() bool { return h.heldNow() == 1 })
		cancel()
		if status := <-gaveUp; status != 0 {
			t.Fatalf("a cancelled request answered %d", status)
		}
		waitFor(t, "the cancelled request to leave the barrier", func() bool { return h.heldNow() == 0 })
		one := e.getInBackground(context.Background())
		waitFor(t, "one request held", func() bool { return h.heldNow() == 1 })
		stillHeld(t, one)
		two := e.getInBackground(context.Background())
		if <-one != 200 || <-two != 200 {
			t.Fatal("the two requests were not answered 200")
		}
		if err := h.Err(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("the token is checked on arrival; OnOpen runs before any held request goes on", func(t *testing.T) {
		e := startAuthed(t, Options{})
		var answeredAtOpen int
		h := e.s.HoldUntil(Barrier{Route: "GET /api/customers", N: 2, OnOpen: func() {
			for _, r := range e.s.Requests() {
				if r.Status != 0 {
					answeredAtOpen++
				}
			}
			e.s.RevokeTokens()
		}})
		first := e.getInBackground(context.Background())
		waitFor(t, "one request held", func() bool { return h.heldNow() == 1 })
		second := e.getInBackground(context.Background())
		// Both held requests were authorized on arrival: the revocation at the
		// opening does not turn them into 401s; the next request meets it.
		if a, b := <-first, <-second; a != 200 || b != 200 {
			t.Fatalf("held requests answered %d and %d, want 200", a, b)
		}
		if answeredAtOpen != 0 {
			t.Errorf("%d requests answered before OnOpen ran", answeredAtOpen)
		}
		e.do("GET", "/api/customers", nil).must(t, 401)
	})

	t.Run("a request answered by an injected fault is not held", func(t *testing.T) {
		e := startAuthed(t, Options{})
		h := e.s.HoldUntil(Barrier{Route: "GET /api/customers", N: 2})
		e.s.InjectFault("GET /api/customers", Fault{Status: 503}, 1)
		e.do("GET", "/api/customers", nil).must(t, 503)
		if err := h.Err(); err == nil || !strings.Contains(err.Error(), "no GET /api/customers request reached the barrier") {
			t.Fatalf("Err() = %v", err)
		}
	})
}
