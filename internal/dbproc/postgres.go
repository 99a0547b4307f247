package dbproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoPostgres means the PostgreSQL server binaries (initdb, postgres)
// were not found. Tests skip on it, except in CI, which installs them.
var ErrNoPostgres = errors.New("dbproc: PostgreSQL server binaries not found")

// pgBinDirs are searched after PATH: Debian keeps the server binaries
// in a versioned directory, not on PATH. 15 comes first: it is the
// version quorumdb matches.
var pgBinDirs = []string{"/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"}

// FindPGBin returns the path of a PostgreSQL binary (initdb, postgres,
// pg_ctl, pgbench), from PATH or one of pgBinDirs, or ErrNoPostgres.
func FindPGBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range pgBinDirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: %s", ErrNoPostgres, name)
}

// StartPostgres initializes a cluster in dir (which must not exist;
// its parent, a private directory such as os.MkdirTemp makes, is given
// to the server's user when this process is root, so the parent's own
// parent must be searchable by that user) and starts it on a free loopback port with its socket in dir, trust
// authentication, user and database postgres, UTF8 and the C locale.
// Server output goes to out (stderr when nil).
func StartPostgres(ctx context.Context, dir string, out io.Writer) (*Server, error) {
	initdb, err := FindPGBin("initdb")
	if err != nil {
		return nil, err
	}
	postgres, err := FindPGBin("postgres")
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	cred, err := postgresCredential(dir)
	if err != nil {
		return nil, err
	}
	s := &Server{Name: "PostgreSQL", Port: port, User: "postgres", DB: "postgres", cred: cred}
	cmd := exec.CommandContext(ctx, initdb, "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, b)
	}
	if pgctl, err := FindPGBin("pg_ctl"); err == nil {
		s.stop = func() error {
			c := exec.Command(pgctl, "stop", "-D", dir, "-m", "fast", "-w")
			c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
			return c.Run()
		}
	}
	err = s.start(ctx, output(out), postgres, "-D", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-k", dir, "-c", "max_connections=100", "-c", "fsync=off")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := waitAccepting(ctx, s); err != nil {
		s.Stop()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}

// waitAccepting waits until the server takes a session: PostgreSQL
// listens before its startup is over and refuses sessions meanwhile
// with 57P03 ("the database system is starting up"), which made the
// first connection of a caller fail now and then.
func waitAccepting(ctx context.Context, s *Server) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		c, err := pgx.Connect(cctx, s.DSN(s.Port))
		cancel()
		if err == nil {
			return c.Close(ctx)
		}
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "57P03" || time.Now().After(deadline) {
			return fmt.Errorf("connecting: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// postgresCredential returns the credential to run PostgreSQL with: nil
// when not root, else the "postgres" (or "nobody") user, which is given
// the data directory's parent.
func postgresCredential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dbproc: running as root and no postgres or nobody user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(filepath.Dir(dir), uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
