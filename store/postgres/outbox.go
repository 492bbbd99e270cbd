package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

const outboxColumns = `id, key, transport, channel, kind, story_id, parent_key, payload, state,
	attempts, due, remote_id, last_error, created_at, sent_at`

func scanOutbox(row pgx.Row) (store.OutboxRow, error) {
	var r store.OutboxRow
	var sent *time.Time
	if err := row.Scan(&r.ID, &r.Key, &r.Transport, &r.Channel, &r.Kind, &r.StoryID, &r.ParentKey, &r.Payload,
		&r.State, &r.Attempts, &r.Due, &r.RemoteID, &r.LastError, &r.CreatedAt, &sent); err != nil {
		return store.OutboxRow{}, err
	}
	if len(r.Payload) == 0 {
		r.Payload = nil
	}
	r.Due, r.CreatedAt, r.SentAt = r.Due.UTC(), r.CreatedAt.UTC(), fromNullTS(sent)
	return r, nil
}

func (db *DB) queryOutbox(ctx context.Context, sql string, args ...any) ([]store.OutboxRow, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.OutboxRow, error) { return scanOutbox(r) })
}

// Enqueue adds r to the outbox as a pending row unless a row with r.Key
// exists. The row is due at r.Due, or now when r.Due is zero; its
// CreatedAt is now. State, Attempts, RemoteID, LastError and SentAt of r
// are ignored.
//
// Row IDs order the rows of a channel. Rows enqueued at the same moment by
// two replicas may commit in the other order than their IDs; their order
// was not decided anyway.
func (db *runner) Enqueue(ctx context.Context, r store.OutboxRow) (bool, error) {
	if r.Key == "" || r.Transport == "" || r.Channel == "" {
		return false, fmt.Errorf("postgres: enqueue %q: a row needs a key, a transport and a channel", r.Key)
	}
	now := db.db.now()
	if r.Due.IsZero() {
		r.Due = now
	}
	payload := r.Payload
	if payload == nil {
		payload = []byte{}
	}
	tag, err := db.exec(ctx, `INSERT INTO outbox (key, transport, channel, kind, story_id, parent_key,
		payload, state, due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
		ON CONFLICT (key) DO NOTHING`,
		clean(r.Key), clean(r.Transport), clean(r.Channel), clean(string(r.Kind)), r.StoryID, clean(r.ParentKey),
		payload, ts(r.Due), now)
	if err != nil {
		return false, fmt.Errorf("postgres: enqueue %s: %w", r.Key, err)
	}
	return tag.RowsAffected() == 1, nil
}

// OutboxHeads returns the next row to send to each channel that has no row
// being sent: among the oldest open row of each of the channel's stories,
// those pending and due at or before now, the first by due time, then id.
// Most overdue first, at most limit. A story whose oldest row in a channel
// waits to be due yields nothing; the channel's other stories go on.
func (db *DB) OutboxHeads(ctx context.Context, now time.Time, limit int) ([]store.OutboxRow, error) {
	if limit <= 0 {
		return nil, nil
	}
	// The first story head of each channel by due time: a GROUP BY and a
	// join cost about what sorting the heads for DISTINCT ON saves.
	out, err := db.queryOutbox(ctx, `WITH heads AS MATERIALIZED (
			SELECT id, transport, channel, due FROM outbox WHERE id IN (
				SELECT min(id) FROM outbox WHERE state IN ('pending', 'sending') GROUP BY transport, channel, story_id
			) AND state = 'pending' AND due <= $1 AND (transport, channel) NOT IN (
				SELECT transport, channel FROM outbox WHERE state = 'sending')
		), firsts AS (
			SELECT transport, channel, min(due) AS due FROM heads GROUP BY transport, channel
		) SELECT `+outboxColumns+` FROM outbox WHERE id IN (
			SELECT min(h.id) FROM heads h JOIN firsts f USING (transport, channel, due) GROUP BY h.transport, h.channel
		) ORDER BY due, id LIMIT $2`, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: outbox heads: %w", err)
	}
	return out, nil
}

