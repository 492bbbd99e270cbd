package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

const storyColumns = `s.id, s.rule, s.key, s.key_name, s.first_at, s.last_at, s.created_at, s.lead_doc`

func scanStory(sc interface{ Scan(...any) error }) (store.Story, error) {
	var s store.Story
	var first, last, created int64
	var lead sql.NullString
	if err := sc.Scan(&s.ID, &s.Rule, &s.Key, &s.KeyName, &first, &last, &created, &lead); err != nil {
		return store.Story{}, err
	}
	s.First, s.Last, s.CreatedAt, s.Lead = fromMicros(first), fromMicros(last), fromMicros(created), lead.String
	return s, nil
}

func queryStories(ctx context.Context, r *runner, query string, args ...any) ([]store.Story, error) {
	rows, err := r.query(ctx, query, args...)
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
	s, err := db.runner.findStory(ctx, rule, key, t, window)
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: find story %s/%s: %w", rule, key, notFound(err))
	}
	return s, nil
}

func (r *runner) findStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (store.Story, error) {
	window = max(window, 0)
	at := micros(t)
	w := window.Microseconds()
	return scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.rule = ? AND s.key = ? AND s.last_at >= ? AND s.first_at <= ?
		ORDER BY abs(s.last_at - ?), s.id LIMIT 1`, rule, key, at-w, at+w, at))
}

// CreateStory stores s with a new ID and returns it as stored. A zero
// CreatedAt is stamped with the store's clock.
func (db *DB) CreateStory(ctx context.Context, s store.Story) (store.Story, error) {
	st, _, err := db.runner.createStory(ctx, s)
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: create story: %w", err)
	}
	return st, nil
}

// createStory stores s; when a story of its rule and key with its lead
// exists it returns that one and false.
func (r *runner) createStory(ctx context.Context, s store.Story) (store.Story, bool, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = r.db.now()
	}
	var lead any
	if s.Lead != "" {
		lead = s.Lead
	}
	err := r.writeRow(ctx, `INSERT INTO stories (rule, key, key_name, first_at, last_at, created_at, lead_doc)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule, key, lead_doc) DO NOTHING RETURNING id`,
		s.Rule, s.Key, s.KeyName, micros(s.First), micros(s.Last), micros(s.CreatedAt), lead).Scan(&s.ID)
	if errors.Is(err, sql.ErrNoRows) {
		st, err := scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
			WHERE s.rule = ? AND s.key = ? AND s.lead_doc = ?`, s.Rule, s.Key, s.Lead))
		return st, false, err
	}
	if err != nil {
		return store.Story{}, false, err
	}
	s.First, s.Last, s.CreatedAt = fromMicros(micros(s.First)), fromMicros(micros(s.Last)), fromMicros(micros(s.CreatedAt))
	return s, true, nil
}

