package sqlite

import (
	"context"
	"database/sql"
	"errors"
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
	docs, err := queryDocs(ctx, db.read, `SELECT `+docColumns+` FROM pending_docs p
		JOIN documents d ON d.id = p.doc_id
		WHERE (p.published, p.doc_id) > (?, ?) ORDER BY p.published, p.doc_id LIMIT ?`,
		micros(published), id, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending documents: %w", err)
	}
	return docs, nil
}

// MarkProcessed records that the engine finished with document id, or
// returns store.ErrNotFound. In a transaction it is written with the
// transaction's next statement or at its commit.
func (r *runner) MarkProcessed(ctx context.Context, id string) error {
	return r.deferWrite(ctx, func(d *deferred) { d.processed = append(d.processed, id) }, "mark processed "+id)
}

// SetAnalysis replaces the regions and matches of document id, or returns
// store.ErrNotFound when there is no such document. In a transaction it
// is written with the transaction's next statement or at its commit.
func (r *runner) SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error {
	return r.deferWrite(ctx, func(d *deferred) { d.analyses = append(d.analyses, analysisWrite{id, a}) }, "set analysis "+id)
}

// SetCopyOf records that document id is a near-copy of original,
// replacing an earlier record. In a transaction it is written with the
// transaction's next statement or at its commit.
func (r *runner) SetCopyOf(ctx context.Context, id, original string) error {
	return r.deferWrite(ctx, func(d *deferred) { d.copies = append(d.copies, [2]string{id, original}) }, "set copy of "+id)
}

// SetSketch records the sketch of document id as the newest. In a
// transaction it is written with the transaction's next statement or at
// its commit.
func (r *runner) SetSketch(ctx context.Context, id string, sketch []byte) error {
	return r.deferWrite(ctx, func(d *deferred) { d.sketches = append(d.sketches, sketchWrite{id, sketch}) }, "set sketch "+id)
}

// deferWrite adds a write to the deferred ones of the transaction, or
// makes a transaction for it.
func (r *runner) deferWrite(ctx context.Context, add func(*deferred), op string) error {
	err := r.inTx(ctx, func(r *runner) error {
		add(r.defer_)
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
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
	err := db.read.QueryRowContext(ctx, `SELECT seq FROM doc_sketches ORDER BY seq DESC LIMIT 1 OFFSET ?`, n-1).Scan(&from)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("sqlite: recent sketches: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.published, s.sketch FROM doc_sketches s
		JOIN documents d ON d.seq = s.doc_seq WHERE s.seq >= ? ORDER BY s.seq`, from)
	if err != nil {
		return fmt.Errorf("sqlite: recent sketches: %w", err)
	}
	defer rows.Close()
	var id string
	var published int64
	var sketch []byte
	for rows.Next() {
		if err := rows.Scan(&id, &published, &sketch); err != nil {
			return fmt.Errorf("sqlite: recent sketches: %w", err)
		}
		if err := fn(id, fromMicros(published), sketch); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: recent sketches: %w", err)
	}
	return nil
}

// UnsketchedDocuments returns up to limit processed documents without a
// sketch, the most recently stored first.
func (db *DB) UnsketchedDocuments(ctx context.Context, limit int) ([]corpus.Document, error) {
	if limit <= 0 {
		return nil, nil
	}
	docs, err := queryDocs(ctx, db.read, `SELECT `+docColumns+` FROM documents d
		WHERE NOT EXISTS (SELECT 1 FROM pending_docs p WHERE p.published = d.published AND p.doc_id = d.id)
		AND NOT EXISTS (SELECT 1 FROM doc_sketches s WHERE s.doc_seq = d.seq)
		ORDER BY d.seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: documents without sketch: %w", err)
	}
	return docs, nil
}

// Analysis returns what SetAnalysis stored for document id, empty when
// nothing was.
func (db *DB) Analysis(ctx context.Context, id string) (corpus.Analysis, error) {
	var b []byte
	err := db.read.QueryRowContext(ctx, `SELECT a.analysis FROM documents d JOIN doc_analysis a ON a.doc_seq = d.seq
		WHERE d.id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return corpus.Analysis{}, nil
	}
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	a, err := store.DecodeAnalysis(b)
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	return a, nil
}
