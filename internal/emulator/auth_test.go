package emulator

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)

func TestAccessToken(t *testing.T) {
	t.Parallel()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id1"}, "client_secret": {"sec1"}}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for k := range form {
		_ = mw.WriteField(k, form.Get(k))
	}
	_ = mw.Close()

	tests := []struct {
		name   string
		ctype  string
		body   string
		query  string
		status int
		want   string // exact body, for errors
	}{
		{name: "json", ctype: "application/json", body: `{"grant_type":"client_credentials","client_id":"id1","client_secret":"sec1"}`, status: 200},
		{name: "form", ctype: "application/x-www-form-urlencoded", body: form.Encode(), status: 200},
		{name: "multipart", ctype: mw.FormDataContentType(), body: mp.String(), status: 200},
		{name: "query string", query: "?" + form.Encode(), status: 200},
		{name: "json without content type", body: `{"grant_type":"client_credentials","client_id":"id1","client_secret":"sec1"}`, status: 200},
		{name: "wrong secret", ctype: "application/json", body: `{"grant_type":"client_credentials","client_id":"id1","client_secret":"nope"}`,
			status: 401, want: `{"message":"Invalid client credentials.","status_code":401}`},
		{name: "wrong id", ctype: "application/x-www-form-urlencoded", body: "grant_type=client_credentials&client_id=x&client_secret=sec1",
			status: 401, want: `{"message":"Invalid client credentials.","status_code":401}`},
		{name: "missing fields", ctype: "application/json", body: `{"grant_type":"client_credentials"}`,
			status: 422, want: `{"message":"The given data was invalid.","status_code":422,"errors":{"client_id":["The client id field is required."],"client_secret":["The client secret field is required."]}}`},
		{name: "bad grant type", ctype: "application/json", body: `{"grant_type":"password","client_id":"id1","client_secret":"sec1"}`,
			status: 400, want: `{"message":"The authorization grant type is not supported by the authorization server.","status_code":400}`},
		{name: "malformed json", ctype: "application/json", body: `{"grant_type":`, status: 400, want: `{"message":"The request body could not be parsed.","status_code":400}`},
	}
	e := start(t, Options{ClientID: "id1", ClientSecret: "sec1", TokenLifetime: 90 * time.Second})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var o []opt
			if tc.ctype != "" {
				o = append(o, header("Content-Type", tc.ctype))
			} else {
				o = append(o, noHeader("Content-Type"))
			}
			var body any
			if tc.body != "" {
				body = tc.body
			}
			r := e.do("POST", "/api/oauth2/access-token"+tc.query, body, o...)
			if tc.status != 200 {
				r.exact(t, tc.status, tc.want)
				return
			}
			m := r.must(t, 200)
			if len(m) != 4 {
				t.Errorf("token response has %d fields, want 4: %s", len(m), r.body)
			}
			for _, k := range []string{"access_token", "refresh_token"} {
				if s, _ := m[k].(string); !tokenRE.MatchString(s) {
					t.Errorf("%s = %q, want 40 alphanumerics", k, s)
				}
			}
			if m["token_type"] != "Bearer" || m["expires_in"] != 90.0 {
				t.Errorf("token_type %v, expires_in %v", m["token_type"], m["expires_in"])
			}
			// The token works.
			e2 := *e
			e2.token = m["access_token"].(string)
			e2.do("GET", "/api/customers", nil).must(t, 200)
		})
	}
}

