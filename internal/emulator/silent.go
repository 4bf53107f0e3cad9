package emulator

import (
	"errors"
	"io"
	"net"
	"sync"
)

// Silent is an endpoint that accepts connections and never answers: what arrives
// is read and thrown away, and each connection stays open until the client gives
// up or Close is called. It stands for a firewall or proxy that holds
// connections, or a server that hangs; a client must time out and say so.
type Silent struct {
	ln       net.Listener
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	accepted int
	closed   bool
	done     chan struct{}
}

// NewSilent accepts on ln, in the background, until Close.
func NewSilent(ln net.Listener) *Silent {
	s := &Silent{ln: ln, conns: map[net.Conn]struct{}{}, done: make(chan struct{})}
	go s.serve()
	return s
}

// ListenSilent is NewSilent on a free loopback port.
func ListenSilent() (*Silent, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return NewSilent(ln), nil
}

// URL is the endpoint's base URL, http://host:port.
func (s *Silent) URL() string { return "http://" + s.ln.Addr().String() }

// Accepted is how many connections were accepted so far: with one connection per
// attempt (a timed-out attempt's connection is closed by the client), the number
// of attempts a client made.
func (s *Silent) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Close stops accepting and closes every connection held.
func (s *Silent) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	<-s.done
	return err
}

func (s *Silent) serve() {
	defer close(s.done)
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = conn.Close()
			return
		}
		s.accepted++
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		go func() {
			_, _ = io.Copy(io.Discard, conn) // until the client closes it
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
			_ = conn.Close()
		}()
	}
}
