package main

import (
	"math"
	"slices"
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
	return laneRun{wall: 1, cpu: 1, peakRSSKB: 1024, counts: counts, requests: reqs}
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

// A create's walks each read each catalogue once and the customer list once
// (the duplicate-name check): its plan nothing else, its apply the POSTs.
func TestCheckRunCreate(t *testing.T) {
	create := phases(10)[0]
	catalogues := []string{realmsRoute, subRealmsRoute}
	plan := append(slices.Clone(catalogues), listRoute)
	apply := func(extra ...string) []string {
		return append(append(repeat(create.writeRoute, 3), plan...), extra...)
	}
	cases := []struct {
		name string
		run  laneRun
		want string
	}{
		{"request-optimal", traffic(2, map[string][]string{"a": plan, "b": apply()}), ""},
		{"no list in the plan", traffic(1, map[string][]string{"b": apply()}), "x: refresh"},
		{"two lists before the POSTs", traffic(2, map[string][]string{"a": plan, "b": apply(listRoute)}), "x: writes"},
		{"a catalogue read per customer", traffic(2, map[string][]string{"a": plan, "b": apply(realmsRoute, realmsRoute)}), "x: catalogues"},
		{"a GET after a POST", traffic(2, map[string][]string{"a": plan, "b": apply(getRoute)}), "x: writes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(failed(checkRun(create, 3, "x", tc.run)), ", "); got != tc.want {
				t.Errorf("failed checks %q, want %q", got, tc.want)
			}
		})
	}
}

// testLanes is the floor and one provider lane at 20ms.
func testLanes() []*lane {
	return []*lane{{name: "floor", floor: true}, {name: "latency-20ms", latency: 20 * time.Millisecond}}
}

func TestEvaluateBound(t *testing.T) {
	o := options{latencies: []time.Duration{20 * time.Millisecond}, parallelism: 10, runs: 1}
	update := phases(10)[2]
	lat := traffic(2, map[string][]string{"a": append(repeat(getRoute, 5), listRoute), "b": repeat(update.writeRoute, 500)})
	lat.wall, lat.cpu, lat.peakRSSKB = 12, 6, 40*1024
	floor := laneRun{wall: 10, cpu: 5, peakRSSKB: 20 * 1024}
	r := evaluate(o, 500, update, testLanes(), map[string][]laneRun{"floor": {floor}, "latency-20ms": {lat}})
	p := r.Providers[0]
	// Needed: 500 PATCHes, 3 list pages of 200, 2 tokens; ceil(505/10) x 20ms = 1.02s.
	if p.Needed.API != 503 || p.Needed.Tokens != 2 || math.Abs(p.BoundSeconds-11.02) > 1e-9 {
		t.Errorf("needed %+v, bound %v", p.Needed, p.BoundSeconds)
	}
	if p.APIRequests != 506 || p.TokenRequests != 2 || math.Abs(p.WallRatio-12/11.02) > 1e-9 ||
		p.CPURatio != 1.2 || p.RSSRatio != 2 || p.CPUPerCustomerMs != 12 {
		t.Errorf("got %+v", p)
	}
	if got := failed(append(r.Checks, r.Targets...)); len(got) != 0 {
		t.Errorf("failed checks %v", got)
	}

	// The fastest run and the least CPU count, each on its own; past a bound is a failure.
	o.pageSize, o.runs = 50, 2
	slow := lat
	slow.wall, slow.cpu = 30, 5.5
	r = evaluate(o, 500, update, testLanes(), map[string][]laneRun{"floor": {floor, floor}, "latency-20ms": {slow, lat}})
	if p := r.Providers[0]; p.Needed.API != 510 || p.WallSeconds != 12 || p.CPUSeconds != 5.5 {
		t.Errorf("needed %+v, wall %v, CPU %v", p.Needed, p.WallSeconds, p.CPUSeconds)
	}
	hungry := lat
	hungry.cpu, hungry.wall = 8, 14
	r = evaluate(o, 500, update, testLanes(), map[string][]laneRun{"floor": {floor}, "latency-20ms": {hungry}})
	if got := strings.Join(failed(r.Targets), ", "); got != "wall time, latency 20ms, provider CPU, latency 20ms" {
		t.Errorf("failed targets %q", got)
	}
}

