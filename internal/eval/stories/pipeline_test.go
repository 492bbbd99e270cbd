package stories_test

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/synth"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

var (
	flagOriginals = flag.Int("originals", 500, "originals in the generated set (copies, rewrites, related and unrelated articles scale with it)")
	flagSeed      = flag.Uint64("seed", 1, "seed of the generated set and of the publication offsets")
	flagShuffled  = flag.Bool("shuffled", true, "also run the set stored in a shuffled order (file order that does not follow publication)")
)

// rulesYAML is the configuration under test. "news" is broad (almost every
// article says "said" or "says" and names a place), so it sees nearly the
// whole stream and its stories are decided by the group key and window
// alone; news-country and news-place are the same rule grouped by country
// and by place, to show what the key's granularity does. opec-oil is a
// narrower topical rule restricted to regions, so documents of one true
// story can fall out of it. provincial-capital-assault is the rule of the
// shipped rules.yaml, for the seeds.
const rulesYAML = `
timezone: UTC
channels:
  desk: { console: true }
regions:
  western-afghanistan: [herat, badghis, farah, ghor]
  opec: [saudi arabia, iran, iraq, kuwait, united arab emirates, qatar, venezuela, nigeria, libya, algeria, indonesia, ecuador, gabon]
aliases:
  Qalay-i-Naw: Qala-i-Naw
rules:
  - name: news
    keywords: { any: [said, says, told, announced, reported] }
    channels: [desk]
  - name: news-country
    keywords: { any: [said, says, told, announced, reported] }
    channels: [desk]
    group_by: country
  - name: news-place
    keywords: { any: [said, says, told, announced, reported] }
    channels: [desk]
    group_by: place
  - name: opec-oil
    keywords: { any: [oil, crude, opec, petroleum, refinery, refineries, barrels, gasoline] }
    regions: [opec]
    channels: [desk]
  - name: provincial-capital-assault
    keywords:
      any: [assault, offensive, stormed, seized, "all-out assault", captured, fighting]
      all: [taliban]
    regions: [western-afghanistan]
    channels: [desk]
    group_window: 2d
`

// Publication offsets of copies and rewrites after their original.
const (
	lateShareCopy    = 0.15 // copies published 72-144h after the original
	lateShareRewrite = 0.30 // rewrites published 72-144h after the original
)

// fixedClock never moves: the engine reads it for mutes and timestamps.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                       { return c.t }
func (c fixedClock) After(time.Duration) <-chan time.Time { return make(chan time.Time) }

type analyzer struct{ m *rules.Matcher }

func (a analyzer) Analyze(text string) corpus.Analysis { return a.m.Analysis(a.m.Match(text)) }

// item is one labelled document.
type item struct {
	doc   corpus.Document
	truth int // true story
	kind  synth.Kind
	// late: a copy or rewrite published 72h or more after its original.
	late bool
	// orig is the document ID of the original of a copy or rewrite.
	orig string
}

// pipeline is the real thing on a fresh SQLite file.
type pipeline struct {
	cfg    *rules.Config
	st     *sqlite.DB
	engine *bot.Engine
}

func newPipeline(t *testing.T) *pipeline {
	t.Helper()
	ctx := context.Background()
	cfg, err := rules.Parse("storyeval.yaml", []byte(rulesYAML))
	if err != nil {
		t.Fatal(err)
	}
	m, err := rules.Compile(cfg, geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	clock := fixedClock{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "stories.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Now = clock.Now
	t.Cleanup(func() { st.Close() })
	// As cmd/bot wires it: the dedup options of rules.yaml.
	det, err := bot.NewCopies(st, dedup.Options{Shingle: cfg.Dedup.Shingle, Containment: cfg.Dedup.Containment})
	if err != nil {
		t.Fatal(err)
	}
	e := &bot.Engine{Store: st, Analyzer: analyzer{m}, Copies: det, Rules: cfg, Clock: clock,
		Log: slog.New(slog.DiscardHandler)}
	return &pipeline{cfg: cfg, st: st, engine: e}
}

// run stores the items in the given order and processes them.
func (p *pipeline) run(t *testing.T, items []item) (map[string]bot.Outcome, []bot.Outcome) {
	t.Helper()
	ctx := context.Background()
	for _, it := range items {
		if _, err := p.st.PutDocument(ctx, it.doc); err != nil {
			t.Fatal(err)
		}
	}
	var outs []bot.Outcome
	if _, err := p.engine.ProcessPending(ctx, func(o bot.Outcome) { outs = append(outs, o) }); err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]bot.Outcome, len(outs))
	for _, o := range outs {
		byID[o.Doc.ID] = o
	}
	if len(byID) != len(items) {
		t.Fatalf("%d outcomes for %d documents", len(byID), len(items))
	}
	return byID, outs
}

