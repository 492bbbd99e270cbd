package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Handler receives the documents a source reads. A source calls it in
// order, one document at a time; returning an error stops the scan. A file
// is recorded as seen only after Handler accepted all its documents, so a
// document may be handed over again after a crash or an error: handlers
// must treat a document ID they already hold as done.
type Handler func(ctx context.Context, d Document) error

// Stats count what a scan did.
type Stats struct {
	// Read is the number of files read and parsed.
	Read int
	// Documents is the number of documents handed to the Handler.
	Documents int
	// Unchanged is the number of files passed over because their size and
	// modification time were already recorded.
	Unchanged int
	// Skipped is the number of files that held no readable document;
	// Skips says which and why.
	Skipped int
	Skips   []*SkipError
	// Failed is the number of files that could not be opened or read
	// (permissions, a file removed during the scan); they are tried again
	// on the next scan.
	Failed int
}

// DirSource reads the article files under a directory, in lexical path
// order, and hands over only files that are new or changed since they were
// last recorded in Seen. It descends into subdirectories but passes over
// directories named testdata, names starting with a dot, and files whose
// extension it does not read (see FormatOf), and README, LICENSE and the
// like, so a Go package directory can hold a corpus.
type DirSource struct {
	// Root is the directory to read (a single file works too).
	Root string
	// Seen records the files read; required.
	Seen SeenStore
	// Parser reads the files; its Logger receives one line per skipped or
	// failed file.
	Parser Parser
}

// Scan reads every new or changed file under Root and calls fn for each of
// its documents. A file is unchanged when its size and modification time
// equal those recorded. Skipped files are recorded with their reason, so
// they are not read again until they change. Scan stops at the first error
// from fn, from Seen or from ctx, and returns it with the stats so far.
func (s *DirSource) Scan(ctx context.Context, fn Handler) (Stats, error) {
	var st Stats
	if s.Seen == nil {
		return st, errors.New("corpus: scan: DirSource.Seen is nil")
	}
	err := walk(s.Root, &s.Parser, &st, func(path string, fst fileStat) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !fst.ok {
			info, err := os.Stat(path)
			if err != nil {
				s.Parser.fail(&st, path, err)
				return nil
			}
			fst = fileStat{size: info.Size(), mod: info.ModTime(), ok: true}
		}
		size, mod, ok, err := s.Seen.FileSeen(ctx, path)
		if err != nil {
			return fmt.Errorf("corpus: seen state of %s: %w", path, err)
		}
		if ok && size == fst.size && sameTime(mod, fst.mod) {
			st.Unchanged++
			return nil
		}
		return s.Parser.readAndHand(ctx, path, &st, fn, s.Seen)
	})
	if err != nil {
		return st, fmt.Errorf("corpus: scan %s: %w", s.Root, err)
	}
	return st, nil
}

// ReadPaths reads the files and directories named, in the order given,
// without any seen-state: every file is read. Directories are walked as
// DirSource walks them; a file named explicitly is read whatever its name,
// and one of a type the parser does not read is reported as skipped. A
// path that does not exist is an error before anything is read.
func ReadPaths(ctx context.Context, p *Parser, paths []string, fn Handler) (Stats, error) {
	var st Stats
	if p == nil {
		p = &Parser{}
	}
	for _, path := range paths {
		if _, err := os.Stat(path); err != nil {
			return st, fmt.Errorf("corpus: read %s: %w", path, err)
		}
	}
	for _, path := range paths {
		info, err := os.Stat(path)
		if err == nil && info.IsDir() {
			err = walk(path, p, &st, func(path string, _ fileStat) error {
				return p.readAndHand(ctx, path, &st, fn, nil)
			})
		} else if err == nil {
			if err = ctx.Err(); err == nil {
				err = p.readAndHand(ctx, path, &st, fn, nil)
			}
		}
		if err != nil {
			return st, fmt.Errorf("corpus: read %s: %w", path, err)
		}
	}
	return st, nil
}

