package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
	if err := db.setFileStates(ctx, db.pool, []store.FileState{fs}); err != nil {
		return fmt.Errorf("postgres: set file state %s: %w", fs.Path, err)
	}
	return nil
}

// execer is what the pool and a transaction offer for writing.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// setFileStates records files in one statement.
func (db *DB) setFileStates(ctx context.Context, q execer, files []store.FileState) error {
	if len(files) == 0 {
		return nil
	}
	paths, sizes, mods := make([]string, len(files)), make([]int64, len(files)), make([]*int64, len(files))
	docs, skips := make([]string, len(files)), make([]string, len(files))
	for i, fs := range files {
		paths[i], sizes[i], docs[i], skips[i] = clean(fs.Path), fs.Size, fs.DocID, clean(fs.Skipped)
		if !fs.ModTime.IsZero() {
			ns := fs.ModTime.UnixNano()
			mods[i] = &ns
		}
	}
	// A path given twice keeps its last state.
	_, err := q.Exec(ctx, `INSERT INTO file_state (path, size, mod_time, doc_id, skipped)
		SELECT DISTINCT ON (path) path, size, mod_time, doc_id, skipped
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY
			AS f(path, size, mod_time, doc_id, skipped, n)
		ORDER BY path, n DESC
		ON CONFLICT (path) DO UPDATE SET size = excluded.size, mod_time = excluded.mod_time,
			doc_id = excluded.doc_id, skipped = excluded.skipped`, paths, sizes, mods, docs, skips)
	return err
}

// EachFileState calls fn with every file recorded under prefix, in path
// order.
func (db *DB) EachFileState(ctx context.Context, prefix string, fn func(store.FileState) error) error {
	rows, err := db.pool.Query(ctx, `SELECT path, size, mod_time, doc_id, skipped FROM file_state
		WHERE path >= $1 ORDER BY path`, clean(prefix))
	if err != nil {
		return fmt.Errorf("postgres: file states under %s: %w", prefix, err)
	}
	defer rows.Close()
	for rows.Next() {
		var fs store.FileState
		var mod *int64
		if err := rows.Scan(&fs.Path, &fs.Size, &mod, &fs.DocID, &fs.Skipped); err != nil {
			return fmt.Errorf("postgres: file states under %s: %w", prefix, err)
		}
		if !strings.HasPrefix(fs.Path, prefix) {
			break
		}
		if mod != nil {
			fs.ModTime = time.Unix(0, *mod).UTC()
		}
		if err := fn(fs); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: file states under %s: %w", prefix, err)
	}
	return nil
}

// EachFileStamp calls fn with the path, size and modification time of
// every file recorded under prefix, in path order: EachFileState's query
// reading three of its columns.
func (db *DB) EachFileStamp(ctx context.Context, prefix string, fn func(path string, size int64, mod time.Time) error) error {
	rows, err := db.pool.Query(ctx, `SELECT path, size, mod_time FROM file_state
		WHERE path >= $1 ORDER BY path`, clean(prefix))
	if err != nil {
		return fmt.Errorf("postgres: file stamps under %s: %w", prefix, err)
	}
	defer rows.Close()
	var (
		path string
		size int64
		mod  *int64
	)
	for rows.Next() {
		if err := rows.Scan(&path, &size, &mod); err != nil {
			return fmt.Errorf("postgres: file stamps under %s: %w", prefix, err)
		}
		if !strings.HasPrefix(path, prefix) {
			break
		}
		var t time.Time
		if mod != nil {
			t = time.Unix(0, *mod).UTC()
		}
		if err := fn(path, size, t); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: file stamps under %s: %w", prefix, err)
	}
	return nil
}

// PutDocument stores d, or adds its paths to the stored document with its
// ID. The first path a document was stored with stays its Path.
func (db *DB) PutDocument(ctx context.Context, d corpus.Document) (bool, error) {
	created, err := db.PutDocuments(ctx, []corpus.Document{d}, nil)
	if err != nil {
		return false, err
	}
	return created[0], nil
}

// PutDocuments stores docs, or adds their paths to the stored documents of
// their IDs, then records files, all in one transaction of a few
// statements whatever the number of documents.
func (db *DB) PutDocuments(ctx context.Context, docs []corpus.Document, files []store.FileState) ([]bool, error) {
	created := make([]bool, len(docs))
	for _, d := range docs {
		if d.ID == "" {
			return nil, fmt.Errorf("postgres: put documents: a document from %q has no ID", d.Path)
		}
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if len(docs) > 0 {
			if err := db.insertDocuments(ctx, tx, docs, created); err != nil {
				return err
			}
		}
		return db.setFileStates(ctx, tx, files)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: put documents: %w", err)
	}
	return created, nil
}

