package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

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
	err := db.runner.queryRow(ctx,
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
	if err := db.runner.setFileState(ctx, fs); err != nil {
		return fmt.Errorf("sqlite: set file state %s: %w", fs.Path, err)
	}
	return nil
}

func (r *runner) setFileState(ctx context.Context, fs store.FileState) error {
	var mod any
	if !fs.ModTime.IsZero() {
		mod = fs.ModTime.UnixNano()
	}
	_, err := r.exec(ctx, `INSERT INTO file_state (path, size, mod_time, doc_id, skipped)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (path) DO UPDATE SET size = excluded.size, mod_time = excluded.mod_time,
			doc_id = excluded.doc_id, skipped = excluded.skipped`,
		fs.Path, fs.Size, mod, fs.DocID, fs.Skipped)
	return err
}

// EachFileState calls fn with every file recorded under prefix, in path
// order.
func (db *DB) EachFileState(ctx context.Context, prefix string, fn func(store.FileState) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT path, size, mod_time, doc_id, skipped FROM file_state
		WHERE path >= ? ORDER BY path`, prefix)
	if err != nil {
		return fmt.Errorf("sqlite: file states under %s: %w", prefix, err)
	}
	defer rows.Close()
	for rows.Next() {
		var fs store.FileState
		var mod sql.NullInt64
		if err := rows.Scan(&fs.Path, &fs.Size, &mod, &fs.DocID, &fs.Skipped); err != nil {
			return fmt.Errorf("sqlite: file states under %s: %w", prefix, err)
		}
		if !strings.HasPrefix(fs.Path, prefix) {
			break
		}
		if mod.Valid {
			fs.ModTime = fromNanos(mod.Int64)
		}
		if err := fn(fs); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: file states under %s: %w", prefix, err)
	}
	return nil
}

// EachFileStamp calls fn with the path, size and modification time of
// every file recorded under prefix, in path order. The query reads three
// columns, bounded on both sides of the path index, into variables reused
// from row to row.
func (db *DB) EachFileStamp(ctx context.Context, prefix string, fn func(path string, size int64, mod time.Time) error) error {
	q, args := `SELECT path, size, mod_time FROM file_state WHERE path >= ? ORDER BY path`, []any{prefix}
	if end, ok := prefixEnd(prefix); ok {
		q, args = `SELECT path, size, mod_time FROM file_state WHERE path >= ? AND path < ? ORDER BY path`, []any{prefix, end}
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlite: file stamps under %s: %w", prefix, err)
	}
	defer rows.Close()
	var (
		path string
		size int64
		mod  sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&path, &size, &mod); err != nil {
			return fmt.Errorf("sqlite: file stamps under %s: %w", prefix, err)
		}
		if !strings.HasPrefix(path, prefix) {
			break
		}
		var t time.Time
		if mod.Valid {
			t = fromNanos(mod.Int64)
		}
		if err := fn(path, size, t); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: file stamps under %s: %w", prefix, err)
	}
	return nil
}

// prefixEnd is the least string greater than every string that starts
// with prefix, when there is one: prefix with its last byte below 0xff
// raised by one and what follows it dropped.
func prefixEnd(prefix string) (string, bool) {
	for i := len(prefix) - 1; i >= 0; i-- {
		if prefix[i] < 0xff {
			return prefix[:i] + string([]byte{prefix[i] + 1}), true
		}
	}
	return "", false
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
// their IDs, then records files, all in one transaction of statements of
// many rows each. The search index rows go in last (insertSearchRows):
// FTS5 writes its pending rows out whenever a statement of many rows
// starts, so interleaving them with the documents' rows would write the
// index once per document.
func (db *DB) PutDocuments(ctx context.Context, docs []corpus.Document, files []store.FileState) ([]bool, error) {
	for _, d := range docs {
		if d.ID == "" {
			return nil, fmt.Errorf("sqlite: put documents: a document from %q has no ID", d.Path)
		}
	}
	created := make([]bool, len(docs))
	// The text is folded for the search index while the documents' rows
	// are written.
	var folded [][2]string
	foldDone := make(chan struct{})
	go func() {
		defer close(foldDone)
		folded = foldAll(docs)
	}()
	err := db.write1(ctx, func(r *runner) error {
		seqs, err := r.insertDocuments(ctx, docs, micros(db.now()))
		if err != nil {
			return err
		}
		<-foldDone
		var paths, pending, fts [][]any
		for i, d := range docs {
			ps := store.DocPaths(d, nil)
			if seq, ok := seqs[d.ID]; ok {
				delete(seqs, d.ID) // a later copy in the batch is a duplicate
				created[i] = true
				pending = append(pending, []any{micros(d.Published), d.ID})
				fts = append(fts, []any{seq, folded[i][0], folded[i][1]})
				if len(ps) > 0 {
					ps = ps[1:] // the document's path: document_paths keeps the others
				}
			} else if len(ps) > 0 {
				if _, err := r.exec(ctx, `UPDATE documents SET path = ? WHERE id = ? AND path = ''`, ps[0], d.ID); err != nil {
					return fmt.Errorf("document %s: %w", d.ID, err)
				}
			}
			for _, p := range ps {
				paths = append(paths, []any{d.ID, p})
			}
		}
		if err := r.insertRows(ctx, "INSERT OR IGNORE", "document_paths", "doc_id, path", paths); err != nil {
			return err
		}
		if err := r.insertRows(ctx, "INSERT", "pending_docs", "published, doc_id", pending); err != nil {
			return err
		}
		if err := r.insertSearchRows(ctx, fts); err != nil {
			return err
		}
		for _, fs := range files {
			if err := r.setFileState(ctx, fs); err != nil {
				return fmt.Errorf("file %s: %w", fs.Path, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: put documents: %w", err)
	}
	return created, nil
}

// insertSearchRows inserts rows (rowid, title, body) into the search
// index in rowid order, one row per statement, so that FTS5 writes them
// out as few large segments: it writes its pending rows out as a segment
// whenever a rowid is lower than the one before, and when a statement
// that may write many rows starts (a multi-row INSERT); merging many
// small segments cost more than writing the rows (docs/benchmarks/ingest.md).
func (r *runner) insertSearchRows(ctx context.Context, rows [][]any) error {
	slices.SortFunc(rows, func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) })
	for _, row := range rows {
		if _, err := r.exec(ctx, `INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)`, row...); err != nil {
			return fmt.Errorf("documents_fts: %w", err)
		}
	}
	return nil
}

// foldAll returns the folded title and body of each document, for the
// search index, folded on every processor.
func foldAll(docs []corpus.Document) [][2]string {
	out := make([][2]string, len(docs))
	workers := min(runtime.GOMAXPROCS(0), (len(docs)+63)/64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(docs); i += workers {
				out[i] = [2]string{corpus.Fold(docs[i].Title), corpus.Fold(docs[i].Body)}
			}
		})
	}
	wg.Wait()
	return out
}

// insertDocuments inserts the documents whose IDs are not stored and
// returns the seq (the rowid of the search index row) of each it inserted.
func (r *runner) insertDocuments(ctx context.Context, docs []corpus.Document, stored int64) (map[string]int64, error) {
	const cols = 11
	one := "(" + placeholders(cols) + ")"
	seqs := make(map[string]int64, len(docs))
	// In ID order the rows of the unique index on id land next to each
	// other; the first of equal IDs stays first.
	docs = slices.Clone(docs)
	slices.SortStableFunc(docs, func(a, b corpus.Document) int { return strings.Compare(a.ID, b.ID) })
	for rest := docs; len(rest) > 0; {
		k := rowsPer
		if len(rest) < rowsPer {
			k = 1
		}
		args := make([]any, 0, k*cols)
		for _, d := range rest[:k] {
			first := ""
			if ps := store.DocPaths(d, nil); len(ps) > 0 {
				first = ps[0]
			}
			args = append(args, d.ID, d.Source, first, d.URL, d.Title, micros(d.Published),
				d.DateFromFile, d.TitleDerived, d.Body, d.Language, stored)
		}
		rows, err := r.query(ctx, `INSERT INTO documents (id, source, path, url, title, published,
			date_from_file, title_derived, body, language, stored_at)
			VALUES `+strings.Repeat(one+", ", k-1)+one+` ON CONFLICT (id) DO NOTHING RETURNING id, seq`, args...)
		if err != nil {
			return nil, fmt.Errorf("documents: %w", err)
		}
		for rows.Next() {
			var id string
			var seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				rows.Close()
				return nil, fmt.Errorf("documents: %w", err)
			}
			seqs[id] = seq
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("documents: %w", err)
		}
		rest = rest[k:]
	}
	return seqs, nil
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

// loadPaths sets the Paths of docs: Path, then the other paths in the
// order they were added. (document_paths holds the other paths; documents
// stored before also have their Path there.)
func loadPaths(ctx context.Context, q querier, docs []corpus.Document) error {
	if len(docs) == 0 {
		return nil
	}
	index := make(map[string]int, len(docs))
	args := make([]any, 0, len(docs))
	for i, d := range docs {
		index[d.ID] = i
		args = append(args, d.ID)
		docs[i].Paths = nil
		if d.Path != "" {
			docs[i].Paths = []string{d.Path}
		}
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
		if i, ok := index[id]; ok && p != docs[i].Path {
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