func TestRefreshToken(t *testing.T) {
	t.Parallel()
	e := start(t, Options{})
	m := e.do("POST", "/api/oauth2/access-token", map[string]string{
		"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret,
	}).must(t, 200)
	refresh := map[string]string{
		"grant_type": "refresh_token", "refresh_token": m["refresh_token"].(string),
		"client_id": DefaultClientID, "client_secret": DefaultClientSecret,
	}
	m2 := e.do("POST", "/api/oauth2/refresh-token", refresh).must(t, 200)
	if m2["access_token"] == m["access_token"] || m2["refresh_token"] == m["refresh_token"] {
		t.Fatal("refresh returned the same tokens")
	}
	// Rotation: the old refresh token is spent.
	e.do("POST", "/api/oauth2/refresh-token", refresh).exact(t, 401, `{"message":"The refresh token is invalid.","status_code":401}`)
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	const unauth = `{"message":"Unauthenticated.","status_code":401}`
	e := start(t, Options{StaticTokens: []string{"static-token-for-tests"}})
	fresh := e.s.IssueToken()
	tests := []struct {
		name   string
		auth   string // Authorization header; "" = none
		status int
	}{
		{"no header", "", 401},
		{"unknown token", "Bearer abc", 401},
		{"basic scheme", "Basic " + fresh, 401},
		{"token without scheme", fresh, 401},
		{"fresh token", "Bearer " + fresh, 200},
		{"lower-case scheme", "bearer " + fresh, 200},
		{"static token", "Bearer static-token-for-tests", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var o []opt
			if tc.auth != "" {
				o = append(o, header("Authorization", tc.auth))
			}
			r := e.do("GET", "/api/customers", nil, o...)
			if tc.status == 401 {
				r.exact(t, 401, unauth)
			} else {
				r.must(t, tc.status)
			}
		})
	}

	t.Run("expired token", func(t *testing.T) {
		e := start(t, Options{StaticTokens: []string{"static-token-for-tests"}, TokenLifetime: 50 * time.Millisecond})
		tok := e.s.IssueToken()
		time.Sleep(100 * time.Millisecond)
		e.do("GET", "/api/customers", nil, header("Authorization", "Bearer "+tok)).exact(t, 401, unauth)
		// Static tokens never expire.
		e.do("GET", "/api/customers", nil, header("Authorization", "Bearer static-token-for-tests")).must(t, 200)
		// expires_in is rounded up, never 0.
		m := e.do("POST", "/api/oauth2/access-token", map[string]string{
			"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret,
		}).must(t, 200)
		if m["expires_in"] != 1.0 {
			t.Errorf("expires_in = %v, want 1", m["expires_in"])
		}
	})

	t.Run("revoked token", func(t *testing.T) {
		e := start(t, Options{StaticTokens: []string{"st"}})
		tok := e.s.IssueToken()
		e.do("GET", "/api/customers", nil, header("Authorization", "Bearer "+tok)).must(t, 200)
		e.s.RevokeTokens()
		e.do("GET", "/api/customers", nil, header("Authorization", "Bearer "+tok)).exact(t, 401, unauth)
		e.do("GET", "/api/customers", nil, header("Authorization", "Bearer st")).must(t, 200)
	})
}

func TestAcceptHeader(t *testing.T) {
	t.Parallel()
	const notAcceptable = `{"message":"Not Acceptable: send Accept: application/vnd.cloudlx.v1+json.","status_code":406}`
	e := startAuthed(t, Options{})
	tests := []struct {
		name   string
		accept string // "" = no header
		status int
	}{
		{"missing", "", 406},
		{"plain json", "application/json", 406},
		{"wildcard", "*/*", 406},
		{"other version", "application/vnd.cloudlx.v2+json", 406},
		{"exact", MediaType, 200},
		{"in a list with parameters", "application/json;q=0.5, application/vnd.cloudlx.v1+json; q=0.9", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := noHeader("Accept")
			if tc.accept != "" {
				o = header("Accept", tc.accept)
			}
			for _, path := range []string{"/api/customers", "/api/oauth2/access-token"} {
				method := "GET"
				if strings.Contains(path, "oauth2") {
					method = "POST"
				}
				r := e.do(method, path, map[string]string{
					"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret,
				}, o)
				if tc.status == 406 {
					r.exact(t, 406, notAcceptable)
				} else {
					r.must(t, 200)
				}
			}
		})
	}
}

// IssuedTokens names every token minted, by any route, also after it expired
// or was revoked: the list a secrets check scans outputs for.
func TestIssuedTokens(t *testing.T) {
	t.Parallel()
	e := start(t, Options{TokenLifetime: time.Millisecond})
	m := e.do("POST", "/api/oauth2/access-token", map[string]string{
		"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret,
	}).must(t, 200)
	m2 := e.do("POST", "/api/oauth2/refresh-token", map[string]string{
		"grant_type": "refresh_token", "refresh_token": m["refresh_token"].(string),
		"client_id": DefaultClientID, "client_secret": DefaultClientSecret,
	}).must(t, 200)
	direct := e.s.IssueToken()
	e.s.RevokeTokens()
	want := []string{m["access_token"].(string), m["refresh_token"].(string), m2["access_token"].(string), m2["refresh_token"].(string)}
	got := e.s.IssuedTokens()
	if len(got) != 6 || !slices.Equal(got[:4], want) || got[4] != direct {
		t.Fatalf("IssuedTokens() = %q, want %q then %q and its refresh token", got, want, direct)
	}
}