// AddToStory adds m to story storyID and widens the story's First and Last
// to m.Published. Adding a document the story has is a no-op. It returns
// store.ErrNotFound when there is no such story.
func (db *DB) AddToStory(ctx context.Context, storyID int64, m store.StoryMember) error {
	err := db.runner.inTx(ctx, func(r *runner) error {
		var one int
		if err := r.queryRow(ctx, `SELECT 1 FROM stories WHERE id = ?`, storyID).Scan(&one); err != nil {
			return notFound(err)
		}
		_, err := r.addMember(ctx, storyID, m)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: add %s to story %d: %w", m.DocID, storyID, err)
	}
	return nil
}

// addMember adds m to a story that exists and widens it; it reports
// whether m was new there.
func (r *runner) addMember(ctx context.Context, storyID int64, m store.StoryMember) (bool, error) {
	res, err := r.exec(ctx, `INSERT INTO story_members (story_id, doc_id, published, copy_of)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, storyID, m.DocID, micros(m.Published), m.CopyOf)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	p := micros(m.Published)
	_, err = r.exec(ctx, `UPDATE stories SET first_at = min(first_at, ?), last_at = max(last_at, ?)
		WHERE id = ?`, p, p, storyID)
	return err == nil, err
}

// Place puts a document in a story of its rule; see store.StoryPlacer. On
// SQLite every write transaction holds the file's write lock, so
// placements are serialised.
func (r *runner) Place(ctx context.Context, p store.Placement) (store.Placed, error) {
	var out store.Placed
	err := r.inTx(ctx, func(r *runner) error {
		var err error
		out, err = r.place(ctx, p)
		return err
	})
	if err != nil {
		return store.Placed{}, fmt.Errorf("sqlite: place %s in a story of %s: %w", p.DocID, p.Rule, err)
	}
	return out, nil
}

func (r *runner) place(ctx context.Context, p store.Placement) (store.Placed, error) {
	m := store.StoryMember{DocID: p.DocID, Published: p.Published}
	if p.CopyOf != "" {
		st, err := r.storyOf(ctx, p.CopyOf, p.Rule)
		if err == nil {
			m.CopyOf = p.CopyOf
			_, err = r.addMember(ctx, st.ID, m)
			return store.Placed{Story: widened(st, p.Published), How: store.Copy}, err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return store.Placed{}, err
		}
	}
	if st, err := r.storyOf(ctx, p.DocID, p.Rule); err == nil {
		return store.Placed{Story: st, How: store.Member}, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return store.Placed{}, err
	}
	how := store.Joined
	st, err := r.findStory(ctx, p.Rule, p.Key, p.Published, p.Window)
	if errors.Is(err, sql.ErrNoRows) {
		how = store.Opened
		var created bool
		st, created, err = r.createStory(ctx, store.Story{Rule: p.Rule, Key: p.Key, KeyName: p.KeyName,
			First: p.Published, Last: p.Published, CreatedAt: p.CreatedAt, Lead: p.DocID})
		if err == nil && !created {
			how = store.Member
		}
	}
	if err != nil {
		return store.Placed{}, err
	}
	if _, err := r.addMember(ctx, st.ID, m); err != nil {
		return store.Placed{}, err
	}
	return store.Placed{Story: widened(st, p.Published), How: how}, nil
}

// widened returns st with First and Last widened to t, as addMember
// stores them.
func widened(st store.Story, t time.Time) store.Story {
	t = fromMicros(micros(t))
	if t.Before(st.First) {
		st.First = t
	}
	if t.After(st.Last) {
		st.Last = t
	}
	return st
}

// storyOf returns the story of rule that holds doc, or sql.ErrNoRows.
func (r *runner) storyOf(ctx context.Context, doc, rule string) (store.Story, error) {
	return scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = ? AND s.rule = ? ORDER BY s.id LIMIT 1`, doc, rule))
}

// Story returns the story with this ID, or store.ErrNotFound.
func (r *runner) Story(ctx context.Context, id int64) (store.Story, error) {
	s, err := scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, id))
	if err != nil {
		return store.Story{}, fmt.Errorf("sqlite: story %d: %w", id, notFound(err))
	}
	return s, nil
}

// StoryMembers returns the documents of story storyID ordered by
// Published, then DocID.
func (r *runner) StoryMembers(ctx context.Context, storyID int64) ([]store.StoryMember, error) {
	rows, err := r.query(ctx, `SELECT doc_id, published, copy_of FROM story_members
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
func (r *runner) Stories(ctx context.Context, rules []string, since, until time.Time, limit int) ([]store.Story, error) {
	if limit <= 0 {
		return nil, nil
	}
	query := `SELECT ` + storyColumns + ` FROM stories s
		WHERE ((s.last_at >= ? AND s.last_at < ?) OR (s.created_at >= ? AND s.created_at < ?))`
	args := []any{micros(since), micros(until), micros(since), micros(until)}
	if len(rules) > 0 {
		query += ` AND s.rule IN (` + placeholders(len(rules)) + `)`
		for _, rule := range rules {
			args = append(args, rule)
		}
	}
	args = append(args, limit)
	out, err := queryStories(ctx, r, query+` ORDER BY s.last_at DESC, s.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return out, nil
}

// StoriesOf returns the stories document docID belongs to, oldest first.
func (r *runner) StoriesOf(ctx context.Context, docID string) ([]store.Story, error) {
	out, err := queryStories(ctx, r, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = ? ORDER BY s.id`, docID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories of %s: %w", docID, err)
	}
	return out, nil
}