// insertDocuments inserts the documents that are new, sets created, and
// adds every document's paths.
func (db *DB) insertDocuments(ctx context.Context, tx pgx.Tx, docs []corpus.Document, created []bool) error {
	n := len(docs)
	ids, sources, firsts, urls, titles := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	pubs, dff, derived := make([]time.Time, n), make([]bool, n), make([]bool, n)
	bodies, langs, folded := make([]string, n), make([]string, n), make([]string, n)
	for i, d := range docs {
		if ps := store.DocPaths(d, clean); len(ps) > 0 {
			firsts[i] = ps[0]
		}
		ids[i], sources[i], urls[i], titles[i] = d.ID, clean(d.Source), clean(d.URL), clean(d.Title)
		pubs[i], dff[i], derived[i] = ts(d.Published), d.DateFromFile, d.TitleDerived
		bodies[i], langs[i] = clean(d.Body), clean(d.Language)
		folded[i] = corpus.Fold(d.Title) + " " + corpus.Fold(d.Body)
	}
	// The first of several equal IDs in the batch is the one stored.
	rows, err := tx.Query(ctx, `INSERT INTO documents (id, source, path, url, title, published,
			date_from_file, title_derived, body, language, stored_at, fts)
		SELECT DISTINCT ON (id) id, source, path, url, title, published, dff, derived, body, lang, $12,
			strip(to_tsvector('simple', folded))
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
			$7::boolean[], $8::boolean[], $9::text[], $10::text[], $11::text[]) WITH ORDINALITY
			AS d(id, source, path, url, title, published, dff, derived, body, lang, folded, n)
		ORDER BY id, n
		ON CONFLICT (id) DO NOTHING RETURNING id`,
		ids, sources, firsts, urls, titles, pubs, dff, derived, bodies, langs, folded, db.now())
	if err != nil {
		return err
	}
	fresh, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	isNew := make(map[string]bool, len(fresh))
	for _, id := range fresh {
		isNew[id] = true
	}
	// Every path but a new document's own goes to document_paths.
	var pathDocs, paths, pendDocs []string
	var pendPubs []time.Time
	for i, d := range docs {
		ps := store.DocPaths(d, clean)
		if isNew[d.ID] {
			created[i] = true
			delete(isNew, d.ID) // a later copy in the batch is a duplicate
			pendDocs, pendPubs = append(pendDocs, d.ID), append(pendPubs, pubs[i])
			if len(ps) > 0 {
				ps = ps[1:]
			}
		}
		for _, p := range ps {
			pathDocs, paths = append(pathDocs, d.ID), append(paths, p)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO pending_docs (published, doc_id)
		SELECT * FROM unnest($1::timestamptz[], $2::text[])`, pendPubs, pendDocs); err != nil {
		return fmt.Errorf("queueing: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE documents d SET path = f.path
		FROM unnest($1::text[], $2::text[]) AS f(id, path)
		WHERE d.id = f.id AND d.path = '' AND f.path <> ''`, ids, firsts); err != nil {
		return fmt.Errorf("setting paths: %w", err)
	}
	if len(fresh) > 0 {
		// The words of the new documents wait in the search index's pending
		// list (migration 0070); merging it now, in bulk, spares every
		// search reading it. Only the index's owner may; for another role
		// the server merges the list once it outgrows gin_pending_list_limit.
		if _, err := tx.Exec(ctx, `SELECT gin_clean_pending_list(c.oid) FROM pg_class c
			WHERE c.oid = 'documents_fts'::regclass AND pg_has_role(c.relowner, 'USAGE')`); err != nil {
			return fmt.Errorf("merging the search index: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO document_paths (doc_id, path)
		SELECT doc_id, path FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(doc_id, path, n)
		ORDER BY n ON CONFLICT DO NOTHING`, pathDocs, paths); err != nil {
		return fmt.Errorf("adding paths: %w", err)
	}
	return nil
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

// loadPaths sets the Paths of docs: Path, then the other paths in the
// order they were added. (document_paths holds the other paths; documents
// stored before also have their Path there.)
func loadPaths(ctx context.Context, q querier, docs []corpus.Document) error {
	if len(docs) == 0 {
		return nil
	}
	index := make(map[string]int, len(docs))
	ids := make([]string, 0, len(docs))
	for i, d := range docs {
		index[d.ID] = i
		ids = append(ids, d.ID)
		docs[i].Paths = nil
		if d.Path != "" {
			docs[i].Paths = []string{d.Path}
		}
	}
	rows, err := q.Query(ctx, `SELECT doc_id, path FROM document_paths WHERE doc_id = ANY($1) ORDER BY seq`, ids)
	if err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	var id, p string
	_, err = pgx.ForEachRow(rows, []any{&id, &p}, func() error {
		if i, ok := index[id]; ok && p != docs[i].Path {
			docs[i].Paths = append(docs[i].Paths, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading paths: %w", err)
	}
	return nil
}
