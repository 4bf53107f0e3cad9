package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// env is an emulator on an httptest server plus a client for it.
type env struct {
	t      *testing.T
	s      *Server
	url    string
	client *http.Client
	token  string // sent as the bearer token when non-empty
}

func start(t *testing.T, opts Options) *env {
	t.Helper()
	s := New(opts)
	mux := http.NewServeMux()
	mux.Handle(AdminPrefix, s.AdminHandler())
	mux.Handle("/", s)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, url: ts.URL, client: ts.Client()}
}

// startAuthed is start plus a valid token (IssueToken: no request is logged).
func startAuthed(t *testing.T, opts Options) *env {
	t.Helper()
	e := start(t, opts)
	e.token = e.s.IssueToken()
	return e
}

type result struct {
	status int
	header http.Header
	body   []byte
	err    error // transport error (dropped connection)
}

// opt changes a request before it is sent.
type opt func(*http.Request)

func header(k, v string) opt { return func(r *http.Request) { r.Header.Set(k, v) } }
func noHeader(k string) opt  { return func(r *http.Request) { r.Header.Del(k) } }

// do sends a request with the API's Accept header and, if e.token is set, a bearer
// token. body is nil, a string sent as is, or a value sent as JSON.
func (e *env) do(method, path string, body any, opts ...opt) result {
	e.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", MediaType)
	req.Header.Set("User-Agent", "emulator-test/1.0")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// must checks the status and returns the decoded body.
func (r result) must(t *testing.T, status int) map[string]any {
	t.Helper()
	if r.err != nil {
		t.Fatalf("transport error: %v", r.err)
	}
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// exact checks status and that the body is exactly want (byte for byte, key order
// included, apart from surrounding space).
func (r result) exact(t *testing.T, status int, want string) {
	t.Helper()
	r.must(t, status)
	if got := strings.TrimSpace(string(r.body)); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

// acme is a valid create body.
func acme() map[string]any {
	return map[string]any{
		"name":               "Acme Ltd",
		"currency_iso":       "USD",
		"country_iso":        "US",
		"realms":             []int64{2, 1, 2},
		"shown_sub_realms":   []int64{328, 313},
		"enabled_sub_realms": []int64{313},
		"email":              "ops@acme.example",
		"first_name":         "Jane",
		"last_name":          "Doe",
		"role_group":         "Admin",
	}
}

// acmeJSON is the customer the API returns for acme() at id 1000.
const acmeJSON = `{"id":1000,"name":"Acme Ltd",` +
	`"currency":{"name":"USD - US Dollar","iso_2":"US","iso_3":"USD"},` +
	`"country":{"name":"United States","iso_2":"US"},` +
	`"realms":[{"id":1,"name":"Default","description":"Default"},{"id":2,"name":"Networking","description":"Cloud Link Exchange"}],` +
	`"sub_realms":[{"id":313,"name":"SD WAN","description":null,"has_access":true},` +
	`{"id":328,"name":"Cloud SBC & Conversion","description":null,"has_access":false}]}`

func with(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == del {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// del as a value in with() removes the key.
var del = &struct{}{}

func mustCreate(t *testing.T, s *Server, name string) Customer {
	t.Helper()
	c, err := s.CreateCustomer(CustomerInput{Name: name, CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
