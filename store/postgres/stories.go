package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

const storyColumns = `s.id, s.rule, s.key, s.key_name, s.first_at, s.last_at, s.created_at, s.lead_doc`

func scanStory(row pgx.Row) (store.Story, error) {
	var s store.Story
	var lead *string
	if err := row.Scan(&s.ID, &s.Rule, &s.Key, &s.KeyName, &s.First, &s.Last, &s.CreatedAt, &lead); err != nil {
		return store.Story{}, err
	}
	s.First, s.Last, s.CreatedAt = s.First.UTC(), s.Last.UTC(), s.CreatedAt.UTC()
	if lead != nil {
		s.Lead = *lead
	}
	return s, nil
}

func (db *runner) queryStories(ctx context.Context, sql string, args ...any) ([]store.Story, error) {
	rows, err := db.query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Story, error) { return scanStory(r) })
}

// FindStory returns the story of rule and key whose [First-window,
// Last+window] holds t (bounds included), the one whose Last is nearest to
// t when several do (the older one on a tie), or store.ErrNotFound.
func (db *DB) FindStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (store.Story, error) {
	s, err := db.runner.findStory(ctx, rule, key, t, window)
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: find story %s/%s: %w", rule, key, notFound(err))
	}
	return s, nil
}

func (r *runner) findStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (store.Story, error) {
	window = max(window, 0)
	at := ts(t)
	w := window.Truncate(time.Microsecond)
	return scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
		WHERE s.rule = $1 AND s.key = $2 AND s.last_at >= $3 AND s.first_at <= $4
		ORDER BY abs(extract(epoch FROM s.last_at - $5::timestamptz)), s.id LIMIT 1`,
		clean(rule), clean(key), at.Add(-w), at.Add(w), at))
}

// CreateStory stores s with a new ID and returns it as stored. A zero
// CreatedAt is stamped with the store's clock.
func (db *DB) CreateStory(ctx context.Context, s store.Story) (store.Story, error) {
	st, _, err := db.runner.createStory(ctx, s)
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: create story: %w", err)
	}
	return st, nil
}

// createStory stores s; when a story of its rule and key with its lead
// exists it returns that one and false.
func (r *runner) createStory(ctx context.Context, s store.Story) (store.Story, bool, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = r.db.now()
	}
	s.Rule, s.Key, s.KeyName, s.Lead = clean(s.Rule), clean(s.Key), clean(s.KeyName), clean(s.Lead)
	s.First, s.Last, s.CreatedAt = ts(s.First), ts(s.Last), ts(s.CreatedAt)
	var lead *string
	if s.Lead != "" {
		lead = &s.Lead
	}
	err := r.queryRow(ctx, `INSERT INTO stories (rule, key, key_name, first_at, last_at, created_at, lead_doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (rule, key, lead_doc) DO NOTHING RETURNING id`,
		s.Rule, s.Key, s.KeyName, s.First, s.Last, s.CreatedAt, lead).Scan(&s.ID)
	if isNoRows(err) {
		st, err := scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
			WHERE s.rule = $1 AND s.key = $2 AND s.lead_doc = $3`, s.Rule, s.Key, s.Lead))
		return st, false, err
	}
	if err != nil {
		return store.Story{}, false, err
	}
	return s, true, nil
}

// AddToStory adds m to story storyID and widens the story's First and Last
// to m.Published. Adding a document the story has is a no-op. It returns
// store.ErrNotFound when there is no such story.
func (db *DB) AddToStory(ctx context.Context, storyID int64, m store.StoryMember) error {
	err := db.runner.inTx(ctx, func(r *runner) error {
		var one int
		if err := r.queryRow(ctx, `SELECT 1 FROM stories WHERE id = $1 FOR UPDATE`, storyID).Scan(&one); err != nil {
			return notFound(err)
		}
		return r.addMember(ctx, storyID, m)
	})
	if err != nil {
		return fmt.Errorf("postgres: add %s to story %d: %w", m.DocID, storyID, err)
	}
	return nil
}

// addMember adds m to a story that exists and widens the story to it; a
// member it has already changes nothing.
func (r *runner) addMember(ctx context.Context, storyID int64, m store.StoryMember) error {
	return r.later(ctx, nil, `WITH added AS (
			INSERT INTO story_members (story_id, doc_id, published, copy_of) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING RETURNING published)
		UPDATE stories SET first_at = least(first_at, a.published), last_at = greatest(last_at, a.published)
		FROM added a WHERE id = $1`, storyID, clean(m.DocID), ts(m.Published), clean(m.CopyOf))
}

