package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// docWrite is one of the per-document writes the engine makes in its
// transaction: an analysis, a sketch, a copy or a processed mark of
// document i.
type docWrite struct {
	kind     string // "analysis", "sketch", "copy", "processed"
	i        int
	analysis corpus.Analysis
	sketch   []byte
	original int
}

// docWriter makes the per-document writes.
type docWriter interface {
	store.DocumentWriter
	SetCopyOf(ctx context.Context, id, original string) error
}

// apply makes w on document fam-i through dw.
func (w docWrite) apply(e *env, dw docWriter, fam string) error {
	id := batchID(fam, w.i)
	switch w.kind {
	case "analysis":
		return dw.SetAnalysis(e.ctx, id, w.analysis)
	case "sketch":
		return dw.SetSketch(e.ctx, id, w.sketch)
	case "copy":
		return dw.SetCopyOf(e.ctx, id, batchID(fam, w.original))
	default:
		return dw.MarkProcessed(e.ctx, id)
	}
}

// oneAtATime makes each write on its own, outside the engine's
// transaction: a sketch, which the store sets only in one, in a
// transaction of its own.
type oneAtATime struct{ store.Store }

func (s oneAtATime) SetSketch(ctx context.Context, id string, sketch []byte) error {
	return s.Write(ctx, func(tx store.Tx) error { return tx.SetSketch(ctx, id, sketch) })
}

func batchID(fam string, i int) string { return fmt.Sprintf("%s-%02d", fam, i) }

// batchWrites returns the writes of a batch of n documents as the engine
// makes them (analysis, sketch, copy, mark of each in turn), with some
// analyses empty, then a document analysed, sketched and marked a copy a
// second time.
func batchWrites(n int) []docWrite {
	pool := []corpus.DocRegion{qalaINaw, badghis, herat, kabul, paris, afghanistan}
	var ws []docWrite
	for i := range n {
		var a corpus.Analysis
		if i%5 != 0 {
			for k := range 1 + i%3 {
				r := pool[(i+2*k)%len(pool)]
				a.Regions = append(a.Regions, mention(r, r.Name, 10*k+i%4))
			}
		}
		if i%3 == 1 && len(a.Regions) > 0 {
			a.Matches = []corpus.DocMatch{{Rule: "assault", Keywords: []string{"storm"}, GroupKey: a.Regions[0].Country}}
		}
		ws = append(ws, docWrite{kind: "analysis", i: i, analysis: a})
		if i%4 != 3 {
			ws = append(ws, docWrite{kind: "sketch", i: i, sketch: []byte{byte(i), 0xab}})
		}
		if i%6 == 2 {
			ws = append(ws, docWrite{kind: "copy", i: i, original: i - 1})
		}
		ws = append(ws, docWrite{kind: "processed", i: i})
	}
	return append(ws,
		docWrite{kind: "analysis", i: 1, analysis: corpus.Analysis{Regions: []corpus.DocRegion{mention(herat, "Herat", 2)}}},
		docWrite{kind: "sketch", i: 1, sketch: []byte{0xee}},
		docWrite{kind: "copy", i: 2, original: 0},
	)
}

// testWriteBatch checks that the writes of many documents made in one
// transaction, which a store may send many at a time, leave what the same
// writes leave made one at a time outside a transaction: analyses, places
// for Latest, sketches in the order they were set, copies, processed marks.
func testWriteBatch(e *env) {
	s := e.open()
	const n = 48
	for _, fam := range []string{"batch", "single"} {
		for i := range n {
			e.put(s, doc(batchID(fam, i), fmt.Sprintf("title %d", i), "body", at(time.Duration(i%7)*time.Hour)))
		}
	}
	ws := batchWrites(n)
	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		for _, w := range ws {
			if err := w.apply(e, tx, "batch"); err != nil {
				return err
			}
		}
		return nil
	}), "Write of the batch")
	for _, w := range ws {
		e.must(w.apply(e, oneAtATime{s}, "single"), fmt.Sprintf("%s of %d", w.kind, w.i))
	}

	pending, err := s.Pending(e.ctx, 10)
	e.must(err, "Pending")
	e.equal("pending after both", docIDs(pending), []string{})
	last := map[int]corpus.Analysis{}
	for _, w := range ws {
		if w.kind == "analysis" {
			last[w.i] = w.analysis
		}
	}
	for i := range n {
		b, err := s.Analysis(e.ctx, batchID("batch", i))
		e.must(err, "Analysis")
		o, err := s.Analysis(e.ctx, batchID("single", i))
		e.must(err, "Analysis")
		e.equal(fmt.Sprintf("analysis of %d, in a batch", i), b, last[i])
		e.equal(fmt.Sprintf("analysis of %d, one at a time", i), o, last[i])
		bc, err := s.CopyOf(e.ctx, batchID("batch", i))
		e.must(err, "CopyOf")
		oc, err := s.CopyOf(e.ctx, batchID("single", i))
		e.must(err, "CopyOf")
		e.equal(fmt.Sprintf("copy of %d", i), strings.TrimPrefix(bc, "batch-"), strings.TrimPrefix(oc, "single-"))
	}
	c, err := s.CopyOf(e.ctx, batchID("batch", 2))
	e.must(err, "CopyOf")
	e.equal("a copy set twice", c, batchID("batch", 0))

	// Each family's sketches, in the order RecentSketches gives them.
	sketches := map[string][]string{}
	e.must(s.RecentSketches(e.ctx, 4*n, func(id string, _ time.Time, sk []byte) error {
		fam, i, _ := strings.Cut(id, "-")
		sketches[fam] = append(sketches[fam], fmt.Sprintf("%s=%x", i, sk))
		return nil
	}), "RecentSketches")
	e.equal("sketches in the order they were set", sketches["batch"], sketches["single"])
	if k := len(sketches["batch"]); k == 0 || sketches["batch"][k-1] != "01=ee" {
		e.t.Errorf("the sketch set again is not the newest: %v", sketches["batch"])
	}

	// Each family's documents by place, as Latest finds them.
	for _, f := range []store.RegionFilter{
		{Countries: []string{"AF"}}, {Countries: []string{"FR"}}, {Admin1: []string{"AF.02"}},
		{PlaceIDs: []int64{qalaINaw.PlaceID, herat.PlaceID}}, {PlaceIDs: []int64{kabul.PlaceID}},
	} {
		hits, err := s.Latest(e.ctx, f, 4*n)
		e.must(err, "Latest")
		fams := map[string][]string{}
		for _, h := range hits {
			fam, i, _ := strings.Cut(h.Doc.ID, "-")
			fams[fam] = append(fams[fam], i+"@"+h.Place)
		}
		if len(fams["batch"]) == 0 {
			e.t.Errorf("Latest(%+v) finds no document", f)
		}
		e.equal(fmt.Sprintf("Latest(%+v)", f), fams["batch"], fams["single"])
	}
}