// reutersDate parses "26-FEB-1987 15:01:51.79".
func reutersDate(s string) (time.Time, bool) {
	s, _, _ = strings.Cut(strings.TrimSpace(s), ".")
	t, err := time.Parse("2-Jan-2006 15:04:05", s)
	return t, err == nil
}

// bbcDate places a BBC article (the data set has no dates) at a fixed
// pseudo-random second of 2005, from its ID.
func bbcDate(id string) time.Time {
	h := fnv.New64a()
	io.WriteString(h, id)
	year := int64(365 * 24 * 3600)
	return time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(int64(h.Sum64()%uint64(year))) * time.Second)
}

// labelledSet generates the syndication set and dates it: an original, a
// related or an unrelated article is published at its Reuters DATE (BBC:
// a fixed day of 2005); copies follow their original by 5 min to 24 h, or
// (lateShareCopy of them) by 72 to 144 h; rewrites by -12 to +24 h, or
// (lateShareRewrite) by 72 to 144 h. The true story of a document is its
// original's: original, copies and rewrites are one story; related and
// unrelated articles are stories of their own.
func labelledSet(t *testing.T, n int, seed uint64) []item {
	t.Helper()
	rdir, ok1 := dataset.Dir("reuters21578")
	bdir, ok2 := dataset.Dir("bbc-news")
	if !ok1 || !ok2 {
		t.Skip("reuters21578 or bbc-news not found (set WIREWATCH_DATA)")
	}
	stories, err := dataset.Reuters(rdir)
	if err != nil {
		t.Fatal(err)
	}
	arts, err := dataset.BBC(bdir)
	if err != nil {
		t.Fatal(err)
	}
	dates := map[string]time.Time{}
	for _, s := range stories {
		if d, ok := reutersDate(s.Date); ok {
			dates["reuters/"+s.NewID] = d
		}
	}
	const minWords, maxShare = 60, 0.3 // as dedup/eval
	pools := [][]synth.Article{
		synth.Clean(synth.FromReuters(stories), minWords, maxShare),
		synth.Clean(synth.FromBBC(arts), minWords, maxShare),
	}
	docs, err := synth.Generate(pools, synth.Config{Seed: seed, Originals: n})
	if err != nil {
		t.Fatal(err)
	}
	base := func(source string) time.Time {
		if d, ok := dates[source]; ok {
			return d
		}
		if !strings.HasPrefix(source, "bbc/") {
			t.Fatalf("no date for %s", source)
		}
		return bbcDate(source)
	}
	r := rand.New(rand.NewPCG(seed, 0x5151))
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + (hi-lo)*r.Float64()) * float64(time.Hour))
	}
	type orig struct {
		at    time.Time
		truth int
		id    string
	}
	bySource := map[string]orig{}
	var out []item
	seen := map[string]bool{}
	// Originals first, so copies and rewrites find them; synth.Generate
	// returns its own order, in which a rewrite may precede its original.
	slices.SortStableFunc(docs, func(a, b synth.Doc) int {
		return cmp.Compare(b2i(a.Kind != synth.Original), b2i(b.Kind != synth.Original))
	})
	for i, d := range docs {
		it := item{kind: d.Kind, truth: d.Group}
		var at time.Time
		switch d.Kind {
		case synth.Original, synth.Related, synth.Unrelated:
			at = base(d.Source)
		case synth.Copy, synth.Rewrite:
			o, ok := bySource[d.Source]
			if !ok {
				t.Fatalf("%s %s before its original", d.Kind, d.ID)
			}
			it.truth, it.orig = o.truth, o.id
			share, lo, hi := lateShareCopy, 5.0/60, 24.0
			if d.Kind == synth.Rewrite {
				share, lo, hi = lateShareRewrite, -12, 24
			}
			if r.Float64() < share {
				it.late = true
				lo, hi = 72, 144
			}
			at = o.at.Add(hours(lo, hi))
		}
		title, _, _ := strings.Cut(d.Text, "\n")
		if len(title) > 120 {
			title = title[:120]
		}
		it.doc = corpus.Document{
			Source: fmt.Sprintf("outlet-%d", i%7), Path: fmt.Sprintf("synth/%05d_%s.txt", i, d.ID),
			Title: title, TitleDerived: true, Body: d.Text, Published: at.UTC(),
		}
		it.doc.ID = corpus.ContentID(it.doc.Text())
		if seen[it.doc.ID] {
			continue // an exact duplicate is one document in the store
		}
		seen[it.doc.ID] = true
		if d.Kind == synth.Original {
			bySource[d.Source] = orig{at: at, truth: d.Group, id: it.doc.ID}
		}
		out = append(out, it)
	}
	// A live stream: stored in publication order.
	slices.SortStableFunc(out, func(a, b item) int {
		return cmp.Or(a.doc.Published.Compare(b.doc.Published), strings.Compare(a.doc.ID, b.doc.ID))
	})
	return out
}
