package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server. The zero value is a well-behaved API with the default
// credentials.
type Options struct {
	// ClientID and ClientSecret are the accepted client credentials; empty means
	// "test-client-id" and "test-client-secret".
	ClientID, ClientSecret string
	// StaticTokens are access tokens accepted forever (the provider's access_token mode).
	StaticTokens []string
	// TokenLifetime is how long minted access tokens are valid (default 3600s). The token
	// response's expires_in is this rounded up to whole seconds (at least 1); the server
	// itself uses the exact duration, so a 50ms lifetime gives 401s after 50ms.
	TokenLifetime time.Duration
	// Latency is added to every request before it is handled.
	Latency time.Duration
	// DisableDelete makes DELETE /api/customers/{id} answer 405, as an API without a
	// DELETE endpoint would (the documented API has none).
	DisableDelete bool
	// PageSize > 0 makes the list endpoints paginate: ?page (1-based) and ?max_per_page
	// are honoured, but a page never holds more than PageSize items, and the response
	// says "paginates": true. 0 answers everything on one page with "paginates": false.
	PageSize int
	// OmitRealmIDsOnCreate leaves "id" out of realms[] in the POST response, as the docs'
	// own create example does.
	OmitRealmIDsOnCreate bool
	// Quirks answers like another valid implementation would: realms and sub_realms in a
	// different order in every response, extra fields in objects that clients must
	// ignore, and token_type "client_credentials" (the vendor SDK's fixture value).
	Quirks bool
	// StatePath, if set, is a JSON file the store is loaded from (when it exists) and
	// saved to, atomically, after every write.
	StatePath string
	// RateLimit > 0 throttles non-token requests with a token bucket of this many requests
	// per second (burst RateBurst); excess requests get 429 and Retry-After.
	RateLimit float64
	// RateBurst is how many requests the bucket holds when full: how many may come at
	// once after a quiet spell. 0 means max(1, RateLimit).
	RateBurst float64
	// FailureRate (0..1) is the share of non-token requests answered 500, 502 or 503
	// before they are processed.
	FailureRate float64
	// DropRate (0..1) is the share of non-token requests whose connection is closed with
	// no response before they are processed.
	DropRate float64
	// FaultRoutes, when set, limits FailureRate and DropRate to requests whose Route is
	// listed (e.g. "GET /api/customers/{id}"). A client must not resend a create that
	// failed ambiguously, so a run that must end with every customer created keeps those
	// faults away from "POST /api/customers" and throttles it (RateLimit) or injects
	// 503s (InjectFault) instead. RateLimit and InjectFault ignore FaultRoutes.
	FaultRoutes []string
	// Seed seeds the random faults and quirks; 0 picks a time-based seed.
	Seed int64

	// ImplicitRealms are realm ids every create and every PATCH adds to the customer's
	// realms, as an API that puts every customer in realm 1 ("Default") would (the docs
	// leave it open). They are stored: later reads return them too.
	ImplicitRealms []int64
	// ExtraCurrencies and ExtraCountries are codes accepted besides the current codes
	// of the provider's table (internal/iso), as the real service would accept a code
	// ISO assigned after the table's date.
	ExtraCurrencies, ExtraCountries []string
	// GatewayNotFoundRoutes lists routes (e.g. "GET /api/customers/{id}") that a reverse
	// proxy in front of the API answers with its own HTML 404 page, before the API sees
	// them: an answer that says nothing about the customer.
	GatewayNotFoundRoutes []string
	// EchoRequests makes every error answer (4xx and 5xx) echo the request, as some
	// gateways and debug-mode servers do: a JSON error's message ends with the request's
	// method, path, headers (Authorization included) and body (a token request's form
	// with its client_secret), and an HTML page (GatewayNotFoundRoutes) shows them in a
	// <pre>. A client must mask its secrets in whatever it shows of an error body.
	EchoRequests bool
	// ListIgnoresPage makes the list endpoints answer the first page whatever ?page
	// asks for, while still saying "paginates": true and the full num_results (so, with
	// PageSize, more than a page returns): a server or cache that drops the query
	// string. A client that pages until it has num_results items never stops.
	ListIgnoresPage bool

	// The variants below play the other answers the docs leave open (API reference
	// section 9), so that cloudlx-probe and the provider can be tested against each.

	// IgnoreMaxPerPage, with PageSize, answers every page with PageSize items whatever
	// ?max_per_page asks: a server that paginates but does not honour the page size.
	IgnoreMaxPerPage bool
	// PatchMergesArrays makes PATCH add the ids in realms, shown_sub_realms and
	// enabled_sub_realms to the stored lists instead of replacing them.
	PatchMergesArrays bool
	// PatchRequiresAll makes PATCH a full update: a body without name, currency_iso,
	// country_iso and realms is refused with 422, naming each missing field.
	PatchRequiresAll bool
	// PatchSubRealmsTogether makes PATCH validate the two sub-realm lists as a pair:
	// a body with shown_sub_realms or enabled_sub_realms but not the other is refused
	// with 422 on the missing one (Laravel's required_with), whatever the stored lists.
	PatchSubRealmsTogether bool
	// LockedFields lists the PATCH fields ("currency_iso", "country_iso") that cannot
	// change after creation: a PATCH that changes one is refused with 422 on that field.
	LockedFields []string
	// TokenFormOnly makes the token endpoint read its parameters from a form or the
	// query string only: a JSON body reads as no parameters (422, each one required).
	TokenFormOnly bool
	// Redirect answers requests with a 3xx to another place instead of handling
	// them (see Redirect); a client must not follow it with its credentials.
	Redirect Redirect
	// PartialAnswers sends customers that lack fields (see PartialAnswers).
	PartialAnswers PartialAnswers

	// RealmsPath and SubRealmsPath serve the catalogues elsewhere than the inferred
	// /api/realms and /api/sub-realms (e.g. "/api/sub_realms"); NoPath serves none.
	RealmsPath, SubRealmsPath string
}

