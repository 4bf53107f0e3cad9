package provider

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// Fuzz targets; their seeds are in testdata/fuzz/<FuzzName>/, and `make test`
// runs each for a few seconds.

// FuzzParseImportID: only the canonical form of a positive id is accepted,
// and it round-trips.
func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"915", "0", "-3", "abc", " 915", "0915", "+915", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseImportID(s)
		if ok != (id > 0) {
			t.Fatalf("parseImportID(%q) = %d, %v", s, id, ok)
		}
		if ok && strconv.FormatInt(id, 10) != s {
			t.Fatalf("parseImportID(%q) accepted a non-canonical id %d", s, id)
		}
		if !ok {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && strconv.FormatInt(n, 10) == s {
				t.Fatalf("parseImportID(%q) rejected a valid id", s)
			}
		}
	})
}

// FuzzCustomerToState: any customer the API can send decodes into state
// without an error, with id sets free of duplicates and enabled sub-realms
// always among the shown ones (the rule the schema enforces on config).
func FuzzCustomerToState(f *testing.F) {
	f.Add([]byte(`{"id":915,"name":"Acme","currency":{"name":"USD - US Dollar","iso_2":"US","iso_3":"usd"},"country":{"name":"United States","iso_2":"us"},` +
		`"realms":[{"id":7,"name":"Voice"},{"id":2,"name":"Networking","description":"CLX"}],` +
		`"sub_realms":[{"id":328,"name":"SBC","description":null,"has_access":false},{"id":313,"name":"SD WAN","has_access":true}]}`))
	f.Add([]byte(`{"id":1,"realms":[{"id":2},{"id":2}],"sub_realms":[{"id":5,"has_access":true},{"id":5,"has_access":false}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c cloudlx.Customer
		if json.Unmarshal(body, &c) != nil {
			return // the client reports undecodable answers itself (see cloudlx.FuzzCustomerResponse)
		}
		var m customerAPIModel
		if diags := m.setFromAPI(&c); diags.HasError() {
			t.Fatalf("setFromAPI: %v", diags)
		}
		shown := map[string]bool{}
		for _, v := range m.ShownSubRealms.Elements() {
			shown[v.String()] = true
		}
		for _, v := range m.EnabledSubRealms.Elements() {
			if !shown[v.String()] {
				t.Fatalf("enabled sub-realm %s is not shown", v)
			}
		}
		for name, set := range map[string]types.Set{"realms": m.Realms, "shown_sub_realms": m.ShownSubRealms, "enabled_sub_realms": m.EnabledSubRealms} {
			seen := map[string]bool{}
			for _, v := range set.Elements() {
				if seen[v.String()] {
					t.Fatalf("%s holds %s twice", name, v)
				}
				seen[v.String()] = true
			}
		}
		if len(m.RealmDetails.Elements()) != len(c.Realms) || len(m.SubRealmDetails.Elements()) != len(c.SubRealms) {
			t.Fatalf("details lost: %d realms -> %d, %d sub-realms -> %d",
				len(c.Realms), len(m.RealmDetails.Elements()), len(c.SubRealms), len(m.SubRealmDetails.Elements()))
		}
	})
}