// ClaimOutbox moves row id from pending to sending for this replica and
// counts an attempt, when the row is pending and due at or before now. It
// reports whether it did: false means another replica or worker holds or
// took it, or it was delivered, dead or not due. It never waits for
// another claimer.
func (db *DB) ClaimOutbox(ctx context.Context, id int64, now time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1,
		claimed_by = $2, claimed_at = $3
		WHERE id = (SELECT id FROM outbox WHERE id = $1 AND state = 'pending' AND due <= $3
			FOR UPDATE SKIP LOCKED)`, id, db.instance, ts(now))
	if err != nil {
		return false, fmt.Errorf("postgres: claim outbox %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkSent records that row id was delivered at at as remoteID, or returns
// store.ErrNotFound.
func (db *DB) MarkSent(ctx context.Context, id int64, remoteID string, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = 'sent', remote_id = $1, sent_at = $2,
		claimed_by = NULL WHERE id = $3`, clean(remoteID), ts(at), id)
	if err != nil {
		return fmt.Errorf("postgres: mark sent %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: mark sent %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// MarkRetry returns row id to pending, due at next, with the error seen.
// A row already sent or dead is left as it is. It returns
// store.ErrNotFound when there is no such row.
func (db *DB) MarkRetry(ctx context.Context, id int64, next time.Time, lastErr string) error {
	return db.finish(ctx, "mark retry", id, `UPDATE outbox SET state = 'pending', due = $2, last_error = $3,
		claimed_by = NULL WHERE id = $1 AND state IN ('pending', 'sending')`, id, ts(next), clean(lastErr))
}

// MarkDead moves row id to the dead-letter state with the error seen. A
// row already sent is left as it is. It returns store.ErrNotFound when
// there is no such row.
func (db *DB) MarkDead(ctx context.Context, id int64, lastErr string) error {
	return db.finish(ctx, "mark dead", id, `UPDATE outbox SET state = 'dead', last_error = $2,
		claimed_by = NULL WHERE id = $1 AND state IN ('pending', 'sending')`, id, clean(lastErr))
}

// finish runs an update of row id that applies only in some states; when
// it changes nothing it tells a missing row from one in another state.
func (db *DB) finish(ctx context.Context, op string, id int64, sql string, args ...any) error {
	tag, err := db.pool.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s %d: %w", op, id, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	if err := db.exists(ctx, id); err != nil {
		return fmt.Errorf("postgres: %s %d: %w", op, id, err)
	}
	return nil
}

// exists returns store.ErrNotFound when there is no row id.
func (db *runner) exists(ctx context.Context, id int64) error {
	var one int
	return notFound(db.queryRow(ctx, `SELECT 1 FROM outbox WHERE id = $1`, id).Scan(&one))
}

// UpdatePending replaces the payload of row id when it is still pending
// and reports whether it did. It returns store.ErrNotFound when there is
// no such row.
func (db *runner) UpdatePending(ctx context.Context, id int64, payload []byte) (bool, error) {
	if payload == nil {
		payload = []byte{}
	}
	tag, err := db.exec(ctx, `UPDATE outbox SET payload = $1 WHERE id = $2 AND state = 'pending'`, payload, id)
	if err != nil {
		return false, fmt.Errorf("postgres: update pending %d: %w", id, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	if err := db.exists(ctx, id); err != nil {
		return false, fmt.Errorf("postgres: update pending %d: %w", id, err)
	}
	return false, nil
}

// ResetInflight returns to pending the rows left sending by this replica
// or by a replica that is gone (closed, or its process or connection
// died), and returns how many there were; their last error says the
// outcome of that send is unknown since it was claimed. Rows another live
// replica is sending are left alone, so any replica may call it at any
// time. The attempts they counted stay counted.
func (db *DB) ResetInflight(ctx context.Context) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = 'pending', claimed_by = NULL,
		last_error = $2::text || ((extract(epoch FROM coalesce(claimed_at, created_at)) * 1000000)::bigint)::text || ': ' || $3::text
		WHERE state = 'sending' AND (claimed_by IS NULL OR claimed_by = $1 OR claimed_by NOT IN (
			SELECT objid::bigint FROM pg_locks
			WHERE locktype = 'advisory' AND objsubid = 2 AND granted
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
				AND classid = (`+lockSpace+`)::oid))`, db.instance, store.OutcomeUnknownPrefix, store.InterruptedSend)
	if err != nil {
		return 0, fmt.Errorf("postgres: reset inflight: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// OutboxRow returns the row with this key, or store.ErrNotFound.
func (db *runner) OutboxRow(ctx context.Context, key string) (store.OutboxRow, error) {
	r, err := scanOutbox(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE key = $1`, clean(key)))
	if err != nil {
		return store.OutboxRow{}, fmt.Errorf("postgres: outbox row %s: %w", key, notFound(err))
	}
	return r, nil
}

// OutboxStats counts the rows in each state; every state has an entry.
func (db *DB) OutboxStats(ctx context.Context) (map[store.OutboxState]int, error) {
	out := map[store.OutboxState]int{store.Pending: 0, store.Sending: 0, store.Sent: 0, store.Dead: 0}
	rows, err := db.pool.Query(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("postgres: outbox stats: %w", err)
	}
	var s string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&s, &n}, func() error {
		out[store.OutboxState(s)] = int(n)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: outbox stats: %w", err)
	}
	return out, nil
}

// DeadRows returns up to limit dead-lettered rows, the most recently
// enqueued first.
func (db *DB) DeadRows(ctx context.Context, limit int) ([]store.OutboxRow, error) {
	if limit <= 0 {
		return nil, nil
	}
	out, err := db.queryOutbox(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE state = 'dead'
		ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: dead rows: %w", err)
	}
	return out, nil
}

// AddReplyDoc adds doc to the reports of row id while the row is pending;
// see store.ReplyWriter. The row is locked while it checks, so a replica
// claiming it meanwhile waits and then renders the reply with doc.
func (r *runner) AddReplyDoc(ctx context.Context, id int64, doc string) (bool, error) {
	ok := false
	err := r.inTx(ctx, func(r *runner) error {
		var state string
		if err := r.queryRow(ctx, `SELECT state FROM outbox WHERE id = $1 FOR SHARE`, id).Scan(&state); err != nil {
			return notFound(err)
		}
		if state == string(store.Pending) {
			ok = true
			return r.later(ctx, nil, `INSERT INTO reply_docs (outbox_id, doc_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				id, clean(doc))
		}
		err := r.queryRow(ctx, `SELECT true FROM reply_docs WHERE outbox_id = $1 AND doc_id = $2`, id, clean(doc)).Scan(&ok)
		if isNoRows(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: add %s to reply %d: %w", doc, id, err)
	}
	return ok, nil
}

// ReplyDocs returns the first limit documents added to row id and how many
// there are.
func (db *DB) ReplyDocs(ctx context.Context, id int64, limit int) ([]string, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM reply_docs WHERE outbox_id = $1`, id).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: reports of reply %d: %w", id, err)
	}
	rows, err := db.pool.Query(ctx, `SELECT doc_id FROM reply_docs WHERE outbox_id = $1 ORDER BY seq LIMIT $2`,
		id, max(limit, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: reports of reply %d: %w", id, err)
	}
	docs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: reports of reply %d: %w", id, err)
	}
	return docs, total, nil
}
