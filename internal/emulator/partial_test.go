package emulator

import (
	"net/http"
	"strconv"
	"testing"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRedirect(t *testing.T) {
	e := startAuthed(t, Options{Redirect: Redirect{To: "http://elsewhere.example:9000", Status: http.StatusTemporaryRedirect,
		Routes: []string{"POST /api/oauth2/access-token"}}})
	e.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := e.do(http.MethodPost, "/api/oauth2/access-token?x=1", map[string]string{"grant_type": "client_credentials"})
	if r.status != http.StatusTemporaryRedirect || r.header.Get("Location") != "http://elsewhere.example:9000/api/oauth2/access-token?x=1" {
		t.Errorf("token request: %d, Location %q", r.status, r.header.Get("Location"))
	}
	// Other routes are not redirected.
	e.do(http.MethodGet, "/api/customers", nil).must(t, http.StatusOK)
	log := e.s.Requests()
	if len(log) != 2 || log[0].Fault != FaultRedirected || log[1].Fault != "" {
		t.Errorf("request log: %+v", log)
	}

	// Every route, with the default status, once set while running.
	e.s.SetOptions(func(o *Options) { o.Redirect = Redirect{To: "https://moved.example"} })
	r = e.do(http.MethodGet, "/api/customers/1", nil)
	if r.status != http.StatusFound || r.header.Get("Location") != "https://moved.example/api/customers/1" {
		t.Errorf("GET: %d, Location %q", r.status, r.header.Get("Location"))
	}
}

func TestPartialAnswers(t *testing.T) {
	e := startAuthed(t, Options{PartialAnswers: PartialAnswers{Omit: []string{"sub_realms", "name"}, Null: []string{"realms"},
		Routes: []string{"GET /api/customers/{id}"}}})
	c := mustCreate(t, e.s, "Partial")
	path := "/api/customers/" + itoa(c.ID)
	e.do(http.MethodGet, path, nil).exact(t, http.StatusOK,
		`{"id":`+itoa(c.ID)+`,"currency":{"name":"EUR - Euro","iso_2":"EU","iso_3":"EUR"},"country":{"name":"Germany","iso_2":"DE"},"realms":null}`)
	// The list is another route: whole.
	list := e.do(http.MethodGet, "/api/customers", nil).must(t, http.StatusOK)
	entry := list["customers"].([]any)[0].(map[string]any)
	if entry["name"] != "Partial" || entry["sub_realms"] == nil {
		t.Errorf("list entry: %v", entry)
	}
	// Without Routes: every answer that carries a customer, with Quirks too.
	e.s.SetOptions(func(o *Options) {
		o.PartialAnswers = PartialAnswers{Omit: []string{"name", "currency", "country", "realms", "sub_realms"}}
		o.Quirks = true
	})
	e.do(http.MethodGet, path, nil).exact(t, http.StatusOK, `{"id":`+itoa(c.ID)+`,"status":"active","links":{"self":"/api/customers/`+itoa(c.ID)+`"}}`)
	list = e.do(http.MethodGet, "/api/customers", nil).must(t, http.StatusOK)
	if entry := list["customers"].([]any)[0].(map[string]any); len(entry) != 3 {
		t.Errorf("list entry: %v", entry)
	}
}
