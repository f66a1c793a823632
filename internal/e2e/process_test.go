//go:build unix

package e2e

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runningPrefix starts the line `tend serve` prints on stdout once it
// listens; the URL follows it.
const runningPrefix = "Tend is running at "

// buildTend compiles the real tend binary from the module root into a
// temporary directory and returns its path.
func buildTend(ctx context.Context, t *testing.T) string {
	t.Helper()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "" {
		t.Fatalf("go env GOMOD gave %q: not inside the module", gomod)
	}
	bin := filepath.Join(t.TempDir(), "tend")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/tend")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tend: %v\n%s", err, out)
	}
	return bin
}

// runTend runs one tend command to its end and fails the test unless it
// exits 0. It returns what the command printed.
func runTend(ctx context.Context, t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tend %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// process is a `tend serve` child process.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *watchedOutput
	url  string
	done chan struct{} // closed when the process has exited
	err  error         // what Wait returned; read after done
}

// startTend starts `tend serve` with args, waits until it prints the URL
// it listens on and returns it running. The process is killed when the
// test ends if it is still running then, and its output is logged if the
// test failed.
func startTend(ctx context.Context, t *testing.T, name, bin string, args ...string) *process {
	t.Helper()
	p := &process{name: name, out: newWatchedOutput(), done: make(chan struct{})}
	p.cmd = exec.CommandContext(ctx, bin, append([]string{"serve"}, args...)...)
	p.cmd.Stdout = p.out
	p.cmd.Stderr = p.out
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", p.name, p.out.String())
		}
	})
	return p
}

// waitURL waits for the process to report the URL it listens on.
func (p *process) waitURL(ctx context.Context, t *testing.T) {
	t.Helper()
	select {
	case p.url = <-p.out.url:
	case <-p.done:
		t.Fatalf("%s exited before listening (%v):\n%s", p.name, p.err, p.out.String())
	case <-ctx.Done():
		t.Fatalf("%s did not report its URL in time:\n%s", p.name, p.out.String())
	}
}

// stop sends SIGTERM and fails the test unless the process shuts down
// gracefully, exiting 0, before ctx ends.
func (p *process) stop(ctx context.Context, t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("signal %s: %v", p.name, err)
		return
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		t.Errorf("%s did not exit after SIGTERM in time", p.name)
		return
	}
	var exit *exec.ExitError
	switch {
	case p.err == nil:
	case errors.As(p.err, &exit):
		t.Errorf("%s exited with %v after SIGTERM, want 0", p.name, exit.ProcessState)
	default:
		t.Errorf("%s: %v", p.name, p.err)
	}
}

// watchedOutput collects a process's output and hands over the URL from
// the first line that starts with runningPrefix.
type watchedOutput struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	scanned int // bytes of buf already searched for complete lines
	found   bool
	url     chan string
}

func newWatchedOutput() *watchedOutput {
	return &watchedOutput{url: make(chan string, 1)}
}

// Write appends b and looks for the running line among the complete
// lines written so far.
func (w *watchedOutput) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, _ := w.buf.Write(b)
	for !w.found {
		rest := w.buf.Bytes()[w.scanned:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		line := string(rest[:i])
		w.scanned += i + 1
		if after, ok := strings.CutPrefix(line, runningPrefix); ok {
			url, _, _ := strings.Cut(after, " ")
			w.found = true
			w.url <- url
		}
	}
	return n, nil
}

// String returns everything written so far.
func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