// NoPath, as Options.RealmsPath or SubRealmsPath, serves no such catalogue.
const NoPath = "-"

// Default catalogue paths, as inferred from the docs.
const (
	DefaultRealmsPath    = "/api/realms"
	DefaultSubRealmsPath = "/api/sub-realms"
)

// Defaults for empty Options fields.
const (
	DefaultClientID      = "test-client-id"
	DefaultClientSecret  = "test-client-secret"
	DefaultTokenLifetime = 3600 * time.Second
)

// MediaType is the Accept value every request must carry.
const MediaType = "application/vnd.cloudlx.v1+json"

// maxBody caps request bodies; the API's bodies are a few hundred bytes.
const maxBody = 1 << 20

// Server is the emulated API. Create it with New or Open.
type Server struct {
	// live is the configuration in force: Options and what is derived from them.
	// SetOptions swaps it whole, so a request sees one consistent configuration.
	live   atomic.Pointer[liveConfig]
	optsMu sync.Mutex // serialises SetOptions
	store  *store
	tokens *tokenStore

	rngMu sync.Mutex
	rng   *rand.Rand

	logMu  sync.Mutex
	log    []*Request
	counts map[string]int

	faultMu sync.Mutex
	faults  map[string][]*pendingFault

	holds holds // HoldUntil's barriers
}

