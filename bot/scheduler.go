package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/robfig/cron/v3"
)

// Scheduler runs jobs on cron schedules. Specs take an optional seconds
// field and descriptors (@every 30s, @hourly); a "CRON_TZ=Zone " prefix
// sets a job's time zone. A job never runs twice at once (a run that is
// still going skips the next tick) and a panic in one run is logged and
// does not stop later runs.
type Scheduler struct {
	log  *slog.Logger
	cron *cron.Cron

	mu     sync.Mutex
	ctx    context.Context
	groups map[string][]cron.EntryID
}

// CronParser parses BOT_SCAN_SCHEDULE and digest specs.
var CronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// NewScheduler returns a stopped scheduler.
func NewScheduler(log *slog.Logger) *Scheduler {
	l := cronLogger{log}
	return &Scheduler{
		log:    log,
		cron:   cron.New(cron.WithParser(CronParser), cron.WithChain(jobChain(l)...), cron.WithLogger(l)),
		ctx:    context.Background(),
		groups: map[string][]cron.EntryID{},
	}
}

// Add schedules job under group; jobs get the context given to Start.
func (s *Scheduler) Add(group, spec string, job func(ctx context.Context)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.cron.AddFunc(spec, func() {
		s.mu.Lock()
		ctx := s.ctx
		s.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		job(ctx)
	})
	if err != nil {
		return fmt.Errorf("schedule %q: %w", spec, err)
	}
	s.groups[group] = append(s.groups[group], id)
	return nil
}

// Clear removes every job of group.
func (s *Scheduler) Clear(group string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.groups[group] {
		s.cron.Remove(id)
	}
	delete(s.groups, group)
}

// Start runs the schedule until Stop; jobs receive ctx.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	s.cron.Start()
}

// Stop stops scheduling and waits for running jobs to return.
func (s *Scheduler) Stop() {
	<-s.cron.Stop().Done()
}

// jobChain wraps every job. SkipIfStillRunning must wrap Recover: the other
// way round, a panic escapes the skip wrapper before it frees its slot and
// the job never runs again.
func jobChain(l cron.Logger) []cron.JobWrapper {
	return []cron.JobWrapper{cron.SkipIfStillRunning(l), cron.Recover(l)}
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
