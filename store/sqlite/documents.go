package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// FileState returns what was recorded for the corpus file at path, or
// store.ErrNotFound.
func (db *DB) FileState(ctx context.Context, path string) (store.FileState, error) {
	fs := store.FileState{Path: path}
	var mod sql.NullInt64
	err := db.read.QueryRowContext(ctx,
		`SELECT size, mod_time, doc_id, skipped FROM file_state WHERE path = ?`, path,
	).Scan(&fs.Size, &mod, &fs.DocID, &fs.Skipped)
	if err != nil {
		return store.FileState{}, fmt.Errorf("sqlite: file state %s: %w", path, notFound(err))
	}
	if mod.Valid {
		fs.ModTime = fromNanos(mod.Int64)
	}
	return fs, nil
}

// SetFileState records fs, replacing what was recorded for fs.Path.
func (db *DB) SetFileState(ctx context.Context, fs store.FileState) error {
	var mod any
	if !fs.ModTime.IsZero() {
		mod = fs.ModTime.UnixNano()
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO file_state (path, size, mod_time, doc_id, skipped)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (path) DO UPDATE SET size = excluded.size, mod_time = excluded.mod_time,
			doc_id = excluded.doc_id, skipped = excluded.skipped`,
		fs.Path, fs.Size, mod, fs.DocID, fs.Skipped)
	if err != nil {
		return fmt.Errorf("sqlite: set file state %s: %w", fs.Path, err)
	}
	return nil
}

// PutDocument stores d, or adds its paths to the stored document with its
// ID. The first path a document was stored with stays its Path.
func (db *DB) PutDocument(ctx context.Context, d corpus.Document) (bool, error) {
	if d.ID == "" {
		return false, errors.New("sqlite: put document: the document has no ID")
	}
	paths := store.DocPaths(d, nil)
	first := ""
	if len(paths) > 0 {
		first = paths[0]
	}
	created := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO documents (id, source, path, url, title, published,
			date_from_file, title_derived, body, language, stored_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			d.ID, d.Source, first, d.URL, d.Title, micros(d.Published),
			d.DateFromFile, d.TitleDerived, d.Body, d.Language, micros(db.now()))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			created = true
			seq, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)`,
				seq, corpus.Fold(d.Title), corpus.Fold(d.Body)); err != nil {
				return fmt.Errorf("indexing: %w", err)
			}
		} else if first != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET path = ? WHERE id = ? AND path = ''`,
				first, d.ID); err != nil {
				return err
			}
		}
		for _, p := range paths {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_paths (doc_id, path) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, d.ID, p); err != nil {
				return fmt.Errorf("adding path: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: put document %s: %w", d.ID, err)
	}
	return created, nil
}

// docColumns are the columns scanDoc reads, of documents aliased d.
const docColumns = `d.id, d.source, d.path, d.url, d.title, d.published, d.date_from_file,
	d.title_derived, d.body, d.language`

// scanDoc reads docColumns, then extra.
func scanDoc(sc interface{ Scan(...any) error }, extra ...any) (corpus.Document, error) {
	var d corpus.Document
	var pub int64
	dest := append([]any{&d.ID, &d.Source, &d.Path, &d.URL, &d.Title, &pub, &d.DateFromFile,
		&d.TitleDerived, &d.Body, &d.Language}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return corpus.Document{}, err
	}
	d.Published = fromMicros(pub)
	return d, nil
}

// Document returns the document with this ID and all its paths, or
// store.ErrNotFound.
func (db *DB) Document(ctx context.Context, id string) (corpus.Document, error) {
	d, err := scanDoc(db.read.QueryRowContext(ctx, `SELECT `+docColumns+` FROM documents d WHERE d.id = ?`, id))
	if err != nil {
		return corpus.Document{}, fmt.Errorf("sqlite: document %s: %w", id, notFound(err))
	}
	docs := []corpus.Document{d}
	if err := loadPaths(ctx, db.read, docs); err != nil {
		return corpus.Document{}, fmt.Errorf("sqlite: document %s: %w", id, err)
	}
	return docs[0], nil
}

// queryDocs runs a query selecting docColumns and fills in the paths.
func queryDocs(ctx context.Context, q querier, query string, args ...any) ([]corpus.Document, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []corpus.Document
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := rows.Err(); err != nil {
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
	args := make([]any, 0, len(docs))
	for i, d := range docs {
		index[d.ID] = i
		args = append(args, d.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT doc_id, path FROM document_paths WHERE doc_id IN (`+
		placeholders(len(args))+`) ORDER BY rowid`, args...)
	if err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return fmt.Errorf("reading paths: %w", err)
		}
		if i, ok := index[id]; ok {
			docs[i].Paths = append(docs[i].Paths, p)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	return nil
}

