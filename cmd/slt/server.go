package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// serverReadyTimeout bounds the wait for the server to accept a
	// pgwire connection.
	serverReadyTimeout = 60 * time.Second
	// serverStopGrace is how long the server may take to exit after
	// SIGTERM before it is killed.
	serverStopGrace = 10 * time.Second
)

// server is a quorumdb process this command started. Its owner calls
// stop exactly once.
type server struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when Wait returned; then waitErr is set
	// waitErr is Wait's result, written before exited is closed.
	waitErr error
	logPath string // server output, when not streamed to stderr
	dsn     string
}

// startServer runs `<bin> demo --nodes 1 --sql-port <port>` on a free
// loopback port and waits until it accepts a pgwire connection. Output
// goes to stderr when verbose, else to a temporary log file shown if the
// server fails to start.
func startServer(ctx context.Context, bin string, verbose bool) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{
		cmd:    exec.Command(bin, "demo", "--nodes", "1", "--sql-port", strconv.Itoa(port)),
		exited: make(chan struct{}),
		dsn:    fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
	}
	s.cmd.SysProcAttr = sysProcAttr()
	if verbose {
		s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	} else {
		f, err := os.CreateTemp("", "slt-server-*.log")
		if err != nil {
			return nil, err
		}
		defer f.Close() // the child has its own descriptor
		s.logPath = f.Name()
		s.cmd.Stdout, s.cmd.Stderr = f, f
	}
	if err := s.cmd.Start(); err != nil {
		s.removeLog()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		tail := s.logTail() // before stop removes the log
		s.stop()
		return nil, fmt.Errorf("%s: %w%s", bin, err, tail)
	}
	return s, nil
}

// waitReady polls until a pgwire connection succeeds, the process exits,
// ctx ends or serverReadyTimeout passes.
func (s *server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, serverReadyTimeout)
	defer cancel()
	var last error
	for {
		cctx, ccancel := context.WithTimeout(ctx, 2*time.Second)
		c, err := pgconn.Connect(cctx, s.dsn)
		ccancel()
		if err == nil {
			c.Close(ctx)
			return nil
		}
		last = err
		select {
		case <-s.exited:
			return fmt.Errorf("exited before accepting connections: %v", s.waitErr)
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("not accepting connections after %s: %v", serverReadyTimeout, last)
			}
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM, then SIGKILL after serverStopGrace, and waits for
// the process, so that nothing is left running.
func (s *server) stop() error {
	select {
	case <-s.exited:
		s.removeLog()
		return nil
	default:
	}
	signalServer(s.cmd.Process, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(serverStopGrace):
		signalServer(s.cmd.Process, syscall.SIGKILL)
		<-s.exited
	}
	s.removeLog()
	var exitErr *exec.ExitError
	if s.waitErr != nil && !errors.As(s.waitErr, &exitErr) {
		return s.waitErr
	}
	return nil
}

func (s *server) removeLog() {
	if s.logPath != "" {
		os.Remove(s.logPath)
	}
}

// logTail returns the end of the server's log, for an error message.
func (s *server) logTail() string {
	if s.logPath == "" {
		return ""
	}
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	return "\nserver output:\n" + strings.Join(lines, "\n")
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
