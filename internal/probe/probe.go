// Package probe asks a CloudLX endpoint the questions its public docs leave open
// (API reference, section 9) and reports, for each, the answer observed, the
// evidence (method, path, status and the relevant part of the answer, secrets
// masked) and what the provider does with that answer.
//
// It sends its requests raw (cloudlx.Client.Raw), because the typed calls hide
// exactly what it must see: which token encodings work, the list's paging
// fields, the status and body of an error. It reuses the client's endpoint
// checks, headers, transport, retries and redactor.
//
// Read-only unless Config.Write: then it creates one customer, answers the write
// questions on it and deletes it again where the API allows.
package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// Config is what Run needs. Client carries the endpoint, the transport and the
// redactor; the credentials are given again because the token questions send
// them in encodings of their own.
type Config struct {
	Client                 *cloudlx.Client
	ClientID, ClientSecret string // the token questions; empty with AccessToken
	AccessToken            string

	// Write answers the write questions on one customer created for them.
	Write bool
	// CustomerName names that customer; default "cloudlx-probe-<random>".
	CustomerName string
	// Realms and SubRealms are the ids the customer is created with; empty means
	// picked from the catalogues.
	Realms, SubRealms []int64
	// AdminEmail, when set, is sent with the create as the customer's first
	// portal user (the docs' example sends one; whether it is required is open).
	AdminEmail string

	// Progress receives a line when something happens that the user must know
	// before the report (the customer created); nil discards them.
	Progress io.Writer
}

// Failure is an error that stops the probe before it could answer: the
// endpoint cannot be reached, or no request authenticates.
type Failure struct {
	Kind string // "unreachable" or "unauthenticated"
	Msg  string
}

func (f *Failure) Error() string { return f.Msg }

// Run asks the questions and returns the report. An error (a *Failure) means it
// could not answer at all.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	p := &prober{cfg: cfg, red: cfg.Client.Redactor(), rep: &Report{red: cfg.Client.Redactor()}, progress: cfg.Progress}
	if p.progress == nil {
		p.progress = io.Discard
	}
	if err := p.token(ctx); err != nil {
		return nil, err
	}
	if err := p.list(ctx); err != nil {
		return nil, err
	}
	p.notFound(ctx)
	p.catalogues(ctx)
	p.rateLimits()
	if cfg.Write {
		p.write(ctx)
	}
	return p.rep, nil
}

// Candidate catalogue paths, the inferred ones first.
var (
	RealmsPaths    = []string{"/api/realms", "/api/realm", "/api/reselling/realms"}
	SubRealmsPaths = []string{"/api/sub-realms", "/api/sub_realms", "/api/subrealms", "/api/sub-realm", "/api/reselling/sub-realms"}
)

// The provider's fixed paths and list keys (internal/cloudlx).
const (
	providerRealmsPath    = "/api/realms"
	providerSubRealmsPath = "/api/sub-realms"
	tokenPath             = "/api/oauth2/access-token"
	customersPath         = "/api/customers"
)

type prober struct {
	cfg      Config
	red      *cloudlx.Redactor
	rep      *Report
	progress io.Writer
	bearer   string

	answers []exchange // every answer, for the rate-limit headers
	// from the list question
	customerIDs []int64
	// from the catalogues
	realms, subRealms []catalogueItem
}

type exchange struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
	err          error
}

type catalogueItem struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (p *prober) add(f Finding) { p.rep.Findings = append(p.rep.Findings, f) }

// send is one raw request. A transport failure is kept in the exchange (and
// redacted); the caller decides whether it is fatal.
func (p *prober) send(ctx context.Context, method, path string, body []byte, contentType string, auth, create bool) exchange {
	req := cloudlx.RawRequest{Method: method, Path: path, Body: body, ContentType: contentType, Create: create}
	if auth {
		req.Token = p.bearer
	}
	resp, err := p.cfg.Client.Raw(ctx, req)
	ex := exchange{method: method, path: path, status: resp.Status, header: resp.Header, body: resp.Body, err: err}
	if err == nil {
		p.answers = append(p.answers, ex)
	}
	return ex
}

