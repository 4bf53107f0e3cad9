package emulator

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The variants play the answers the docs leave open; each test shows the variant
// answering differently from the default on the same request.

func TestIgnoreMaxPerPageAnswersFullPages(t *testing.T) {
	e := startAuthed(t, Options{PageSize: 2})
	for i := range 3 {
		mustCreate(t, e.s, "Paged "+strconv.Itoa(i))
	}
	count := func() int {
		m := e.do("GET", "/api/customers?max_per_page=1", nil).must(t, 200)
		return len(m["customers"].([]any))
	}
	if n := count(); n != 1 {
		t.Fatalf("max_per_page=1 honoured by default: got %d items, want 1", n)
	}
	e.s.SetOptions(func(o *Options) { o.IgnoreMaxPerPage = true })
	if n := count(); n != 2 {
		t.Fatalf("IgnoreMaxPerPage: got %d items for max_per_page=1, want the page size 2", n)
	}
}

func TestPatchMergesArrays(t *testing.T) {
	e := startAuthed(t, Options{})
	c := mustCreate(t, e.s, "Merge Ltd") // realms [2]
	path := "/api/customers/" + strconv.FormatInt(c.ID, 10)
	body := map[string]any{"realms": []int64{7}, "shown_sub_realms": []int64{313}}
	e.s.SetOptions(func(o *Options) { o.PatchMergesArrays = true })
	e.do("PATCH", path, body).must(t, 200)
	got, _ := e.s.Customer(c.ID)
	if ids := realmIDs(got); strings.Join(ids, ",") != "2,7" {
		t.Fatalf("merged realms = %v, want 2,7", ids)
	}
	e.s.SetOptions(func(o *Options) { o.PatchMergesArrays = false })
	e.do("PATCH", path, body).must(t, 200)
	got, _ = e.s.Customer(c.ID)
	if ids := realmIDs(got); strings.Join(ids, ",") != "7" {
		t.Fatalf("replaced realms = %v, want 7", ids)
	}
}

func realmIDs(c Customer) []string {
	var out []string
	for _, r := range c.Realms {
		out = append(out, strconv.FormatInt(r.ID, 10))
	}
	return out
}

func TestPatchRequiresAll(t *testing.T) {
	e := startAuthed(t, Options{PatchRequiresAll: true})
	c := mustCreate(t, e.s, "Full Ltd")
	path := "/api/customers/" + strconv.FormatInt(c.ID, 10)
	m := e.do("PATCH", path, map[string]any{"name": "Renamed"}).must(t, 422)
	errs, _ := m["errors"].(map[string]any)
	for _, f := range []string{"currency_iso", "country_iso", "realms"} {
		if errs[f] == nil {
			t.Errorf("no error on %s: %v", f, m)
		}
	}
	if got, _ := e.s.Customer(c.ID); got.Name != "Full Ltd" {
		t.Errorf("name = %q after a refused PATCH", got.Name)
	}
	e.do("PATCH", path, map[string]any{"name": "Renamed", "currency_iso": "EUR", "country_iso": "DE", "realms": []int64{2}}).must(t, 200)
}

func TestPatchSubRealmsTogether(t *testing.T) {
	e := startAuthed(t, Options{})
	c := mustCreate(t, e.s, "Pair Ltd")
	path := "/api/customers/" + strconv.FormatInt(c.ID, 10)
	e.do("PATCH", path, map[string]any{"shown_sub_realms": []int64{313, 328}}).must(t, 200) // by default, one list alone is fine
	e.s.SetOptions(func(o *Options) { o.PatchSubRealmsTogether = true })
	for sent, missing := range map[string]string{"shown_sub_realms": "enabled_sub_realms", "enabled_sub_realms": "shown_sub_realms"} {
		m := e.do("PATCH", path, map[string]any{sent: []int64{313}}).must(t, 422)
		errs, _ := m["errors"].(map[string]any)
		if errs[missing] == nil || len(errs) != 1 {
			t.Errorf("%s alone: want one error, on %s: %v", sent, missing, m)
		}
	}
	if got, _ := e.s.Customer(c.ID); len(got.SubRealms) != 2 || got.SubRealms[0].HasAccess {
		t.Errorf("a refused PATCH changed the sub-realms: %+v", got.SubRealms)
	}
	e.do("PATCH", path, map[string]any{"name": "Renamed"}).must(t, 200) // neither list: nothing to pair
	e.do("PATCH", path, map[string]any{"shown_sub_realms": []int64{313}, "enabled_sub_realms": []int64{313}}).must(t, 200)
}

func TestLockedFields(t *testing.T) {
	e := startAuthed(t, Options{LockedFields: []string{"currency_iso"}})
	c := mustCreate(t, e.s, "Locked Ltd") // EUR, DE
	path := "/api/customers/" + strconv.FormatInt(c.ID, 10)
	m := e.do("PATCH", path, map[string]any{"currency_iso": "GBP"}).must(t, 422)
	if errs, _ := m["errors"].(map[string]any); errs["currency_iso"] == nil {
		t.Fatalf("no currency_iso error: %v", m)
	}
	// The same value is no change, and country is not locked.
	e.do("PATCH", path, map[string]any{"currency_iso": "EUR", "country_iso": "GB"}).must(t, 200)
	if got, _ := e.s.Customer(c.ID); got.Currency.ISO3 != "EUR" || got.Country.ISO2 != "GB" {
		t.Fatalf("got %+v %+v", got.Currency, got.Country)
	}
}

func TestTokenFormOnly(t *testing.T) {
	e := start(t, Options{TokenFormOnly: true})
	creds := map[string]any{"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret}
	e.do("POST", "/api/oauth2/access-token", creds).must(t, 422)
	form := url.Values{}
	for k, v := range creds {
		form.Set(k, v.(string))
	}
	m := e.do("POST", "/api/oauth2/access-token", form.Encode(), header("Content-Type", "application/x-www-form-urlencoded")).must(t, 200)
	if m["access_token"] == "" {
		t.Fatalf("no token: %v", m)
	}
}

func TestCataloguePaths(t *testing.T) {
	e := startAuthed(t, Options{SubRealmsPath: "/api/sub_realms", RealmsPath: NoPath})
	e.do("GET", "/api/sub-realms", nil).must(t, 404)
	e.do("GET", "/api/realms", nil).must(t, 404)
	if m := e.do("GET", "/api/sub_realms", nil).must(t, 200); len(m["sub_realms"].([]any)) == 0 {
		t.Fatalf("empty catalogue at the configured path: %v", m)
	}
}
