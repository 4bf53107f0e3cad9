package emulator

import (
	"maps"
	"net"
	"net/http"
)

// AdminPrefix is where AdminHandler's routes live, outside the API's /api.
const AdminPrefix = "/_emulator/"

// AdminHandler returns the emulator's own routes, for scripts and benchmarks:
//
//	GET  /_emulator/health       200 {"status": "ok"}
//	GET  /_emulator/stats        {"counts": {route: n}, "total": n}
//	POST /_emulator/reset-stats  clears the request log and counters (204)
//	GET  /_emulator/requests     the request log (Requests) as JSON
//	POST /_emulator/token        {"access_token": ...}: a valid token without the OAuth2 dance
//
// They need no token, are not logged as API requests, and answer 403 to any client that
// is not on a loopback address. Mount it beside the API:
//
//	mux := http.NewServeMux()
//	mux.Handle(emulator.AdminPrefix, s.AdminHandler())
//	mux.Handle("/", s)
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_emulator/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, _ *http.Request) {
		s.logMu.Lock()
		counts := maps.Clone(s.counts)
		total := len(s.log)
		s.logMu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"counts": counts, "total": total})
	})
	mux.HandleFunc("POST /_emulator/reset-stats", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/requests", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"requests": s.Requests()})
	})
	mux.HandleFunc("POST /_emulator/token", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"access_token": s.IssueToken()})
	})
	return loopbackOnly(mux)
}

// loopbackOnly refuses clients that are not on this machine: the admin routes hand out
// tokens and need none themselves.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		if err != nil || ip == nil || !ip.IsLoopback() {
			writeError(w, http.StatusForbidden, "The emulator's admin routes only answer loopback clients.", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}