// metaFiles are the base names (without extension, lower case) of the files
// that describe a directory rather than hold an article.
var metaFiles = map[string]bool{
	"readme": true, "license": true, "licence": true, "changelog": true,
	"notice": true, "contributing": true, "authors": true,
}

// ignoredName reports whether a file or directory below a scanned root is
// passed over: dot-names, directories named testdata, and README, LICENSE
// and similar files.
func ignoredName(name string, dir bool) bool {
	if dir {
		return strings.HasPrefix(name, ".") || name == "testdata"
	}
	base := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
	return strings.HasPrefix(name, ".") || metaFiles[base]
}

// sameTime compares modification times at the microsecond precision that
// stores keep.
func sameTime(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

// readAndHand reads the file at path and hands its documents to fn; when
// seen is set, it then records the file (or why it was skipped). Only
// errors from fn, seen or ctx are returned: bad files are counted.
func (p *Parser) readAndHand(ctx context.Context, path string, st *Stats, fn Handler, seen SeenStore) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch f, _ := FormatOf(path); f {
	case FormatJSONL:
		return p.streamJSONL(ctx, path, st, fn, seen)
	case FormatFeed:
		if info, err := os.Stat(path); err == nil && info.Size() > p.maxSize() {
			return p.streamFeed(ctx, path, st, fn, seen)
		}
	}
	docs, info, err := p.readFile(path)
	var se *SkipError
	switch {
	case errors.As(err, &se):
		return p.skipped(ctx, st, se, info, seen)
	case err != nil:
		p.fail(st, path, err)
		return nil
	}
	st.Read++
	for _, d := range docs {
		if err := fn(ctx, d); err != nil {
			return fmt.Errorf("handle %s: %w", path, err)
		}
		st.Documents++
	}
	if seen != nil {
		if err := seen.MarkFile(ctx, path, info.Size(), info.ModTime().UTC(), docs[0].ID, ""); err != nil {
			return fmt.Errorf("record %s: %w", path, err)
		}
	}
	return nil
}

// skipped counts, logs and records a file that held no readable
// document.
func (p *Parser) skipped(ctx context.Context, st *Stats, se *SkipError, info os.FileInfo, seen SeenStore) error {
	st.Skipped++
	st.Skips = append(st.Skips, se)
	attrs := []any{"path", se.Path, "reason", se.Reason}
	if se.Err != nil {
		attrs = append(attrs, "err", se.Err)
	}
	p.logger().Warn("corpus: skipped file", attrs...)
	if seen != nil {
		if err := seen.MarkFile(ctx, se.Path, info.Size(), info.ModTime().UTC(), "", se.Reason); err != nil {
			return fmt.Errorf("record %s: %w", se.Path, err)
		}
	}
	return nil
}

// readFile reads and parses one file. The info returned describes the file
// as it was before it was read, so a file written to during the read is
// seen as changed next time. Errors are a *SkipError for a bad file, or an
// I/O error.
func (p *Parser) readFile(path string) ([]Document, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // *fs.PathError: "open PATH: ..."
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if _, ok := FormatOf(path); !ok {
		return nil, info, skip(path, ReasonUnsupported, nil)
	}
	if info.Size() > p.maxSize() {
		return nil, info, skip(path, ReasonTooLarge, fmt.Errorf("%d bytes, limit %d", info.Size(), p.maxSize()))
	}
	data, err := io.ReadAll(io.LimitReader(f, p.maxSize()+1))
	if err != nil {
		return nil, info, err
	}
	docs, err := p.parse(path, data, p.fileTime(path, info.ModTime()), info.ModTime())
	return docs, info, err
}

// fail logs and counts a file that could not be read.
func (p *Parser) fail(st *Stats, path string, err error) {
	st.Failed++
	p.logger().Error("corpus: cannot read file", "path", path, "err", err)
}
