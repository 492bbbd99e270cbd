package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/digest"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// DigestStore is what the digester reads (stories, documents,
// subscriptions) and writes (the digest's outbox row).
type DigestStore interface {
	digest.Source
	store.Subscriptions
	// Enqueue adds r to the outbox unless a row with r.Key exists.
	Enqueue(ctx context.Context, r store.OutboxRow) (inserted bool, err error)
}

// Digester builds digests and enqueues the scheduled ones.
type Digester struct {
	Store  DigestStore
	Rules  *rules.Config
	Routes map[string][]Dest
	Clock  Clock
	Log    *slog.Logger
	// Notify, when set, is called after a digest was enqueued.
	Notify func()
}

// DigestJob is one digest due daily in one destination.
type DigestJob struct {
	Digest   string
	Dest     Dest
	At       string
	Timezone string
}

// Spec returns the cron spec of the job: CRON_TZ=zone M H * * *.
func (j DigestJob) Spec() (string, error) {
	d, err := ParseClock(j.At)
	if err != nil {
		return "", err
	}
	tz := firstNonEmpty(j.Timezone, "UTC")
	if _, err := time.LoadLocation(tz); err != nil {
		return "", fmt.Errorf("digest %s: timezone %q: %w", j.Digest, tz, err)
	}
	return fmt.Sprintf("CRON_TZ=%s %d %d * * *", tz, int(d.Minutes())%60, int(d.Hours())), nil
}

// Jobs returns the digests to schedule: those rules.yaml sends to its
// channels, overridden or extended by /subscribe subscriptions.
func (g *Digester) Jobs(ctx context.Context) ([]DigestJob, error) {
	var jobs []DigestJob
	index := map[string]int{}
	add := func(j DigestJob) {
		k := j.Digest + "|" + j.Dest.String()
		if i, ok := index[k]; ok {
			jobs[i] = j
			return
		}
		index[k] = len(jobs)
		jobs = append(jobs, j)
	}
	for _, d := range g.Rules.Digests {
		for _, c := range d.Channels {
			for _, dest := range g.Routes[c] {
				add(DigestJob{Digest: d.Name, Dest: dest, At: d.At, Timezone: firstNonEmpty(d.Timezone, g.Rules.Timezone)})
			}
		}
	}
	subs, err := g.Store.Subscriptions(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading subscriptions: %w", err)
	}
	for _, s := range subs {
		add(DigestJob{Digest: s.Digest, Dest: Dest{Transport: s.Transport, Channel: s.Channel}, At: s.At, Timezone: s.Timezone})
	}
	return jobs, nil
}

func (g *Digester) find(name string) *rules.Digest {
	for i := range g.Rules.Digests {
		if strings.EqualFold(g.Rules.Digests[i].Name, name) {
			return &g.Rules.Digests[i]
		}
	}
	return nil
}

// Build builds digest name for the 24 hours before now, its times in the
// digest's zone.
func (g *Digester) Build(ctx context.Context, name string) (chat.Message, error) {
	return g.build(ctx, name, "")
}

// build is Build with times in zone (an IANA name) unless it is empty.
func (g *Digester) build(ctx context.Context, name, zone string) (chat.Message, error) {
	d := g.find(name)
	if d == nil {
		return chat.Message{}, &UnknownDigestError{Name: name}
	}
	loc, err := time.LoadLocation(firstNonEmpty(zone, d.Timezone, g.Rules.Timezone, "UTC"))
	if err != nil {
		loc = time.UTC
	}
	now := g.Clock.Now()
	dg, err := digest.Build(ctx, g.Store, digest.Spec{
		Name: d.Name, Rules: d.Rules, Max: d.Max,
		Since: now.Add(-digest.Period), Until: now, Location: loc,
	})
	if err != nil {
		return chat.Message{}, err
	}
	return dg.Message(), nil
}

// BuildFor builds the digest name for dest now; with no name, the first
// digest rules.yaml sends to dest's channel, else the first digest.
func (g *Digester) BuildFor(ctx context.Context, name string, dest Dest) (chat.Message, error) {
	return g.buildFor(ctx, name, dest, "")
}

