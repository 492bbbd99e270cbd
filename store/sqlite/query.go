package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// maxUnion is the number of filter keys up to which Latest reads each
// key's newest documents straight from the index; above it (SQLite allows
// 500 terms in a compound SELECT) it reads all of them and sorts.
const maxUnion = 200

// Latest returns the newest documents (by Published, then ID, both
// descending) that name a place of f, at most limit, each with the place
// that matched: the first mentioned of the document's places that f names.
// An empty filter matches nothing.
func (db *DB) Latest(ctx context.Context, f store.RegionFilter, limit int) ([]store.Hit, error) {
	keys := store.FilterKeys(f)
	if len(keys) == 0 || limit <= 0 {
		return nil, nil
	}
	args := make([]any, 0, 2*len(keys)+1)
	var inner strings.Builder
	if len(keys) <= maxUnion {
		// The newest limit documents of each key; the newest limit of
		// their union are the answer.
		for i, k := range keys {
			if i > 0 {
				inner.WriteString(" UNION ALL ")
			}
			inner.WriteString(`SELECT * FROM (SELECT doc_id, published, place, "offset" FROM doc_places
				WHERE key = ? ORDER BY published DESC, doc_id DESC LIMIT ?)`)
			args = append(args, k, limit)
		}
	} else {
		inner.WriteString(`SELECT doc_id, published, place, "offset" FROM doc_places WHERE key IN (` +
			placeholders(len(keys)) + `)`)
		for _, k := range keys {
			args = append(args, k)
		}
	}
	args = append(args, limit)
	// SQLite takes the bare column place from the row holding MIN(offset).
	rows, err := db.read.QueryContext(ctx, `SELECT `+docColumns+`, m.place FROM (
			SELECT doc_id, published, place, MIN("offset") FROM (`+inner.String()+`) GROUP BY doc_id
		) m JOIN documents d ON d.id = m.doc_id
		ORDER BY m.published DESC, m.doc_id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: latest: %w", err)
	}
	defer rows.Close()
	var docs []corpus.Document
	var places []string
	for rows.Next() {
		var place string
		d, err := scanDoc(rows, &place)
		if err != nil {
			return nil, fmt.Errorf("sqlite: latest: %w", err)
		}
		docs = append(docs, d)
		places = append(places, place)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: latest: %w", err)
	}
	if err := loadPaths(ctx, db.read, docs); err != nil {
		return nil, fmt.Errorf("sqlite: latest: %w", err)
	}
	hits := make([]store.Hit, len(docs))
	for i := range docs {
		hits[i] = store.Hit{Doc: docs[i], Place: places[i]}
	}
	return hits, nil
}

// searchSortMax is the number of matches up to which Search sorts the
// matching documents; with more, it reads documents newest first and stops
// at the limit, which costs less when matches are many.
const searchSortMax = 500

// Search returns the newest documents whose title or body hold every word
// of query, at most limit. Words are compared folded (corpus.Fold: case,
// diacritics, apostrophes and punctuation do not count), and the query is
// only ever words: FTS5 operators in it are searched for as words. A query
// without words finds nothing.
func (db *DB) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	match := ftsQuery(query)
	if match == "" || limit <= 0 {
		return nil, nil
	}
	seqs, err := db.matches(ctx, match, searchSortMax+1)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search %q: %w", query, err)
	}
	var docs []corpus.Document
	switch {
	case len(seqs) == 0:
	case len(seqs) <= searchSortMax:
		list, err := json.Marshal(seqs)
		if err != nil {
			return nil, fmt.Errorf("sqlite: search %q: %w", query, err)
		}
		docs, err = queryDocs(ctx, db.read, `SELECT `+docColumns+` FROM documents d
			WHERE d.seq IN (SELECT value FROM json_each(?))
			ORDER BY d.published DESC, d.id DESC LIMIT ?`, string(list), limit)
		if err != nil {
			return nil, fmt.Errorf("sqlite: search %q: %w", query, err)
		}
	default:
		docs, err = queryDocs(ctx, db.read, `SELECT `+docColumns+` FROM documents d INDEXED BY documents_published
			WHERE d.seq IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)
			ORDER BY d.published DESC, d.id DESC LIMIT ?`, match, limit)
		if err != nil {
			return nil, fmt.Errorf("sqlite: search %q: %w", query, err)
		}
	}
	hits := make([]store.Hit, len(docs))
	for i, d := range docs {
		hits[i] = store.Hit{Doc: d}
	}
	return hits, nil
}

// matches returns the seq of up to max documents matching the FTS5 query.
func (db *DB) matches(ctx context.Context, match string, max int) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?`,
		match, max)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		seqs = append(seqs, seq)
	}
	return seqs, rows.Err()
}

// ftsQuery turns user input into an FTS5 query that requires each folded
// word: every word is a quoted string, so nothing the user types is read
// as FTS5 syntax. It returns "" when the input has no words.
func ftsQuery(q string) string {
	var b strings.Builder
	for _, w := range strings.Fields(corpus.Fold(q)) {
		// The index keeps no positions, so every token is a term of its
		// own: split where the ascii tokenizer splits.
		for _, t := range strings.FieldsFunc(w, ftsSeparator) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte('"')
			b.WriteString(t)
			b.WriteByte('"')
		}
	}
	return b.String()
}

// ftsSeparator reports whether FTS5's ascii tokenizer splits words at r:
// ASCII characters other than letters and digits.
func ftsSeparator(r rune) bool {
	return r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
}
