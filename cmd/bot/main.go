// Command bot is wirewatch: it watches a news corpus, posts deduplicated
// alerts to Slack, Telegram or the console, sends daily digests and answers
// chat commands.
//
//	bot [run]                          the long-running bot
//	bot check [--rules FILE]           validate rules.yaml
//	bot scan [--dry-run] [--json] [PATH...]
//	bot latest QUERY [-n N]
//	bot digest [NAME] [--dry-run]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const usage = `wirewatch: news alerts for Slack, Telegram and the console

Usage:
  bot [run]                                run the bot (console chat when no token is set)
  bot check [--rules FILE]                 validate rules.yaml; exit 1 on error
  bot scan [--dry-run] [--json] [PATH...]  one pass over the corpus or the paths given
  bot latest QUERY [-n N]                  newest articles about a place or words
  bot digest [NAME] [--dry-run]            build a digest now (and send it, without --dry-run)

Configuration comes from the environment; see .env.example.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a command-line mistake: usage was printed, exit 2.
var errUsage = errors.New("usage")

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// Main runs one command and returns the process exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := NewLogger(cfg, stderr)
	env := &Env{Config: cfg, Log: log, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	switch cmd {
	case "run":
		err = env.Run(ctx, args)
	case "check":
		err = env.Check(args)
	case "scan":
		err = env.Scan(ctx, args)
	case "latest":
		err = env.Latest(ctx, args)
	case "digest":
		err = env.Digest(ctx, args)
	case "healthcheck":
		err = healthcheck(ctx, cfg.HTTPAddr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	case errors.As(err, &ee):
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, ee.err)
		}
		return ee.code
	case errors.Is(err, context.Canceled):
		return 0
	}
	fmt.Fprintln(stderr, "error:", err)
	return 1
}

// Env is what every command works with.
type Env struct {
	Config         Config
	Log            *slog.Logger
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments ("latest badghis -n 3").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// healthcheck asks the running bot's /healthz, for container health checks
// in images without curl.
func healthcheck(ctx context.Context, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("BOT_HTTP_ADDR=%q: %w", addr, err)}
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %w", err)}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %s", resp.Status)}
	}
	return nil
}
