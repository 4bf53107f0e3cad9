package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	tokenRoute = "POST /api/oauth2/access-token"
	listRoute  = "GET /api/customers"
	getRoute   = "GET /api/customers/{id}"
	// The catalogues, which a walk planning creates reads once each to check
	// the customers' realm and sub-realm ids.
	realmsRoute    = "GET /api/realms"
	subRealmsRoute = "GET /api/sub-realms"
	// maxPerPage is the largest page the API documents; the client asks for it.
	maxPerPage = 200
)

// phase is one Terraform command of the benchmark.
type phase struct {
	name string
	args []string
	// nameSuffix is appended to every customer's name in the configuration.
	nameSuffix string
	// writeRoute is the route of the phase's writes, one per customer ("" for none).
	writeRoute string
	// refreshes says the command reads every customer first (a plan's refresh).
	refreshes bool
	// checksNames says the command creates customers: its plan walk and its
	// apply walk (which plans each create again) each read the customer list
	// once, to prove that no customer has a name it creates. The benchmark
	// creates into an empty emulator, so each read is one page.
	checksNames bool
	// walks is how many provider processes of the command talk to the API:
	// Terraform configures a fresh provider for each walk, and each fetches
	// one token. A create's plan reads only the customer list (checksNames)
	// and the catalogues (checksIDs).
	walks int
	// checksIDs says each walk reads each catalogue once, to check the ids
	// of the customers it creates.
	checksIDs bool
	// wantExit is the exit code expected from terraform.
	wantExit int
}

func phases(parallelism int) []phase {
	common := []string{"-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", parallelism)}
	with := func(cmd string, extra ...string) []string {
		return append(append([]string{cmd}, common...), extra...)
	}
	return []phase{
		{name: "create", args: with("apply", "-auto-approve"), writeRoute: "POST /api/customers", checksNames: true, walks: 2, checksIDs: true},
		{name: "refresh", args: with("plan", "-detailed-exitcode"), refreshes: true, walks: 1},
		{name: "update", args: with("apply", "-auto-approve"), nameSuffix: " (renamed)",
			writeRoute: "PATCH /api/customers/{id}", refreshes: true, walks: 2},
		{name: "destroy", args: with("destroy", "-auto-approve"), nameSuffix: " (renamed)",
			writeRoute: "DELETE /api/customers/{id}", refreshes: true, walks: 2},
	}
}

// lane is one provider with its workspace: the no-op floor, or the real
// provider against an emulator with one latency.
type lane struct {
	name    string
	floor   bool
	latency time.Duration
	// rateLimit > 0: the emulator throttles at this many requests per second
	// (burst rateBurst). The lane shows what throttling costs in requests;
	// its wall time is the throttle's, so the bounds do not apply to it.
	rateLimit, rateBurst float64
	emu                  *emulatorProc // nil for the floor, which sends nothing
	ws                   *workspace
	usageDir             string // where the provider processes record their usage
}

// laneRun is what one phase measured on one lane.
type laneRun struct {
	wall float64 // seconds
	cpu  float64 // the provider processes' CPU seconds, user + system
	// terraformCPU is Terraform's own CPU seconds (its process tree less the
	// provider processes), emulatorCPU the emulator's during the command:
	// both share the machine's cores with the provider, so they explain wall
	// time that the provider's CPU does not.
	terraformCPU float64
	emulatorCPU  float64
	peakRSSKB    int64   // the largest provider process
	processes    int     // provider processes Terraform started
	load1        float64 // the machine's 1-minute load average as the run started
	counts       map[string]int
	requests     []loggedRequest
}

