package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// deferred holds the per-document writes of a transaction that are made
// many at a time: a batch of documents' analyses, sketches and processed
// marks go in as a few statements of many rows each, not a dozen
// statements per document. They are written before the transaction's next
// other statement and before it commits, so its reads see them.
type deferred struct {
	analyses  []analysisWrite
	sketches  []sketchWrite
	copies    [][2]string // document, original
	processed []string
}

type analysisWrite struct {
	id string
	a  corpus.Analysis
}

type sketchWrite struct {
	id     string
	sketch []byte
}

func (d *deferred) empty() bool {
	return len(d.analyses)+len(d.sketches)+len(d.copies)+len(d.processed) == 0
}

// rowsPer is how many rows one multi-row statement writes; the rest of a
// batch goes one row per statement, so that a few statements serve every
// batch size.
const rowsPer = 64

// flush writes what was deferred, in order: analyses, sketches, marks.
func (r *runner) flush(ctx context.Context) error {
	if r.defer_ == nil || r.defer_.empty() || r.flushing {
		return nil
	}
	r.flushing = true
	defer func() { r.flushing = false }()
	d := *r.defer_
	*r.defer_ = deferred{}
	// One query finds the row numbers and publication times that
	// analyses, sketches and marks key their rows by.
	ids := make([]string, 0, len(d.analyses)+len(d.sketches)+len(d.processed))
	for _, w := range d.analyses {
		ids = append(ids, w.id)
	}
	for _, w := range d.sketches {
		ids = append(ids, w.id)
	}
	ids = append(ids, d.processed...)
	keys, err := r.keysOf(ctx, ids)
	if err != nil {
		return err
	}
	// An analysis or a mark needs its document; a sketch of a document
	// gone meanwhile (retention) is dropped, as PostgreSQL drops it.
	for _, id := range ids[:len(d.analyses)] {
		if _, ok := keys[id]; !ok {
			return fmt.Errorf("document %s: %w", id, store.ErrNotFound)
		}
	}
	for _, id := range d.processed {
		if _, ok := keys[id]; !ok {
			return fmt.Errorf("document %s: %w", id, store.ErrNotFound)
		}
	}
	if err := r.flushAnalyses(ctx, d.analyses, keys); err != nil {
		return err
	}
	if err := r.flushSketches(ctx, d.sketches, keys); err != nil {
		return err
	}
	copies := make([][]any, len(d.copies))
	for i, c := range d.copies {
		copies[i] = []any{c[0], c[1]}
	}
	if err := r.insertRows(ctx, "INSERT OR REPLACE", "copy_of", "doc_id, original", copies); err != nil {
		return err
	}
	return r.flushProcessed(ctx, d.processed, keys)
}

// docKey is what the rows of a document other than its own are keyed by:
// its row number in documents, and its publication time.
type docKey struct{ seq, published int64 }

// insertRows inserts rows (each a list of values for cols) into table in
// statements of rowsPer rows, then one row per statement. prefix is
// "INSERT" or "INSERT OR REPLACE".
func (r *runner) insertRows(ctx context.Context, prefix, table, cols string, rows [][]any) error {
	n := strings.Count(cols, ",") + 1
	one := "(" + placeholders(n) + ")"
	for len(rows) > 0 {
		k := rowsPer
		if len(rows) < rowsPer {
			k = 1
		}
		args := make([]any, 0, k*n)
		for _, row := range rows[:k] {
			args = append(args, row...)
		}
		q := prefix + " INTO " + table + " (" + cols + ") VALUES " + strings.Repeat(one+", ", k-1) + one
		if _, err := r.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		rows = rows[k:]
	}
	return nil
}

// inChunks runs query, whose last argument list is "IN (%s)", for the row
// numbers seqs in chunks and returns the rows it affected.
func (r *runner) inChunks(ctx context.Context, query string, seqs []int64) (int64, error) {
	total := int64(0)
	for len(seqs) > 0 {
		k := rowsPer
		if len(seqs) < rowsPer {
			k = 1
		}
		args := make([]any, k)
		for i, seq := range seqs[:k] {
			args[i] = seq
		}
		res, err := r.exec(ctx, fmt.Sprintf(query, placeholders(k)), args...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		seqs = seqs[k:]
	}
	return total, nil
}

// flushAnalyses writes analyses, replacing those stored; keys holds the
// key of each document. An empty analysis is not stored: Analysis reads a
// missing one as empty.
func (r *runner) flushAnalyses(ctx context.Context, as []analysisWrite, keys map[string]docKey) error {
	if len(as) == 0 {
		return nil
	}
	// A document analysed twice in one transaction keeps its last analysis.
	last := map[string]int{}
	for i, w := range as {
		last[w.id] = i
	}
	ids := make([]string, 0, len(last))
	for i, w := range as {
		if last[w.id] == i {
			ids = append(ids, w.id)
		}
	}
	if err := r.clearAnalyses(ctx, ids, keys); err != nil {
		return err
	}
	var analyses, places [][]any
	for i, w := range as {
		if last[w.id] != i || len(w.a.Regions)+len(w.a.Matches) == 0 {
			continue
		}
		b, err := store.EncodeAnalysis(w.a)
		if err != nil {
			return fmt.Errorf("document %s: %w", w.id, err)
		}
		k := keys[w.id]
		analyses = append(analyses, []any{k.seq, string(b)})
		for _, p := range store.PlaceKeys(w.a.Regions) {
			places = append(places, []any{p.Key, k.published, w.id, p.Place, p.Offset})
		}
	}
	// Rows in key order land next to each other in the tables' B-trees.
	slices.SortFunc(analyses, func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) })
	slices.SortFunc(places, func(a, b []any) int {
		if c := strings.Compare(a[0].(string), b[0].(string)); c != 0 {
			return c
		}
		return cmp.Compare(a[1].(int64), b[1].(int64))
	})
	if err := r.insertRows(ctx, "INSERT", "doc_analysis", "doc_seq, analysis", analyses); err != nil {
		return err
	}
	return r.insertRows(ctx, "INSERT", "doc_places", `key, published, doc_id, place, "offset"`, places)
}

