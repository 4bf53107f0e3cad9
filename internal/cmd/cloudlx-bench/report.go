package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets from the performance issue, for Terraform's default parallelism.
const (
	maxWallRatio = 1.5 // a phase's wall time over its bound
	// maxRefreshShare of N is what a plan with nothing changed may send, for N >= minRefreshShareN.
	maxRefreshShare  = 0.10
	minRefreshShareN = 100
)

type results struct {
	Machine      machine       `json:"machine"`
	Latency      string        `json:"latency"`
	Parallelism  int           `json:"parallelism"`
	Runs         int           `json:"runs"`
	PageSize     int           `json:"emulator_page_size"`
	TotalSeconds float64       `json:"total_seconds"`
	Phases       []phaseResult `json:"phases"`
}

type machine struct {
	Date      string `json:"date"`
	Cores     int    `json:"cores"`
	CPUModel  string `json:"cpu_model"`
	OS        string `json:"os"`
	Go        string `json:"go"`
	Terraform string `json:"terraform"`
}

type phaseResult struct {
	N     int    `json:"n"`
	Phase string `json:"phase"`
	Runs  int    `json:"runs"` // wall times are the fastest of this many runs

	WallSeconds            float64 `json:"wall_seconds"`
	ZeroLatencyWallSeconds float64 `json:"zero_latency_wall_seconds"`
	// LatencyFloorSeconds = ceil((API + token requests needed) / parallelism) x latency.
	LatencyFloorSeconds float64 `json:"latency_floor_seconds"`
	// BoundSeconds = ZeroLatencyWallSeconds + LatencyFloorSeconds.
	BoundSeconds float64 `json:"bound_seconds"`
	Ratio        float64 `json:"ratio"` // WallSeconds / BoundSeconds

	// Requests by route ("METHOD path template"), token requests included, as
	// measured against the emulator with latency.
	Requests            map[string]int `json:"requests"`
	ZeroLatencyRequests map[string]int `json:"zero_latency_requests"`
	APIRequests         int            `json:"api_requests"`   // all but the token requests
	TokenRequests       int            `json:"token_requests"` // POST /api/oauth2/access-token
	// Needed is the lower bound: one write per customer, one list page per
	// maxPerPage customers for a refresh, and one token per provider process.
	Needed struct {
		API    int `json:"api"`
		Tokens int `json:"tokens"`
	} `json:"requests_needed"`
	RequestRatio float64 `json:"request_ratio"` // APIRequests / Needed.API

	Walks   []string `json:"walks"` // the API traffic of each provider process
	Checks  []check  `json:"checks"`
	Targets []check  `json:"targets"`
}

