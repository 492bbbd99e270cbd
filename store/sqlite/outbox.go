package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

const outboxColumns = `id, key, transport, channel, kind, story_id, parent_key, payload, state,
	attempts, due, remote_id, last_error, created_at, sent_at`

func scanOutbox(sc interface{ Scan(...any) error }) (store.OutboxRow, error) {
	var r store.OutboxRow
	var due, created int64
	var sent sql.NullInt64
	if err := sc.Scan(&r.ID, &r.Key, &r.Transport, &r.Channel, &r.Kind, &r.StoryID, &r.ParentKey,
		&r.Payload, &r.State, &r.Attempts, &due, &r.RemoteID, &r.LastError, &created, &sent); err != nil {
		return store.OutboxRow{}, err
	}
	if len(r.Payload) == 0 {
		r.Payload = nil
	}
	r.Due, r.CreatedAt, r.SentAt = fromMicros(due), fromMicros(created), fromNullMicros(sent)
	return r, nil
}

func (db *DB) queryOutbox(ctx context.Context, query string, args ...any) ([]store.OutboxRow, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.OutboxRow
	for rows.Next() {
		r, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Enqueue adds r to the outbox as a pending row unless a row with r.Key
// exists. The row is due at r.Due, or now when r.Due is zero; its
// CreatedAt is now. State, Attempts, RemoteID, LastError and SentAt of r
// are ignored.
func (db *runner) Enqueue(ctx context.Context, r store.OutboxRow) (bool, error) {
	if r.Key == "" || r.Transport == "" || r.Channel == "" {
		return false, fmt.Errorf("sqlite: enqueue %q: a row needs a key, a transport and a channel", r.Key)
	}
	now := db.db.now()
	if r.Due.IsZero() {
		r.Due = now
	}
	payload := r.Payload
	if payload == nil {
		payload = []byte{}
	}
	res, err := db.exec(ctx, `INSERT INTO outbox (key, transport, channel, kind, story_id,
		parent_key, payload, state, due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
		ON CONFLICT (key) DO NOTHING`,
		r.Key, r.Transport, r.Channel, r.Kind, r.StoryID, r.ParentKey, payload, micros(r.Due), micros(now))
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue %s: %w", r.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue %s: %w", r.Key, err)
	}
	return n == 1, nil
}

// headsQuery selects the next row of each channel that has no row being
// sent: among the first open row of each of its stories, those pending and
// due, the first by due time and id. It names its indexes: without
// statistics the planner would rather read every pending and sending row
// through outbox_state and sort them. (A window function over the story
// heads gives the same rows at twice the cost.)
const headsQuery = `WITH busy AS (
		SELECT DISTINCT transport, channel FROM outbox INDEXED BY outbox_state WHERE state = 'sending'
	), heads AS MATERIALIZED (
		SELECT id, transport, channel, due FROM outbox WHERE id IN (
			SELECT min(id) FROM outbox INDEXED BY outbox_open
			WHERE state IN ('pending', 'sending') GROUP BY transport, channel, story_id
		) AND state = 'pending' AND due <= ? AND (transport, channel) NOT IN (SELECT transport, channel FROM busy)
	), firsts AS (
		SELECT transport, channel, min(due) AS due FROM heads GROUP BY transport, channel
	) SELECT ` + outboxColumns + ` FROM outbox WHERE id IN (
		SELECT min(h.id) FROM heads h JOIN firsts f USING (transport, channel, due) GROUP BY h.transport, h.channel
	) ORDER BY due, id LIMIT ?`

// OutboxHeads returns the next row to send to each channel that has no row
// being sent: among the oldest open row of each of the channel's stories,
// those pending and due at or before now, the first by due time, then id.
// Most overdue first, at most limit. A story whose oldest row in a channel
// waits to be due yields nothing; the channel's other stories go on.
func (db *DB) OutboxHeads(ctx context.Context, now time.Time, limit int) ([]store.OutboxRow, error) {
	if limit <= 0 {
		return nil, nil
	}
	out, err := db.queryOutbox(ctx, headsQuery, micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: outbox heads: %w", err)
	}
	return out, nil
}