// clearAnalyses deletes the analyses of ids (whose keys keys holds) that
// have one, with their doc_places rows, found by the keys the old
// analysis gives.
func (r *runner) clearAnalyses(ctx context.Context, ids []string, keys map[string]docKey) error {
	var had []int64
	var places [][]any
	bySeq := make(map[int64]string, len(ids))
	for _, id := range ids {
		bySeq[keys[id].seq] = id
	}
	for rest := ids; len(rest) > 0; {
		k := rowsPer
		if len(rest) < rowsPer {
			k = 1
		}
		args := make([]any, k)
		for i, id := range rest[:k] {
			args[i] = keys[id].seq
		}
		rows, err := r.query(ctx, `SELECT doc_seq, analysis FROM doc_analysis WHERE doc_seq IN (`+placeholders(k)+`)`, args...)
		if err != nil {
			return fmt.Errorf("reading analyses: %w", err)
		}
		for rows.Next() {
			var seq int64
			var b []byte
			if err := rows.Scan(&seq, &b); err != nil {
				rows.Close()
				return fmt.Errorf("reading analyses: %w", err)
			}
			id := bySeq[seq]
			a, err := store.DecodeAnalysis(b)
			if err != nil {
				rows.Close()
				return fmt.Errorf("analysis of %s: %w", id, err)
			}
			had = append(had, seq)
			for _, p := range store.PlaceKeys(a.Regions) {
				places = append(places, []any{p.Key, keys[id].published, id})
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("reading analyses: %w", err)
		}
		rest = rest[k:]
	}
	if err := r.deleteKeys(ctx, `DELETE FROM doc_places WHERE (key, published, doc_id) IN (VALUES %s)`, 3, places); err != nil {
		return fmt.Errorf("clearing doc_places: %w", err)
	}
	if _, err := r.inChunks(ctx, `DELETE FROM doc_analysis WHERE doc_seq IN (%s)`, had); err != nil {
		return fmt.Errorf("clearing analyses: %w", err)
	}
	return nil
}

// deleteKeys runs query, a DELETE whose "%s" takes a list of row values of
// n columns, for keys in chunks.
func (r *runner) deleteKeys(ctx context.Context, query string, n int, keys [][]any) error {
	one := "(" + placeholders(n) + ")"
	for len(keys) > 0 {
		k := rowsPer
		if len(keys) < rowsPer {
			k = 1
		}
		args := make([]any, 0, k*n)
		for _, key := range keys[:k] {
			args = append(args, key...)
		}
		if _, err := r.exec(ctx, fmt.Sprintf(query, strings.Repeat(one+", ", k-1)+one), args...); err != nil {
			return err
		}
		keys = keys[k:]
	}
	return nil
}

// keysOf returns the keys of those of documents ids that exist.
func (r *runner) keysOf(ctx context.Context, ids []string) (map[string]docKey, error) {
	out := make(map[string]docKey, len(ids))
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for rest := ids; len(rest) > 0; {
		k := min(len(rest), rowsPer)
		if k < rowsPer {
			k = 1
		}
		args := make([]any, k)
		for i, id := range rest[:k] {
			args[i] = id
		}
		rows, err := r.query(ctx, `SELECT id, seq, published FROM documents WHERE id IN (`+placeholders(k)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var k docKey
			if err := rows.Scan(&id, &k.seq, &k.published); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = k
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		rest = rest[k:]
	}
	return out, nil
}

func (r *runner) flushSketches(ctx context.Context, ss []sketchWrite, keys map[string]docKey) error {
	rows := make([][]any, 0, len(ss))
	for _, s := range ss {
		if k, ok := keys[s.id]; ok {
			rows = append(rows, []any{k.seq, s.sketch})
		}
	}
	// REPLACE gives a sketch set again a new seq: it becomes the newest.
	return r.insertRows(ctx, "INSERT OR REPLACE", "doc_sketches", "doc_seq, sketch", rows)
}

func (r *runner) flushProcessed(ctx context.Context, ids []string, keys map[string]docKey) error {
	if len(ids) == 0 {
		return nil
	}
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = []any{keys[id].published, id}
	}
	if err := r.deleteKeys(ctx, `DELETE FROM pending_docs WHERE (published, doc_id) IN (VALUES %s)`, 2, rows); err != nil {
		return fmt.Errorf("marking processed: %w", err)
	}
	return nil
}
