package sqlite

import (
	"context"
	"fmt"

	"github.com/wirewatch/wirewatch/store"
)

// Follow records that f.User follows f.Story, replacing an earlier follow
// of it by the same user.
func (db *DB) Follow(ctx context.Context, f store.Follow) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO follows (transport, user_id, user_name, story, channel, direct, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transport, user_id, story) DO UPDATE SET
		user_name = excluded.user_name, channel = excluded.channel, direct = excluded.direct`,
		f.Transport, f.User, f.UserName, f.Story, f.Channel, f.Direct, micros(db.now())); err != nil {
		return fmt.Errorf("sqlite: follow story %d for %s/%s: %w", f.Story, f.Transport, f.User, err)
	}
	return nil
}

// Unfollow ends a follow, or returns store.ErrNotFound.
func (db *DB) Unfollow(ctx context.Context, transport, user string, story int64) error {
	res, err := db.write.ExecContext(ctx, `DELETE FROM follows WHERE transport = ? AND user_id = ? AND story = ?`,
		transport, user, story)
	op := fmt.Sprintf("sqlite: unfollow story %d for %s/%s", story, transport, user)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return oneRow(res, op)
}

// Followers returns the follows of a story by transport and user.
func (r *runner) Followers(ctx context.Context, story int64) ([]store.Follow, error) {
	return r.follows(ctx, `story = ? ORDER BY transport, user_id`, story)
}

// FollowsOf returns a user's follows by story.
func (db *DB) FollowsOf(ctx context.Context, transport, user string) ([]store.Follow, error) {
	return db.runner.follows(ctx, `transport = ? AND user_id = ? ORDER BY story`, transport, user)
}

func (r *runner) follows(ctx context.Context, where string, args ...any) ([]store.Follow, error) {
	rows, err := r.query(ctx, `SELECT transport, user_id, user_name, story, channel, direct, created_at
		FROM follows WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: follows: %w", err)
	}
	defer rows.Close()
	var out []store.Follow
	for rows.Next() {
		var f store.Follow
		var created int64
		if err := rows.Scan(&f.Transport, &f.User, &f.UserName, &f.Story, &f.Channel, &f.Direct, &created); err != nil {
			return nil, fmt.Errorf("sqlite: follows: %w", err)
		}
		f.CreatedAt = fromMicros(created)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: follows: %w", err)
	}
	return out, nil
}

const actionRefColumns = `id, transport, channel, story, rule, scope, scope_label, created_at`

// PutActionRef returns the ref of an alert in a channel, creating it.
func (db *DB) PutActionRef(ctx context.Context, r store.ActionRef) (store.ActionRef, error) {
	op := fmt.Sprintf("sqlite: action ref of story %d in %s/%s", r.Story, r.Transport, r.Channel)
	if _, err := db.write.ExecContext(ctx, `INSERT INTO action_refs (`+actionRefColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transport, channel, story) DO NOTHING`,
		store.NewActionID(), r.Transport, r.Channel, r.Story, r.Rule, r.Scope, r.ScopeLabel, micros(db.now())); err != nil {
		return store.ActionRef{}, fmt.Errorf("%s: %w", op, err)
	}
	// Read from the writer: a reader could lag behind what it just wrote.
	out, err := scanActionRef(db.write.QueryRowContext(ctx, `SELECT `+actionRefColumns+` FROM action_refs
		WHERE transport = ? AND channel = ? AND story = ?`, r.Transport, r.Channel, r.Story))
	if err != nil {
		return store.ActionRef{}, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// ActionRef returns the ref with this id, or store.ErrNotFound.
func (db *DB) ActionRef(ctx context.Context, id string) (store.ActionRef, error) {
	r, err := scanActionRef(db.read.QueryRowContext(ctx, `SELECT `+actionRefColumns+` FROM action_refs WHERE id = ?`, id))
	if err != nil {
		return r, fmt.Errorf("sqlite: action ref %q: %w", id, notFound(err))
	}
	return r, nil
}

func scanActionRef(sc interface{ Scan(...any) error }) (store.ActionRef, error) {
	var r store.ActionRef
	var created int64
	if err := sc.Scan(&r.ID, &r.Transport, &r.Channel, &r.Story, &r.Rule, &r.Scope, &r.ScopeLabel, &created); err != nil {
		return store.ActionRef{}, err
	}
	r.CreatedAt = fromMicros(created)
	return r, nil
}
