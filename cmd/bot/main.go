// Command bot is wirewatch: it watches a news corpus, posts deduplicated
// alerts to Slack, Telegram or the console, sends daily digests and answers
// chat commands. `bot help` lists its commands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/wirewatch/wirewatch/internal/buildinfo"
	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/internal/config"
	"github.com/wirewatch/wirewatch/internal/dotenv"
	"github.com/wirewatch/wirewatch/internal/logging"
	"github.com/wirewatch/wirewatch/internal/profiling"
	"github.com/wirewatch/wirewatch/internal/redact"
)

// commands are the binary's commands, in the order help lists them, and
// what runs them.
var commands = []struct {
	cli.Command
	run func(e *Env, ctx context.Context, args []string) error
}{
	{cli.Command{Name: "run", Summary: "run the bot (console chat when no token is set)"}, (*Env).Run},
	{cli.Command{Name: "check", Args: "[--rules FILE]", Summary: "validate rules.yaml; exit 1 on error"}, (*Env).Check},
	{cli.Command{Name: "scan", Args: "[--dry-run] [--json] [PATH...]", Summary: "one pass over the corpus or the paths given"}, (*Env).Scan},
	{cli.Command{Name: "latest", Args: "QUERY [-n N]", Summary: "newest articles about a place or words"}, (*Env).Latest},
	{cli.Command{Name: "digest", Args: "[NAME] [--dry-run]", Summary: "build a digest now (and send it, without --dry-run)"}, (*Env).Digest},
	{cli.Command{Name: "healthcheck", Summary: "ask the running bot's /healthz; exit 1 unless it answers"}, (*Env).Healthcheck},
	{cli.Command{Name: "version", Summary: "print the version, commit and Go version"}, (*Env).Version},
}

// program is the command line's table.
var program = cli.Program{Name: "bot"}

func init() {
	for _, c := range commands {
		program.Commands = append(program.Commands, c.Command)
	}
}

func usage(w io.Writer) {
	program.Usage(w, "wirewatch: news alerts for Slack, Telegram and the console", `No command means run. "bot COMMAND -h" lists a command's flags.
Configuration comes from the environment, and from a .env file in the
working directory for variables the environment does not set; see
.env.example.
`)
}

// memoryLimit is the soft limit of the Go heap when GOMEMLIMIT does not
// set one: the garbage collector works harder near it instead of letting
// the heap grow to twice what is live, which on a long first scan (the
// copy index of the last documents, a batch being written, one being read)
// would take the process past 300 MB. Below it the collector works as
// usual, so a small scan pays nothing.
const memoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	stopProfiles := profiling.Start(os.Getenv("WIREWATCH_CPU_PROFILE"), os.Getenv("WIREWATCH_HEAP_PROFILE"),
		os.Getenv("WIREWATCH_TRACE"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := 2
	if vars, err := dotenv.Load(".env"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		lookup := dotenv.Lookup(os.LookupEnv, vars)
		code = Main(ctx, os.Args[1:], func(k string) string { v, _ := lookup(k); return v }, os.Stdin, os.Stdout, os.Stderr)
	}
	stop()
	stopProfiles()
	os.Exit(code)
}

// Main runs one command and returns the process exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "run"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || cli.IsHelp(args[0])) {
		name, args = args[0], args[1:]
	}
	if cli.IsHelp(name) {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.Name != name {
			continue
		}
		cfg, err := config.Load(getenv)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		red := redact.New(cfg.Secrets()...)
		plain, _ := logging.New(stderr, cfg.LogLevel, cfg.LogFormat) // checked by config.Load
		log := slog.New(red.Handler(plain.Handler()))
		// Whatever logs through the default logger, a library's standard
		// logger included, goes through the same handler and redactor.
		slog.SetDefault(log)
		for _, w := range cfg.Warnings {
			log.Warn(w)
		}
		env := &Env{Config: cfg, Getenv: getenv, Log: log, Redact: red, Stdin: stdin, Stdout: stdout, Stderr: stderr}
		return cli.ExitCode(c.run(env, ctx, args), stderr, red.String)
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

// Env is what every command works with.
type Env struct {
	Config config.Config
	// Getenv reads the environment (and .env), for ${VAR} in rules.yaml.
	Getenv func(string) string
	Log    *slog.Logger
	// Redact masks the configured secrets, and those learnt from rules.yaml,
	// in what the bot prints and shows.
	Redact         *redact.Redactor
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// flags parses a command's flags and returns its other arguments (see
// cli.Program.Parse).
func (e *Env) flags(name string, fs *flag.FlagSet, args []string) ([]string, error) {
	return program.Parse(name, fs, args, e.Stdout, e.Stderr)
}

// noArgs parses the flags of a command that takes no other arguments.
func (e *Env) noArgs(name string, fs *flag.FlagSet, args []string) error {
	return program.ParseNoArgs(name, fs, args, e.Stdout, e.Stderr)
}

// Version prints the version, commit and Go version.
func (e *Env) Version(_ context.Context, args []string) error {
	if err := e.noArgs("version", flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, buildinfo.Read())
	return nil
}
