package postgres

import (
	"context"
	"fmt"
	"time"

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
// returns store.ErrNotFound. In a transaction it is written with the
// transaction's next statement or at its commit (see held).
func (r *runner) MarkProcessed(ctx context.Context, id string) error {
	return r.hold(ctx, "mark processed "+id, func(h *held) { h.processed = append(h.processed, id) })
}

// SetAnalysis replaces the regions and matches of document id, or returns
// store.ErrNotFound when there is no such document. In a transaction it
// is written with the transaction's next statement or at its commit.
func (r *runner) SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error {
	return r.hold(ctx, "set analysis "+id, func(h *held) { h.analyses = append(h.analyses, analysisWrite{id, a}) })
}

// SetSketch records the sketch of document id as the newest. In a
// transaction it is written with the transaction's next statement or at
// its commit.
func (r *runner) SetSketch(ctx context.Context, id string, sketch []byte) error {
	return r.hold(ctx, "set sketch "+id, func(h *held) { h.sketches = append(h.sketches, sketchWrite{id, sketch}) })
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
