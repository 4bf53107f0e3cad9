package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

// traffic builds a request log: each walk is a token id and its routes.
func traffic(tokens int, walks map[string][]string) laneRun {
	var reqs []loggedRequest
	counts := map[string]int{tokenRoute: tokens}
	for token, routes := range walks {
		for _, route := range routes {
			reqs = append(reqs, loggedRequest{Route: route, Status: 200, TokenID: token})
			counts[route]++
		}
	}
	return laneRun{wall: 1, counts: counts, requests: reqs}
}

func repeat(route string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = route
	}
	return out
}

func failed(checks []check) []string {
	var out []string
	for _, c := range checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

func TestCheckRun(t *testing.T) {
	update := phases(10)[2]
	refresh := append(repeat(getRoute, 5), listRoute)
	cases := []struct {
		name string
		run  laneRun
		want string // the failing checks, joined
	}{
		{"request-optimal", traffic(2, map[string][]string{"a": refresh, "b": repeat(update.writeRoute, 3)}), ""},
		{"a GET after a PATCH", traffic(2, map[string][]string{"a": refresh, "b": append(repeat(update.writeRoute, 3), getRoute)}), "x: writes"},
		{"a PATCH short", traffic(2, map[string][]string{"a": refresh, "b": repeat(update.writeRoute, 2)}), "x: writes"},
		{"writes in two walks", traffic(3, map[string][]string{"a": refresh, "b": repeat(update.writeRoute, 2), "c": {update.writeRoute}}), "x: writes, x: tokens"},
		{"a second token in one walk", traffic(3, map[string][]string{"a": refresh, "b": repeat(update.writeRoute, 3)}), "x: tokens"},
		{"no refresh", traffic(1, map[string][]string{"b": repeat(update.writeRoute, 3)}), "x: refresh"},
		{"a write in the refresh", traffic(2, map[string][]string{"a": append(refresh, "POST /api/customers"), "b": repeat(update.writeRoute, 3)}), "x: refresh"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(failed(checkRun(update, 3, "x", tc.run)), ", "); got != tc.want {
				t.Errorf("failed checks %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEvaluateBound(t *testing.T) {
	o := options{latency: 20 * time.Millisecond, parallelism: 10, pageSize: 0}
	update := phases(10)[2]
	lat := traffic(2, map[string][]string{"a": append(repeat(getRoute, 5), listRoute), "b": repeat(update.writeRoute, 500)})
	lat.wall = 12
	zero := lat
	zero.wall = 10
	r := evaluate(o, 500, update, []laneRun{lat}, []laneRun{zero})
	// Needed: 500 PATCHes, 3 list pages of 200, 2 tokens; ceil(505/10) x 20ms = 1.02s.
	if r.Needed.API != 503 || r.Needed.Tokens != 2 || math.Abs(r.BoundSeconds-11.02) > 1e-9 {
		t.Errorf("needed %+v, bound %v", r.Needed, r.BoundSeconds)
	}
	if r.APIRequests != 506 || r.TokenRequests != 2 || math.Abs(r.Ratio-12/11.02) > 1e-9 {
		t.Errorf("requests %d, tokens %d, ratio %v", r.APIRequests, r.TokenRequests, r.Ratio)
	}
	if got := failed(r.Checks); len(got) != 0 {
		t.Errorf("failed checks %v", got)
	}

	// A smaller server page makes more pages needed; the fastest run counts.
	o.pageSize = 50
	slow := zero
	slow.wall = 30
	r = evaluate(o, 500, update, []laneRun{lat, lat}, []laneRun{slow, zero})
	if r.Needed.API != 510 || r.ZeroLatencyWallSeconds != 10 {
		t.Errorf("needed %+v, zero-latency wall %v", r.Needed, r.ZeroLatencyWallSeconds)
	}
}

func TestRefreshTarget(t *testing.T) {
	o := options{latency: 20 * time.Millisecond, parallelism: 10}
	refresh := phases(10)[1]
	for _, tc := range []struct {
		n, gets int
		ok      bool
	}{{500, 5, true}, {500, 50, false}, {100, 9, true}, {100, 10, false}} {
		run := traffic(1, map[string][]string{"a": append(repeat(getRoute, tc.gets), listRoute)})
		r := evaluate(o, tc.n, refresh, []laneRun{run}, []laneRun{run})
		var target *check
		for i := range r.Targets {
			if r.Targets[i].Name == "refresh requests" {
				target = &r.Targets[i]
			}
		}
		if target == nil || target.OK != tc.ok {
			t.Errorf("N=%d with %d GETs: target %+v, want ok=%v", tc.n, tc.gets, target, tc.ok)
		}
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes(" 10 100,500 ")
	if err != nil || len(got) != 3 || got[2] != 500 {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"", "10 x", "0", "-5"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
