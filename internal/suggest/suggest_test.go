package suggest

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"GBP", "GBP", 0}, {"GPB", "GBP", 1}, {"GB", "GBP", 1}, {"GBPX", "GBP", 1},
		{"EUT", "EUR", 1}, {"", "abc", 3}, {"ca", "abc", 3}, // OSA: no edit of a swapped pair
		{"Netwroking", "Networking", 1}, {"Storage", "Compute", 6}, {"Zürich", "Zurich", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"Default", "Networking", "Compute", "Storage", "Security", "Voice"}
	for _, tc := range []struct {
		word string
		max  int
		want []string
	}{
		{"Netwroking", 3, []string{"Networking"}},
		{"networking", 3, []string{"Networking"}}, // case is ignored
		{"Vocie", 2, []string{"Voice"}},
		{"Storage2", 2, []string{"Storage"}},
		{"Billing", 2, nil},
		{"USS", 1, nil},
	} {
		if got := Closest(tc.word, names, tc.max); !slices.Equal(got, tc.want) {
			t.Errorf("Closest(%q, %d) = %v, want %v", tc.word, tc.max, got, tc.want)
		}
	}
	codes := []string{"GBP", "GIP", "GNF", "USD", "USN"}
	if got := Closest("USS", codes, 1); !slices.Equal(got, []string{"USD", "USN"}) {
		t.Errorf("ties: %v", got)
	}
	if got := Closest("GPB", codes, 1); !slices.Equal(got, []string{"GBP"}) {
		t.Errorf("a swap: %v", got)
	}
	// A swap wins over substitutions at the same distance.
	if got := Closest("BA", []string{"AB", "BB", "CA"}, 1); !slices.Equal(got, []string{"AB"}) {
		t.Errorf("swap first: %v", got)
	}
}

func TestPhrase(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""}, {[]string{"GBP"}, `"GBP"`}, {[]string{"USD", "USN"}, `"USD" or "USN"`},
		{[]string{"A", "B", "C"}, `"A", "B" or "C"`}, {[]string{`Say "hi"`}, `"Say \"hi\""`},
	} {
		if got := Phrase(tc.in); got != tc.want {
			t.Errorf("Phrase(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
