package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// pruneDocs selects, after a (published, id) cursor, the processed
// documents published before the cutoff that no story still open (Last at
// or after the cutoff) and no story with a row still to deliver holds.
const pruneDocs = `SELECT d.seq, d.id, d.title, d.body, d.published FROM documents d
	WHERE d.published < ? AND (d.published, d.id) > (?, ?)
	AND NOT EXISTS (SELECT 1 FROM pending_docs p WHERE p.published = d.published AND p.doc_id = d.id)
	AND NOT EXISTS (SELECT 1 FROM story_members m JOIN stories s ON s.id = m.story_id
		WHERE m.doc_id = d.id AND (s.last_at >= ? OR EXISTS (SELECT 1 FROM outbox o
			WHERE o.story_id = s.id AND o.state IN ('pending', 'sending'))))
	ORDER BY d.published, d.id LIMIT ?`

// pruneDoc deletes one document and what hangs on it (its analysis and
// places go first, see clearAnalyses), but its file state: the file is not
// read again while it stays in the corpus folder.
var pruneDoc = []string{
	`DELETE FROM document_paths WHERE doc_id = ?`,
	`DELETE FROM doc_sketches WHERE doc_seq = (SELECT seq FROM documents WHERE id = ?)`,
	`DELETE FROM copy_of WHERE doc_id = ?`,
	`DELETE FROM story_members WHERE doc_id = ?`,
	`DELETE FROM documents WHERE id = ?`,
}

// Prune deletes documents published before cutoff that no open story and
// no row still to deliver needs, batch documents per transaction, then the
// stories they leave empty and the delivered rows and digests enqueued
// before cutoff whose story is gone, and gives the freed pages back to the
// file system (files made with incremental auto-vacuum; older files reuse
// them).
func (db *DB) Prune(ctx context.Context, cutoff time.Time, batch int, deleted func([]string)) (store.Pruned, error) {
	batch = max(batch, 1)
	c := micros(cutoff)
	var out store.Pruned
	var lastPub int64
	lastID := ""
	// Deleting a document makes SQLite look for rows still referring to
	// it, and doc_places has no index by document (it is keyed for
	// Latest): each deletion would scan that whole table. Prune deletes
	// those rows itself, in the same transaction, so the check is off
	// while it runs (on the one write connection; writes of others
	// meanwhile keep to the same rules without the check).
	if _, err := db.write.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return out, fmt.Errorf("sqlite: prune: %w", err)
	}
	defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) //nolint:errcheck // a new connection has it on
	for {
		ids, pub, id, err := db.pruneBatch(ctx, c, lastPub, lastID, batch)
		if err != nil {
			return out, fmt.Errorf("sqlite: prune: %w", err)
		}
		out.Documents += len(ids)
		if deleted != nil && len(ids) > 0 {
			deleted(ids)
		}
		if id == "" {
			break
		}
		lastPub, lastID = pub, id
	}
	if err := db.write1(ctx, func(r *runner) error { return r.pruneStories(ctx, c, &out) }); err != nil {
		return out, fmt.Errorf("sqlite: prune: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return out, fmt.Errorf("sqlite: prune: vacuum: %w", err)
	}
	return out, nil
}

// pruneStories deletes the stories left empty, and delivered rows enqueued
// before cutoff whose story is gone.
func (r *runner) pruneStories(ctx context.Context, cutoff int64, out *store.Pruned) error {
	rows, err := r.tx.QueryContext(ctx, `SELECT id FROM stories s WHERE s.last_at < ?
		AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s.id) ORDER BY id`, cutoff)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		out.Stories = append(out.Stories, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, id := range out.Stories {
		for _, q := range []string{`DELETE FROM muted_reports WHERE story = ?`, `DELETE FROM stories WHERE id = ?`} {
			if _, err := r.exec(ctx, q, id); err != nil {
				return fmt.Errorf("story %d: %w", id, err)
			}
		}
	}
	res, err := r.exec(ctx, `DELETE FROM outbox WHERE state IN ('sent', 'dead') AND created_at < ?
		AND (story_id = 0 OR story_id NOT IN (SELECT id FROM stories))`, cutoff)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	n, err := res.RowsAffected()
	out.Rows = int(n)
	return err
}

// DeleteStates deletes the named values whose keys start with prefix and
// returns how many there were.
func (r *runner) DeleteStates(ctx context.Context, prefix string) (int, error) {
	res, err := r.exec(ctx, `DELETE FROM state WHERE key >= ? AND substr(key, 1, ?) = ?`, prefix, len(prefix), prefix)
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete states %s: %w", prefix, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete states %s: %w", prefix, err)
	}
	return int(n), nil
}

// pruneBatch deletes up to batch documents after the cursor and returns
// the IDs it deleted and the cursor past the documents it looked at ("" as
// id when there were none).
func (db *DB) pruneBatch(ctx context.Context, cutoff, lastPub int64, lastID string, batch int) ([]string, int64, string, error) {
	var deleted []string
	var pub int64
	id := ""
	err := db.write1(ctx, func(r *runner) error {
		rows, err := r.tx.QueryContext(ctx, pruneDocs, cutoff, lastPub, lastID, cutoff, batch)
		if err != nil {
			return err
		}
		type victim struct {
			seq         int64
			id          string
			title, body string
		}
		var vs []victim
		var ids []string
		keys := map[string]docKey{}
		for rows.Next() {
			var v victim
			if err := rows.Scan(&v.seq, &v.id, &v.title, &v.body, &pub); err != nil {
				rows.Close()
				return err
			}
			vs = append(vs, v)
			ids = append(ids, v.id)
			keys[v.id] = docKey{seq: v.seq, published: pub}
			id = v.id
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := r.clearAnalyses(ctx, ids, keys); err != nil {
			return err
		}
		for _, v := range vs {
			// A contentless FTS5 row is deleted by giving its values again.
			if _, err := r.exec(ctx, `INSERT INTO documents_fts (documents_fts, rowid, title, body)
				VALUES ('delete', ?, ?, ?)`, v.seq, corpus.Fold(v.title), corpus.Fold(v.body)); err != nil {
				return fmt.Errorf("search index of %s: %w", v.id, err)
			}
			for _, q := range pruneDoc {
				if _, err := r.exec(ctx, q, v.id); err != nil {
					return fmt.Errorf("document %s: %w", v.id, err)
				}
			}
			deleted = append(deleted, v.id)
		}
		return nil
	})
	if err != nil {
		deleted = nil
	}
	return deleted, pub, id, err
}