// ClaimOutbox moves row id from pending to sending and counts an attempt,
// when the row is pending and due at or before now. It reports whether it
// did: false means another worker claimed it first, or it was delivered,
// dead or not due.
func (db *DB) ClaimOutbox(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1,
		claimed_by = ?, claimed_at = ? WHERE id = ? AND state = 'pending' AND due <= ?`,
		db.instance, micros(now), id, micros(now))
	if err != nil {
		return false, fmt.Errorf("sqlite: claim outbox %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: claim outbox %d: %w", id, err)
	}
	return n == 1, nil
}

// MarkSent records that row id was delivered at at as remoteID, or returns
// store.ErrNotFound.
func (db *DB) MarkSent(ctx context.Context, id int64, remoteID string, at time.Time) error {
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET state = 'sent', remote_id = ?, sent_at = ?,
		claimed_by = NULL WHERE id = ?`, remoteID, micros(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: mark sent %d: %w", id, err)
	}
	return oneRow(res, fmt.Sprintf("sqlite: mark sent %d", id))
}

// MarkRetry returns row id to pending, due at next, with the error seen.
// A row already sent or dead is left as it is. It returns
// store.ErrNotFound when there is no such row.
func (db *DB) MarkRetry(ctx context.Context, id int64, next time.Time, lastErr string) error {
	return db.finish(ctx, "mark retry", id, `UPDATE outbox SET state = 'pending', due = ?, last_error = ?,
		claimed_by = NULL WHERE id = ? AND state IN ('pending', 'sending')`, micros(next), lastErr, id)
}

// MarkDead moves row id to the dead-letter state with the error seen. A
// row already sent is left as it is. It returns store.ErrNotFound when
// there is no such row.
func (db *DB) MarkDead(ctx context.Context, id int64, lastErr string) error {
	return db.finish(ctx, "mark dead", id, `UPDATE outbox SET state = 'dead', last_error = ?,
		claimed_by = NULL WHERE id = ? AND state IN ('pending', 'sending')`, lastErr, id)
}

// finish runs an update of row id that applies only in some states; when
// it changes nothing it tells a missing row from one in another state.
func (db *DB) finish(ctx context.Context, op string, id int64, query string, args ...any) error {
	res, err := db.write.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s %d: %w", op, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: %s %d: %w", op, id, err)
	} else if n == 1 {
		return nil
	}
	var one int
	if err := db.write.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE id = ?`, id).Scan(&one); err != nil {
		return fmt.Errorf("sqlite: %s %d: %w", op, id, notFound(err))
	}
	return nil
}

// UpdatePending replaces the payload of row id when it is still pending
// and reports whether it did. It returns store.ErrNotFound when there is
// no such row.
func (db *runner) UpdatePending(ctx context.Context, id int64, payload []byte) (bool, error) {
	if payload == nil {
		payload = []byte{}
	}
	res, err := db.exec(ctx, `UPDATE outbox SET payload = ? WHERE id = ? AND state = 'pending'`,
		payload, id)
	if err != nil {
		return false, fmt.Errorf("sqlite: update pending %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("sqlite: update pending %d: %w", id, err)
	} else if n == 1 {
		return true, nil
	}
	var one int
	if err := db.queryRow(ctx, `SELECT 1 FROM outbox WHERE id = ?`, id).Scan(&one); err != nil {
		return false, fmt.Errorf("sqlite: update pending %d: %w", id, notFound(err))
	}
	return false, nil
}

// ResetInflight returns to pending the rows left sending by a handle that
// is gone (closed, or its process died) or by this one, and returns how
// many there were; their last error says the outcome of that send is
// unknown since it was claimed. Rows claimed through another open handle,
// in this process or another, are left alone: they are being sent. The
// attempts they counted stay counted.
func (db *DB) ResetInflight(ctx context.Context) (int, error) {
	gone, err := db.goneClaimants(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlite: reset inflight: %w", err)
	}
	ids, err := json.Marshal(gone)
	if err != nil {
		return 0, fmt.Errorf("sqlite: reset inflight: %w", err)
	}
	// Only the claimants known gone: a handle opened since the listing
	// may claim rows meanwhile, and those are being sent.
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET state = 'pending', claimed_by = NULL,
		last_error = ? || coalesce(claimed_at, created_at) || ': ' || ?
		WHERE state = 'sending' AND (claimed_by IS NULL OR claimed_by IN (SELECT value FROM json_each(?)))`,
		store.OutcomeUnknownPrefix, store.InterruptedSend, string(ids))
	if err != nil {
		return 0, fmt.Errorf("sqlite: reset inflight: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: reset inflight: %w", err)
	}
	return int(n), nil
}

