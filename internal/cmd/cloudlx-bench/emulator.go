package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// emulatorProc is a running cloudlx-emulator program.
type emulatorProc struct {
	cmd          *exec.Cmd
	url          string
	clientID     string
	clientSecret string
	logPath      string
}

// startEmulator runs the emulator on a free loopback port, with flags, and
// waits until it answers. Its credentials go through the environment, not the
// command line.
func startEmulator(ctx context.Context, program, dir string, flags []string) (*emulatorProc, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	secret := make([]byte, 20)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	e := &emulatorProc{clientID: "bench-client", clientSecret: hex.EncodeToString(secret), logPath: filepath.Join(dir, "emulator.log")}
	addrFile := filepath.Join(dir, "emulator.addr")
	logFile, err := os.Create(e.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child holds its own descriptor
	e.cmd = exec.CommandContext(ctx, program, append([]string{"-listen", "127.0.0.1:0", "-addr-file", addrFile}, flags...)...)
	e.cmd.Env = append(os.Environ(), "CLOUDLX_EMULATOR_CLIENT_ID="+e.clientID, "CLOUDLX_EMULATOR_CLIENT_SECRET="+e.clientSecret)
	e.cmd.Stderr = logFile
	if err := e.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(addrFile); err == nil && len(b) > 0 {
			e.url = strings.TrimSpace(string(b))
			if err := e.admin(ctx, http.MethodGet, "health", nil); err == nil {
				return e, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.stop()
	log, _ := os.ReadFile(e.logPath)
	return nil, fmt.Errorf("the emulator did not start:\n%s", log)
}

// cpuSeconds is the CPU the emulator process has used so far, user and
// system, from /proc (0 for no emulator, or where /proc is missing).
func (e *emulatorProc) cpuSeconds() float64 {
	if e == nil || e.cmd.Process == nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", e.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the parenthesised command name; utime and stime are
	// the 14th and 15th of the line, in clock ticks (100 a second on Linux).
	_, rest, ok := strings.Cut(string(b), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}

func (e *emulatorProc) stop() {
	if e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

// loggedRequest is the part of an emulator request log entry the bench reads.
type loggedRequest struct {
	Route   string `json:"route"`
	Status  int    `json:"status"`
	TokenID string `json:"token_id"`
	Fault   string `json:"fault"` // "throttled": answered 429 by the rate limit
}

// throttledFault is the emulator's Request.Fault for a request its rate limit answered 429.
const throttledFault = "throttled"

func (e *emulatorProc) resetStats(ctx context.Context) error {
	return e.admin(ctx, http.MethodPost, "reset-stats", nil)
}

// stats returns the request counters by route ("GET /api/customers/{id}").
func (e *emulatorProc) stats(ctx context.Context) (map[string]int, error) {
	var out struct {
		Counts map[string]int `json:"counts"`
	}
	err := e.admin(ctx, http.MethodGet, "stats", &out)
	return out.Counts, err
}

func (e *emulatorProc) requests(ctx context.Context) ([]loggedRequest, error) {
	var out struct {
		Requests []loggedRequest `json:"requests"`
	}
	err := e.admin(ctx, http.MethodGet, "requests", &out)
	return out.Requests, err
}

func (e *emulatorProc) admin(ctx context.Context, method, route string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, e.url+"/_emulator/"+route, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s /_emulator/%s: HTTP %d: %s", method, route, resp.StatusCode, body.String())
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body.Bytes(), out)
}
