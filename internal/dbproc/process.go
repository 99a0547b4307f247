package dbproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// stopGrace is how long a process may take to exit after SIGTERM before
// it is killed.
const stopGrace = 15 * time.Second

// readyTimeout bounds the wait for a started server to listen.
const readyTimeout = 60 * time.Second

// Server is one database process this package started. Its owner calls
// Stop exactly once.
type Server struct {
	// Name says what the server is, for messages ("PostgreSQL",
	// "quorumdb (3 nodes)").
	Name string
	// Port is the SQL port (of the first node, for a demo of several).
	Port int
	User string
	DB   string

	cmd  *exec.Cmd
	done chan error // receives Wait's result once
	// cred runs the process as another user (PostgreSQL refuses root).
	cred *syscall.Credential
	// stop, when set, replaces SIGTERM (PostgreSQL: pg_ctl stop -m fast).
	stop func() error
}

// DSN is a libpq URL for the server's database on the given port (a
// demo's nodes serve SQL on consecutive ports: Port+node-1).
func (s *Server) DSN(port int) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", s.User, port, s.DB)
}

// Stop ends the process: its own stop command or SIGTERM, then SIGKILL
// after stopGrace, and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	if s.stop != nil {
		_ = s.stop()
	} else {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-s.done:
	case <-time.After(stopGrace):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// start runs name with args as s's process, its output to out, and
// waits until s.Port accepts TCP connections.
func (s *Server) start(ctx context.Context, out io.Writer, name string, args ...string) error {
	s.cmd = exec.Command(name, args...)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL}
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	if err := waitPort(ctx, s.Port, s.done); err != nil {
		s.Stop()
		return err
	}
	return nil
}

func waitPort(ctx context.Context, port int, done chan error) error {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			done <- err // for Stop
			return fmt.Errorf("server exited: %v", err)
		default:
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("timed out waiting for the server to listen")
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePortRun finds a port p such that p..p+n-1 are free on loopback:
// a demo's nodes serve SQL on consecutive ports.
func FreePortRun(n int) (int, error) {
	for range 50 {
		p, err := FreePort()
		if err != nil {
			return 0, err
		}
		if p+n-1 > 65535 {
			continue
		}
		ok := true
		for q := p + 1; q < p+n && ok; q++ {
			ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(q)))
			if err != nil {
				ok = false
				continue
			}
			ln.Close()
		}
		if ok {
			return p, nil
		}
	}
	return 0, fmt.Errorf("dbproc: no run of %d free ports found", n)
}

// output is where a server's output goes: w, or os.Stderr when nil.
func output(w io.Writer) io.Writer {
	if w == nil {
		return os.Stderr
	}
	return w
}

// Pid is the server's process id (PostgreSQL's postmaster; the one
// process of a quorumdb demo), or 0 before it started.
func (s *Server) Pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
