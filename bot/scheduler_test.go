package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/robfig/cron/v3"
)

func TestJobChainSurvivesPanics(t *testing.T) {
	var runs atomic.Int32
	job := cron.NewChain(jobChain(cronLogger{slog.New(slog.DiscardHandler)})...).Then(cron.FuncJob(func() {
		runs.Add(1)
		panic("scan exploded")
	}))
	job.Run()
	job.Run()
	job.Run()
	if n := runs.Load(); n != 3 {
		t.Fatalf("job ran %d times after panics, want 3 (a panic must not stop later runs)", n)
	}
}

func TestJobChainSkipsOverlappingRuns(t *testing.T) {
	var runs atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{})
	job := cron.NewChain(jobChain(cronLogger{slog.New(slog.DiscardHandler)})...).Then(cron.FuncJob(func() {
		if runs.Add(1) == 1 {
			close(started)
			<-release
		}
	}))
	done := make(chan struct{})
	go func() { job.Run(); close(done) }()
	<-started
	job.Run() // the first run still goes: skipped
	close(release)
	<-done
	job.Run()
	if n := runs.Load(); n != 2 {
		t.Fatalf("%d runs, want 2 (one skipped while the first was running)", n)
	}
}

func TestCronParserAcceptsSecondsAndDescriptors(t *testing.T) {
	for _, spec := range []string{"@every 2s", "*/10 * * * * *", "0 8 * * *", "CRON_TZ=Asia/Kabul 0 8 * * *", "@hourly"} {
		if _, err := CronParser.Parse(spec); err != nil {
			t.Errorf("%q: %v", spec, err)
		}
	}
	for _, spec := range []string{"every minute", "61 * * * *"} {
		if _, err := CronParser.Parse(spec); err == nil {
			t.Errorf("%q accepted", spec)
		}
	}
}

func TestDigestJobSpec(t *testing.T) {
	spec, err := DigestJob{Digest: "d", At: "07:30", Timezone: "Asia/Kabul"}.Spec()
	if err != nil || spec != "CRON_TZ=Asia/Kabul 30 7 * * *" {
		t.Fatalf("spec %q %v", spec, err)
	}
	if _, err := (DigestJob{Digest: "d", At: "7:30"}).Spec(); err == nil {
		t.Error("7:30 accepted")
	}
	if _, err := (DigestJob{Digest: "d", At: "07:30", Timezone: "Mars/Olympus"}).Spec(); err == nil {
		t.Error("unknown zone accepted")
	}
	s := NewScheduler(slog.New(slog.DiscardHandler))
	if err := s.Add("digest", spec, func(context.Context) {}); err != nil {
		t.Fatal(err)
	}
	s.Clear("digest")
	if len(s.cron.Entries()) != 0 {
		t.Fatal("Clear left entries")
	}
}
