package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Analyzer finds the places and rule matches of a document's text.
type Analyzer interface {
	Analyze(text string) corpus.Analysis
}

// EngineStore is what the engine reads and writes: it reads documents to
// process and writes what it decided for a batch of them in one
// transaction. The scanner stores documents through it too.
type EngineStore interface {
	store.Documents
	store.Ingest
	store.Writer
	store.Sketches
	store.Copies
	store.StoryReader
	store.Mutes
}

// Defaults for rules that do not set their own.
const (
	DefaultGroupWindow    = 48 * time.Hour
	DefaultUpdateInterval = 10 * time.Minute
)

// DefaultBatch is how many documents the engine processes, and the scanner
// stores, in one transaction.
const DefaultBatch = 512

// Engine turns documents into stories and outbox rows. Its methods are safe
// to call from one goroutine at a time (the scheduler guarantees it).
type Engine struct {
	Store    EngineStore
	Analyzer Analyzer
	// Copies finds near-copies; nil turns copy detection off.
	Copies *Copies
	Rules  *rules.Config
	// Routes maps a channel name of rules.yaml to where it posts.
	Routes map[string][]Dest
	Clock  Clock
	Log    *slog.Logger
	// Batch is how many documents are written in one transaction
	// (DefaultBatch when zero).
	Batch int
	// DryRun computes everything but enqueues nothing.
	DryRun bool
	// Notify, when set, is called after rows were enqueued (to wake the
	// delivery loop).
	Notify func()
	// Metrics counts the stories opened (nil: not counted).
	Metrics *Metrics
}

// Outcome is what the engine decided for one document.
type Outcome struct {
	Doc      corpus.Document
	Analysis corpus.Analysis
	CopyOf   string
	// Stories maps each matched rule to the story the document joined.
	Stories map[string]int64
	// Enqueued counts outbox rows added or extended.
	Enqueued int
}

// work is one document on its way through the engine.
type work struct {
	doc      corpus.Document
	analysis corpus.Analysis
	fp       *dedup.Fingerprint
	verdict  dedup.Verdict
	// err is why copy detection failed.
	err error
	out Outcome
	// opened are the rules whose story the document opened.
	opened []string
}

func (e *Engine) batch() int {
	if e.Batch > 0 {
		return e.Batch
	}
	return DefaultBatch
}

// ProcessPending processes every stored document not yet processed, oldest
// publication first, so the earliest report of a story is its alert even
// when files were read in another order. Documents go through in batches:
// one goroutine analyses and fingerprints a batch and checks it for copies,
// in order, while the batch before is written, in one transaction that
// records everything decided for it. Each outcome is handed to each (when
// set) once its batch is committed; it returns how many documents were
// processed. A document that fails stays pending, is tried again at the
// next pass, and the others go on; the error returned is the first such
// failure.
func (e *Engine) ProcessPending(ctx context.Context, each func(Outcome)) (int, error) {
	pages := make(chan []*work, 1)
	readErr := make(chan error, 1)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { readErr <- e.readPages(pctx, pages) }()
	// A failure shared by many documents (a full disk) is logged once,
	// with a count, at the end of the pass.
	var errs errorTally
	defer errs.log(ctx, e.Log, slog.LevelError)
	// Documents checked for copies but not written stay pending: they leave
	// the copy index, or the next pass would find them there (an original
	// would meet its own later copy and be taken for a copy of it).
	var unwritten []string
	defer func() { e.forget(unwritten) }()
	done, firstErr := 0, error(nil)
	for page := range pages {
		n, err := e.processPage(ctx, page, each, &errs, &unwritten)
		done += n
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			cancel()
			for page := range pages { // let the reader end
				for _, w := range page {
					unwritten = append(unwritten, w.doc.ID)
				}
			}
			return done, ctx.Err()
		}
	}
	if err := <-readErr; err != nil {
		return done, err
	}
	return done, firstErr
}

// readPages sends the pending documents page by page, each prepared
// (analysed, fingerprinted and checked for copies), and closes pages when
// there are no more. Three stages run at once, each on a goroutine of its
// own: the store lists a page while the page before it is analysed and
// fingerprinted (on every processor) and the one before that is checked
// for copies (one document after the other, in order, as copy detection
// needs), so that the writer of ProcessPending waits on none of them.
func (e *Engine) readPages(ctx context.Context, pages chan<- []*work) error {
	defer close(pages)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listed, prepared := make(chan []corpus.Document, 1), make(chan []*work, 1)
	listErr := make(chan error, 1)
	go func() {
		defer close(listed)
		listErr <- e.listPending(ctx, listed)
	}()
	go func() {
		defer close(prepared)
		for docs := range listed {
			if ctx.Err() != nil {
				continue // let the listing end; analyse nothing more
			}
			select {
			case prepared <- e.prepare(docs):
			case <-ctx.Done():
			}
		}
	}()
	err := e.checkPages(ctx, prepared, pages)
	cancel()
	for range prepared { // let the other stages end
	}
	if lerr := <-listErr; err == nil {
		err = lerr
	}
	return err
}

