package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

const storyColumns = `s.id, s.rule, s.key, s.key_name, s.first_at, s.last_at, s.created_at`

func scanStory(sc interface{ Scan(...any) error }) (store.Story, error) {
	var s store.Story
	var first, last, created int64
	if err := sc.Scan(&s.ID, &s.Rule, &s.Key, &s.KeyName, &first, &last, &created); err != nil {
		return store.Story{}, err
	}
	s.First, s.Last, s.CreatedAt = fromMicros(first), fromMicros(last), fromMicros(created)
	return s, nil
}

func queryStories(ctx context.Context, q querier, query string, args ...any) ([]store.Story, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FindStory returns the story of rule and key whose [First-window,
// Last+window] holds t (bounds included), the one whose Last is nearest to
// t when several do (the older one on a tie), or store.ErrNotFound.
func (db *DB) FindStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (store.Story, error) {
	window = max(window, 0)
	at := micros(t)
	w := window.Microseconds()
	s, err := scanStory(db.read.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.rule = ? AND s.key = ? AND s.last_at >= ? AND s.first_at <= ?
		ORDER BY abs(s.last_at - ?), s.id LIMIT 1`, rule, key, at-w, at+w, at))
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: find story %s/%s: %w", rule, key, notFound(err))
	}
	return s, nil
}

// CreateStory stores s with a new ID and returns it as stored. A zero
// CreatedAt is stamped with the store's clock.
func (db *DB) CreateStory(ctx context.Context, s store.Story) (store.Story, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	res, err := db.write.ExecContext(ctx, `INSERT INTO stories (rule, key, key_name, first_at, last_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, s.Rule, s.Key, s.KeyName, micros(s.First), micros(s.Last), micros(s.CreatedAt))
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: create story: %w", err)
	}
	if s.ID, err = res.LastInsertId(); err != nil {
		return store.Story{}, fmt.Errorf("sqlite: create story: %w", err)
	}
	s.First, s.Last, s.CreatedAt = fromMicros(micros(s.First)), fromMicros(micros(s.Last)), fromMicros(micros(s.CreatedAt))
	return s, nil
}

// AddToStory adds m to story storyID and widens the story's First and Last
// to m.Published. Adding a document the story has is a no-op. It returns
// store.ErrNotFound when there is no such story.
func (db *DB) AddToStory(ctx context.Context, storyID int64, m store.StoryMember) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM stories WHERE id = ?`, storyID).Scan(&one); err != nil {
			return notFound(err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO story_members (story_id, doc_id, published, copy_of)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, storyID, m.DocID, micros(m.Published), m.CopyOf)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		p := micros(m.Published)
		_, err = tx.ExecContext(ctx, `UPDATE stories SET first_at = min(first_at, ?), last_at = max(last_at, ?)
			WHERE id = ?`, p, p, storyID)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: add %s to story %d: %w", m.DocID, storyID, err)
	}
	return nil
}

// Story returns the story with this ID, or store.ErrNotFound.
func (db *DB) Story(ctx context.Context, id int64) (store.Story, error) {
	s, err := scanStory(db.read.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, id))
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: story %d: %w", id, notFound(err))
	}
	return s, nil
}

// StoryMembers returns the documents of story storyID ordered by
// Published, then DocID.
func (db *DB) StoryMembers(ctx context.Context, storyID int64) ([]store.StoryMember, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT doc_id, published, copy_of FROM story_members
		WHERE story_id = ? ORDER BY published, doc_id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: story members %d: %w", storyID, err)
	}
	defer rows.Close()
	var out []store.StoryMember
	for rows.Next() {
		var m store.StoryMember
		var p int64
		if err := rows.Scan(&m.DocID, &p, &m.CopyOf); err != nil {
			return nil, fmt.Errorf("sqlite: story members %d: %w", storyID, err)
		}
		m.Published = fromMicros(p)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: story members %d: %w", storyID, err)
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
	query := `SELECT ` + storyColumns + ` FROM stories s
		WHERE ((s.last_at >= ? AND s.last_at < ?) OR (s.created_at >= ? AND s.created_at < ?))`
	args := []any{micros(since), micros(until), micros(since), micros(until)}
	if len(rules) > 0 {
		query += ` AND s.rule IN (` + placeholders(len(rules)) + `)`
		for _, r := range rules {
			args = append(args, r)
		}
	}
	args = append(args, limit)
	out, err := queryStories(ctx, db.read, query+` ORDER BY s.last_at DESC, s.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return out, nil
}

// StoriesOf returns the stories document docID belongs to, oldest first.
func (db *DB) StoriesOf(ctx context.Context, docID string) ([]store.Story, error) {
	out, err := queryStories(ctx, db.read, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = ? ORDER BY s.id`, docID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories of %s: %w", docID, err)
	}
	return out, nil
}
