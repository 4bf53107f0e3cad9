// Command cloudlx-bench measures what the provider costs: it runs the real
// Terraform CLI over generated configurations of N customers through four
// phases (create, a plan with nothing changed, an update of every customer,
// destroy), and reports for each the wall time, the provider processes' CPU
// seconds and peak RSS, and the requests by route, next to the floor. With
// -rate-limit, one more lane runs against an emulator that throttles (a token
// bucket answering 429 with Retry-After) and reports the requests answered
// and throttled in each phase: throttling must cost waits, not requests.
//
//	cloudlx-bench -terraform "$(scripts/ensure-cli.sh terraform)" -n "500 2000" -latency "0s 20ms"
//
// The floor is a no-op provider serving the same schema (./noop), run in the
// same invocation over the same phases: what Terraform and the framework cost
// with a provider that does nothing. The provider runs against the emulator
// program once per latency. A phase's bound is the floor's wall time plus
// ceil(requests needed / parallelism) x latency; the bounds on the ratios are
// in report.go.
//
// It builds nothing: `make bench` builds the provider, the no-op provider
// and the emulator first. The bench measures each provider process by
// standing in for it (see usage.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	sizes       []int
	latencies   []time.Duration
	parallelism int
	runs        int
	pageSize    int
	threshold   int // bulk_refresh_threshold; -1 leaves the provider's default
	// rateLimit > 0 adds a lane against an emulator that throttles at this many
	// requests per second with a bucket of rateBurst (see rateLimitedLane).
	rateLimit, rateBurst float64
	terraform            string
	providerDir          string
	noopDir              string // holds the no-op provider
	profileDir           string // where a provider built with -tags profile writes pprof files
	emulator             string
	out                  string
	keep                 bool
}

func main() {
	if isWrapper() {
		os.Exit(runWrapper())
	}
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "cloudlx-bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("cloudlx-bench", flag.ContinueOnError)
	var (
		o                options
		sizes, latencies string
	)
	fs.StringVar(&sizes, "n", envOr("BENCH_N", "500 2000"), "customer counts to run, separated by spaces or commas (env BENCH_N)")
	fs.StringVar(&latencies, "latency", envOr("BENCH_LATENCY", "0s 20ms"), "latencies the emulator adds to every request, one provider lane each (env BENCH_LATENCY)")
	fs.IntVar(&o.parallelism, "parallelism", envInt("BENCH_PARALLELISM", 10), "terraform -parallelism (env BENCH_PARALLELISM)")
	fs.IntVar(&o.runs, "runs", envInt("BENCH_RUNS", 1), "create-to-destroy cycles per N; each phase reports its fastest (env BENCH_RUNS)")
	fs.IntVar(&o.pageSize, "page-size", 0, "the emulator's page size cap for lists (0: every customer on one page)")
	fs.Float64Var(&o.rateLimit, "rate-limit", envFloat("BENCH_RATE_LIMIT", 0),
		"add a lane against an emulator that answers 429 with Retry-After past this many requests per second, at zero latency (0: no such lane; env BENCH_RATE_LIMIT)")
	fs.Float64Var(&o.rateBurst, "rate-burst", envFloat("BENCH_RATE_BURST", 3), "the rate-limited lane's burst: requests allowed at once after a quiet spell (env BENCH_RATE_BURST)")
	fs.IntVar(&o.threshold, "bulk-refresh-threshold", -1, "provider bulk_refresh_threshold (-1: the provider's default)")
	fs.StringVar(&o.terraform, "terraform", envOr("TERRAFORM", "terraform"), "Terraform CLI to run (env TERRAFORM)")
	fs.StringVar(&o.providerDir, "provider-dir", "bin", "directory holding terraform-provider-cloudlx")
	fs.StringVar(&o.noopDir, "noop-dir", "bin/noop", "directory holding the no-op provider, built from ./internal/cmd/cloudlx-bench/noop")
	fs.StringVar(&o.profileDir, "profile-dir", "", "with a provider built with -tags profile: write its pprof files here, by N, lane and phase")
	fs.StringVar(&o.emulator, "emulator", "bin/cloudlx-emulator", "the emulator program")
	fs.StringVar(&o.out, "out", ".bench/results.json", "where to write the results as JSON")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directories (configurations, state, logs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	var err error
	if o.sizes, err = parseSizes(sizes); err != nil {
		return err
	}
	if o.latencies, err = parseLatencies(latencies); err != nil {
		return err
	}
	if o.parallelism < 1 || o.runs < 1 || o.pageSize < 0 || o.rateLimit < 0 || o.rateBurst < 1 {
		return errors.New("-parallelism and -runs must be at least 1, -page-size and -rate-limit not negative, -rate-burst at least 1")
	}
	for _, p := range []*string{&o.providerDir, &o.noopDir, &o.emulator, &o.out, &o.profileDir} {
		if *p == "" {
			continue
		}
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	for _, dir := range []string{o.providerDir, o.noopDir} {
		if _, err := os.Stat(filepath.Join(dir, providerName)); err != nil {
			return fmt.Errorf("no provider binary (make bench builds both): %w", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	work, err := os.MkdirTemp("", "cloudlx-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Printf("working directory: %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}

	machine := describeMachine(ctx, o.terraform)
	fmt.Printf("cloudlx-bench %s: %s, %d cores (%s), %s\n", machine.Date, machine.CPUModel, machine.Cores, machine.OS, machine.Terraform)
	results := results{Machine: machine, Parallelism: o.parallelism, Runs: o.runs, PageSize: o.pageSize, LoadBefore: loadAverage()}
	for _, l := range o.latencies {
		results.Latencies = append(results.Latencies, l.String())
	}
	start := time.Now()
	for _, n := range o.sizes {
		runs, err := benchSize(ctx, o, n, filepath.Join(work, fmt.Sprintf("n%d", n)))
		if err != nil {
			return fmt.Errorf("with n=%d: %w", n, err)
		}
		results.Phases = append(results.Phases, runs...)
		printTable(os.Stdout, o, n, runs)
	}
	checkGrowth(results.Phases)
	results.TotalSeconds = time.Since(start).Seconds()
	results.LoadAfter = loadAverage()
	if err := results.write(o.out); err != nil {
		return err
	}
	fmt.Printf("\nresults written to %s (%.0fs in all)\n", o.out, results.TotalSeconds)
	return results.verdict(os.Stdout)
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("customer count %q is not a positive integer", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no customer counts given")
	}
	return out, nil
}

func parseLatencies(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("latency %q is not a duration of at least 0s, such as 20ms", f)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, errors.New("no latencies given")
	}
	return out, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return f
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}
