// Package cli is the command line of a program made of commands ("bot
// scan", "bot latest"): one table of commands gives the program's usage,
// each command's -h, usage errors and exit codes.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Command is one command of a program.
type Command struct {
	// Name is what selects it: "scan".
	Name string
	// Args is the usage of its flags and arguments: "[--json] [PATH...]".
	Args string
	// Summary says what it does, in a few lowercase words.
	Summary string
}

// Program is a program's name and its commands.
type Program struct {
	// Name is the program's name as users type it: "bot".
	Name     string
	Commands []Command
}

// ErrUsage marks a command-line mistake that was reported with the usage:
// exit status 2.
var ErrUsage = errors.New("usage")

// ExitError ends the program with Code, printing Err when it says something.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }

func (e *ExitError) Unwrap() error { return e.Err }

// IsHelp reports whether arg asks for help: help, -h, -help or --help.
func IsHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// Find returns the command called name.
func (p Program) Find(name string) (Command, bool) {
	for _, c := range p.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// Usage writes one line per command, then footer.
func (p Program) Usage(w io.Writer, intro, footer string) {
	fmt.Fprintf(w, "%s\n\nUsage:\n", intro)
	for _, c := range p.Commands {
		fmt.Fprintf(w, "  %-42s %s\n", c.usage(p.Name), c.Summary)
	}
	fmt.Fprintf(w, "  %-42s %s\n", p.Name+" help", "this text (also -h, --help)")
	fmt.Fprint(w, "\n"+footer)
}

func (c Command) usage(prog string) string {
	return strings.TrimSpace(prog + " " + c.Name + " " + c.Args)
}

// Parse parses the flags of command name, which may come before, between
// or after its other arguments ("latest badghis -n 3"), and returns those
// arguments. -h prints the command's usage and flags on stdout and returns
// flag.ErrHelp; a mistake prints what is wrong and the usage on stderr and
// returns ErrUsage.
func (p Program) Parse(name string, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			p.commandUsage(stdout, name, fs)
			return nil, err
		} else if err != nil {
			return nil, p.UsageError(name, fs, stderr, "%v", err)
		}
		if args = fs.Args(); len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// ParseNoArgs parses the flags of a command that takes no other arguments.
func (p Program) ParseNoArgs(name string, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	pos, err := p.Parse(name, fs, args, stdout, stderr)
	if err == nil && len(pos) > 0 {
		err = p.UsageError(name, fs, stderr, "unexpected argument %q", strings.Join(pos, " "))
	}
	return err
}

// UsageError prints what is wrong with a command's arguments and its
// usage, and returns ErrUsage.
func (p Program) UsageError(name string, fs *flag.FlagSet, stderr io.Writer, format string, a ...any) error {
	fmt.Fprintf(stderr, "%s %s: %s\n", p.Name, name, fmt.Sprintf(format, a...))
	p.commandUsage(stderr, name, fs)
	return ErrUsage
}

func (p Program) commandUsage(w io.Writer, name string, fs *flag.FlagSet) {
	if c, ok := p.Find(name); ok {
		fmt.Fprintf(w, "usage: %s\n\n%s%s.\n", c.usage(p.Name), strings.ToUpper(c.Summary[:1]), c.Summary[1:])
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

// ExitCode is the exit status for the error a command returned, which it
// prints on stderr through clean (which may mask secrets; nil prints it as
// it is): 0 for none (or help, or an interrupt), 2 for ErrUsage (already
// reported), an ExitError's code, else 1.
func ExitCode(err error, stderr io.Writer, clean func(string) string) int {
	if clean == nil {
		clean = func(s string) string { return s }
	}
	var ee *ExitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp), errors.Is(err, context.Canceled):
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	case errors.As(err, &ee):
		if ee.Err != nil && ee.Err.Error() != "" {
			fmt.Fprintln(stderr, clean(ee.Err.Error()))
		}
		return ee.Code
	}
	fmt.Fprintln(stderr, "error:", clean(err.Error()))
	return 1
}
