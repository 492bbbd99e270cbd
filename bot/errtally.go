package bot

import (
	"context"
	"log/slog"
	"time"
)

// errorTally gathers the errors of one pass (a scan, a delivery pass) so
// that an error met for many documents is logged once, with how many times
// it happened and the details of its first occurrence, instead of once per
// document: a full disk fails every document of every scan the same way.
// Errors are the same when their message and their root cause (the
// innermost wrapped error) are.
type errorTally struct {
	order []string
	by    map[string]*tallied
}

type tallied struct {
	msg   string
	err   error
	attrs []any
	n     int
}

// add counts err under msg; attrs describe this occurrence.
func (t *errorTally) add(msg string, err error, attrs ...any) {
	if t.by == nil {
		t.by = map[string]*tallied{}
	}
	key := msg + "\x00" + rootCause(err).Error()
	e, ok := t.by[key]
	if !ok {
		e = &tallied{msg: msg, err: err, attrs: attrs}
		t.by[key] = e
		t.order = append(t.order, key)
	}
	e.n++
}

// log writes one record per distinct error at level: the message, the
// count when above one, the first error and its attributes.
func (t *errorTally) log(ctx context.Context, l *slog.Logger, level slog.Level) {
	for _, key := range t.order {
		e := t.by[key]
		attrs := append([]any{}, e.attrs...)
		if e.n > 1 {
			attrs = append(attrs, "count", e.n, "first_err", e.err)
		} else {
			attrs = append(attrs, "err", e.err)
		}
		l.Log(ctx, level, e.msg, attrs...)
	}
}

// rootCause is the innermost error err wraps, following the first of
// joined errors.
func rootCause(err error) error {
	for {
		var next error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = u.Unwrap()
		case interface{ Unwrap() []error }:
			if errs := u.Unwrap(); len(errs) > 0 {
				next = errs[0]
			}
		}
		if next == nil {
			return err
		}
		err = next
	}
}

// repeatEvery is how often an error that keeps recurring is logged again.
const repeatEvery = time.Minute

// repeats logs an error that recurs pass after pass (the delivery loop
// failing every few seconds on a full disk) the first time, then at most
// once every repeatEvery with how many times it happened since, and once
// more when it stops.
type repeats struct {
	key    string
	n      int
	logged time.Time
}

// failed records err at now and logs it when it is new or repeatEvery has
// passed since it was last logged.
func (r *repeats) failed(ctx context.Context, l *slog.Logger, now time.Time, msg string, err error) {
	key := msg + "\x00" + rootCause(err).Error()
	switch {
	case key != r.key:
		r.key, r.n, r.logged = key, 0, now
		l.ErrorContext(ctx, msg, "err", err)
	case now.Sub(r.logged) >= repeatEvery:
		l.ErrorContext(ctx, msg+" (still)", "err", err, "times_since_last_logged", r.n+1)
		r.n, r.logged = 0, now
	default:
		r.n++
	}
}

// ok records a pass without error; it logs the end of a failure that was
// being repeated.
func (r *repeats) ok(ctx context.Context, l *slog.Logger, msg string) {
	if r.key == "" {
		return
	}
	if r.n > 0 {
		l.InfoContext(ctx, msg, "times_since_last_logged", r.n)
	} else {
		l.InfoContext(ctx, msg)
	}
	r.key, r.n = "", 0
}
