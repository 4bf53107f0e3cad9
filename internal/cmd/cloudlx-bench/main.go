// Command cloudlx-bench measures what the provider costs the API: it runs the
// real Terraform CLI over generated configurations of N customers against the
// emulator program, through four phases (create, a plan with nothing changed,
// an update of every customer, destroy), and reports wall time and requests
// by route for each, next to the phase's lower bound.
//
//	cloudlx-bench -terraform "$(scripts/ensure-cli.sh terraform)" -n "10 100 500"
//
// It builds nothing: `make bench` builds bin/terraform-provider-cloudlx and
// bin/cloudlx-emulator first. Every phase runs twice, interleaved: against an
// emulator with the chosen latency, and against one with none. The second
// measures Terraform's and the provider's own work; the bound of a phase is
// that time plus ceil(requests needed / parallelism) x latency.
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
	latency     time.Duration
	parallelism int
	runs        int
	pageSize    int
	threshold   int // bulk_refresh_threshold; -1 leaves the provider's default
	terraform   string
	providerDir string
	emulator    string
	out         string
	keep        bool
}

func main() {
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
		o     options
		sizes string
	)
	fs.StringVar(&sizes, "n", envOr("BENCH_N", "10 100 500"), "customer counts to run, separated by spaces or commas (env BENCH_N)")
	fs.DurationVar(&o.latency, "latency", envDuration("BENCH_LATENCY", 20*time.Millisecond), "latency the emulator adds to every request (env BENCH_LATENCY)")
	fs.IntVar(&o.parallelism, "parallelism", envInt("BENCH_PARALLELISM", 10), "terraform -parallelism (env BENCH_PARALLELISM)")
	fs.IntVar(&o.runs, "runs", envInt("BENCH_RUNS", 1), "create-to-destroy cycles per N; each phase reports its fastest (env BENCH_RUNS)")
	fs.IntVar(&o.pageSize, "page-size", 0, "the emulator's page size cap for lists (0: every customer on one page)")
	fs.IntVar(&o.threshold, "bulk-refresh-threshold", -1, "provider bulk_refresh_threshold (-1: the provider's default)")
	fs.StringVar(&o.terraform, "terraform", envOr("TERRAFORM", "terraform"), "Terraform CLI to run (env TERRAFORM)")
	fs.StringVar(&o.providerDir, "provider-dir", "bin", "directory holding terraform-provider-cloudlx")
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
	if o.parallelism < 1 || o.runs < 1 || o.latency < 0 || o.pageSize < 0 {
		return errors.New("-parallelism and -runs must be at least 1, -latency and -page-size not negative")
	}
	for _, p := range []*string{&o.providerDir, &o.emulator, &o.out} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(o.providerDir, "terraform-provider-cloudlx")); err != nil {
		return fmt.Errorf("no provider binary (run make build first): %w", err)
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
	results := results{Machine: machine, Latency: o.latency.String(), Parallelism: o.parallelism, Runs: o.runs, PageSize: o.pageSize}
	start := time.Now()
	for _, n := range o.sizes {
		runs, err := benchSize(ctx, o, n, filepath.Join(work, fmt.Sprintf("n%d", n)))
		if err != nil {
			return fmt.Errorf("with n=%d: %w", n, err)
		}
		results.Phases = append(results.Phases, runs...)
		printTable(os.Stdout, o, n, runs)
	}
	results.TotalSeconds = time.Since(start).Seconds()
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

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}
