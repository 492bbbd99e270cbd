package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
)

// ScanRequest says what `bot scan` reads.
type ScanRequest struct {
	// Paths, when set, are read instead of the corpus and the feeds: files
	// and folders, read whole, with no seen-state.
	Paths []string
	// All lists every document of the corpus folder: files read before are
	// read again, so documents stored by an earlier pass are listed too.
	All bool
}

// ScanList is what one pass of `bot scan` found.
type ScanList struct {
	Report ScanReport
	// Docs are the documents the sources handed over, each once, in input
	// order, with what the engine decided for them in this pass or an
	// earlier one. Doc carries every path the store knows.
	Docs []Outcome
}

// List runs one pass over what req names and returns every document it
// read with what the engine decided.
func (rs *RuleSet) List(ctx context.Context, sh Shared, req ScanRequest) (ScanList, error) {
	var order []string
	record := func(d corpus.Document) { order = append(order, d.ID) }
	var sources []Source
	var feeds *FeedPoller
	if len(req.Paths) > 0 {
		sources = []Source{&pathSource{paths: req.Paths, parser: sh.Parser, record: record}}
	} else {
		seen := corpus.SeenStore(SeenStore{sh.Store})
		if req.All {
			seen = rereadAll{SeenStore{sh.Store}}
		}
		dir := &DirSource{Dir: corpus.DirSource{Root: sh.CorpusDir, Seen: seen, Parser: sh.Parser}}
		sources = []Source{recordingSource{dir, record}}
		feeds = &FeedPoller{Feeds: func() []*FeedSource { return rs.Feeds }, Clock: sh.Clock, Log: sh.Log}
	}
	sc := &Scanner{Sources: sources, Feeds: feeds, Engine: rs.Engine, Log: sh.Log}
	rep, err := sc.Scan(ctx)
	list := ScanList{Report: rep}
	if err != nil {
		return list, err
	}
	byID := map[string]Outcome{}
	for _, o := range rep.Outcomes {
		byID[o.Doc.ID] = o
	}
	done := map[string]bool{}
	for _, id := range order {
		if done[id] {
			continue
		}
		done[id] = true
		o, ok := byID[id]
		if !ok {
			if o, err = storedOutcome(ctx, rs.Engine.Store, id); err != nil {
				return list, err
			}
		}
		if o.Doc, err = rs.Engine.Store.Document(ctx, id); err != nil {
			return list, fmt.Errorf("reading %s: %w", id, err)
		}
		list.Docs = append(list.Docs, o)
	}
	return list, nil
}

// storedOutcome rebuilds what the engine decided for a document processed
// earlier: its analysis, the original it copies and its stories.
func storedOutcome(ctx context.Context, st EngineStore, id string) (Outcome, error) {
	o := Outcome{Stories: map[string]int64{}}
	var err error
	if o.Analysis, err = st.Analysis(ctx, id); err != nil {
		return o, fmt.Errorf("analysis of %s: %w", id, err)
	}
	if o.CopyOf, err = st.CopyOf(ctx, id); err != nil {
		return o, fmt.Errorf("copy of %s: %w", id, err)
	}
	stories, err := st.StoriesOf(ctx, id)
	if err != nil {
		return o, fmt.Errorf("stories of %s: %w", id, err)
	}
	for _, s := range stories {
		o.Stories[s.Rule] = s.ID
	}
	return o, nil
}

// rereadAll reports every file unseen, so each is read again, and records
// them as the directory source does.
type rereadAll struct{ SeenStore }

func (rereadAll) FileSeen(context.Context, string) (int64, time.Time, bool, error) {
	return 0, time.Time{}, false, nil
}

type recordingSource struct {
	Source
	record func(corpus.Document)
}

// LastStats forwards the wrapped source's skip counts (SkipCounter).
func (r recordingSource) LastStats() corpus.Stats {
	if sc, ok := r.Source.(SkipCounter); ok {
		return sc.LastStats()
	}
	return corpus.Stats{}
}

func (r recordingSource) Scan(ctx context.Context, fn corpus.Handler) error {
	return r.Source.Scan(ctx, func(ctx context.Context, d corpus.Document) error {
		r.record(d)
		return fn(ctx, d)
	})
}

// pathSource reads explicit paths with no seen-state.
type pathSource struct {
	paths  []string
	parser corpus.Parser
	record func(corpus.Document)
	last   corpus.Stats
}

// LastStats implements SkipCounter.
func (p *pathSource) LastStats() corpus.Stats { return p.last }

func (p *pathSource) Name() string { return "paths" }

func (p *pathSource) Scan(ctx context.Context, fn corpus.Handler) error {
	st, err := corpus.ReadPaths(ctx, &p.parser, p.paths, func(ctx context.Context, d corpus.Document) error {
		p.record(d)
		return fn(ctx, d)
	})
	p.last = st
	return err
}