func (p *prober) sendJSON(ctx context.Context, method, path string, v any, create bool) exchange {
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v) // maps of strings and ids always encode
	}
	return p.send(ctx, method, path, body, "application/json", true, create)
}

// evidence describes an exchange; excerpt is the relevant part of its answer.
func (p *prober) evidence(ex exchange, note, excerpt string) Evidence {
	e := Evidence{Method: ex.method, Path: ex.path, Note: note, Status: ex.status}
	if ex.err != nil {
		excerpt = "no answer: " + ex.err.Error()
	}
	e.Excerpt = p.red.Redact(truncate(excerpt, 400))
	return e
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func ok(ex exchange) bool { return ex.err == nil && ex.status/100 == 2 }

// --- token ---

func (p *prober) token(ctx context.Context) error {
	if p.cfg.AccessToken != "" {
		p.bearer = p.cfg.AccessToken
		p.add(Finding{
			Question: "Token response (token_type, expires_in, refresh token) and encodings",
			Answer:   "not asked: an access token was configured, so no token was requested",
			Provider: "with access_token the provider sends that token as is and cannot renew it; configure client_id and client_secret to answer this question",
		})
		return nil
	}
	params := map[string]string{"grant_type": "client_credentials", "client_id": p.cfg.ClientID, "client_secret": p.cfg.ClientSecret}
	jsonBody, _ := json.Marshal(params)
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	jsonEx := p.send(ctx, http.MethodPost, tokenPath, jsonBody, "application/json", false, false)
	if jsonEx.err != nil {
		return &Failure{Kind: "unreachable", Msg: "cannot reach the endpoint: " + p.red.Redact(jsonEx.err.Error())}
	}
	jsonTok := p.readToken(jsonEx)
	formEx := p.send(ctx, http.MethodPost, tokenPath, []byte(form.Encode()), "application/x-www-form-urlencoded", false, false)
	formTok := p.readToken(formEx)

	a := &p.rep.Answers.Token
	a.JSONAccepted, a.FormAccepted = new(jsonTok != nil), new(formTok != nil)
	if formEx.err != nil {
		a.FormAccepted = nil
	}
	evidence := []Evidence{
		p.evidence(jsonEx, "JSON body", bodyExcerpt(jsonEx.body)),
		p.evidence(formEx, "form body", bodyExcerpt(formEx.body)),
	}
	tok := jsonTok
	if tok == nil {
		tok = formTok
	}
	if tok == nil {
		msg := fmt.Sprintf("cannot authenticate: the token endpoint answered %d to a JSON body and %s to a form body: %s",
			jsonEx.status, statusText(formEx), p.red.Redact(truncate(string(jsonEx.body), 300)))
		if jsonEx.status == http.StatusUnauthorized || formEx.status == http.StatusUnauthorized {
			msg += " (check client_id and client_secret)"
		}
		return &Failure{Kind: "unauthenticated", Msg: msg}
	}
	p.bearer = tok.access
	a.TokenType = tok.tokenType
	a.ExpiresIn = tok.expiresIn

	var enc, provider string
	switch {
	case jsonTok != nil && formTok != nil:
		enc, provider = "JSON and form bodies both accepted", "the provider sends JSON: one token request per provider process"
	case jsonTok != nil:
		enc, provider = "JSON accepted; a form body was refused ("+statusText(formEx)+")", "the provider sends JSON: one token request per provider process"
	default:
		enc = "form only; a JSON body was refused (" + statusText(jsonEx) + ")"
		if s := jsonEx.status; s == 400 || s == 415 || s == 422 {
			provider = "the provider sends JSON first and, on this refusal, the same parameters as a form: two token requests per provider process"
		} else {
			provider = fmt.Sprintf("the provider falls back to a form only on 400, 415 or 422; this %d fails authentication: report this", jsonEx.status)
		}
	}
	p.add(Finding{Question: "Token request encodings", Answer: enc, Evidence: evidence, Provider: provider})

	tt := "absent"
	if tok.tokenType != nil {
		tt = strconv.Quote(*tok.tokenType)
	}
	exp := "absent"
	if tok.expiresIn != nil {
		exp = fmt.Sprintf("%d s", *tok.expiresIn)
	}
	refresh := "no refresh_token"
	if tok.refresh {
		refresh = "a refresh_token"
	}
	expProvider := "expires_in is read: the token is renewed shortly before it expires (a minute early, a tenth of its life when short)"
	if tok.expiresIn == nil {
		expProvider = "without expires_in the provider assumes the documented hour"
	}
	p.add(Finding{
		Question: "Token response",
		Answer:   fmt.Sprintf("token_type %s, expires_in %s, %s", tt, exp, refresh),
		Evidence: evidence[:1],
		Provider: "token_type is ignored (Bearer is always sent); " + expProvider +
			"; a refresh token is never used (a new client-credentials token is as cheap), only masked wherever it could be echoed",
	})
	return nil
}

type tokenAnswer struct {
	access    string
	tokenType *string
	expiresIn *int64
	refresh   bool
}

// readToken decodes a token answer, and makes its tokens known secrets first,
// before anything can print them.
func (p *prober) readToken(ex exchange) *tokenAnswer {
	if ex.err != nil {
		return nil
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(ex.body, &doc) != nil {
		return nil
	}
	var access, refresh string
	_ = json.Unmarshal(doc["access_token"], &access)
	_ = json.Unmarshal(doc["refresh_token"], &refresh)
	p.red.Add(access)
	p.red.Add(refresh)
	if ex.status/100 != 2 || access == "" {
		return nil
	}
	t := &tokenAnswer{access: access, refresh: refresh != ""}
	var tt string
	if json.Unmarshal(doc["token_type"], &tt) == nil {
		t.tokenType = &tt
	}
	if raw := strings.Trim(string(doc["expires_in"]), `" `); raw != "" {
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			t.expiresIn = new(int64(f))
		}
	}
	return t
}

func statusText(ex exchange) string {
	if ex.err != nil {
		return "no answer"
	}
	return strconv.Itoa(ex.status)
}

// --- customer list ---

type listPage struct {
	ok         bool
	items      []json.RawMessage
	hasItems   bool
	paginates  *bool
	numResults *int
}

func readList(ex exchange, key string) listPage {
	var lp listPage
	if !ok(ex) {
		return lp
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(ex.body, &doc) != nil {
		return lp
	}
	lp.ok = true
	if raw, found := doc[key]; found && json.Unmarshal(raw, &lp.items) == nil {
		lp.hasItems = true
	}
	var b bool
	if json.Unmarshal(doc["paginates"], &b) == nil {
		lp.paginates = &b
	}
	var n int
	if json.Unmarshal(doc["num_results"], &n) == nil {
		lp.numResults = &n
	}
	return lp
}

func (p *prober) list(ctx context.Context) error {
	first := p.send(ctx, http.MethodGet, customersPath, nil, "", true, false)
	switch {
	case first.err != nil:
		return &Failure{Kind: "unreachable", Msg: "cannot reach the endpoint: " + p.red.Redact(first.err.Error())}
	case first.status == http.StatusUnauthorized:
		return &Failure{Kind: "unauthenticated", Msg: "cannot authenticate: GET /api/customers answered 401 with the token: " +
			p.red.Redact(truncate(string(first.body), 300))}
	}
	all := readList(first, "customers")
	for _, raw := range all.items {
		var c struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(raw, &c) == nil {
			p.customerIDs = append(p.customerIDs, c.ID)
		}
	}
	evidence := []Evidence{p.evidence(first, "", bodyExcerpt(first.body))}
	if !all.hasItems {
		p.add(Finding{
			Question: "Customer list pagination",
			Answer:   "the list did not answer with a \"customers\" list",
			Evidence: evidence,
			Provider: "the provider reads the \"customers\" list of GET /api/customers: cloudlx_customers and the check behind a 404 fail here: report this",
		})
		return nil
	}
	one := p.send(ctx, http.MethodGet, customersPath+"?max_per_page=1&page=1", nil, "", true, false)
	onePage := readList(one, "customers")
	evidence = append(evidence, p.evidence(one, "", bodyExcerpt(one.body)))
	n := len(all.items)

	a := &p.rep.Answers.List
	var pageTwo listPage
	if onePage.hasItems && n >= 2 {
		a.PageSizeHonoured = new(len(onePage.items) == 1)
		if len(onePage.items) == 1 {
			two := p.send(ctx, http.MethodGet, customersPath+"?max_per_page=1&page=2", nil, "", true, false)
			pageTwo = readList(two, "customers")
			evidence = append(evidence, p.evidence(two, "", bodyExcerpt(two.body)))
		}
	}
	split := (all.numResults != nil && n < *all.numResults) ||
		(pageTwo.hasItems && len(pageTwo.items) == 1 && string(pageTwo.items[0]) != string(onePage.items[0]))
	switch {
	case split || isTrue(all.paginates) || isTrue(onePage.paginates):
		a.Paginates = new(true)
	case all.paginates != nil || (a.PageSizeHonoured != nil && !*a.PageSizeHonoured):
		a.Paginates = new(false)
	}

	answer := fmt.Sprintf("%d customers on the first answer", n)
	if all.numResults != nil {
		answer += fmt.Sprintf(", num_results %d", *all.numResults)
	}
	if all.paginates != nil {
		answer += fmt.Sprintf(", \"paginates\": %t", *all.paginates)
	} else {
		answer += ", no \"paginates\" field"
	}
	switch {
	case a.PageSizeHonoured == nil:
		answer += "; max_per_page not tested (fewer than two customers)"
	case *a.PageSizeHonoured:
		answer += "; max_per_page=1 is honoured"
	default:
		answer += fmt.Sprintf("; max_per_page=1 answered %d customers (not honoured)", len(onePage.items))
	}
	var provider string
	switch {
	case a.Paginates == nil:
		provider = "the provider asks for pages of 200 and follows \"paginates\": true; with this few customers it makes no difference yet"
	case !*a.Paginates:
		provider = "one list request holds every customer: cloudlx_customers and the not-found check cost one request"
	case isTrue(all.paginates) || isTrue(onePage.paginates):
		provider = "the provider asks for pages of 200 and follows pages while \"paginates\" is true, until a short or empty page or num_results customers"
		if a.PageSizeHonoured != nil && !*a.PageSizeHonoured {
			provider += "; it never relies on max_per_page being honoured"
		}
	default:
		provider = "the list is split into pages but does not say \"paginates\": true, so the provider reads only the first page: report this"
	}
	p.add(Finding{Question: "Customer list pagination", Answer: answer, Evidence: evidence, Provider: provider})
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// --- not found ---

func (p *prober) notFound(ctx context.Context) {
	id := int64(2147480000)
	for slices.Contains(p.customerIDs, id) {
		id++
	}
	path := customersPath + "/" + strconv.FormatInt(id, 10)
	ex := p.send(ctx, http.MethodGet, path, nil, "", true, false)
	a := &p.rep.Answers.NotFound
	f := Finding{Question: "GET of a customer id that does not exist", Evidence: []Evidence{p.evidence(ex, "", string(ex.body))}}
	if ex.err != nil {
		f.Answer = "no answer"
		f.Provider = "Read treats a failed request as an error and keeps the customer in state"
		p.add(f)
		return
	}
	a.Status = new(ex.status)
	isJSON := json.Valid(ex.body) && len(strings.TrimSpace(string(ex.body))) > 0
	a.JSONBody = new(isJSON)
	shape := "a body that is not JSON (" + ex.header.Get("Content-Type") + ")"
	if isJSON {
		var doc map[string]json.RawMessage
		if json.Unmarshal(ex.body, &doc) == nil {
			shape = "a JSON object with " + strings.Join(slices.Sorted(maps.Keys(doc)), ", ")
		} else {
			shape = "JSON that is not an object"
		}
	}
	f.Answer = fmt.Sprintf("%d with %s", ex.status, shape)
	switch ex.status {
	case http.StatusNotFound:
		f.Provider = "a 404 on Read removes the customer from state only after a customer list that answered 200 confirms the id is gone; the message is shown in diagnostics"
	default:
		f.Provider = fmt.Sprintf("a %d is not a 404: Read reports it as an error and nothing leaves state, so a customer deleted outside Terraform needs `terraform state rm`: report this", ex.status)
	}
	p.add(f)
}

// --- catalogues ---

func (p *prober) catalogues(ctx context.Context) {
	a := &p.rep.Answers.Catalogues
	a.RealmsPath, p.realms = p.findCatalogue(ctx, "Realm catalogue path", RealmsPaths, "realms", providerRealmsPath, "cloudlx_realms")
	a.SubRealmsPath, p.subRealms = p.findCatalogue(ctx, "Sub-realm catalogue path", SubRealmsPaths, "sub_realms", providerSubRealmsPath, "cloudlx_sub_realms")
}

// findCatalogue asks each candidate path in turn until one answers a list.
func (p *prober) findCatalogue(ctx context.Context, question string, paths []string, key, providerPath, dataSource string) (*string, []catalogueItem) {
	f := Finding{Question: question}
	for _, path := range paths {
		ex := p.send(ctx, http.MethodGet, path, nil, "", true, false)
		f.Evidence = append(f.Evidence, p.evidence(ex, "", bodyExcerpt(ex.body)))
		listKey, items := catalogueList(ex, key)
		if listKey == "" {
			continue
		}
		f.Answer = fmt.Sprintf("%s answers %d items under %q", path, len(items), listKey)
		switch {
		case path == providerPath && listKey == key:
			f.Provider = fmt.Sprintf("%s reads %s: it works as it is", dataSource, path)
		default:
			f.Provider = fmt.Sprintf("%s reads %q from %s, which this API does not serve that way: the data source fails; use ids from the portal and report this", dataSource, key, providerPath)
		}
		p.add(f)
		return new(path), items
	}
	f.Answer = "none of " + strings.Join(paths, ", ") + " answered a list"
	f.Provider = fmt.Sprintf("%s fails with the API's answer; write ids from the portal in configs and report this", dataSource)
	p.add(f)
	return nil, nil
}

// catalogueList finds the list in a catalogue answer: under key, under any other
// key that holds a list of objects with ids, or a bare list.
func catalogueList(ex exchange, key string) (string, []catalogueItem) {
	if !ok(ex) {
		return "", nil
	}
	var items []catalogueItem
	if json.Unmarshal(ex.body, &items) == nil {
		return "(a bare list)", items
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(ex.body, &doc) != nil {
		return "", nil
	}
	if json.Unmarshal(doc[key], &items) == nil && doc[key] != nil {
		return key, items
	}
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		if json.Unmarshal(doc[k], &items) == nil && len(items) > 0 && items[0].ID != 0 {
			return k, items
		}
	}
	return "", nil
}

// --- rate limits ---

var rateHeaders = []string{"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "RateLimit"}

func (p *prober) rateLimits() {
	f := Finding{Question: "Rate limits"}
	for _, ex := range p.answers {
		var seen []string
		for _, h := range rateHeaders {
			if v := ex.header.Get(h); v != "" {
				seen = append(seen, h+": "+v)
			}
		}
		if len(seen) > 0 {
			f.Answer = "headers seen: " + strings.Join(seen, ", ")
			f.Evidence = []Evidence{p.evidence(ex, "", strings.Join(seen, "; "))}
			break
		}
	}
	if f.Answer == "" {
		f.Answer = fmt.Sprintf("no rate-limit header in %d answers", len(p.answers))
	}
	f.Provider = "on a 429 the provider waits as Retry-After or X-RateLimit-Reset says (at most 2 minutes each time), with jittered backoff, until the operation's timeout; it reads no other rate-limit header"
	p.add(f)
}

// bodyExcerpt shows the shape of a JSON answer without the account's data:
// lists become their length, objects their keys; scalars are kept. Anything
// else is shown as is (redacted by the caller).
func bodyExcerpt(body []byte) string {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return string(body)
	}
	parts := make([]string, 0, len(doc))
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		raw := strings.TrimSpace(string(doc[k]))
		var list []json.RawMessage
		switch {
		case json.Unmarshal(doc[k], &list) == nil && strings.HasPrefix(raw, "["):
			raw = fmt.Sprintf("[%d items]", len(list))
		case strings.HasPrefix(raw, "{"):
			raw = "{…}"
		}
		parts = append(parts, strconv.Quote(k)+": "+raw)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// randomSuffix is 8 hex characters for names that must not collide.
func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// IsFailure reports whether err is a *Failure of kind.
func IsFailure(err error, kind string) bool {
	var f *Failure
	return errors.As(err, &f) && f.Kind == kind
}
