package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// Pending returns up to limit documents not yet marked processed, in
// order of publication, then ID.
func (db *DB) Pending(ctx context.Context, limit int) ([]corpus.Document, error) {
	return db.PendingAfter(ctx, time.Time{}, "", limit)
}

// PendingAfter returns up to limit documents not yet marked processed that
// come after (published, id) in order of publication, then ID.
func (db *DB) PendingAfter(ctx context.Context, published time.Time, id string, limit int) ([]corpus.Document, error) {
	if limit <= 0 {
		return nil, nil
	}
	if published.IsZero() {
		published = time.Unix(-62135596800, 0) // 0001-01-01, before any date a document carries
	}
	docs, err := queryDocs(ctx, db.pool, `SELECT `+docColumns+` FROM pending_docs p
		JOIN documents d ON d.id = p.doc_id
		WHERE (p.published, p.doc_id) > ($1, $2) ORDER BY p.published, p.doc_id LIMIT $3`,
		ts(published), id, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending documents: %w", err)
	}
	return docs, nil
}

// MarkProcessed records that the engine finished with document id, or
// returns store.ErrNotFound.
func (r *runner) MarkProcessed(ctx context.Context, id string) error {
	op := "postgres: mark processed " + id
	err := r.laterRow(ctx, func(row pgx.Row) error {
		var n int
		if err := row.Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%s: %w", op, store.ErrNotFound)
		}
		return nil
	}, `WITH done AS (DELETE FROM pending_docs p USING documents d
			WHERE d.id = $1 AND p.published = d.published AND p.doc_id = d.id)
		SELECT count(*) FROM documents WHERE id = $1`, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return err
}

// SetAnalysis replaces the regions and matches of document id, or returns
// store.ErrNotFound when there is no such document.
func (r *runner) SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error {
	op := "postgres: set analysis " + id
	err := r.inTx(ctx, func(r *runner) error {
		// Locking the document orders concurrent analyses of it.
		err := r.laterRow(ctx, func(row pgx.Row) error {
			var one int
			if err := row.Scan(&one); err != nil {
				return fmt.Errorf("%s: %w", op, notFound(err))
			}
			return nil
		}, `SELECT 1 FROM documents WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		for _, table := range []string{"doc_analysis", "doc_places"} {
			if err := r.later(ctx, nil, `DELETE FROM `+table+` WHERE doc_id = $1`, id); err != nil {
				return err
			}
		}
		b, err := store.EncodeAnalysis(a)
		if err != nil {
			return err
		}
		if err := r.later(ctx, nil, `INSERT INTO doc_analysis (doc_id, analysis) VALUES ($1, $2)`, id, clean(string(b))); err != nil {
			return err
		}
		for _, p := range store.PlaceKeys(a.Regions) {
			if err := r.later(ctx, nil, `INSERT INTO doc_places (key, published, doc_id, place, "offset")
				SELECT $1, d.published, d.id, $3, $4 FROM documents d WHERE d.id = $2`,
				clean(p.Key), id, clean(p.Place), p.Offset); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetSketch records the sketch of document id as the newest.
func (r *runner) SetSketch(ctx context.Context, id string, sketch []byte) error {
	if err := r.later(ctx, nil, `INSERT INTO doc_sketches (doc_id, sketch) VALUES ($1, $2)
		ON CONFLICT (doc_id) DO UPDATE SET sketch = excluded.sketch, seq = nextval('doc_sketches_seq_seq')`,
		id, sketch); err != nil {
		return fmt.Errorf("postgres: set sketch %s: %w", id, err)
	}
	return nil
}

// RecentSketches calls fn with the n sketches set last, oldest first, each
// with its document's publication time.
func (db *DB) RecentSketches(ctx context.Context, n int, fn func(docID string, published time.Time, sketch []byte) error) error {
	if n <= 0 {
		return nil
	}
	var from int64
	err := db.pool.QueryRow(ctx, `SELECT seq FROM doc_sketches ORDER BY seq DESC OFFSET $1 LIMIT 1`, n-1).Scan(&from)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("postgres: recent sketches: %w", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT s.doc_id, d.published, s.sketch FROM doc_sketches s
		JOIN documents d ON d.id = s.doc_id WHERE s.seq >= $1 ORDER BY s.seq`, from)
	if err != nil {
		return fmt.Errorf("postgres: recent sketches: %w", err)
	}
	defer rows.Close()
	var id string
	var published time.Time
	var sketch []byte
	for rows.Next() {
		if err := rows.Scan(&id, &published, &sketch); err != nil {
			return fmt.Errorf("postgres: recent sketches: %w", err)
		}
		if err := fn(id, published.UTC(), sketch); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: recent sketches: %w", err)
	}
	return nil
}

// UnsketchedDocuments returns up to limit processed documents without a
// sketch, the most recently stored first.
func (db *DB) UnsketchedDocuments(ctx context.Context, limit int) ([]corpus.Document, error) {
	if limit <= 0 {
		return nil, nil
	}
	docs, err := queryDocs(ctx, db.pool, `SELECT `+docColumns+` FROM documents d
		WHERE NOT EXISTS (SELECT 1 FROM pending_docs p WHERE p.published = d.published AND p.doc_id = d.id)
		AND NOT EXISTS (SELECT 1 FROM doc_sketches s WHERE s.doc_id = d.id)
		ORDER BY d.seq DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: documents without sketch: %w", err)
	}
	return docs, nil
}

// Analysis returns what SetAnalysis stored for document id, empty when
// nothing was.
func (db *DB) Analysis(ctx context.Context, id string) (corpus.Analysis, error) {
	var b []byte
	err := db.pool.QueryRow(ctx, `SELECT analysis FROM doc_analysis WHERE doc_id = $1`, id).Scan(&b)
	if isNoRows(err) {
		return corpus.Analysis{}, nil
	}
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	a, err := store.DecodeAnalysis(b)
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	return a, nil
}