// testWriteBatchMissing checks that a batch naming a document that is not
// stored fails whole, naming it, whether an analysis or a processed mark
// names it.
func testWriteBatchMissing(e *env) {
	s := e.open()
	const n = 20
	for i := range n {
		e.put(s, doc(batchID("d", i), "title", "body", Epoch))
	}
	ws := batchWrites(n)
	for _, c := range []struct {
		kind string
		at   int
	}{{"analysis", 7}, {"processed", 13}, {"processed", 0}, {"analysis", n - 1}} {
		missing := fmt.Sprintf("missing-%s-%d", c.kind, c.at)
		err := s.Write(e.ctx, func(tx store.Tx) error {
			for _, w := range ws {
				if err := w.apply(e, tx, "d"); err != nil {
					return err
				}
				if w.i == c.at && w.kind == c.kind {
					var err error
					if c.kind == "analysis" {
						err = tx.SetAnalysis(e.ctx, missing, w.analysis)
					} else {
						err = tx.MarkProcessed(e.ctx, missing)
					}
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
		if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), missing) {
			e.t.Errorf("a batch with %s: Write = %v, want store.ErrNotFound naming it", missing, err)
		}
		pending, err := s.Pending(e.ctx, 2*n)
		e.must(err, "Pending")
		e.equal("pending after the failed batch", len(pending), n)
		a, err := s.Analysis(e.ctx, batchID("d", 1))
		e.must(err, "Analysis")
		e.equal("analysis after the failed batch", a, corpus.Analysis{})
	}
	e.notFound(s.SetAnalysis(e.ctx, "missing", corpus.Analysis{}), "SetAnalysis one at a time")
	e.notFound(s.MarkProcessed(e.ctx, "missing"), "MarkProcessed one at a time")
	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		for _, w := range ws {
			if err := w.apply(e, tx, "d"); err != nil {
				return err
			}
		}
		return nil
	}), "the batch without the missing document")
	pending, err := s.Pending(e.ctx, 2*n)
	e.must(err, "Pending")
	e.equal("pending after the batch", len(pending), 0)
}

// testWriteConcurrentAnalyses runs transactions that analyse the same
// documents in different orders at once, from several handles: none
// fails (they do not deadlock), and each document ends with one
// transaction's analysis and the places of that analysis alone.
func testWriteConcurrentAnalyses(e *env) {
	places := []corpus.DocRegion{qalaINaw, herat, kabul, paris}
	handles := make([]store.Store, len(places))
	for i := range handles {
		handles[i] = e.open()
	}
	const n = 30
	for i := range n {
		e.put(handles[0], doc(batchID("c", i), "title", "body", at(time.Duration(i)*time.Minute)))
	}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, len(handles))
		for k, s := range handles {
			order := rand.Perm(n)
			a := corpus.Analysis{Regions: []corpus.DocRegion{mention(places[k], places[k].Name, round)}}
			wg.Go(func() {
				errs[k] = s.Write(e.ctx, func(tx store.Tx) error {
					for _, i := range order {
						if err := tx.SetAnalysis(e.ctx, batchID("c", i), a); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
		wg.Wait()
		for k := range handles {
			e.must(errs[k], fmt.Sprintf("round %d: Write %d", round, k))
		}
		found := map[string][]string{}
		for _, p := range places {
			hits, err := handles[0].Latest(e.ctx, store.RegionFilter{PlaceIDs: []int64{p.PlaceID}}, 2*n)
			e.must(err, "Latest")
			for _, h := range hits {
				found[h.Doc.ID] = append(found[h.Doc.ID], h.Place)
			}
		}
		for i := range n {
			id := batchID("c", i)
			a, err := handles[0].Analysis(e.ctx, id)
			e.must(err, "Analysis")
			if len(a.Regions) != 1 {
				e.t.Fatalf("round %d: analysis of %s has %d regions, want 1", round, id, len(a.Regions))
			}
			e.equal(fmt.Sprintf("round %d: places of %s", round, id), found[id], []string{a.Regions[0].Name})
		}
	}
}
