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

// bounds are what make bench holds the provider to, against the no-op floor
// running the same phases in the same invocation. They are kept here and
// only here; issue 11 set them.
var bounds = struct {
	// WallZeroLatency: a phase's wall time at zero latency over the floor's.
	WallZeroLatency float64
	// WallLatency: with latency, over the floor's wall time plus the phase's
	// latency floor, ceil(requests needed / parallelism) x latency.
	WallLatency float64
	// CPU: the provider processes' CPU seconds over the floor's.
	CPU float64
	// CPUGrowth: CPU seconds per customer at a larger N over the smallest N's.
	CPUGrowth float64
	// MinN: the bounds apply from this many customers on; below it, process
	// start-up dominates every phase and a few milliseconds decide a ratio.
	MinN int
}{WallZeroLatency: 1.3, WallLatency: 1.2, CPU: 1.5, CPUGrowth: 1.10, MinN: 100}

// A plan with nothing changed may send at most maxRefreshShare of N requests
// (from N = bounds.MinN on).
const maxRefreshShare = 0.10

type results struct {
	Machine     machine  `json:"machine"`
	Latencies   []string `json:"latencies"`
	Parallelism int      `json:"parallelism"`
	Runs        int      `json:"runs"`
	PageSize    int      `json:"emulator_page_size"`
	// Load is the machine's 1-minute load average before and after the
	// benchmark; each measurement records its own too.
	LoadBefore   float64       `json:"load_before"`
	LoadAfter    float64       `json:"load_after"`
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

// measurement is one lane's figures for one phase: the fastest wall time and
// least CPU of its runs, and the largest peak RSS.
type measurement struct {
	WallSeconds float64 `json:"wall_seconds"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	// CPUPerCustomerMs = CPUSeconds / N, in milliseconds.
	CPUPerCustomerMs float64 `json:"cpu_per_customer_ms"`
	PeakRSSMB        float64 `json:"peak_rss_mb"`
	Processes        int     `json:"provider_processes"`
	Load1            float64 `json:"load1"` // highest 1-minute load average at the start of a run
	// TerraformCPUSeconds is Terraform's own CPU (least of the runs), and
	// EmulatorCPUSeconds the emulator's (0 for the floor, which sends
	// nothing): they run on the same cores, so they are part of wall time.
	TerraformCPUSeconds float64 `json:"terraform_cpu_seconds"`
	EmulatorCPUSeconds  float64 `json:"emulator_cpu_seconds"`
}

type phaseResult struct {
	N     int    `json:"n"`
	Phase string `json:"phase"`
	Runs  int    `json:"runs"`

	Floor     measurement   `json:"floor"`     // the no-op provider of the same schema
	Providers []providerRun `json:"providers"` // the provider, one per latency

	Checks  []check `json:"checks"`
	Targets []check `json:"targets"`
}

// providerRun is the provider's figures for one phase at one latency, or
// against the rate-limited emulator.
type providerRun struct {
	Latency string `json:"latency"`
	// RateLimit is the rate-limited lane's throttle, such as "20/s, burst 10"; "" for the others.
	RateLimit string `json:"rate_limit,omitempty"`
	measurement
	// LatencyFloorSeconds = ceil((API + token requests needed) / parallelism) x latency.
	LatencyFloorSeconds float64 `json:"latency_floor_seconds"`
	// BoundSeconds = the floor's wall time + LatencyFloorSeconds.
	BoundSeconds float64 `json:"bound_seconds"`
	WallRatio    float64 `json:"wall_ratio"` // WallSeconds / BoundSeconds
	CPURatio     float64 `json:"cpu_ratio"`  // CPUSeconds / the floor's
	RSSRatio     float64 `json:"rss_ratio"`  // PeakRSSMB / the floor's

	// Requests by route ("METHOD path template"), token requests included,
	// of the first run: every request sent, answered or throttled.
	Requests    map[string]int `json:"requests"`
	APIRequests int            `json:"api_requests"` // the requests the API answered (429s aside), token requests aside
	// ThrottledRequests were answered 429 by the rate limit and sent again
	// (by route in Throttled): what throttling cost in requests.
	ThrottledRequests int            `json:"throttled_requests"`
	Throttled         map[string]int `json:"throttled,omitempty"`
	TokenRequests     int            `json:"token_requests"` // POST /api/oauth2/access-token
	// Needed is the lower bound: one write per customer, one list page per
	// maxPerPage customers for a refresh, and one token per provider process.
	Needed struct {
		API    int `json:"api"`
		Tokens int `json:"tokens"`
	} `json:"requests_needed"`
	RequestRatio float64  `json:"request_ratio"` // APIRequests / Needed.API
	Walks        []string `json:"walks"`         // the API traffic of each provider process
}

type check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

func measure(n int, runs []laneRun) measurement {
	m := measurement{WallSeconds: runs[0].wall, CPUSeconds: runs[0].cpu,
		TerraformCPUSeconds: runs[0].terraformCPU, EmulatorCPUSeconds: runs[0].emulatorCPU}
	for _, r := range runs {
		m.WallSeconds = min(m.WallSeconds, r.wall)
		m.CPUSeconds = min(m.CPUSeconds, r.cpu)
		m.TerraformCPUSeconds = min(m.TerraformCPUSeconds, r.terraformCPU)
		m.EmulatorCPUSeconds = min(m.EmulatorCPUSeconds, r.emulatorCPU)
		m.PeakRSSMB = max(m.PeakRSSMB, float64(r.peakRSSKB)/1024)
		m.Processes = max(m.Processes, r.processes)
		m.Load1 = max(m.Load1, r.load1)
	}
	m.CPUPerCustomerMs = m.CPUSeconds / float64(n) * 1000
	return m
}

// evaluate turns the runs of one phase on every lane into its result, with
// the request checks of every run and the targets of each latency.
func evaluate(o options, n int, ph phase, lanes []*lane, runs map[string][]laneRun) phaseResult {
	r := phaseResult{N: n, Phase: ph.name, Runs: o.runs}
	for _, l := range lanes {
		if l.floor {
			r.Floor = measure(n, runs[l.name])
		}
	}
	perPage := maxPerPage
	if o.pageSize > 0 {
		perPage = min(perPage, o.pageSize)
	}
	for _, l := range lanes {
		if l.floor {
			continue
		}
		lr := runs[l.name]
		p := providerRun{Latency: l.latency.String(), measurement: measure(n, lr), Requests: lr[0].counts}
		if l.rateLimit > 0 {
			p.RateLimit = fmt.Sprintf("%g/s, burst %g", l.rateLimit, l.rateBurst)
		}
		for _, req := range lr[0].requests {
			if req.Fault == throttledFault {
				if p.Throttled == nil {
					p.Throttled = map[string]int{}
				}
				p.Throttled[req.Route]++
				p.ThrottledRequests++
			}
		}
		for route, k := range lr[0].counts {
			if route == tokenRoute {
				p.TokenRequests += k
			} else {
				p.APIRequests += k - p.Throttled[route]
			}
		}
		if ph.refreshes {
			p.Needed.API += ceilDiv(n, perPage)
		}
		if ph.writeRoute != "" {
			p.Needed.API += n
		}
		if ph.checksNames {
			p.Needed.API += 2 // one list page in each walk (the list is empty before the create)
		}
		if ph.checksIDs {
			p.Needed.API += 2 * ph.walks // each catalogue, once per walk
		}
		p.Needed.Tokens = ph.walks
		p.LatencyFloorSeconds = (time.Duration(ceilDiv(p.Needed.API+p.Needed.Tokens, o.parallelism)) * l.latency).Seconds()
		p.BoundSeconds = r.Floor.WallSeconds + p.LatencyFloorSeconds
		p.WallRatio = p.WallSeconds / p.BoundSeconds
		p.CPURatio = p.CPUSeconds / r.Floor.CPUSeconds
		p.RSSRatio = p.PeakRSSMB / r.Floor.PeakRSSMB
		p.RequestRatio = float64(p.APIRequests) / float64(p.Needed.API)
		for _, w := range walksOf(lr[0].requests) {
			p.Walks = append(p.Walks, w.String())
		}
		for i, run := range lr {
			r.Checks = append(r.Checks, checkRun(ph, n, fmt.Sprintf("run %d, %s", i+1, p.lane()), run)...)
		}
		if l.rateLimit > 0 && ph.refreshes {
			r.Checks = append(r.Checks, checkNoFanOut(o, n, perPage, p))
		}
		r.Providers = append(r.Providers, p)

		if n < bounds.MinN {
			continue
		}
		if l.rateLimit > 0 {
			// Its wall time is the throttle's and its CPU includes waiting
			// out 429s: only the request target below applies.
			if ph.name == "refresh" {
				limit := int(float64(n) * maxRefreshShare)
				r.Targets = append(r.Targets, check{Name: "refresh requests, " + p.lane(), OK: p.APIRequests <= limit,
					Detail: fmt.Sprintf("%d requests answered (%d throttled and sent again), target at most %d (%.0f%% of N)",
						p.APIRequests, p.ThrottledRequests, limit, maxRefreshShare*100)})
			}
			continue
		}
		wallBound, against := bounds.WallZeroLatency, "the floor's wall time"
		if l.latency > 0 {
			wallBound, against = bounds.WallLatency, "the floor's wall time + the latency floor"
		}
		r.Targets = append(r.Targets,
			check{Name: "wall time, latency " + p.Latency, OK: p.WallRatio <= wallBound,
				Detail: fmt.Sprintf("%.2fs, %.2fx %s (%.2fs), bound %.2fx", p.WallSeconds, p.WallRatio, against, p.BoundSeconds, wallBound)},
			check{Name: "provider CPU, latency " + p.Latency, OK: p.CPURatio <= bounds.CPU,
				Detail: fmt.Sprintf("%.2fs, %.2fx the floor's %.2fs, bound %.2fx", p.CPUSeconds, p.CPURatio, r.Floor.CPUSeconds, bounds.CPU)})
		if ph.name == "refresh" {
			limit := int(float64(n) * maxRefreshShare)
			r.Targets = append(r.Targets, check{Name: "refresh requests, latency " + p.Latency, OK: p.APIRequests <= limit,
				Detail: fmt.Sprintf("%d requests, target at most %d (%.0f%% of N)", p.APIRequests, limit, maxRefreshShare*100)})
		}
	}
	return r
}

// providerBulkRefreshThreshold is the provider's default bulk_refresh_threshold:
// a refresh reads that many customers with a GET each, then loads the list.
const providerBulkRefreshThreshold = 5

// checkNoFanOut checks that a refresh against a throttling API read the
// customer list, waiting out its 429s, and never fell back to a GET per
// customer: the GETs the API answered are at most the threshold's, and the
// list pages at most one list's (a throttled request is counted once, when it
// is answered).
func checkNoFanOut(o options, n, perPage int, p providerRun) check {
	threshold := providerBulkRefreshThreshold
	if o.threshold >= 0 {
		threshold = o.threshold
	}
	gets, lists := p.Requests[getRoute]-p.Throttled[getRoute], p.Requests[listRoute]-p.Throttled[listRoute]
	wantGets, wantLists := min(n, threshold), 0
	if threshold > 0 && n > threshold {
		wantLists = ceilDiv(n, perPage)
	} else {
		wantGets = n
	}
	return check{Name: p.lane() + ": no per-customer fan-out", OK: gets <= wantGets && lists <= wantLists,
		Detail: fmt.Sprintf("want at most %d GETs and %d list pages answered, got %d and %d (throttled and sent again: %v)",
			wantGets, wantLists, gets, lists, p.Throttled)}
}

// lane names the provider lane p ran in: its latency, or its rate limit.
func (p providerRun) lane() string {
	if p.RateLimit != "" {
		return "rate limit " + p.RateLimit
	}
	return "latency " + p.Latency
}

// checkGrowth adds to each phase the target that the provider's CPU per
// customer at its N stays within bounds.CPUGrowth of the smallest N's (at
// least bounds.MinN) for the same phase and latency.
func checkGrowth(phases []phaseResult) {
	base := map[string]providerRun{} // phase + latency -> the smallest N's figures
	baseN := map[string]int{}
	for _, p := range phases {
		if p.N < bounds.MinN {
			continue
		}
		for _, pr := range p.Providers {
			key := p.Phase + " " + pr.lane()
			if n, ok := baseN[key]; !ok || p.N < n {
				base[key], baseN[key] = pr, p.N
			}
		}
	}
	for i := range phases {
		p := &phases[i]
		for _, pr := range p.Providers {
			key := p.Phase + " " + pr.lane()
			b, ok := base[key]
			if !ok || p.N <= baseN[key] || pr.RateLimit != "" {
				continue
			}
			growth := pr.CPUPerCustomerMs / b.CPUPerCustomerMs
			p.Targets = append(p.Targets, check{Name: "CPU per customer, " + pr.lane(), OK: growth <= bounds.CPUGrowth,
				Detail: fmt.Sprintf("%.2f ms at N=%d, %.2fx the %.2f ms at N=%d, bound %.2fx",
					pr.CPUPerCustomerMs, p.N, growth, b.CPUPerCustomerMs, baseN[key], bounds.CPUGrowth)})
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func printTable(w io.Writer, o options, n int, runs []phaseResult) {
	fmt.Fprintf(w, "\nN = %d customers, parallelism %d; the floor is a no-op provider of the same schema and state size\n", n, o.parallelism)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tlane\twall floor\twall\tbound\tratio\tCPU floor\tCPU\tratio\tms/customer\tRSS floor\tRSS\tTF CPU floor\tTF CPU\temu CPU\tload\trequests\t429s\t")
	for _, r := range runs {
		for _, p := range r.Providers {
			fmt.Fprintf(tw, "%s\t%s\t%.2fs\t%.2fs\t%.2fs\t%.2f\t%.2fs\t%.2fs\t%.2f\t%.2f\t%.0f MB\t%.0f MB\t%.2fs\t%.2fs\t%.2fs\t%.1f\t%d\t%d\t\n",
				r.Phase, p.lane(), r.Floor.WallSeconds, p.WallSeconds, p.BoundSeconds, p.WallRatio,
				r.Floor.CPUSeconds, p.CPUSeconds, p.CPURatio, p.CPUPerCustomerMs, r.Floor.PeakRSSMB, p.PeakRSSMB,
				r.Floor.TerraformCPUSeconds, p.TerraformCPUSeconds, p.EmulatorCPUSeconds, max(r.Floor.Load1, p.Load1), p.APIRequests, p.ThrottledRequests)
		}
	}
	_ = tw.Flush()
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

// verdict lists what failed: a request check or a target past its bound
// fails the run.
func (r *results) verdict(w io.Writer) error {
	failed := 0
	for _, p := range r.Phases {
		for _, c := range append(slices.Clone(p.Checks), p.Targets...) {
			if !c.OK {
				failed++
				fmt.Fprintf(w, "FAIL N=%d %s: %s: %s\n", p.N, p.Phase, c.Name, c.Detail)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d checks failed", failed)
	}
	fmt.Fprintln(w, "every check passed: one write per customer and nothing else, one token per provider process, "+
		"reads only in refreshes, and every phase within its bounds of the floor")
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
