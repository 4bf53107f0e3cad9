//go:build profile

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// A provider built with -tags profile (make profile) writes a CPU profile
// and an allocation profile of each process into $CLOUDLX_PROFILE_DIR, named by
// process id. Release builds carry none of this.
func init() {
	dir := os.Getenv("CLOUDLX_PROFILE_DIR")
	if dir == "" {
		return
	}
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return
	}
	afterServe = func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		runtime.GC()
		if allocs, err := os.Create(name("allocs")); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(allocs, 0)
			_ = allocs.Close()
		}
	}
}
