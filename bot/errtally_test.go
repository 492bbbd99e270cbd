package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestErrorTallyGroupsByRootCause(t *testing.T) {
	full := errors.New("database or disk is full (13)")
	var tally errorTally
	for i := range 500 {
		// Each document's error names the document; the cause is one.
		err := fmt.Errorf("storing analysis of doc%d: %w", i, errors.Join(fmt.Errorf("set analysis: %w", full), errors.New("rollback failed")))
		tally.add("document not processed; will retry", err, "id", fmt.Sprintf("doc%d", i))
	}
	tally.add("document not processed; will retry", errors.New("bad analysis"), "id", "other")
	var logs strings.Builder
	tally.log(context.Background(), slog.New(slog.NewTextHandler(&logs, nil)), slog.LevelError)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "id=doc0") || !strings.Contains(lines[0], "count=500") ||
		!strings.Contains(lines[1], "id=other") || strings.Contains(lines[1], "count=") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestRepeatsLoggedOncePerMinute(t *testing.T) {
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx := context.Background()
	var r repeats
	now := time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC)
	for i := range 30 { // every 5 s for 150 s
		r.failed(ctx, log, now, "delivery pass failed", fmt.Errorf("claiming row %d: %w", i, errors.New("disk is full")))
		now = now.Add(5 * time.Second)
	}
	r.ok(ctx, log, "delivery passes work again")
	got := logs.String()
	if n := strings.Count(got, "\n"); n != 4 {
		t.Errorf("%d lines for 30 failures over 150 s, want 4 (first, twice still, recovered):\n%s", n, got)
	}
	if !strings.Contains(got, `msg="delivery pass failed (still)"`) || !strings.Contains(got, "times_since_last_logged=12") ||
		!strings.Contains(got, `msg="delivery passes work again" times_since_last_logged=5`) {
		t.Errorf("log:\n%s", got)
	}
}
