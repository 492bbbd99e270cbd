package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// querier is what the pool and a transaction offer for reading.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// FileState returns what was recorded for the corpus file at path, or
// store.ErrNotFound.
func (db *DB) FileState(ctx context.Context, path string) (store.FileState, error) {
	fs := store.FileState{Path: path}
	var mod *int64
	err := db.pool.QueryRow(ctx, `SELECT size, mod_time, doc_id, skipped FROM file_state WHERE path = $1`,
		clean(path)).Scan(&fs.Size, &mod, &fs.DocID, &fs.Skipped)
	if err != nil {
		return store.FileState{}, fmt.Errorf("postgres: file state %s: %w", path, notFound(err))
	}
	if mod != nil {
		fs.ModTime = time.Unix(0, *mod).UTC()
	}
	return fs, nil
}

// SetFileState records fs, replacing what was recorded for fs.Path.
func (db *DB) SetFileState(ctx context.Context, fs store.FileState) error {
	var mod *int64
	if !fs.ModTime.IsZero() {
		ns := fs.ModTime.UnixNano()
		mod = &ns
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO file_state (path, size, mod_time, doc_id, skipped)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (path) DO UPDATE SET size = excluded.size, mod_time = excluded.mod_time,
			doc_id = excluded.doc_id, skipped = excluded.skipped`,
		clean(fs.Path), fs.Size, mod, fs.DocID, clean(fs.Skipped))
	if err != nil {
		return fmt.Errorf("postgres: set file state %s: %w", fs.Path, err)
	}
	return nil
}

// PutDocument stores d, or adds its paths to the stored document with its
// ID. The first path a document was stored with stays its Path.
func (db *DB) PutDocument(ctx context.Context, d corpus.Document) (bool, error) {
	if d.ID == "" {
		return false, errors.New("postgres: put document: the document has no ID")
	}
	paths := store.DocPaths(d, clean)
	first := ""
	if len(paths) > 0 {
		first = paths[0]
	}
	created := false
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT true FROM documents WHERE id = $1`, d.ID).Scan(&exists); err != nil &&
			!errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if !exists {
			tag, err := tx.Exec(ctx, `INSERT INTO documents (id, source, path, url, title, published,
				date_from_file, title_derived, body, language, stored_at, fts)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, strip(to_tsvector('simple', $12)))
				ON CONFLICT (id) DO NOTHING`,
				d.ID, clean(d.Source), first, clean(d.URL), clean(d.Title), ts(d.Published),
				d.DateFromFile, d.TitleDerived, clean(d.Body), clean(d.Language), db.now(),
				corpus.Fold(d.Title)+" "+corpus.Fold(d.Body))
			if err != nil {
				return err
			}
			created = tag.RowsAffected() == 1
		}
		if !created && first != "" {
			if _, err := tx.Exec(ctx, `UPDATE documents SET path = $1 WHERE id = $2 AND path = ''`,
				first, d.ID); err != nil {
				return err
			}
		}
		for _, p := range paths {
			if _, err := tx.Exec(ctx, `INSERT INTO document_paths (doc_id, path) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, d.ID, p); err != nil {
				return fmt.Errorf("adding path: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: put document %s: %w", d.ID, err)
	}
	return created, nil
}

// docColumns are the columns scanDoc reads, of documents aliased d.
const docColumns = `d.id, d.source, d.path, d.url, d.title, d.published, d.date_from_file,
	d.title_derived, d.body, d.language`

// scanDoc reads docColumns, then extra.
func scanDoc(row pgx.Row, extra ...any) (corpus.Document, error) {
	var d corpus.Document
	dest := append([]any{&d.ID, &d.Source, &d.Path, &d.URL, &d.Title, &d.Published, &d.DateFromFile,
		&d.TitleDerived, &d.Body, &d.Language}, extra...)
	if err := row.Scan(dest...); err != nil {
		return corpus.Document{}, err
	}
	d.Published = d.Published.UTC()
	return d, nil
}

// Document returns the document with this ID and all its paths, or
// store.ErrNotFound.
func (db *DB) Document(ctx context.Context, id string) (corpus.Document, error) {
	d, err := scanDoc(db.pool.QueryRow(ctx, `SELECT `+docColumns+` FROM documents d WHERE d.id = $1`, id))
	if err != nil {
		return corpus.Document{}, fmt.Errorf("postgres: document %s: %w", id, notFound(err))
	}
	docs := []corpus.Document{d}
	if err := loadPaths(ctx, db.pool, docs); err != nil {
		return corpus.Document{}, fmt.Errorf("postgres: document %s: %w", id, err)
	}
	return docs[0], nil
}

// queryDocs runs a query selecting docColumns and fills in the paths.
func queryDocs(ctx context.Context, q querier, sql string, args ...any) ([]corpus.Document, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (corpus.Document, error) { return scanDoc(r) })
	if err != nil {
		return nil, err
	}
	if err := loadPaths(ctx, q, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// loadPaths sets the Paths of docs, in the order the paths were added.
func loadPaths(ctx context.Context, q querier, docs []corpus.Document) error {
	if len(docs) == 0 {
		return nil
	}
	index := make(map[string]int, len(docs))
	ids := make([]string, 0, len(docs))
	for i, d := range docs {
		index[d.ID] = i
		ids = append(ids, d.ID)
	}
	rows, err := q.Query(ctx, `SELECT doc_id, path FROM document_paths WHERE doc_id = ANY($1) ORDER BY seq`, ids)
	if err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	var id, p string
	_, err = pgx.ForEachRow(rows, []any{&id, &p}, func() error {
		if i, ok := index[id]; ok {
			docs[i].Paths = append(docs[i].Paths, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	return nil
}

// Pending returns up to limit documents not yet marked processed, in the
// order they were stored.
func (db *DB) Pending(ctx context.Context, limit int) ([]corpus.Document, error) {
	if limit <= 0 {
		return nil, nil
	}
	docs, err := queryDocs(ctx, db.pool, `SELECT `+docColumns+` FROM documents d
		WHERE NOT d.processed ORDER BY d.published, d.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending documents: %w", err)
	}
	return docs, nil
}

// MarkProcessed records that the engine finished with document id, or
// returns store.ErrNotFound.
func (db *DB) MarkProcessed(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE documents SET processed = true WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: mark processed %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: mark processed %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// SetAnalysis replaces the regions and matches of document id, or returns
// store.ErrNotFound when there is no such document.
func (db *DB) SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var pub time.Time
		// Locking the document orders concurrent analyses of it.
		if err := tx.QueryRow(ctx, `SELECT published FROM documents WHERE id = $1 FOR UPDATE`, id).
			Scan(&pub); err != nil {
			return notFound(err)
		}
		batch := &pgx.Batch{}
		for _, table := range []string{"doc_regions", "doc_matches", "doc_places"} {
			batch.Queue(`DELETE FROM `+table+` WHERE doc_id = $1`, id)
		}
		for i, r := range a.Regions {
			batch.Queue(`INSERT INTO doc_regions (doc_id, seq, place_id, name, level, admin1, admin1_name,
				country, text, "offset", country_name, weight, admin1_weight, country_weight)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
				id, i, r.PlaceID, clean(r.Name), clean(r.Level), clean(r.Admin1), clean(r.Admin1Name),
				clean(r.Country), clean(r.Text), r.Offset, clean(r.CountryName), r.Weight, r.Admin1Weight, r.CountryWeight)
		}
		for i, m := range a.Matches {
			kw, err := json.Marshal(m.Keywords)
			if err != nil {
				return fmt.Errorf("match %d: %w", i, err)
			}
			rg, err := json.Marshal(m.Regions)
			if err != nil {
				return fmt.Errorf("match %d: %w", i, err)
			}
			batch.Queue(`INSERT INTO doc_matches (doc_id, seq, rule, keywords, regions, group_key, group_name,
				evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				id, i, clean(m.Rule), string(kw), string(rg), clean(m.GroupKey), clean(m.GroupName), clean(m.Evidence))
		}
		for _, p := range store.PlaceKeys(a.Regions) {
			batch.Queue(`INSERT INTO doc_places (key, published, doc_id, place, "offset") VALUES ($1, $2, $3, $4, $5)`,
				clean(p.Key), pub, id, clean(p.Place), p.Offset)
		}
		return tx.SendBatch(ctx, batch).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: set analysis %s: %w", id, err)
	}
	return nil
}

// Analysis returns what SetAnalysis stored for document id, empty when
// nothing was.
func (db *DB) Analysis(ctx context.Context, id string) (corpus.Analysis, error) {
	var a corpus.Analysis
	rows, err := db.pool.Query(ctx, `SELECT place_id, name, level, admin1, admin1_name, country, text, "offset",
		country_name, weight, admin1_weight, country_weight FROM doc_regions WHERE doc_id = $1 ORDER BY seq`, id)
	if err != nil {
		return a, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	var r corpus.DocRegion
	_, err = pgx.ForEachRow(rows, []any{&r.PlaceID, &r.Name, &r.Level, &r.Admin1, &r.Admin1Name, &r.Country,
		&r.Text, &r.Offset, &r.CountryName, &r.Weight, &r.Admin1Weight, &r.CountryWeight}, func() error {
		a.Regions = append(a.Regions, r)
		return nil
	})
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	rows, err = db.pool.Query(ctx, `SELECT rule, keywords, regions, group_key, group_name, evidence
		FROM doc_matches WHERE doc_id = $1 ORDER BY seq`, id)
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	var m corpus.DocMatch
	var kw, rg []byte
	_, err = pgx.ForEachRow(rows, []any{&m.Rule, &kw, &rg, &m.GroupKey, &m.GroupName, &m.Evidence}, func() error {
		x := corpus.DocMatch{Rule: m.Rule, GroupKey: m.GroupKey, GroupName: m.GroupName, Evidence: m.Evidence}
		if err := json.Unmarshal(kw, &x.Keywords); err != nil {
			return fmt.Errorf("keywords: %w", err)
		}
		if err := json.Unmarshal(rg, &x.Regions); err != nil {
			return fmt.Errorf("regions: %w", err)
		}
		a.Matches = append(a.Matches, x)
		return nil
	})
	if err != nil {
		return corpus.Analysis{}, fmt.Errorf("postgres: analysis %s: %w", id, err)
	}
	return a, nil
}