// benchSize runs every phase for n customers on every lane in turn (the
// floor, then the provider at each latency), so that a burst of other load
// on the machine touches all of them. With o.runs > 1 the whole
// create-to-destroy cycle repeats, in a rotated lane order, and each phase
// keeps its fastest wall time and least CPU per lane: other work on a shared
// machine only ever adds to both.
func benchSize(ctx context.Context, o options, n int, dir string) ([]phaseResult, error) {
	lanes := []*lane{{name: "floor", floor: true}}
	for _, latency := range o.latencies {
		lanes = append(lanes, &lane{name: "latency-" + latency.String(), latency: latency})
	}
	if o.rateLimit > 0 {
		lanes = append(lanes, &lane{name: fmt.Sprintf("rate-limit-%g-burst-%g", o.rateLimit, o.rateBurst),
			rateLimit: o.rateLimit, rateBurst: o.rateBurst})
	}
	for _, l := range lanes {
		laneDir := filepath.Join(dir, l.name)
		providerDir := o.providerDir
		if l.floor {
			providerDir = o.noopDir
		} else {
			flags := []string{"-latency", l.latency.String(), "-page-size", fmt.Sprint(o.pageSize)}
			if l.rateLimit > 0 {
				flags = append(flags, "-rate-limit", fmt.Sprint(l.rateLimit), "-rate-burst", fmt.Sprint(l.rateBurst))
			}
			emu, err := startEmulator(ctx, o.emulator, laneDir, flags)
			if err != nil {
				return nil, err
			}
			defer emu.stop()
			l.emu = emu
		}
		l.usageDir = filepath.Join(laneDir, "usage")
		wrapDir := filepath.Join(laneDir, "wrapper")
		if err := installWrapper(wrapDir); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(l.usageDir, 0o755); err != nil {
			return nil, err
		}
		ws, err := newWorkspace(laneDir, o, wrapDir, l.emu, []string{
			wrapTarget + "=" + filepath.Join(providerDir, providerName), wrapUsageDir + "=" + l.usageDir,
		})
		if err != nil {
			return nil, err
		}
		l.ws = ws
	}

	all := phases(o.parallelism)
	runs := make([]map[string][]laneRun, len(all)) // phase -> lane -> one laneRun per cycle
	for cycle := range o.runs {
		order := slices.Clone(lanes)
		for range cycle % len(order) { // no lane always goes first
			order = append(order[1:], order[0])
		}
		for i, ph := range all {
			if runs[i] == nil {
				runs[i] = map[string][]laneRun{}
			}
			for _, l := range order {
				var env []string
				if o.profileDir != "" && !l.floor {
					pdir := filepath.Join(o.profileDir, fmt.Sprintf("n%d", n), l.name, ph.name)
					if err := os.MkdirAll(pdir, 0o755); err != nil {
						return nil, err
					}
					env = append(env, profileDirEnv+"="+pdir)
				}
				r, err := runPhase(ctx, l, ph, n, o.threshold, env)
				if err != nil {
					return nil, fmt.Errorf("%s (%s lane): %w", ph.name, l.name, err)
				}
				runs[i][l.name] = append(runs[i][l.name], r)
			}
		}
	}
	var out []phaseResult
	for i, ph := range all {
		out = append(out, evaluate(o, n, ph, lanes, runs[i]))
	}
	return out, nil
}

// profileDirEnv tells a provider built with -tags profile where to write its
// CPU and heap profiles (see main_profile.go).
const profileDirEnv = "CLOUDLX_PROFILE_DIR"

func runPhase(ctx context.Context, l *lane, ph phase, n, threshold int, env []string) (laneRun, error) {
	if err := l.ws.writeConfig(n, ph.nameSuffix, threshold); err != nil {
		return laneRun{}, err
	}
	if l.emu != nil {
		if err := l.emu.resetStats(ctx); err != nil {
			return laneRun{}, err
		}
	}
	if err := resetUsage(l.usageDir); err != nil {
		return laneRun{}, err
	}
	r := laneRun{load1: loadAverage()}
	emuBefore := l.emu.cpuSeconds()
	wall, code, treeCPU, err := l.ws.run(ctx, ph.name, env, ph.args...)
	if err != nil {
		return laneRun{}, err
	}
	r.emulatorCPU = l.emu.cpuSeconds() - emuBefore
	if code != ph.wantExit {
		return laneRun{}, fmt.Errorf("terraform %s exited with %d, want %d:\n%s", ph.args[0], code, ph.wantExit, l.ws.tail(ph.name, 30))
	}
	r.wall = wall.Seconds()
	if r.cpu, r.peakRSSKB, r.processes, err = collectUsage(l.usageDir); err != nil {
		return laneRun{}, err
	}
	if r.processes == 0 {
		return laneRun{}, fmt.Errorf("no provider process recorded its usage in %s", l.usageDir)
	}
	r.terraformCPU = max(0, treeCPU-r.cpu)
	if l.emu == nil {
		return r, nil
	}
	if r.counts, err = l.emu.stats(ctx); err != nil {
		return laneRun{}, err
	}
	if r.requests, err = l.emu.requests(ctx); err != nil {
		return laneRun{}, err
	}
	return r, nil
}