// listPending sends the pending documents, oldest publication first, a
// page at a time, until there are no more.
func (e *Engine) listPending(ctx context.Context, out chan<- []corpus.Document) error {
	var pub time.Time
	id := ""
	for {
		docs, err := e.Store.PendingAfter(ctx, pub, id, e.batch())
		if err != nil {
			return fmt.Errorf("listing pending documents: %w", err)
		}
		if len(docs) == 0 {
			return nil
		}
		last := docs[len(docs)-1]
		pub, id = last.Published, last.ID
		select {
		case out <- docs:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// checkPages checks each prepared page for copies, in order, and sends it
// on to be written.
func (e *Engine) checkPages(ctx context.Context, prepared <-chan []*work, pages chan<- []*work) error {
	for page := range prepared {
		// The index is loaded only when there is something to check.
		if err := e.Copies.ensureLoaded(ctx, e.Store, e.Clock.Now(), e.Log); err != nil {
			return err
		}
		for _, w := range page {
			w.err = e.checkCopy(ctx, w)
		}
		select {
		case pages <- page:
		case <-ctx.Done():
			ids := make([]string, len(page))
			for i, w := range page {
				ids[i] = w.doc.ID
			}
			e.forget(ids)
			return ctx.Err()
		}
	}
	return ctx.Err()
}

// prepare analyses and fingerprints docs, on as many goroutines as there
// are processors, and returns them in order of publication, then path.
func (e *Engine) prepare(docs []corpus.Document) []*work {
	slices.SortStableFunc(docs, func(a, b corpus.Document) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	page := make([]*work, len(docs))
	parallel(len(docs), func(i int) {
		text := docs[i].Text()
		w := &work{doc: docs[i], analysis: e.Analyzer.Analyze(text)}
		if e.Copies != nil {
			w.fp = e.Copies.Detector.Fingerprint(text)
		}
		page[i] = w
	})
	return page
}

// processPage writes everything decided for a page of documents in one
// transaction. When that fails it writes them one per transaction, so
// that one bad document does not hold up the others.
func (e *Engine) processPage(ctx context.Context, page []*work, each func(Outcome), errs *errorTally, unwritten *[]string) (int, error) {
	var firstErr error
	ok := page[:0:0]
	for _, w := range page {
		if w.err != nil {
			e.failed(w, w.err, &firstErr, errs)
			*unwritten = append(*unwritten, w.doc.ID)
			continue
		}
		ok = append(ok, w)
	}
	if len(ok) == 0 {
		return 0, firstErr
	}
	mutes, err := e.mutes(ctx, ok)
	if err != nil {
		for _, w := range ok {
			*unwritten = append(*unwritten, w.doc.ID)
		}
		return 0, err
	}
	done := 0
	if err := e.write(ctx, ok, mutes); err == nil {
		done = len(ok)
		e.finish(ok, each)
	} else {
		e.Log.Warn("batch not written; writing its documents one by one", "documents", len(ok), "err", err)
		for _, w := range ok {
			if err := e.write(ctx, []*work{w}, mutes); err != nil {
				e.failed(w, err, &firstErr, errs)
				*unwritten = append(*unwritten, w.doc.ID)
				continue
			}
			done++
			e.finish([]*work{w}, each)
		}
	}
	return done, firstErr
}

// failed counts a document that is left pending for the next pass; errs
// logs it at the end of the pass.
func (e *Engine) failed(w *work, err error, first *error, errs *errorTally) {
	errs.add("document not processed; will retry", err, "id", w.doc.ID, "path", w.doc.Path)
	if *first == nil {
		*first = fmt.Errorf("processing %s (%s): %w", w.doc.ID, w.doc.Path, err)
	}
}

// forget takes documents checked for copies but left unwritten out of the
// copy index.
func (e *Engine) forget(ids []string) {
	if e.Copies != nil && len(ids) > 0 {
		e.Copies.Detector.Forget(ids)
	}
}

// copyTime is the time copy detection files a document published at under,
// checked at now: a date more than corpus.MaxFutureSkew ahead of now (the
// corpus clamps what it reads, but not every document comes through it)
// counts as now, so that one document dated years ahead does not age every
// other document out of the copy index.
func copyTime(published, now time.Time) time.Time {
	if published.After(now.Add(corpus.MaxFutureSkew)) {
		return now
	}
	return published
}

// checkCopy runs copy detection on a prepared document.
func (e *Engine) checkCopy(ctx context.Context, w *work) error {
	w.out = Outcome{Doc: w.doc, Analysis: w.analysis, Stories: map[string]int64{}}
	if e.Copies == nil || w.fp == nil {
		return nil
	}
	v, err := e.Copies.Detector.CheckFingerprint(ctx, w.doc.ID, copyTime(w.doc.Published, e.Clock.Now()), w.fp)
	if err != nil {
		return fmt.Errorf("copy detection: %w", err)
	}
	w.verdict = v
	if v.CopyOf != "" && v.CopyOf != w.doc.ID {
		w.out.CopyOf = v.CopyOf
	}
	return nil
}

// mutes returns the mutes in force when a document of the batch matched a
// rule.
func (e *Engine) mutes(ctx context.Context, ws []*work) ([]store.Mute, error) {
	for _, w := range ws {
		if len(w.analysis.Matches) > 0 {
			m, err := e.Store.Mutes(ctx, e.Clock.Now())
			if err != nil {
				return nil, fmt.Errorf("reading mutes: %w", err)
			}
			return m, nil
		}
	}
	return nil, nil
}

// write records, in one transaction, what the engine found and decided
// for ws: analyses, sketches, copies, stories, outbox rows, and that they
// are processed.
func (e *Engine) write(ctx context.Context, ws []*work, mutes []store.Mute) error {
	for _, w := range ws {
		w.out.Stories, w.out.Enqueued, w.opened = map[string]int64{}, 0, nil
	}
	return e.Store.Write(ctx, func(tx store.Tx) error {
		// Placing documents in stories reads the store, and a store may
		// write what it was handed before each read (SQLite does). So the
		// rows of each document (analysis, sketch, copy, processed mark)
		// are handed over once every document of the batch is placed, and
		// go in as a few statements for the whole batch.
		for _, w := range ws {
			if err := e.placeMatches(ctx, tx, w, mutes); err != nil {
				return fmt.Errorf("document %s (%s): %w", w.doc.ID, w.doc.Path, err)
			}
		}
		for _, w := range ws {
			if err := e.record(ctx, tx, w); err != nil {
				return fmt.Errorf("document %s (%s): %w", w.doc.ID, w.doc.Path, err)
			}
		}
		return nil
	})
}

// placeMatches places a document in the stories of the rules it matched.
func (e *Engine) placeMatches(ctx context.Context, tx store.Tx, w *work, mutes []store.Mute) error {
	for _, m := range w.analysis.Matches {
		rule := e.rule(m.Rule)
		if rule == nil {
			continue
		}
		id, n, opened, err := e.place(ctx, tx, w.doc, w.out.CopyOf, rule, m, mutes, w.analysis.Regions)
		if err != nil {
			return fmt.Errorf("rule %s: %w", m.Rule, err)
		}
		if opened {
			w.opened = append(w.opened, rule.Name)
		}
		w.out.Stories[m.Rule] = id
		w.out.Enqueued += n
	}
	return nil
}

// record writes what was found for one document, and that it is
// processed.
func (e *Engine) record(ctx context.Context, tx store.Tx, w *work) error {
	d := w.doc
	if err := tx.SetAnalysis(ctx, d.ID, w.analysis); err != nil {
		return fmt.Errorf("storing analysis: %w", err)
	}
	if w.verdict.Sketch != nil {
		if err := tx.SetSketch(ctx, d.ID, w.verdict.Sketch); err != nil {
			return fmt.Errorf("storing sketch: %w", err)
		}
	}
	if w.out.CopyOf != "" {
		if err := tx.SetCopyOf(ctx, d.ID, w.out.CopyOf); err != nil {
			return fmt.Errorf("recording copy: %w", err)
		}
	}
	if err := tx.MarkProcessed(ctx, d.ID); err != nil {
		return fmt.Errorf("marking processed: %w", err)
	}
	return nil
}

// finish hands over the outcomes of a committed batch and wakes the
// delivery loop when rows were enqueued.
func (e *Engine) finish(ws []*work, each func(Outcome)) {
	enqueued := 0
	for _, w := range ws {
		enqueued += w.out.Enqueued
		for _, r := range w.opened {
			e.Metrics.Use().StoriesOpened.Inc(r)
		}
		for _, m := range w.analysis.Matches {
			e.Metrics.Use().RuleMatches.Inc(m.Rule)
		}
		if each != nil {
			each(w.out)
		}
	}
	if enqueued > 0 && e.Notify != nil {
		e.Notify()
	}
}

// Process processes one stored document as ProcessPending does, whether
// or not it was processed before, and returns its outcome. Processing a
// document again enqueues nothing new.
func (e *Engine) Process(ctx context.Context, d corpus.Document) (Outcome, error) {
	if err := e.Copies.ensureLoaded(ctx, e.Store, e.Clock.Now(), e.Log); err != nil {
		return Outcome{}, err
	}
	page := e.prepare([]corpus.Document{d})
	if err := e.checkCopy(ctx, page[0]); err != nil {
		return page[0].out, err
	}
	mutes, err := e.mutes(ctx, page)
	if err != nil {
		return page[0].out, err
	}
	if err := e.write(ctx, page, mutes); err != nil {
		return page[0].out, err
	}
	e.finish(page, nil)
	return page[0].out, nil
}

func (e *Engine) rule(name string) *rules.Rule {
	for i := range e.Rules.Rules {
		if e.Rules.Rules[i].Name == name {
			return &e.Rules.Rules[i]
		}
	}
	return nil
}
