package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// held holds the per-document writes of a transaction that go many at a
// time: a batch's analyses, sketches, copies and processed marks are
// written as one statement of arrays (unnest) a kind, or a few for the
// analyses, whatever the number of documents, not several statements a
// document. They are written before the transaction's next other
// statement and before it commits, so its reads see them, and in the
// order they were handed over where it shows: the last analysis, sketch or
// copy of a document handed over twice is the one kept, and sketches are
// numbered in the order they were set (newest last).
type held struct {
	analyses  []analysisWrite
	sketches  []sketchWrite
	copies    []copyWrite
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

type copyWrite struct{ id, original string }

func (h *held) empty() bool {
	return len(h.analyses)+len(h.sketches)+len(h.copies)+len(h.processed) == 0
}

// hold adds a write to the held ones of r's transaction; outside a
// transaction it writes it in one of its own. op names the write in
// errors.
func (r *runner) hold(ctx context.Context, op string, add func(*held)) error {
	if r.held != nil {
		add(r.held)
		return nil
	}
	var werr error
	err := r.inTx(ctx, func(r *runner) error {
		add(r.held)
		werr = r.release(ctx)
		return werr
	})
	switch {
	case err == nil:
		return nil
	case werr != nil: // names the document already
		return fmt.Errorf("postgres: %w", werr)
	default:
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
}

// write makes h into statements run through r: analyses, sketches,
// copies, then marks.
func (h *held) write(ctx context.Context, r *runner) error {
	if err := r.writeAnalyses(ctx, h.analyses); err != nil {
		return err
	}
	if err := r.writeSketches(ctx, h.sketches); err != nil {
		return err
	}
	if err := r.writeCopies(ctx, h.copies); err != nil {
		return err
	}
	return r.writeProcessed(ctx, h.processed)
}

// lastOf returns the indexes of the items of a list whose key (key(i))
// comes no more later in it, in the order of the list.
func lastOf(n int, key func(i int) string) []int {
	last := make(map[string]int, n)
	for i := range n {
		last[key(i)] = i
	}
	out := make([]int, 0, len(last))
	for i := range n {
		if last[key(i)] == i {
			out = append(out, i)
		}
	}
	return out
}

// writeAnalyses replaces the analyses of documents, and their doc_places
// rows, or fails with store.ErrNotFound naming the first document that is
// missing.
func (r *runner) writeAnalyses(ctx context.Context, as []analysisWrite) error {
	if len(as) == 0 {
		return nil
	}
	keep := lastOf(len(as), func(i int) string { return as[i].id })
	ids, analyses := make([]string, 0, len(keep)), make([]string, 0, len(keep))
	var keys, keyDocs, places []string
	var offsets []int
	for _, i := range keep {
		w := as[i]
		b, err := store.EncodeAnalysis(w.a)
		if err != nil {
			return fmt.Errorf("set analysis %s: %w", w.id, err)
		}
		ids, analyses = append(ids, w.id), append(analyses, clean(string(b)))
		for _, p := range store.PlaceKeys(w.a.Regions) {
			keys, keyDocs = append(keys, clean(p.Key)), append(keyDocs, w.id)
			places, offsets = append(places, clean(p.Place)), append(offsets, p.Offset)
		}
	}
	// Locking the documents orders concurrent analyses of them; in the
	// order of their IDs, so that two batches never wait for each other.
	err := r.send(ctx, func(rows pgx.Rows) error {
		found := make(map[string]bool, len(ids))
		var id string
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { found[id] = true; return nil }); err != nil {
			return fmt.Errorf("set analyses: %w", err)
		}
		for _, id := range ids {
			if !found[id] {
				return fmt.Errorf("set analysis %s: %w", id, store.ErrNotFound)
			}
		}
		return nil
	}, `SELECT id FROM documents WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return err
	}
	for _, sql := range []string{
		`DELETE FROM doc_analysis WHERE doc_id = ANY($1)`,
		`DELETE FROM doc_places WHERE doc_id = ANY($1)`,
	} {
		if err := r.send(ctx, nil, sql, ids); err != nil {
			return fmt.Errorf("set analyses: %w", err)
		}
	}
	if err := r.send(ctx, nil, `INSERT INTO doc_analysis (doc_id, analysis)
		SELECT * FROM unnest($1::text[], $2::text[])`, ids, analyses); err != nil {
		return fmt.Errorf("set analyses: %w", err)
	}
	if len(keys) == 0 {
		return nil
	}
	// A place row takes the publication time of its document.
	if err := r.send(ctx, nil, `INSERT INTO doc_places (key, published, doc_id, place, "offset")
		SELECT p.key, d.published, d.id, p.place, p.off
		FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[]) AS p(key, doc_id, place, off)
		JOIN documents d ON d.id = p.doc_id`, keys, keyDocs, places, offsets); err != nil {
		return fmt.Errorf("set analyses: %w", err)
	}
	return nil
}

// writeSketches records sketches, each as the newest when it is written:
// in the order they were set, a sketch set twice at its last place.
func (r *runner) writeSketches(ctx context.Context, ss []sketchWrite) error {
	if len(ss) == 0 {
		return nil
	}
	keep := lastOf(len(ss), func(i int) string { return ss[i].id })
	ids, sketches := make([]string, 0, len(keep)), make([][]byte, 0, len(keep))
	for _, i := range keep {
		ids, sketches = append(ids, ss[i].id), append(sketches, ss[i].sketch)
	}
	// Rows are inserted, and draw their seq, in the order of the arrays.
	if err := r.send(ctx, nil, `INSERT INTO doc_sketches (doc_id, sketch)
		SELECT s.doc_id, s.sketch FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS s(doc_id, sketch, n)
		ORDER BY s.n
		ON CONFLICT (doc_id) DO UPDATE SET sketch = excluded.sketch, seq = nextval('doc_sketches_seq_seq')`,
		ids, sketches); err != nil {
		return fmt.Errorf("set sketches: %w", err)
	}
	return nil
}

// writeCopies records which document is a near-copy of which, replacing
// earlier records.
func (r *runner) writeCopies(ctx context.Context, cs []copyWrite) error {
	if len(cs) == 0 {
		return nil
	}
	keep := lastOf(len(cs), func(i int) string { return clean(cs[i].id) })
	ids, originals := make([]string, 0, len(keep)), make([]string, 0, len(keep))
	for _, i := range keep {
		ids, originals = append(ids, clean(cs[i].id)), append(originals, clean(cs[i].original))
	}
	if err := r.send(ctx, nil, `INSERT INTO copy_of (doc_id, original)
		SELECT * FROM unnest($1::text[], $2::text[])
		ON CONFLICT (doc_id) DO UPDATE SET original = excluded.original`, ids, originals); err != nil {
		return fmt.Errorf("set copies: %w", err)
	}
	return nil
}

// writeProcessed records that the engine finished with documents, or
// fails with store.ErrNotFound naming the first that is missing.
func (r *runner) writeProcessed(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return r.send(ctx, func(rows pgx.Rows) error {
		var missing []string
		var id string
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { missing = append(missing, id); return nil }); err != nil {
			return fmt.Errorf("mark processed: %w", err)
		}
		if len(missing) > 0 {
			return fmt.Errorf("mark processed %s: %w", missing[0], store.ErrNotFound)
		}
		return nil
	}, `WITH done AS (DELETE FROM pending_docs p USING documents d
			WHERE d.id = ANY($1) AND p.published = d.published AND p.doc_id = d.id)
		SELECT i.id FROM unnest($1::text[]) WITH ORDINALITY AS i(id, n)
		WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = i.id) ORDER BY i.n`, ids)
}
