// Command cloudlx-soak runs the seeded soak test (internal/soak) against the
// in-process emulator with a real Terraform or OpenTofu CLI; `make soak` runs
// it. Settings come from the environment, with the defaults printed:
//
//	SOAK_SEED     seed of the run (default: drawn from the clock)
//	SOAK_STEPS    steps to generate (default 200)
//	SOAK_REPLAY   "kind@seed kind@seed ...": run these steps instead (a shrunk reproduction)
//	SOAK_DEFECTS  known-defect step kinds to draw: all (default), none, or a list of
//	              gateway-404, implicit-realm, stale-write (issue 10), lost-create,
//	              name-exists, stale-unchanged-attr, throttle-fanout, no-delete-policy (issue 22)
//	SOAK_SHRINK   how long to shrink a failing sequence (default 10m; 0 = do not)
//	SOAK_CLI      the CLI executable (make soak resolves SOAK_CLI=terraform|tofu to a path)
//
// It exits 1 on a violation, after printing the reproduction, and 2 when the
// harness cannot run. Its last line reads
// `soak: <steps> steps, seed <seed>, <violations> violations; <kind> <count>, ...`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/soak"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "cloudlx-soak:", err)
		return 2
	}
	cfg := soak.Config{Out: os.Stdout, Seed: uint64(time.Now().UnixNano() % 1_000_000_000), Steps: 200, ShrinkFor: 10 * time.Minute}
	if v := os.Getenv("SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fail(fmt.Errorf("SOAK_SEED=%q: want a whole number", v))
		}
		cfg.Seed = n
	}
	if v := os.Getenv("SOAK_STEPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fail(fmt.Errorf("SOAK_STEPS=%q: want a positive whole number", v))
		}
		cfg.Steps = n
	}
	if v := os.Getenv("SOAK_REPLAY"); v != "" {
		steps, err := soak.ParseSteps(v)
		if err != nil {
			return fail(fmt.Errorf("SOAK_REPLAY: %w", err))
		}
		cfg.Replay = steps
	}
	defects, err := soak.ParseDefects(envOr("SOAK_DEFECTS", "all"))
	if err != nil {
		return fail(fmt.Errorf("SOAK_DEFECTS: %w", err))
	}
	cfg.Defects = defects
	if v := os.Getenv("SOAK_SHRINK"); v != "" {
		d, err := time.ParseDuration(v)
		if v == "0" {
			d, err = 0, nil
		}
		if err != nil {
			return fail(fmt.Errorf("SOAK_SHRINK=%q: want a duration such as 10m", v))
		}
		cfg.ShrinkFor = d
	}
	cfg.CLIPath = envOr("SOAK_CLI", "terraform")
	fmt.Printf("soak: SOAK_SEED=%d SOAK_STEPS=%d SOAK_DEFECTS=%s SOAK_SHRINK=%s SOAK_CLI=%s\n",
		cfg.Seed, cfg.Steps, envOr("SOAK_DEFECTS", "all"), cfg.ShrinkFor, cfg.CLIPath)

	dir, err := os.MkdirTemp("", "soak-provider-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	if cfg.ProviderDir, err = soak.BuildProvider(ctx, dir); err != nil {
		return fail(err)
	}
	rep, err := soak.Run(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	env := ""
	if v := os.Getenv("SOAK_DEFECTS"); v != "" {
		env += "SOAK_DEFECTS=" + v + " "
	}
	if v := os.Getenv("SOAK_CLI_NAME"); v != "" && v != "terraform" {
		env += "SOAK_CLI=" + v + " "
	}
	rep.WriteReport(os.Stdout, env)
	fmt.Printf("soak: %d commands in %s\n", rep.Commands, rep.Duration.Round(time.Second))
	fmt.Println(rep.Summary())
	if rep.Violation != nil {
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
