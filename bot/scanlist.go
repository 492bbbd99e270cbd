package bot

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

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

// ScanOutput prints what one pass of `bot scan` found.
type ScanOutput struct {
	W io.Writer
	// JSON prints one JSON object per document read, in input order, with
	// what the engine decided for it in this pass or an earlier one;
	// otherwise the documents of the pass that matched a rule print as
	// they are processed, then a count.
	JSON bool
	// DryRun says nothing is stored (the count says so).
	DryRun bool
	// Places names the countries of the JSON output.
	Places PlaceLookup
}

// List runs one pass over what req names and prints it to out, with
// memory that does not grow with the documents: the summary prints each
// document as it is processed, and the JSON output keeps only the IDs of
// the documents read (16 bytes each) and reads each back from the store.
func (rs *RuleSet) List(ctx context.Context, sh Shared, req ScanRequest, out ScanOutput) (ScanReport, error) {
	var order idList
	record := func(d corpus.Document) { order.add(d.ID) }
	if !out.JSON {
		record = func(corpus.Document) {}
	}
	ing := &Ingester{Store: sh.Store}
	var sources []Source
	var feeds *FeedPoller
	if len(req.Paths) > 0 {
		sources = []Source{&pathSource{paths: req.Paths, parser: sh.Parser, record: record}}
	} else {
		dir := NewDirSource(sh.CorpusDir, sh.Store, ing, sh.Parser)
		dir.All = req.All
		sources = []Source{recordingSource{dir, record}}
		feeds = &FeedPoller{Feeds: func() []*FeedSource { return rs.Feeds }, Clock: sh.Clock, Log: sh.Log}
	}
	sum := &summary{w: out.W}
	sc := &Scanner{Sources: sources, Feeds: feeds, ObserveFeeds: record, Engine: rs.Engine, Ingest: ing, Log: sh.Log}
	if !out.JSON {
		sc.Each = sum.add
	}
	rep, err := sc.Scan(ctx)
	if err != nil {
		return rep, err
	}
	if out.JSON {
		return rep, writeScanJSON(ctx, out.W, rs.Engine.Store, order, out.Places)
	}
	return rep, sum.finish(rep, out.DryRun)
}

// idList keeps document IDs in the order they were read, 16 bytes each
// when they are ContentIDs.
type idList struct {
	bin   [][16]byte
	other map[int]string // IDs that are not 32 hex digits, by position
}

func (l *idList) add(id string) {
	var b [16]byte
	if len(id) == 32 {
		if _, err := hex.Decode(b[:], []byte(id)); err == nil {
			l.bin = append(l.bin, b)
			return
		}
	}
	if l.other == nil {
		l.other = map[int]string{}
	}
	l.other[len(l.bin)] = id
	l.bin = append(l.bin, [16]byte{})
}

// each calls fn with every ID once, in the order first read.
func (l *idList) each(fn func(id string) error) error {
	// IDs read more than once (exact duplicates) are found by sorting a
	// copy; only they need remembering.
	sorted := slices.Clone(l.bin)
	slices.SortFunc(sorted, func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) })
	twice := map[[16]byte]bool{}
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			twice[sorted[i]] = false
		}
	}
	sorted = nil
	seenOther := map[string]bool{}
	for i, b := range l.bin {
		if id, ok := l.other[i]; ok {
			if seenOther[id] {
				continue
			}
			seenOther[id] = true
			if err := fn(id); err != nil {
				return err
			}
			continue
		}
		if done, dup := twice[b]; dup {
			if done {
				continue
			}
			twice[b] = true
		}
		if err := fn(hex.EncodeToString(b[:])); err != nil {
			return err
		}
	}
	return nil
}

// storedOutcome reads back a document and what the engine decided for
// it: its analysis, the original it copies and its stories.
func storedOutcome(ctx context.Context, st EngineStore, id string) (Outcome, error) {
	o := Outcome{Stories: map[string]int64{}}
	var err error
	if o.Doc, err = st.Document(ctx, id); err != nil {
		return o, fmt.Errorf("reading %s: %w", id, err)
	}
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
