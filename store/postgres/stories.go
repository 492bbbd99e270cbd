package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

const storyColumns = `s.id, s.rule, s.key, s.key_name, s.first_at, s.last_at, s.created_at`

func scanStory(row pgx.Row) (store.Story, error) {
	var s store.Story
	if err := row.Scan(&s.ID, &s.Rule, &s.Key, &s.KeyName, &s.First, &s.Last, &s.CreatedAt); err != nil {
		return store.Story{}, err
	}
	s.First, s.Last, s.CreatedAt = s.First.UTC(), s.Last.UTC(), s.CreatedAt.UTC()
	return s, nil
}

func (db *DB) queryStories(ctx context.Context, sql string, args ...any) ([]store.Story, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Story, error) { return scanStory(r) })
}

// FindStory returns the story of rule and key whose [First-window,
// Last+window] holds t (bounds included), the one whose Last is nearest to
// t when several do (the older one on a tie), or store.ErrNotFound.
func (db *DB) FindStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (store.Story, error) {
	window = max(window, 0)
	at := ts(t)
	w := window.Truncate(time.Microsecond)
	s, err := scanStory(db.pool.QueryRow(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.rule = $1 AND s.key = $2 AND s.last_at >= $3 AND s.first_at <= $4
		ORDER BY abs(extract(epoch FROM s.last_at - $5::timestamptz)), s.id LIMIT 1`,
		rule, key, at.Add(-w), at.Add(w), at))
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: find story %s/%s: %w", rule, key, notFound(err))
	}
	return s, nil
}

// CreateStory stores s with a new ID and returns it as stored. A zero
// CreatedAt is stamped with the store's clock.
func (db *DB) CreateStory(ctx context.Context, s store.Story) (store.Story, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	s.Rule, s.Key, s.KeyName = clean(s.Rule), clean(s.Key), clean(s.KeyName)
	s.First, s.Last, s.CreatedAt = ts(s.First), ts(s.Last), ts(s.CreatedAt)
	err := db.pool.QueryRow(ctx, `INSERT INTO stories (rule, key, key_name, first_at, last_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, s.Rule, s.Key, s.KeyName, s.First, s.Last, s.CreatedAt).
		Scan(&s.ID)
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: create story: %w", err)
	}
	return s, nil
}

// AddToStory adds m to story storyID and widens the story's First and Last
// to m.Published. Adding a document the story has is a no-op. It returns
// store.ErrNotFound when there is no such story.
func (db *DB) AddToStory(ctx context.Context, storyID int64, m store.StoryMember) error {
	p := ts(m.Published)
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM stories WHERE id = $1 FOR UPDATE`, storyID).Scan(&one); err != nil {
			return notFound(err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO story_members (story_id, doc_id, published, copy_of)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, storyID, m.DocID, p, m.CopyOf)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE stories SET first_at = least(first_at, $1), last_at = greatest(last_at, $1)
			WHERE id = $2`, p, storyID)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: add %s to story %d: %w", m.DocID, storyID, err)
	}
	return nil
}

// Story returns the story with this ID, or store.ErrNotFound.
func (db *DB) Story(ctx context.Context, id int64) (store.Story, error) {
	s, err := scanStory(db.pool.QueryRow(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = $1`, id))
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: story %d: %w", id, notFound(err))
	}
	return s, nil
}

// StoryMembers returns the documents of story storyID ordered by
// Published, then DocID.
func (db *DB) StoryMembers(ctx context.Context, storyID int64) ([]store.StoryMember, error) {
	rows, err := db.pool.Query(ctx, `SELECT doc_id, published, copy_of FROM story_members
		WHERE story_id = $1 ORDER BY published, doc_id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("postgres: story members %d: %w", storyID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StoryMember, error) {
		var m store.StoryMember
		err := r.Scan(&m.DocID, &m.Published, &m.CopyOf)
		m.Published = m.Published.UTC()
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: story members %d: %w", storyID, err)
	}
	return out, nil
}

// Stories returns the stories of rules (of every rule when rules is
// empty) whose Last or CreatedAt is in [since, until): stories with new
// reports, and stories first seen then whatever their events' times. They
// come newest Last first (then newest ID), at most limit.
func (db *DB) Stories(ctx context.Context, rules []string, since, until time.Time, limit int) ([]store.Story, error) {
	if limit <= 0 {
		return nil, nil
	}
	if rules == nil {
		rules = []string{}
	}
	out, err := db.queryStories(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE ((s.last_at >= $1 AND s.last_at < $2) OR (s.created_at >= $1 AND s.created_at < $2))
			AND (cardinality($3::text[]) = 0 OR s.rule = ANY($3))
		ORDER BY s.last_at DESC, s.id DESC LIMIT $4`, ts(since), ts(until), rules, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return out, nil
}

// StoriesOf returns the stories document docID belongs to, oldest first.
func (db *DB) StoriesOf(ctx context.Context, docID string) ([]store.Story, error) {
	out, err := db.queryStories(ctx, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = $1 ORDER BY s.id`, docID)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories of %s: %w", docID, err)
	}
	return out, nil
}
