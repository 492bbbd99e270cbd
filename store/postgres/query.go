package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// Latest returns the newest documents (by Published, then ID, both
// descending) that name a place of f, at most limit, each with the place
// that matched: the first mentioned of the document's places that f names.
// An empty filter matches nothing.
func (db *DB) Latest(ctx context.Context, f store.RegionFilter, limit int) ([]store.Hit, error) {
	keys := store.FilterKeys(f)
	if len(keys) == 0 || limit <= 0 {
		return nil, nil
	}
	// The newest limit documents of each key, read in index order; the
	// newest limit of their union are the answer.
	rows, err := db.pool.Query(ctx, `SELECT `+docColumns+`, m.place FROM (
			SELECT DISTINCT ON (p.doc_id) p.doc_id, p.published, p.place
			FROM unnest($1::text[]) AS k (key)
			CROSS JOIN LATERAL (
				SELECT doc_id, published, place, "offset" FROM doc_places
				WHERE key = k.key ORDER BY published DESC, doc_id DESC LIMIT $2
			) p
			ORDER BY p.doc_id, p."offset"
		) m JOIN documents d ON d.id = m.doc_id
		ORDER BY m.published DESC, m.doc_id DESC LIMIT $2`, keys, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: latest: %w", err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Hit, error) {
		var h store.Hit
		d, err := scanDoc(r, &h.Place)
		h.Doc = d
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: latest: %w", err)
	}
	docs := make([]corpus.Document, len(hits))
	for i := range hits {
		docs[i] = hits[i].Doc
	}
	if err := loadPaths(ctx, db.pool, docs); err != nil {
		return nil, fmt.Errorf("postgres: latest: %w", err)
	}
	for i := range hits {
		hits[i].Doc = docs[i]
	}
	return hits, nil
}

// Search returns the newest documents whose title or body hold every word
// of query, at most limit. Words are compared folded (corpus.Fold: case,
// diacritics, apostrophes and punctuation do not count); the query is only
// ever plain words, never tsquery syntax. A query without words finds
// nothing.
func (db *DB) Search(ctx context.Context, query string, limit int) ([]store.Hit, error) {
	words := corpus.Fold(query)
	if words == "" || limit <= 0 {
		return nil, nil
	}
	docs, err := queryDocs(ctx, db.pool, `SELECT `+docColumns+` FROM documents d
		WHERE d.fts @@ plainto_tsquery('simple', $1)
		ORDER BY d.published DESC, d.id DESC LIMIT $2`, words, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	hits := make([]store.Hit, len(docs))
	for i, d := range docs {
		hits[i] = store.Hit{Doc: d}
	}
	return hits, nil
}
