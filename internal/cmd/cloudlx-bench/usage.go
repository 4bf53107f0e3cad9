package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Measuring the provider processes. Terraform starts and reaps them itself,
// so the bench puts itself in their place: dev_overrides point at a directory
// whose terraform-provider-cloudlx is a link to this program. Started under
// that name it runs the real provider (wrapTarget) with the same arguments,
// environment and standard streams, waits for it and writes its resource
// usage to a file in wrapUsageDir. The provider talks to Terraform directly;
// the wrapper only waits.
const (
	wrapTarget   = "CLOUDLX_BENCH_PROVIDER"
	wrapUsageDir = "CLOUDLX_BENCH_USAGE_DIR"
	providerName = "terraform-provider-cloudlx"
)

// usage is what one provider process cost.
type usage struct {
	CPUSeconds float64 `json:"cpu_seconds"` // user + system
	PeakRSSKB  int64   `json:"peak_rss_kb"`
}

// isWrapper reports whether this program was started as the provider.
func isWrapper() bool {
	return filepath.Base(os.Args[0]) == providerName && os.Getenv(wrapTarget) != ""
}

// runWrapper runs the provider and returns its exit code.
func runWrapper() int {
	dir := os.Getenv(wrapUsageDir)
	cmd := exec.Command(os.Getenv(wrapTarget), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Terraform stops a provider with an RPC, and with a signal only when that
	// fails: pass signals on, and outlive the provider to record it.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "cloudlx-bench wrapper:", err)
		return 1
	}
	pending := filepath.Join(dir, fmt.Sprintf("%d.running", cmd.Process.Pid))
	_ = os.WriteFile(pending, nil, 0o644)
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u := usage{
			CPUSeconds: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds(),
			PeakRSSKB:  ru.Maxrss, // kilobytes on Linux
		}
		b, _ := json.Marshal(u)
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", cmd.Process.Pid)), b, 0o644)
	}
	_ = os.Remove(pending)
	return code
}

// installWrapper makes dir/terraform-provider-cloudlx a link to this program.
func installWrapper(dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Symlink(self, filepath.Join(dir, providerName))
}

// collectUsage sums what the provider processes recorded in dir since it was
// emptied: CPU seconds added up, the largest peak RSS. It waits a little for
// processes still exiting (Terraform may return before its providers are reaped).
func collectUsage(dir string) (cpu float64, peakRSSKB int64, processes int, err error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		running, _ := filepath.Glob(filepath.Join(dir, "*.running"))
		if len(running) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, 0, 0, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, 0, err
		}
		var u usage
		if err := json.Unmarshal(b, &u); err != nil {
			return 0, 0, 0, fmt.Errorf("%s: %w", f, err)
		}
		cpu += u.CPUSeconds
		peakRSSKB = max(peakRSSKB, u.PeakRSSKB)
		processes++
	}
	return cpu, peakRSSKB, processes, nil
}

// resetUsage empties dir for the next command.
func resetUsage(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") || strings.HasSuffix(e.Name(), ".running") {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
