// Package suggest finds the closest of a set of known words to a mistyped
// one, for the "did you mean" in plan-time errors: a currency code such as
// GPB (GBP), a realm name such as "Netwroking".
package suggest

import (
	"slices"
	"strconv"
	"strings"
)

// Distance is the optimal string alignment distance between a and b: the
// fewest single-character insertions, deletions, substitutions and swaps of
// two adjacent characters that turn a into b. A swap counts as one edit, so
// the commonest typo of a code (GPB for GBP) is as close as a typo can be.
func Distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j].
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

// Closest returns the candidates nearest to word, at most maxDistance edits
// away, in the order given; none when every candidate is further away. Case
// is ignored, so "networking" finds "Networking" at distance 0. Among
// candidates at the same distance, those made of exactly word's letters
// (a swap) come first and alone: GPB suggests GBP, not also a code one
// substitution away.
func Closest(word string, candidates []string, maxDistance int) []string {
	w := strings.ToLower(word)
	best, out := maxDistance+1, []string(nil)
	for _, c := range candidates {
		d := Distance(w, strings.ToLower(c))
		switch {
		case d > maxDistance:
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	if len(out) > 1 {
		var swaps []string
		for _, c := range out {
			if sameLetters(w, strings.ToLower(c)) {
				swaps = append(swaps, c)
			}
		}
		if len(swaps) > 0 {
			out = swaps
		}
	}
	return out
}

// sameLetters reports whether a and b are anagrams of each other.
func sameLetters(a, b string) bool {
	x, y := []rune(a), []rune(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// Phrase renders suggestions for a message: `"GBP"`, `"USD" or "USN"`,
// `"A", "B" or "C"`.
func Phrase(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = strconv.Quote(w)
	}
	if len(quoted) <= 1 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}
