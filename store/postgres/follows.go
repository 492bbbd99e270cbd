package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

// Follow records that f.User follows f.Story, replacing an earlier follow
// of it by the same user.
func (db *DB) Follow(ctx context.Context, f store.Follow) error {
	if _, err := db.pool.Exec(ctx, `INSERT INTO follows (transport, user_id, user_name, story, channel, direct, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (transport, user_id, story) DO UPDATE SET
		user_name = excluded.user_name, channel = excluded.channel, direct = excluded.direct`,
		clean(f.Transport), clean(f.User), clean(f.UserName), f.Story, clean(f.Channel), clean(f.Direct), db.now()); err != nil {
		return fmt.Errorf("postgres: follow story %d for %s/%s: %w", f.Story, f.Transport, f.User, err)
	}
	return nil
}

// Unfollow ends a follow, or returns store.ErrNotFound.
func (db *DB) Unfollow(ctx context.Context, transport, user string, story int64) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM follows WHERE transport = $1 AND user_id = $2 AND story = $3`,
		clean(transport), clean(user), story)
	if err != nil {
		return fmt.Errorf("postgres: unfollow story %d for %s/%s: %w", story, transport, user, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: unfollow story %d for %s/%s: %w", story, transport, user, store.ErrNotFound)
	}
	return nil
}

// Followers returns the follows of a story by transport and user.
func (db *runner) Followers(ctx context.Context, story int64) ([]store.Follow, error) {
	return db.follows(ctx, `story = $1 ORDER BY transport, user_id`, story)
}

// FollowsOf returns a user's follows by story.
func (db *DB) FollowsOf(ctx context.Context, transport, user string) ([]store.Follow, error) {
	return db.runner.follows(ctx, `transport = $1 AND user_id = $2 ORDER BY story`, clean(transport), clean(user))
}

func (db *runner) follows(ctx context.Context, where string, args ...any) ([]store.Follow, error) {
	rows, err := db.query(ctx, `SELECT transport, user_id, user_name, story, channel, direct, created_at
		FROM follows WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: follows: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Follow, error) {
		var f store.Follow
		err := r.Scan(&f.Transport, &f.User, &f.UserName, &f.Story, &f.Channel, &f.Direct, &f.CreatedAt)
		f.CreatedAt = f.CreatedAt.UTC()
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: follows: %w", err)
	}
	return out, nil
}

const actionRefColumns = `id, transport, channel, story, rule, scope, scope_label, created_at`

// PutActionRef returns the ref of an alert in a channel, creating it.
func (db *DB) PutActionRef(ctx context.Context, r store.ActionRef) (store.ActionRef, error) {
	op := fmt.Sprintf("postgres: action ref of story %d in %s/%s", r.Story, r.Transport, r.Channel)
	if _, err := db.pool.Exec(ctx, `INSERT INTO action_refs (`+actionRefColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (transport, channel, story) DO NOTHING`,
		store.NewActionID(), clean(r.Transport), clean(r.Channel), r.Story, clean(r.Rule), clean(r.Scope),
		clean(r.ScopeLabel), db.now()); err != nil {
		return store.ActionRef{}, fmt.Errorf("%s: %w", op, err)
	}
	out, err := scanActionRef(db.pool.QueryRow(ctx, `SELECT `+actionRefColumns+` FROM action_refs
		WHERE transport = $1 AND channel = $2 AND story = $3`, clean(r.Transport), clean(r.Channel), r.Story))
	if err != nil {
		return store.ActionRef{}, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// ActionRef returns the ref with this id, or store.ErrNotFound.
func (db *DB) ActionRef(ctx context.Context, id string) (store.ActionRef, error) {
	r, err := scanActionRef(db.pool.QueryRow(ctx, `SELECT `+actionRefColumns+` FROM action_refs WHERE id = $1`, clean(id)))
	if err != nil {
		return r, fmt.Errorf("postgres: action ref %q: %w", id, notFound(err))
	}
	return r, nil
}

func scanActionRef(sc interface{ Scan(...any) error }) (store.ActionRef, error) {
	var r store.ActionRef
	if err := sc.Scan(&r.ID, &r.Transport, &r.Channel, &r.Story, &r.Rule, &r.Scope, &r.ScopeLabel, &r.CreatedAt); err != nil {
		return store.ActionRef{}, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, nil
}