type check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// evaluate turns the runs of one phase into its result: the fastest wall
// time of each lane, the requests of the first latency run, and the checks
// of every run.
func evaluate(o options, n int, ph phase, latRuns, zeroRuns []laneRun) phaseResult {
	lat, zero := latRuns[0], zeroRuns[0]
	r := phaseResult{N: n, Phase: ph.name, Runs: len(latRuns), WallSeconds: fastest(latRuns), ZeroLatencyWallSeconds: fastest(zeroRuns),
		Requests: lat.counts, ZeroLatencyRequests: zero.counts}
	for route, k := range lat.counts {
		if route == tokenRoute {
			r.TokenRequests += k
		} else {
			r.APIRequests += k
		}
	}
	perPage := maxPerPage
	if o.pageSize > 0 {
		perPage = min(perPage, o.pageSize)
	}
	if ph.refreshes {
		r.Needed.API += ceilDiv(n, perPage)
	}
	if ph.writeRoute != "" {
		r.Needed.API += n
	}
	r.Needed.Tokens = ph.walks
	latencyFloor := time.Duration(ceilDiv(r.Needed.API+r.Needed.Tokens, o.parallelism)) * o.latency
	r.LatencyFloorSeconds = latencyFloor.Seconds()
	r.BoundSeconds = r.ZeroLatencyWallSeconds + r.LatencyFloorSeconds
	r.Ratio = r.WallSeconds / r.BoundSeconds
	r.RequestRatio = float64(r.APIRequests) / float64(r.Needed.API)
	for _, w := range walksOf(lat.requests) {
		r.Walks = append(r.Walks, w.String())
	}

	for i := range latRuns {
		r.Checks = append(r.Checks, checkRun(ph, n, fmt.Sprintf("run %d, latency", i+1), latRuns[i])...)
		r.Checks = append(r.Checks, checkRun(ph, n, fmt.Sprintf("run %d, zero latency", i+1), zeroRuns[i])...)
	}
	r.Targets = append(r.Targets, check{Name: "wall time", OK: r.Ratio <= maxWallRatio,
		Detail: fmt.Sprintf("%.2fx the bound, target at most %.1fx", r.Ratio, maxWallRatio)})
	if ph.name == "refresh" && n >= minRefreshShareN {
		limit := int(float64(n) * maxRefreshShare)
		r.Targets = append(r.Targets, check{Name: "refresh requests", OK: r.APIRequests <= limit,
			Detail: fmt.Sprintf("%d requests, target at most %d (%.0f%% of N)", r.APIRequests, limit, maxRefreshShare*100)})
	}
	return r
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func fastest(runs []laneRun) float64 {
	best := runs[0].wall
	for _, r := range runs[1:] {
		best = min(best, r.wall)
	}
	return best
}

func printTable(w io.Writer, o options, n int, runs []phaseResult) {
	fmt.Fprintf(w, "\nN = %d customers, latency %s, parallelism %d\n", n, o.latency, o.parallelism)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\twall\tzero-latency\tbound\tratio\trequests\tneeded\ttokens\tby route")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s\t%.2fs\t%.2fs\t%.2fs\t%.2f\t%d\t%d\t%d\t%s\n", r.Phase, r.WallSeconds, r.ZeroLatencyWallSeconds,
			r.BoundSeconds, r.Ratio, r.APIRequests, r.Needed.API, r.TokenRequests, byRoute(r.Requests))
	}
	_ = tw.Flush()
}

// byRoute renders API request counts as "GET /api/customers 1, ...", token requests left out.
func byRoute(counts map[string]int) string {
	var parts []string
	for route, k := range counts {
		if route != tokenRoute {
			parts = append(parts, fmt.Sprintf("%s %d", route, k))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func (r *results) write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// verdict lists what failed. The request checks and the request target fail
// the run; a missed wall-time target is reported only, since other work on a
// shared machine can slow one lane and not the other.
func (r *results) verdict(w io.Writer) error {
	failed := 0
	for _, p := range r.Phases {
		for _, c := range p.Checks {
			if !c.OK {
				failed++
				fmt.Fprintf(w, "FAIL N=%d %s: %s: %s\n", p.N, p.Phase, c.Name, c.Detail)
			}
		}
		for _, t := range p.Targets {
			if t.OK {
				continue
			}
			if t.Name == "wall time" {
				fmt.Fprintf(w, "target missed N=%d %s: %s: %s\n", p.N, p.Phase, t.Name, t.Detail)
				continue
			}
			failed++
			fmt.Fprintf(w, "FAIL N=%d %s: %s: %s\n", p.N, p.Phase, t.Name, t.Detail)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d checks failed", failed)
	}
	fmt.Fprintln(w, "every request check passed: one write per customer and nothing else, one token per provider process, reads only in refreshes")
	return nil
}

func describeMachine(ctx context.Context, terraform string) machine {
	m := machine{
		Date:  time.Now().UTC().Format("2006-01-02"),
		Cores: runtime.NumCPU(),
		OS:    runtime.GOOS + "/" + runtime.GOARCH,
		Go:    runtime.Version(),
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.CommandContext(ctx, terraform, "version").Output(); err == nil {
		m.Terraform, _, _ = strings.Cut(string(out), "\n")
	}
	return m
}
