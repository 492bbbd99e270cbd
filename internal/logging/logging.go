// Package logging makes the bot's logger from LOG_LEVEL and LOG_FORMAT.
package logging

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// New returns a logger writing to w at level ("debug", "info", "warn" or
// "error") in format ("text": key=value lines, or "json": one object a
// line). Record times are in UTC whatever the machine's zone, so every line
// says its zone the same way (a final Z). The error names LOG_LEVEL or
// LOG_FORMAT and what they take.
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	var errs []error
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", level))
	}
	if format != "text" && format != "json" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT=%q: want text or json", format))
	}
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 && a.Value.Kind() == slog.KindTime {
			a.Value = slog.TimeValue(a.Value.Time().UTC())
		}
		return a
	}}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), errors.Join(errs...)
	}
	return slog.New(slog.NewTextHandler(w, opts)), errors.Join(errs...)
}