// storyLocks names the transaction locks that serialise the placements of
// one rule and key: the first int4 key of their two-key locks.
const storyLocks = `hashtext(current_schema() || ':wirewatch:story')`

// Place puts a document in a story of its rule; see store.StoryPlacer.
// Placements of one rule and key take a transaction advisory lock, so two
// replicas never open two stories for them; the unique (rule, key, lead)
// makes placing one document twice open one story even without it.
func (r *runner) Place(ctx context.Context, p store.Placement) (store.Placed, error) {
	var out store.Placed
	err := r.inTx(ctx, func(r *runner) error {
		if _, err := r.exec(ctx, `SELECT pg_advisory_xact_lock(`+storyLocks+`, hashtext($1 || '/' || $2))`,
			clean(p.Rule), clean(p.Key)); err != nil {
			return fmt.Errorf("locking: %w", err)
		}
		var err error
		out, err = r.place(ctx, p)
		return err
	})
	if err != nil {
		return store.Placed{}, fmt.Errorf("postgres: place %s in a story of %s: %w", p.DocID, p.Rule, err)
	}
	return out, nil
}

func (r *runner) place(ctx context.Context, p store.Placement) (store.Placed, error) {
	m := store.StoryMember{DocID: p.DocID, Published: p.Published}
	if p.CopyOf != "" {
		st, err := r.storyOf(ctx, p.CopyOf, p.Rule)
		if err == nil {
			m.CopyOf = p.CopyOf
			return store.Placed{Story: widened(st, p.Published), How: store.Copy}, r.addMember(ctx, st.ID, m)
		}
		if !isNoRows(err) {
			return store.Placed{}, err
		}
	}
	if st, err := r.storyOf(ctx, p.DocID, p.Rule); err == nil {
		return store.Placed{Story: st, How: store.Member}, nil
	} else if !isNoRows(err) {
		return store.Placed{}, err
	}
	how := store.Joined
	st, err := r.findStory(ctx, p.Rule, p.Key, p.Published, p.Window)
	if isNoRows(err) {
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
	if err := r.addMember(ctx, st.ID, m); err != nil {
		return store.Placed{}, err
	}
	return store.Placed{Story: widened(st, p.Published), How: how}, nil
}

// widened returns st with First and Last widened to t, as addMember
// stores them.
func widened(st store.Story, t time.Time) store.Story {
	t = ts(t)
	if t.Before(st.First) {
		st.First = t
	}
	if t.After(st.Last) {
		st.Last = t
	}
	return st
}

// storyOf returns the story of rule that holds doc, or pgx.ErrNoRows.
func (r *runner) storyOf(ctx context.Context, doc, rule string) (store.Story, error) {
	return scanStory(r.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = $1 AND s.rule = $2 ORDER BY s.id LIMIT 1`,
		clean(doc), clean(rule)))
}

// Story returns the story with this ID, or store.ErrNotFound.
func (db *runner) Story(ctx context.Context, id int64) (store.Story, error) {
	s, err := scanStory(db.queryRow(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = $1`, id))
	if err != nil {
		return store.Story{}, fmt.Errorf("postgres: story %d: %w", id, notFound(err))
	}
	return s, nil
}

// StoryMembers returns the documents of story storyID ordered by
// Published, then DocID.
func (db *runner) StoryMembers(ctx context.Context, storyID int64) ([]store.StoryMember, error) {
	rows, err := db.query(ctx, `SELECT doc_id, published, copy_of FROM story_members
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
func (db *runner) Stories(ctx context.Context, rules []string, since, until time.Time, limit int) ([]store.Story, error) {
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
func (db *runner) StoriesOf(ctx context.Context, docID string) ([]store.Story, error) {
	out, err := db.queryStories(ctx, `SELECT `+storyColumns+` FROM stories s
		JOIN story_members m ON m.story_id = s.id WHERE m.doc_id = $1 ORDER BY s.id`, docID)
	if err != nil {
		return nil, fmt.Errorf("postgres: stories of %s: %w", docID, err)
	}
	return out, nil
}