// New returns a Server for opts. It panics if Options.StatePath names a file that exists
// but cannot be loaded; use Open to get that as an error instead.
func New(opts Options) *Server {
	s, err := Open(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// Open is New, returning an error when the state file cannot be loaded.
func Open(opts Options) (*Server, error) {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = DefaultTokenLifetime
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	st, err := openStore(opts.StatePath)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:  st,
		tokens: newTokenStore(opts.TokenLifetime, opts.StaticTokens),
		rng:    rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		counts: map[string]int{},
		faults: map[string][]*pendingFault{},
	}
	s.live.Store(newLiveConfig(opts, nil))
	return s, nil
}

// liveConfig is one configuration of the server: the options and what is built
// from them once (the routes, the rate limiter).
type liveConfig struct {
	opts    Options
	paths   []*pathDef
	limiter *bucket // nil without RateLimit
}

func newLiveConfig(opts Options, prev *liveConfig) *liveConfig {
	c := &liveConfig{opts: opts, paths: routes(opts)}
	switch {
	case opts.RateLimit <= 0:
	case prev != nil && prev.limiter != nil && prev.opts.RateLimit == opts.RateLimit && prev.opts.RateBurst == opts.RateBurst:
		c.limiter = prev.limiter // keep the bucket's state across unrelated changes
	default:
		c.limiter = newBucket(opts.RateLimit, opts.RateBurst)
	}
	return c
}

// options is the configuration in force. Callers must not modify it.
func (s *Server) options() *Options { return &s.live.Load().opts }

// SetOptions changes the server's behaviour while it runs (a test or a soak switches
// faults and variants on and off between steps): change applies to a copy of the
// options in force, and requests that arrive afterwards see the result. The store,
// the request log and the tokens already issued are kept; ClientID, ClientSecret,
// StaticTokens, StatePath and Seed keep the values the server was opened with. A
// new TokenLifetime applies to tokens issued from then on.
func (s *Server) SetOptions(change func(*Options)) {
	s.optsMu.Lock()
	defer s.optsMu.Unlock()
	prev := s.live.Load()
	next := prev.opts
	next.FaultRoutes = slices.Clone(prev.opts.FaultRoutes)
	next.ImplicitRealms = slices.Clone(prev.opts.ImplicitRealms)
	next.GatewayNotFoundRoutes = slices.Clone(prev.opts.GatewayNotFoundRoutes)
	next.LockedFields = slices.Clone(prev.opts.LockedFields)
	next.Redirect.Routes = slices.Clone(prev.opts.Redirect.Routes)
	next.PartialAnswers.Omit = slices.Clone(prev.opts.PartialAnswers.Omit)
	next.PartialAnswers.Null = slices.Clone(prev.opts.PartialAnswers.Null)
	next.PartialAnswers.Routes = slices.Clone(prev.opts.PartialAnswers.Routes)
	change(&next)
	next.ClientID, next.ClientSecret = prev.opts.ClientID, prev.opts.ClientSecret
	next.StaticTokens, next.StatePath, next.Seed = prev.opts.StaticTokens, prev.opts.StatePath, prev.opts.Seed
	if next.TokenLifetime <= 0 {
		next.TokenLifetime = DefaultTokenLifetime
	}
	s.tokens.setLifetime(next.TokenLifetime)
	s.live.Store(newLiveConfig(next, prev))
}

// endpoint handles one method of one path, after the checks every request gets.
type endpoint func(s *Server, w http.ResponseWriter, r *http.Request, c *call)

// pathDef is one path of the API and the methods it answers.
type pathDef struct {
	template string // "/api/customers/{id}"; only a trailing {id} is supported
	token    bool   // OAuth2 endpoints: no bearer token, exempt from random faults and throttling
	methods  map[string]endpoint
}

func routes(opts Options) []*pathDef {
	item := map[string]endpoint{
		http.MethodGet:    (*Server).getCustomer,
		http.MethodPatch:  (*Server).patchCustomer,
		http.MethodDelete: (*Server).deleteCustomer,
	}
	if opts.DisableDelete {
		delete(item, http.MethodDelete)
	}
	paths := []*pathDef{
		{template: "/api/oauth2/access-token", token: true, methods: map[string]endpoint{http.MethodPost: (*Server).accessToken}},
		{template: "/api/oauth2/refresh-token", token: true, methods: map[string]endpoint{http.MethodPost: (*Server).refreshToken}},
		{template: "/api/customers", methods: map[string]endpoint{http.MethodGet: (*Server).listCustomers, http.MethodPost: (*Server).createCustomer}},
		{template: "/api/customers/{id}", methods: item},
	}
	if p := pathOr(opts.RealmsPath, DefaultRealmsPath); p != NoPath {
		paths = append(paths, &pathDef{template: p, methods: map[string]endpoint{http.MethodGet: (*Server).listRealms}})
	}
	if p := pathOr(opts.SubRealmsPath, DefaultSubRealmsPath); p != NoPath {
		paths = append(paths, &pathDef{template: p, methods: map[string]endpoint{http.MethodGet: (*Server).listSubRealms}})
	}
	return paths
}

func pathOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

// match finds the path definition for a URL path and the value of its {id}, if any.
func match(paths []*pathDef, path string) (*pathDef, string) {
	for _, d := range paths {
		if prefix, ok := strings.CutSuffix(d.template, "{id}"); ok {
			if rest, ok := strings.CutPrefix(path, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
				return d, rest
			}
		} else if path == d.template {
			return d, ""
		}
	}
	return nil, ""
}

// call is what ServeHTTP learns about a request before handling it.
type call struct {
	route    string   // "GET /api/customers/{id}", or "GET (unknown)"
	def      *pathDef // nil for an unknown path
	id       string   // the {id} path segment
	body     []byte
	tooLarge bool
	// authorizedBeforeHold: its token was valid when it reached a barrier
	// (HoldUntil), so waiting there cannot expire it.
	authorizedBeforeHold bool
}

func (c *call) token() bool { return c.def != nil && c.def.token }

// UnknownRoute is the Route of requests to a path the API does not have, after the
// method ("GET (unknown)"), so that stray paths do not each get a counter.
const UnknownRoute = "(unknown)"

// ServeHTTP answers one API request. The steps, in order: log the request; wait for
// Latency; answer a redirect (Redirect), as a proxy in front of the API would; answer an injected fault, if one is pending for the route, or the
// gateway's 404 (GatewayNotFoundRoutes); wait at the route's barrier, if one is
// armed (HoldUntil); for non-token routes, throttle (RateLimit), drop (DropRate) or
// fail (FailureRate); then handle it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	live := s.live.Load()
	o := &live.opts
	c := &call{}
	c.def, c.id = match(live.paths, r.URL.Path)
	if c.def != nil {
		c.route = r.Method + " " + c.def.template
	} else {
		c.route = r.Method + " " + UnknownRoute
	}
	// Read the body up front: the log needs it, and an AfterProcessing fault runs the
	// handler before the answer is chosen.
	if r.Body != nil {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		c.body, c.tooLarge = body, len(body) > maxBody
	}

	entry := s.logArrival(r, c)
	rec := &StatusRecorder{ResponseWriter: w}
	defer s.logDone(entry, rec)
	var rw http.ResponseWriter = rec
	if o.EchoRequests {
		echo := &echoWriter{ResponseWriter: rec, request: describeRequest(r, c.body)}
		defer echo.finish()
		rw = echo
	}

	if o.Latency > 0 && !sleep(r.Context(), o.Latency) {
		return // the client gave up; nobody is listening for an answer
	}
	if location, status, ok := o.redirectFor(c.route, r); ok {
		s.setFault(entry, FaultRedirected)
		redirect(rw, location, status)
		return
	}
	if f, ok := s.takeFault(c.route); ok {
		s.setFault(entry, FaultInjected)
		s.answerInjected(rw, r, c, f)
		return
	}
	if slices.Contains(o.GatewayNotFoundRoutes, c.route) {
		s.setFault(entry, FaultGatewayNotFound)
		gatewayNotFound(rw)
		return
	}
	if !s.holdAt(r, c) {
		return // the client gave up while held
	}
	if !c.token() {
		if ok, wait := live.limiter.allow(); !ok {
			s.setFault(entry, FaultThrottled)
			s.throttled(rw, wait)
			return
		}
		randomFaults := len(o.FaultRoutes) == 0 || slices.Contains(o.FaultRoutes, c.route)
		if randomFaults && s.chance(o.DropRate) {
			s.setFault(entry, FaultDropped)
			dropConnection(rw)
			return
		}
		if randomFaults && s.chance(o.FailureRate) {
			s.setFault(entry, FaultFailed)
			s.rngMu.Lock()
			status := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[s.rng.IntN(3)]
			s.rngMu.Unlock()
			writeError(rw, status, statusMessage(status), nil)
			return
		}
	}
	s.handle(rw, r, c)
}