// placeholders returns "?, ?, ?" for n parameters.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Pending returns up to limit documents not yet marked processed, in the
// order they were stored.
func (db *DB) Pending(ctx context.Context, limit int) ([]corpus.Document, error) {
	if limit <= 0 {
		return nil, nil
	}
	docs, err := queryDocs(ctx, db.read, `SELECT `+docColumns+` FROM documents d
		WHERE d.processed = 0 ORDER BY d.published, d.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending documents: %w", err)
	}
	return docs, nil
}

// MarkProcessed records that the engine finished with document id, or
// returns store.ErrNotFound.
func (db *DB) MarkProcessed(ctx context.Context, id string) error {
	res, err := db.write.ExecContext(ctx, `UPDATE documents SET processed = 1 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: mark processed %s: %w", id, err)
	}
	return oneRow(res, "sqlite: mark processed "+id)
}

// oneRow returns store.ErrNotFound, wrapped in op, when res touched no row.
func oneRow(res sql.Result, op string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	return nil
}

// SetAnalysis replaces the regions and matches of document id, or returns
// store.ErrNotFound when there is no such document.
func (db *DB) SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var pub int64
		if err := tx.QueryRowContext(ctx, `SELECT published FROM documents WHERE id = ?`, id).Scan(&pub); err != nil {
			return notFound(err)
		}
		for _, table := range []string{"doc_regions", "doc_matches", "doc_places"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE doc_id = ?`, id); err != nil {
				return err
			}
		}
		for i, r := range a.Regions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_regions (doc_id, seq, place_id, name, level,
				admin1, admin1_name, country, text, "offset", country_name, weight, admin1_weight, country_weight)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, i, r.PlaceID, r.Name, r.Level, r.Admin1, r.Admin1Name, r.Country, r.Text, r.Offset,
				r.CountryName, r.Weight, r.Admin1Weight, r.CountryWeight); err != nil {
				return fmt.Errorf("region %d: %w", i, err)
			}
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_matches (doc_id, seq, rule, keywords, regions,
				group_key, group_name, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				id, i, m.Rule, string(kw), string(rg), m.GroupKey, m.GroupName, m.Evidence); err != nil {
				return fmt.Errorf("match %d: %w", i, err)
			}
		}
		for _, p := range store.PlaceKeys(a.Regions) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO doc_places (key, published, doc_id, place, "offset")
				VALUES (?, ?, ?, ?, ?)`, p.Key, pub, id, p.Place, p.Offset); err != nil {
				return fmt.Errorf("place %s: %w", p.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: set analysis %s: %w", id, err)
	}
	return nil
}

// Analysis returns what SetAnalysis stored for document id, empty when
// nothing was.
func (db *DB) Analysis(ctx context.Context, id string) (corpus.Analysis, error) {
	var a corpus.Analysis
	rows, err := db.read.QueryContext(ctx, `SELECT place_id, name, level, admin1, admin1_name, country,
		text, "offset", country_name, weight, admin1_weight, country_weight
		FROM doc_regions WHERE doc_id = ? ORDER BY seq`, id)
	if err != nil {
		return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r corpus.DocRegion
		if err := rows.Scan(&r.PlaceID, &r.Name, &r.Level, &r.Admin1, &r.Admin1Name, &r.Country,
			&r.Text, &r.Offset, &r.CountryName, &r.Weight, &r.Admin1Weight, &r.CountryWeight); err != nil {
			return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
		}
		a.Regions = append(a.Regions, r)
	}
	if err := rows.Err(); err != nil {
		return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	rows, err = db.read.QueryContext(ctx, `SELECT rule, keywords, regions, group_key, group_name, evidence
		FROM doc_matches WHERE doc_id = ? ORDER BY seq`, id)
	if err != nil {
		return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m corpus.DocMatch
		var kw, rg string
		if err := rows.Scan(&m.Rule, &kw, &rg, &m.GroupKey, &m.GroupName, &m.Evidence); err != nil {
			return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
		}
		if err := json.Unmarshal([]byte(kw), &m.Keywords); err != nil {
			return a, fmt.Errorf("sqlite: analysis %s: keywords: %w", id, err)
		}
		if err := json.Unmarshal([]byte(rg), &m.Regions); err != nil {
			return a, fmt.Errorf("sqlite: analysis %s: regions: %w", id, err)
		}
		a.Matches = append(a.Matches, m)
	}
	if err := rows.Err(); err != nil {
		return a, fmt.Errorf("sqlite: analysis %s: %w", id, err)
	}
	return a, nil
}