// buildFor is BuildFor with times in zone unless it is empty.
func (g *Digester) buildFor(ctx context.Context, name string, dest Dest, zone string) (chat.Message, error) {
	if name == "" {
		for _, d := range g.Rules.Digests {
			for _, c := range d.Channels {
				if slices.ContainsFunc(g.Routes[c], func(x Dest) bool { return x.Transport == dest.Transport && x.Channel == dest.Channel }) {
					name = d.Name
					break
				}
			}
			if name != "" {
				break
			}
		}
		if name == "" && len(g.Rules.Digests) > 0 {
			name = g.Rules.Digests[0].Name
		}
		if name == "" {
			return chat.Message{}, &UnknownDigestError{Name: "(none configured)"}
		}
	}
	m, err := g.build(ctx, name, zone)
	m.Channel = dest.Channel
	return m, err
}

// Enqueue builds the job's digest and puts it in the outbox, keyed by
// digest, destination and local date, so a restart on the same day never
// sends it twice.
func (g *Digester) Enqueue(ctx context.Context, j DigestJob) error {
	loc, err := time.LoadLocation(firstNonEmpty(j.Timezone, "UTC"))
	if err != nil {
		loc = time.UTC
	}
	return g.EnqueueNow(ctx, j, g.Clock.Now().In(loc).Format("2006-01-02"))
}

// EnqueueNow builds the job's digest, its times in the job's zone (a
// subscription's own), and puts it in the outbox under the given occasion
// (a local date for the schedule, a timestamp for a digest asked for by
// hand).
func (g *Digester) EnqueueNow(ctx context.Context, j DigestJob, occasion string) error {
	m, err := g.buildFor(ctx, j.Digest, j.Dest, j.Timezone)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding digest: %w", err)
	}
	ins, err := g.Store.Enqueue(ctx, store.OutboxRow{
		Key: "digest/" + j.Digest + "/" + j.Dest.String() + "/" + occasion, Transport: j.Dest.Transport,
		Channel: j.Dest.Channel, Kind: store.OutboxDigest, Payload: payload,
	})
	if err != nil {
		return fmt.Errorf("enqueueing digest: %w", err)
	}
	if ins && g.Notify != nil {
		g.Notify()
	}
	g.Log.Info("digest enqueued", "digest", j.Digest, "dest", j.Dest.String(), "stories", len(m.Items), "new", ins)
	return nil
}

// Reschedule replaces the scheduler's digest jobs with Jobs().
func (g *Digester) Reschedule(ctx context.Context, s *Scheduler) error {
	jobs, err := g.Jobs(ctx)
	if err != nil {
		return err
	}
	s.Clear("digest")
	for _, j := range jobs {
		spec, err := j.Spec()
		if err != nil {
			g.Log.Error("digest not scheduled", "digest", j.Digest, "dest", j.Dest.String(), "err", err)
			continue
		}
		if err := s.Add("digest", spec, func(ctx context.Context) {
			if err := g.Enqueue(ctx, j); err != nil {
				g.Log.Error("digest failed", "digest", j.Digest, "dest", j.Dest.String(), "err", err)
			}
		}); err != nil {
			g.Log.Error("digest not scheduled", "digest", j.Digest, "err", err)
		}
	}
	return nil
}

// EnqueueByHand queues digest name (every digest when name is "") for each
// destination that gets it, now, and returns how many it queued. Each gets
// a key of its own: a digest asked for now neither replaces nor is
// swallowed by the day's scheduled one.
func (g *Digester) EnqueueByHand(ctx context.Context, name string) (int, error) {
	jobs, err := g.Jobs(ctx)
	if err != nil {
		return 0, err
	}
	occasion := "manual-" + g.Clock.Now().UTC().Format("20060102T150405")
	queued := 0
	for _, j := range jobs {
		if name == "" || j.Digest == name {
			if err := g.EnqueueNow(ctx, j, occasion); err != nil {
				return queued, err
			}
			queued++
		}
	}
	return queued, nil
}
