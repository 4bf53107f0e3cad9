package iso

import (
	"slices"
	"strings"
	"testing"
)

// The tables are what every plan and the emulator trust: codes of the right
// shape, no code both current and retired, every successor current, and the
// 249 countries ISO 3166-1 assigns.
func TestTablesAreConsistent(t *testing.T) {
	for _, table := range []*Table{&Currencies, &Countries} {
		for code := range table.current {
			if !table.WellFormed(code) || strings.ToUpper(code) != code {
				t.Errorf("%s: current code %q is malformed", table.Standard, code)
			}
			if _, ok := table.retired[code]; ok {
				t.Errorf("%s: %s is both current and retired", table.Standard, code)
			}
		}
		for code, r := range table.retired {
			if !table.WellFormed(code) || strings.ToUpper(code) != code || r.Reason == "" {
				t.Errorf("%s: retired code %q is malformed or has no reason", table.Standard, code)
			}
			for _, s := range r.Successors {
				if !table.current[s] {
					t.Errorf("%s: %s names %s as its successor, which is not current", table.Standard, code, s)
				}
			}
		}
	}
	if n := len(Countries.current); n != 249 {
		t.Errorf("ISO 3166-1 assigns 249 alpha-2 codes; the table has %d", n)
	}
	if n := len(Currencies.current); n < 170 || n > 190 {
		t.Errorf("ISO 4217 List One has about 180 codes; the table has %d", n)
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		table *Table
		code  string
		want  Status
	}{
		// Current codes golang.org/x/text refuses, and withdrawn ones it accepts.
		{&Currencies, "VES", Current}, {&Currencies, "MRU", Current}, {&Currencies, "SLE", Current},
		{&Currencies, "ZWG", Current}, {&Currencies, "XCG", Current}, {&Currencies, "GBP", Current},
		{&Currencies, "HRK", Withdrawn}, {&Currencies, "BYR", Withdrawn},
		{&Currencies, "GPB", Unknown}, {&Currencies, "gbp", Unknown},
		{&Countries, "CW", Current}, {&Countries, "UK", Withdrawn}, {&Countries, "XK", Unknown},
	} {
		if got, _ := tc.table.Lookup(tc.code); got != tc.want {
			t.Errorf("%s %s: %v, want %v", tc.table.Standard, tc.code, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		table *Table
		code  string
		want  []string
	}{
		{&Currencies, "GPB", []string{"GBP"}}, // a swap, not also the codes one substitution away
		{&Currencies, "gpb", []string{"GBP"}},
		{&Currencies, "EUT", []string{"EUR"}},
		{&Currencies, "UDS", []string{"USD"}},
		{&Currencies, "USS", []string{"USD", "USN", "UZS"}},
		{&Currencies, "XBZ", nil}, // more than three one edit away: XBA, XBB, XBC, XBD
		{&Currencies, "QQQ", nil},
		{&Countries, "ED", []string{"DE"}}, // a swap of a current code wins over a dozen substitutions
		{&Countries, "GB", []string{"GB"}}, // a current code is its own closest
		{&Countries, "QQ", nil},
	} {
		got := tc.table.Suggest(tc.code)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s Suggest(%s) = %v, want %v", tc.table.Standard, tc.code, got, tc.want)
		}
	}
}
