package probe

import (
	"context"
	"encoding/json"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// probeEmulator runs the probe against an emulator playing opts, holding three
// customers of someone else's, and returns the report and the emulator.
func probeEmulator(t *testing.T, opts emulator.Options, write bool) (*Report, *emulator.Server) {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	for _, name := range []string{"Existing One", "Existing Two", "Existing Three"} {
		if _, err := emu.CreateCustomer(emulator.CustomerInput{Name: name, CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := run(t, srv.URL, emulator.DefaultClientID, emulator.DefaultClientSecret, "", write)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	return rep, emu
}

func run(t *testing.T, endpoint, id, secret, token string, write bool) (*Report, error) {
	t.Helper()
	client, err := cloudlx.New(cloudlx.Config{Endpoint: endpoint, ClientID: id, ClientSecret: secret, AccessToken: token, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return Run(context.Background(), Config{Client: client, ClientID: id, ClientSecret: secret, AccessToken: token,
		Write: write, CustomerName: "cloudlx-probe-test"})
}

// answers is the report's JSON, flattened to "token.token_type" keys, as a
// consumer of -json reads it.
func answers(t *testing.T, rep *Report) map[string]any {
	t.Helper()
	var b strings.Builder
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	out := map[string]any{}
	for group, kv := range doc {
		for k, v := range kv {
			out[group+"."+k] = v
		}
	}
	return out
}

func expect(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		g, present := got[k]
		if !present {
			t.Errorf("%s: missing", k)
			continue
		}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if string(gj) != string(wj) {
			t.Errorf("%s = %s, want %s", k, gj, wj)
		}
	}
}

func text(t *testing.T, rep *Report) string {
	t.Helper()
	var b strings.Builder
	if err := rep.WriteText(&b, "header"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var readKeys = []string{"token.token_type", "token.expires_in", "token.json_accepted", "token.form_accepted",
	"list.paginates", "list.page_size_honoured", "not_found.status", "not_found.json_body",
	"catalogues.realms_path", "catalogues.sub_realms_path"}

var writeKeys = []string{"write.patch_partial", "write.arrays_replace", "write.sub_realm_set_alone", "write.implicit_realms",
	"write.currency_mutable", "write.country_mutable", "write.delete_supported"}

func TestDocumentedAPI(t *testing.T) {
	rep, emu := probeEmulator(t, emulator.Options{}, true)
	got := answers(t, rep)
	keys := slices.Sorted(maps.Keys(got))
	want := append(slices.Clone(readKeys), writeKeys...)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Fatalf("JSON keys\n got %v\nwant %v", keys, want)
	}
	expect(t, got, map[string]any{
		"token.token_type": "Bearer", "token.expires_in": 3600, "token.json_accepted": true, "token.form_accepted": true,
		"list.paginates": false, "list.page_size_honoured": false,
		"not_found.status": 404, "not_found.json_body": true,
		"catalogues.realms_path": "/api/realms", "catalogues.sub_realms_path": "/api/sub-realms",
		"write.patch_partial": true, "write.arrays_replace": true, "write.sub_realm_set_alone": true, "write.implicit_realms": []int64{},
		"write.currency_mutable": true, "write.country_mutable": true, "write.delete_supported": true,
	})
	if rep.LeftBehind != "" {
		t.Errorf("left behind %q although DELETE works", rep.LeftBehind)
	}
	if n := len(emu.Customers()); n != 3 {
		t.Errorf("the emulator holds %d customers after the probe, want the 3 it had", n)
	}
	out := text(t, rep)
	for _, want := range []string{"destroy deletes the customer", "Update sends only the changed fields, as this API expects",
		"GET /api/customers?max_per_page=1&page=1 -> 200"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// Read-only by default: no write request, and no write keys in the JSON.
func TestReadOnlyByDefault(t *testing.T) {
	rep, emu := probeEmulator(t, emulator.Options{}, false)
	for _, r := range emu.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Route, "oauth2") {
			t.Errorf("read-only probe sent %s", r.Route)
		}
	}
	got := answers(t, rep)
	for _, k := range writeKeys {
		if _, ok := got[k]; ok {
			t.Errorf("%s present without -write", k)
		}
	}
	for _, k := range readKeys {
		if _, ok := got[k]; !ok {
			t.Errorf("%s missing", k)
		}
	}
}

func TestVariants(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  emulator.Options
		want  map[string]any
		words []string // in the text report
	}{
		{"pagination honouring max_per_page", emulator.Options{PageSize: 200},
			map[string]any{"list.paginates": true, "list.page_size_honoured": true},
			[]string{"follows pages while \"paginates\" is true"}},
		{"pagination capping max_per_page", emulator.Options{PageSize: 2, IgnoreMaxPerPage: true},
			map[string]any{"list.paginates": true, "list.page_size_honoured": false},
			[]string{"never relies on max_per_page being honoured"}},
		{"no DELETE", emulator.Options{DisableDelete: true},
			map[string]any{"write.delete_supported": false},
			[]string{"DELETE answered 405: destroy removes customers from state with a warning", "left behind: cloudlx-probe-test-renamed"}},
		{"PATCH merges arrays", emulator.Options{PatchMergesArrays: true},
			map[string]any{"write.arrays_replace": false, "write.patch_partial": true},
			[]string{"merge:"}},
		{"PATCH wants both sub-realm sets", emulator.Options{PatchSubRealmsTogether: true},
			map[string]any{"write.sub_realm_set_alone": false, "write.patch_partial": true, "write.arrays_replace": true},
			[]string{"refused (422), naming shown_sub_realms", "never the plan's value of a set the plan did not change"}},
		{"PATCH needs every field", emulator.Options{PatchRequiresAll: true},
			map[string]any{"write.patch_partial": false, "write.arrays_replace": true, "write.currency_mutable": true, "write.delete_supported": true},
			[]string{"a PATCH of name alone was refused (422)"}},
		{"realm 1 added implicitly", emulator.Options{ImplicitRealms: []int64{1}},
			map[string]any{"write.implicit_realms": []int64{1}, "write.arrays_replace": true},
			[]string{"list [1] in every customer's realms"}},
		{"currency locked", emulator.Options{LockedFields: []string{"currency_iso"}},
			map[string]any{"write.currency_mutable": false, "write.country_mutable": true},
			[]string{"no: the PATCH was refused (422)"}},
		{"country locked", emulator.Options{LockedFields: []string{"country_iso"}},
			map[string]any{"write.currency_mutable": true, "write.country_mutable": false}, nil},
		{"form-only token endpoint", emulator.Options{TokenFormOnly: true},
			map[string]any{"token.json_accepted": false, "token.form_accepted": true, "list.paginates": false},
			[]string{"form only; a JSON body was refused (422)", "two token requests per provider process"}},
		{"sub-realms elsewhere", emulator.Options{SubRealmsPath: "/api/sub_realms"},
			map[string]any{"catalogues.realms_path": "/api/realms", "catalogues.sub_realms_path": "/api/sub_realms"},
			[]string{"cloudlx_sub_realms reads \"sub_realms\" from /api/sub-realms"}},
		{"no catalogues", emulator.Options{RealmsPath: emulator.NoPath, SubRealmsPath: emulator.NoPath},
			map[string]any{"catalogues.realms_path": nil, "catalogues.sub_realms_path": nil, "write.implicit_realms": nil},
			[]string{"not asked: no realm id"}},
		{"a proxy's HTML 404", emulator.Options{GatewayNotFoundRoutes: []string{"GET /api/customers/{id}"}},
			map[string]any{"not_found.status": 404, "not_found.json_body": false},
			[]string{"404 with a body that is not JSON (text/html"}},
		{"quirky token_type", emulator.Options{Quirks: true, TokenLifetime: 90e9},
			map[string]any{"token.token_type": "client_credentials", "token.expires_in": 90}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, _ := probeEmulator(t, tc.opts, true)
			expect(t, answers(t, rep), tc.want)
			out := text(t, rep)
			for _, w := range tc.words {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestNoDeleteNamesTheCustomerLeftBehind(t *testing.T) {
	rep, emu := probeEmulator(t, emulator.Options{DisableDelete: true}, true)
	var kept *emulator.Customer
	for _, c := range emu.Customers() {
		if strings.HasPrefix(c.Name, "cloudlx-probe-test") {
			kept = &c
		}
	}
	if kept == nil {
		t.Fatal("the probe customer is gone, though DELETE answers 405")
	}
	if !strings.Contains(rep.LeftBehind, kept.Name) || !strings.Contains(rep.LeftBehind, "id ") {
		t.Errorf("LeftBehind = %q, want the name %q and its id", rep.LeftBehind, kept.Name)
	}
}

func TestAccessToken(t *testing.T) {
	emu := emulator.New(emulator.Options{StaticTokens: []string{"minted-elsewhere"}})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	rep, err := run(t, srv.URL, "", "", "minted-elsewhere", false)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, answers(t, rep), map[string]any{"token.token_type": nil, "token.json_accepted": nil, "list.paginates": false})
	for _, r := range emu.Requests() {
		if strings.Contains(r.Route, "oauth2") {
			t.Errorf("a token was requested with an access token configured")
		}
	}
}

func TestFailures(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)

	_, err := run(t, srv.URL, emulator.DefaultClientID, "wrong-secret", "", false)
	if !IsFailure(err, "unauthenticated") || !strings.Contains(err.Error(), "check client_id and client_secret") {
		t.Errorf("wrong secret: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("the error shows the secret: %v", err)
	}
	_, err = run(t, srv.URL, "", "", "not-a-token", false)
	if !IsFailure(err, "unauthenticated") {
		t.Errorf("rejected access token: %v", err)
	}

	closed := httptest.NewServer(emu)
	closed.Close()
	_, err = run(t, closed.URL, emulator.DefaultClientID, emulator.DefaultClientSecret, "", false)
	if !IsFailure(err, "unreachable") {
		t.Errorf("closed endpoint: %v", err)
	}
}