func TestCheckGrowth(t *testing.T) {
	at := func(n int, cpuMs float64) phaseResult {
		return phaseResult{N: n, Phase: "update", Providers: []providerRun{{Latency: "0s", measurement: measurement{CPUPerCustomerMs: cpuMs}}}}
	}
	phases := []phaseResult{at(10, 50), at(500, 10), at(2000, 10.9), at(4000, 11.1)}
	checkGrowth(phases)
	if len(phases[0].Targets)+len(phases[1].Targets) != 0 {
		t.Errorf("targets below MinN or at the base N: %v %v", phases[0].Targets, phases[1].Targets)
	}
	if len(phases[2].Targets) != 1 || !phases[2].Targets[0].OK || len(phases[3].Targets) != 1 || phases[3].Targets[0].OK {
		t.Errorf("growth targets %v, %v", phases[2].Targets, phases[3].Targets)
	}
}

func TestRefreshTarget(t *testing.T) {
	o := options{latencies: []time.Duration{20 * time.Millisecond}, parallelism: 10, runs: 1}
	refresh := phases(10)[1]
	for _, tc := range []struct {
		n, gets int
		ok      bool
	}{{500, 5, true}, {500, 50, false}, {100, 9, true}, {100, 10, false}} {
		run := traffic(1, map[string][]string{"a": append(repeat(getRoute, tc.gets), listRoute)})
		floor := laneRun{wall: 1, cpu: 1, peakRSSKB: 1}
		r := evaluate(o, tc.n, refresh, testLanes(), map[string][]laneRun{"floor": {floor}, "latency-20ms": {run}})
		var target *check
		for i := range r.Targets {
			if r.Targets[i].Name == "refresh requests, latency 20ms" {
				target = &r.Targets[i]
			}
		}
		if target == nil || target.OK != tc.ok {
			t.Errorf("N=%d with %d GETs: target %+v, want ok=%v", tc.n, tc.gets, target, tc.ok)
		}
	}
}

// The rate-limited lane counts what the API answered and what it throttled
// apart, and fails a refresh that fans out into the throttle.
func TestRateLimitedLane(t *testing.T) {
	o := options{latencies: []time.Duration{0}, parallelism: 10, runs: 1, threshold: -1, rateLimit: 20, rateBurst: 10}
	lanes := []*lane{{name: "floor", floor: true}, {name: "rl", rateLimit: 20, rateBurst: 10}}
	refresh := phases(10)[1]
	floor := laneRun{wall: 1, cpu: 1, peakRSSKB: 1}
	throttled := func(run laneRun, token, route string, k int) laneRun {
		for range k {
			run.requests = append(run.requests, loggedRequest{Route: route, Status: 429, TokenID: token, Fault: throttledFault})
			run.counts[route]++
		}
		return run
	}
	// Waited out: 5 GETs and one list answered, 3 lists and 2 GETs throttled.
	waited := throttled(throttled(traffic(1, map[string][]string{"a": append(repeat(getRoute, 5), listRoute)}), "a", listRoute, 3), "a", getRoute, 2)
	r := evaluate(o, 30, refresh, lanes, map[string][]laneRun{"floor": {floor}, "rl": {waited}})
	p := r.Providers[0]
	if p.RateLimit != "20/s, burst 10" || p.APIRequests != 6 || p.ThrottledRequests != 5 || p.Throttled[listRoute] != 3 {
		t.Errorf("got %+v", p)
	}
	if got := failed(r.Checks); len(got) != 0 {
		t.Errorf("failed checks %v", got)
	}
	// Fanned out: the throttled list replaced by a GET per customer.
	fanned := throttled(traffic(1, map[string][]string{"a": repeat(getRoute, 30)}), "a", listRoute, 1)
	r = evaluate(o, 30, refresh, lanes, map[string][]laneRun{"floor": {floor}, "rl": {fanned}})
	if got := strings.Join(failed(r.Checks), ", "); got != "rate limit 20/s, burst 10: no per-customer fan-out" {
		t.Errorf("failed checks %q", got)
	}
	// From MinN on, only the refresh request target applies to the lane.
	r = evaluate(o, 100, refresh, lanes, map[string][]laneRun{"floor": {floor}, "rl": {waited}})
	if len(r.Targets) != 1 || !r.Targets[0].OK || r.Targets[0].Name != "refresh requests, rate limit 20/s, burst 10" {
		t.Errorf("targets %+v", r.Targets)
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
