package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

// pruneDocs deletes, after a (published, id) cursor, up to $4 processed
// documents published before the cutoff that no story still open (Last at
// or after the cutoff) and no story with a row still to deliver holds,
// with what hangs on them but their file states, and returns them in
// order.
const pruneDocs = `WITH victims AS (
		SELECT d.id, d.published FROM documents d
		WHERE d.published < $1 AND (d.published, d.id) > ($2, $3)
		AND NOT EXISTS (SELECT 1 FROM pending_docs p WHERE p.published = d.published AND p.doc_id = d.id)
		AND NOT EXISTS (SELECT 1 FROM story_members m JOIN stories s ON s.id = m.story_id
			WHERE m.doc_id = d.id AND (s.last_at >= $1 OR EXISTS (SELECT 1 FROM outbox o
				WHERE o.story_id = s.id AND o.state IN ('pending', 'sending'))))
		ORDER BY d.published, d.id LIMIT $4
	), paths AS (DELETE FROM document_paths WHERE doc_id IN (SELECT id FROM victims)),
	analyses AS (DELETE FROM doc_analysis WHERE doc_id IN (SELECT id FROM victims)),
	places AS (DELETE FROM doc_places WHERE doc_id IN (SELECT id FROM victims)),
	sketches AS (DELETE FROM doc_sketches WHERE doc_id IN (SELECT id FROM victims)),
	copies AS (DELETE FROM copy_of WHERE doc_id IN (SELECT id FROM victims)),
	members AS (DELETE FROM story_members WHERE doc_id IN (SELECT id FROM victims))
	SELECT id, published FROM victims ORDER BY published, id`

// Prune deletes documents published before cutoff that no open story and
// no row still to deliver needs, batch documents per transaction, then the
// stories they leave empty and the delivered rows and digests enqueued
// before cutoff whose story is gone. PostgreSQL's autovacuum makes their
// space reusable.
func (db *DB) Prune(ctx context.Context, cutoff time.Time, batch int, deleted func([]string)) (store.Pruned, error) {
	batch = max(batch, 1)
	c := ts(cutoff)
	var out store.Pruned
	lastPub, lastID := time.Unix(-62135596800, 0), ""
	for {
		n := 0
		var ids []string
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			ids = ids[:0]
			rows, err := tx.Query(ctx, pruneDocs, c, lastPub, lastID, batch)
			if err != nil {
				return err
			}
			var id string
			var pub time.Time
			if _, err := pgx.ForEachRow(rows, []any{&id, &pub}, func() error {
				ids = append(ids, id)
				lastPub, lastID = pub, id
				return nil
			}); err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			// The documents go last: the other tables refer to them.
			tag, err := tx.Exec(ctx, `DELETE FROM documents WHERE id = ANY($1)`, ids)
			n = int(tag.RowsAffected())
			return err
		})
		if err != nil {
			return out, fmt.Errorf("postgres: prune: %w", err)
		}
		out.Documents += n
		if n == 0 {
			break
		}
		if deleted != nil {
			deleted(ids)
		}
	}
	if err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return pruneStories(ctx, tx, c, &out) }); err != nil {
		return out, fmt.Errorf("postgres: prune: %w", err)
	}
	return out, nil
}

// pruneStories deletes the stories left empty, and delivered rows enqueued
// before cutoff whose story is gone.
func pruneStories(ctx context.Context, tx pgx.Tx, cutoff time.Time, out *store.Pruned) error {
	rows, err := tx.Query(ctx, `DELETE FROM stories s WHERE s.last_at < $1
		AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.story_id = s.id) RETURNING id`, cutoff)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		slices.Sort(ids)
		out.Stories = ids
		if _, err := tx.Exec(ctx, `DELETE FROM muted_reports WHERE story = ANY($1)`, ids); err != nil {
			return err
		}
	}
	tag, err := tx.Exec(ctx, `DELETE FROM outbox o WHERE o.state IN ('sent', 'dead') AND o.created_at < $1
		AND (o.story_id = 0 OR NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = o.story_id))`, cutoff)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	out.Rows = int(tag.RowsAffected())
	return nil
}

// DeleteStates deletes the named values whose keys start with prefix and
// returns how many there were.
func (r *runner) DeleteStates(ctx context.Context, prefix string) (int, error) {
	tag, err := r.exec(ctx, `DELETE FROM state WHERE starts_with(key, $1)`, clean(prefix))
	if err != nil {
		return 0, fmt.Errorf("postgres: delete states %s: %w", prefix, err)
	}
	return int(tag.RowsAffected()), nil
}
