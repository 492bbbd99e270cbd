// Command bot is wirewatch: it watches a news corpus, posts deduplicated
// alerts to Slack, Telegram or the console, sends daily digests and answers
// chat commands. `bot help` lists its commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/wirewatch/wirewatch/internal/buildinfo"
	"github.com/wirewatch/wirewatch/internal/dotenv"
	"github.com/wirewatch/wirewatch/internal/redact"
)

// command is one command of the binary.
type command struct {
	name, args, summary string
	run                 func(e *Env, ctx context.Context, args []string) error
}

// commands returns the binary's commands, in the order help lists them.
// (A function, not a variable: the commands' own usage messages read it.)
func commands() []command {
	return []command{
		{"run", "", "run the bot (console chat when no token is set)", (*Env).Run},
		{"check", "[--rules FILE]", "validate rules.yaml; exit 1 on error", (*Env).Check},
		{"scan", "[--dry-run] [--json] [PATH...]", "one pass over the corpus or the paths given", (*Env).Scan},
		{"latest", "QUERY [-n N]", "newest articles about a place or words", (*Env).Latest},
		{"digest", "[NAME] [--dry-run]", "build a digest now (and send it, without --dry-run)", (*Env).Digest},
		{"healthcheck", "", "ask the running bot's /healthz; exit 1 unless it answers", (*Env).Healthcheck},
		{"version", "", "print the version, commit and Go version", (*Env).Version},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, "wirewatch: news alerts for Slack, Telegram and the console\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-42s %s\n", strings.TrimSpace("bot "+c.name+" "+c.args), c.summary)
	}
	fmt.Fprintf(w, "  %-42s %s\n", "bot help", "this text (also -h, --help)")
	fmt.Fprint(w, `
No command means run. "bot COMMAND -h" lists a command's flags.
Configuration comes from the environment, and from a .env file in the
working directory for variables the environment does not set; see
.env.example.
`)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := 2
	if vars, err := dotenv.Load(".env"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		lookup := dotenv.Lookup(os.LookupEnv, vars)
		code = Main(ctx, os.Args[1:], func(k string) string { v, _ := lookup(k); return v }, os.Stdin, os.Stdout, os.Stderr)
	}
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
	name := "run"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || isHelp(args[0])) {
		name, args = args[0], args[1:]
	}
	if isHelp(name) {
		usage(stdout)
		return 0
	}
	i := slices.IndexFunc(commands(), func(c command) bool { return c.name == name })
	if i < 0 {
		fmt.Fprintf(stderr, "unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	red := redact.New(cfg.Secrets()...)
	log := NewLogger(cfg, stderr, red)
	// Whatever logs through the default logger, a library's standard
	// logger included, goes through the same handler and redactor.
	slog.SetDefault(log)
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	env := &Env{Config: cfg, Getenv: getenv, Log: log, Redact: red, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	return exitCode(commands()[i].run(env, ctx, args), stderr, red)
}

func isHelp(s string) bool { return s == "help" || s == "-h" || s == "--help" || s == "-help" }

func exitCode(err error, stderr io.Writer, red *redact.Redactor) int {
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp), errors.Is(err, context.Canceled):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &ee):
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, red.String(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "error:", red.String(err.Error()))
	return 1
}

// Env is what every command works with.
type Env struct {
	Config Config
	// Getenv reads the environment (and .env), for ${VAR} in rules.yaml.
	Getenv func(string) string
	Log    *slog.Logger
	// Redact masks the configured secrets, and those learnt from rules.yaml,
	// in what the bot prints and shows.
	Redact         *redact.Redactor
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// flags parses the flags of command name, which may come before, between
// or after positional arguments ("latest badghis -n 3"). -h prints the
// command's usage and flags on stdout (flag.ErrHelp); a mistake prints
// them on stderr (errUsage).
func (e *Env) flags(name string, fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			w := e.Stdout
			if !errors.Is(err, flag.ErrHelp) {
				w = e.Stderr
				fmt.Fprintf(w, "bot %s: %v\n", name, err)
				err = errUsage
			}
			e.commandUsage(w, name, fs)
			return nil, err
		}
		if args = fs.Args(); len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// noArgs parses the flags of a command that takes no other arguments.
func (e *Env) noArgs(name string, fs *flag.FlagSet, args []string) error {
	pos, err := e.flags(name, fs, args)
	if err == nil && len(pos) > 0 {
		err = e.usageError(name, fs, "unexpected argument %q", strings.Join(pos, " "))
	}
	return err
}

// usageError prints a mistake in a command's arguments and its usage.
func (e *Env) usageError(name string, fs *flag.FlagSet, format string, a ...any) error {
	fmt.Fprintf(e.Stderr, "bot %s: %s\n", name, fmt.Sprintf(format, a...))
	e.commandUsage(e.Stderr, name, fs)
	return errUsage
}

func (e *Env) commandUsage(w io.Writer, name string, fs *flag.FlagSet) {
	for _, c := range commands() {
		if c.name == name {
			fmt.Fprintf(w, "usage: %s\n\n%s%s.\n", strings.TrimSpace("bot "+c.name+" "+c.args), strings.ToUpper(c.summary[:1]), c.summary[1:])
		}
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// Version prints the version, commit and Go version.
func (e *Env) Version(_ context.Context, args []string) error {
	if err := e.noArgs("version", flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, buildinfo.Read())
	return nil
}