// goneClaimants returns the handles that claimed rows now sending and are
// no longer open, and this handle when it claimed some.
func (db *DB) goneClaimants(ctx context.Context) ([]int64, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT DISTINCT claimed_by FROM outbox
		WHERE state = 'sending' AND claimed_by IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	var claimants []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		claimants = append(claimants, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	gone := []int64{}
	for _, id := range claimants {
		if id != db.instance && live.has(id) {
			continue
		}
		if id != db.instance {
			open, err := claimsHeldElsewhere(ClaimsFile(db.path), id)
			if err != nil {
				return nil, err
			}
			if open {
				continue
			}
		}
		gone = append(gone, id)
	}
	return gone, nil
}

// OutboxRow returns the row with this key, or store.ErrNotFound.
func (db *runner) OutboxRow(ctx context.Context, key string) (store.OutboxRow, error) {
	r, err := scanOutbox(db.queryRow(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE key = ?`, key))
	if err != nil {
		return store.OutboxRow{}, fmt.Errorf("sqlite: outbox row %s: %w", key, notFound(err))
	}
	return r, nil
}

// OutboxStats counts the rows in each state; every state has an entry.
func (db *DB) OutboxStats(ctx context.Context) (map[store.OutboxState]int, error) {
	out := map[store.OutboxState]int{store.Pending: 0, store.Sending: 0, store.Sent: 0, store.Dead: 0}
	rows, err := db.read.QueryContext(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: outbox stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s store.OutboxState
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("sqlite: outbox stats: %w", err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: outbox stats: %w", err)
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
		ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dead rows: %w", err)
	}
	return out, nil
}

// AddReplyDoc adds doc to the reports of row id while the row is pending;
// see store.ReplyWriter.
func (r *runner) AddReplyDoc(ctx context.Context, id int64, doc string) (bool, error) {
	var state string
	err := r.inTx(ctx, func(r *runner) error {
		if err := r.queryRow(ctx, `SELECT state FROM outbox WHERE id = ?`, id).Scan(&state); err != nil {
			return notFound(err)
		}
		if state != string(store.Pending) {
			var one int
			err := r.queryRow(ctx, `SELECT 1 FROM reply_docs WHERE outbox_id = ? AND doc_id = ?`, id, doc).Scan(&one)
			if err == nil {
				state = string(store.Pending) // reported already
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return nil
		}
		_, err := r.exec(ctx, `INSERT INTO reply_docs (outbox_id, doc_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, doc)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: add %s to reply %d: %w", doc, id, err)
	}
	return state == string(store.Pending), nil
}

// ReplyDocs returns the first limit documents added to row id and how many
// there are.
func (db *DB) ReplyDocs(ctx context.Context, id int64, limit int) ([]string, int, error) {
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM reply_docs WHERE outbox_id = ?`, id).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: reports of reply %d: %w", id, err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc_id FROM reply_docs WHERE outbox_id = ? ORDER BY rowid LIMIT ?`,
		id, max(limit, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: reports of reply %d: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, 0, fmt.Errorf("sqlite: reports of reply %d: %w", id, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlite: reports of reply %d: %w", id, err)
	}
	return out, total, nil
}
