package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
)

// rulesError turns a failure to load the rules file at path into an error
// that says what to do: a missing file names BOT_RULES and where the bot
// looked; a file with problems lists each on its own line.
func rulesError(path string, err error) error {
	var list rules.ErrorList
	switch {
	case errors.Is(err, fs.ErrNotExist):
		wd, _ := os.Getwd()
		return &cli.ExitError{Code: 1, Err: fmt.Errorf("the rules file %s does not exist (looked in %s): run the bot from a folder that "+
			"holds rules.yaml, such as the repository, or set BOT_RULES to your rules file; docs/rules.md says how to write one", path, wd)}
	case errors.As(err, &list):
		var b strings.Builder
		fmt.Fprintf(&b, "%s has %s; fix them and start again (`bot check --rules %s` lists them):", path,
			english.Plural(len(list), "problem"), path)
		for _, e := range list {
			b.WriteString("\n  " + e.Error())
		}
		return &cli.ExitError{Code: 1, Err: errors.New(b.String())}
	}
	return &cli.ExitError{Code: 1, Err: fmt.Errorf("reading the rules file %s: %w", path, err)}
}