// loadAverage is the first field of /proc/loadavg (0 where there is none).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

// walk is the API traffic of one provider process, told apart by its token:
// the requests the API answered (a throttled one is counted once, when it is
// answered).
type walk map[string]int

func (w walk) String() string {
	var parts []string
	for route, n := range w {
		parts = append(parts, fmt.Sprintf("%s x%d", route, n))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func walksOf(reqs []loggedRequest) []walk {
	byToken := map[string]walk{}
	var order []string
	for _, r := range reqs {
		if r.TokenID == "" || r.Fault == throttledFault {
			continue // token requests, which carry no token, and 429s, which were sent again
		}
		if byToken[r.TokenID] == nil {
			byToken[r.TokenID] = walk{}
			order = append(order, r.TokenID)
		}
		byToken[r.TokenID][r.Route]++
	}
	out := make([]walk, 0, len(order))
	for _, t := range order {
		out = append(out, byToken[t])
	}
	return out
}

// checkRun verifies the request-optimal contract on one lane's traffic:
// exactly one write per customer, sent by a walk that sends nothing else (no
// GET after a complete POST or PATCH answer) but, in a phase that creates,
// one read of each catalogue; refresh walks that only read; one token per
// provider process.
func checkRun(ph phase, n int, lane string, r laneRun) []check {
	var checks []check
	add := func(name string, ok bool, format string, args ...any) {
		checks = append(checks, check{Name: lane + ": " + name, OK: ok, Detail: fmt.Sprintf(format, args...)})
	}
	walks := walksOf(r.requests)
	var writers, readers, others []walk
	for _, w := range walks {
		if ph.checksIDs {
			add("catalogues", w[realmsRoute] == 1 && w[subRealmsRoute] == 1,
				"want one read of each catalogue per walk, got %v", w)
			w = maps.Clone(w)
			delete(w, realmsRoute)
			delete(w, subRealmsRoute)
			if len(w) == 0 {
				continue // the plan walk of a create
			}
		}
		switch {
		case ph.writeRoute != "" && w[ph.writeRoute] > 0:
			writers = append(writers, w)
		case w.onlyRoutes(getRoute, listRoute):
			readers = append(readers, w)
		default:
			others = append(others, w)
		}
	}
	if ph.writeRoute != "" {
		ok := len(writers) == 1 && writers[0][ph.writeRoute] == n &&
			(len(writers[0]) == 1 || ph.checksNames && len(writers[0]) == 2 && writers[0][listRoute] == 1)
		add("writes", ok, "want one walk of exactly %s x%d (after one list read when it creates), got %v", ph.writeRoute, n, writers)
	}
	wantReaders := 0
	if ph.refreshes || ph.checksNames {
		wantReaders = 1
	}
	add("refresh", len(readers) == wantReaders && len(others) == 0,
		"want %d walk(s) of reads only and nothing else, got reads %v, other %v", wantReaders, readers, others)
	tokens := r.counts[tokenRoute]
	add("tokens", tokens == len(walks) && tokens <= ph.walks,
		"want one token per provider process that sent requests (at most %d), got %d tokens for %d", ph.walks, tokens, len(walks))
	return checks
}

// onlyRoutes reports whether every request of w went to one of routes.
func (w walk) onlyRoutes(routes ...string) bool {
	for route := range w {
		if !slices.Contains(routes, route) {
			return false
		}
	}
	return true
}
