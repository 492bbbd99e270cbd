package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/wirewatch/wirewatch/corpus"
)

// searchIndexFrom names the state row that says the search index lacks the
// documents after that seq: migration 0020 made the index anew, and only
// the program can fill it (it indexes folded text, corpus.Fold).
const searchIndexFrom = "sqlite/search-index-from"

// indexBatch is how many documents fillSearchIndex indexes per
// transaction; the state row records the progress after each, so an
// interrupted fill goes on where it stopped.
const indexBatch = 2000

// fillSearchIndex indexes the documents the search index lacks, when a
// migration left it to do. It runs once, when an upgraded file is first
// opened: about a minute for a million documents.
func (db *DB) fillSearchIndex(ctx context.Context) error {
	var from string
	err := db.write.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, searchIndexFrom).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	last, err := strconv.ParseInt(from, 10, 64)
	if err != nil {
		return fmt.Errorf("search index: state %q: %w", from, err)
	}
	slog.Info("sqlite: filling the search index of documents stored before this version; this runs once", "path", db.path)
	for {
		n, err := db.indexBatch(ctx, &last)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if n == 0 {
			break
		}
	}
	if _, err := db.write.ExecContext(ctx, `DELETE FROM state WHERE key = ?`, searchIndexFrom); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// indexBatch indexes the next documents after *last and moves *last past
// them; it returns how many it indexed.
func (db *DB) indexBatch(ctx context.Context, last *int64) (int, error) {
	n := 0
	err := db.write1(ctx, func(r *runner) error {
		rows, err := r.tx.QueryContext(ctx, `SELECT seq, title, body FROM documents WHERE seq > ? ORDER BY seq LIMIT ?`,
			*last, indexBatch)
		if err != nil {
			return err
		}
		var fts [][]any
		for rows.Next() {
			var seq int64
			var title, body string
			if err := rows.Scan(&seq, &title, &body); err != nil {
				rows.Close()
				return err
			}
			fts = append(fts, []any{seq, corpus.Fold(title), corpus.Fold(body)})
			*last = seq
		}
		if err := rows.Close(); err != nil {
			return err
		}
		n = len(fts)
		if err := r.insertSearchRows(ctx, fts); err != nil {
			return err
		}
		_, err = r.exec(ctx, `UPDATE state SET value = ? WHERE key = ?`, strconv.FormatInt(*last, 10), searchIndexFrom)
		return err
	})
	return n, err
}