// handle is the API proper: the checks every request gets, then the endpoint. The
// order follows a Laravel/Dingo stack: Accept header (version negotiation), routing
// (404/405), then the auth middleware of the matched route.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, c *call) {
	if !acceptsAPI(r.Header.Values("Accept")) {
		writeError(w, http.StatusNotAcceptable, "Not Acceptable: send Accept: "+MediaType+".", nil)
		return
	}
	if c.def == nil {
		writeError(w, http.StatusNotFound, "404 Not Found", nil)
		return
	}
	h, ok := c.def.methods[r.Method]
	if !ok {
		allowed := make([]string, 0, len(c.def.methods))
		for m := range c.def.methods {
			allowed = append(allowed, m)
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, "405 Method Not Allowed", nil)
		return
	}
	if c.tooLarge {
		writeError(w, http.StatusRequestEntityTooLarge, "413 Request Entity Too Large", nil)
		return
	}
	if !c.def.token && !c.authorizedBeforeHold && !s.tokens.valid(bearerToken(r)) {
		writeError(w, http.StatusUnauthorized, "Unauthenticated.", nil)
		return
	}
	h(s, w, r, c)
}

// acceptsAPI reports whether one of the Accept headers lists the API's media type
// (parameters such as q= are ignored). Wildcards do not count: the real API uses the
// header to pick its version.
func acceptsAPI(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err == nil && mt == MediaType {
				return true
			}
		}
	}
	return false
}

// apiError is the Dingo error body.
type apiError struct {
	Message    string              `json:"message"`
	StatusCode int                 `json:"status_code"`
	Errors     map[string][]string `json:"errors,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg string, fields map[string][]string) {
	writeJSON(w, status, apiError{Message: msg, StatusCode: status, Errors: fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "Cloud SBC & Conversion", not "\u0026"
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"message":"encoding failed","status_code":500}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// statusMessage is the Dingo-style message for a fault's status.
func statusMessage(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Unauthenticated."
	case http.StatusTooManyRequests:
		return "Too Many Attempts."
	case http.StatusInternalServerError:
		return "Server Error"
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

// chance reports true with probability p, from the seeded source.
func (s *Server) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return s.rng.Float64() < p
}

func (s *Server) shuffle(n int, swap func(i, j int)) {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	s.rng.Shuffle(n, swap)
}

// sleep waits for d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// StatusRecorder is a ResponseWriter that remembers the status answered, for
// the request log here and the cloudlx-emulator program's access log. Status
// stays 0 when nothing was answered: the connection was dropped.
type StatusRecorder struct {
	http.ResponseWriter
	Status int
}

func (r *StatusRecorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection to hijack it
// (DropRate, Fault.Drop).
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// discard is a ResponseWriter for AfterProcessing faults: the work is done, the answer
// is thrown away.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}
