package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// jsonlReader reads a .jsonl stream one line, one article, at a time, so a
// file of any size is read in constant memory. The size limit
// (Parser.MaxSize) applies to each line: a longer line is skipped, logged
// as FILE:LINE, and the rest is read. So is a line that is not an article
// object. A line that is not valid UTF-8 is read as Windows-1252, as a
// whole file would be; a stream that starts with a UTF-16 byte-order mark
// is decoded from UTF-16.
type jsonlReader struct {
	p    *Parser
	path string
	r    *bufio.Reader
	line int
	// fallback and modTime date the articles, as Parser.parse does.
	fallback, modTime time.Time
	// good and bad count the lines read and skipped, textless those
	// without a word; lastErr is why the last one was skipped.
	good, bad, textless int
	lastErr             error
}

func newJSONLReader(p *Parser, path string, r io.Reader, fallback, modTime time.Time) *jsonlReader {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0xFF, 0xFE}) || bytes.Equal(head, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
		p.logger().Info("corpus: file is not UTF-8; decoded", "path", path, "encoding", EncodingUTF16)
	}
	return &jsonlReader{p: p, path: path, r: br, fallback: fallback, modTime: modTime}
}

var (
	// errLineTooLong marks a line over the size limit.
	errLineTooLong = errors.New("record larger than the size limit")
	// errNoText marks an article without a word: passed over, as a file's
	// are.
	errNoText = errors.New("no text")
)

// next returns the next article, or io.EOF after the last line. Lines that
// are blank are passed over; bad ones are logged, counted and passed over.
func (j *jsonlReader) next() (Document, error) {
	for {
		raw, err := j.readLine()
		if err == io.EOF {
			return Document{}, io.EOF
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			return Document{}, fmt.Errorf("line %d: %w", j.line, err)
		}
		at := fmt.Sprintf("%s:%d", j.path, j.line)
		if err == nil {
			if len(bytes.TrimSpace(raw)) == 0 {
				continue
			}
			var d Document
			if d, err = j.decode(raw, at); err == nil {
				j.good++
				return d, nil
			}
			if errors.Is(err, errNoText) {
				j.textless++
				continue
			}
		}
		j.bad++
		j.lastErr = fmt.Errorf("line %d: %w", j.line, err)
		j.p.logger().Warn("corpus: skipped bad line", "at", at, "err", err)
	}
}

// readLine returns the next line without its end, or errLineTooLong after
// passing over a line longer than the size limit without keeping it.
func (j *jsonlReader) readLine() ([]byte, error) {
	max := j.p.maxSize()
	var line []byte
	long := false
	for {
		chunk, err := j.r.ReadSlice('\n')
		if !long {
			if int64(len(line)+len(chunk)) > max+1 { // +1: the newline
				long, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(line) == 0 && !long:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, err
		}
		j.line++
		if long {
			return nil, fmt.Errorf("%w (%d bytes)", errLineTooLong, max)
		}
		return bytes.TrimSuffix(line, []byte("\n")), nil
	}
}

// decode reads one line as an article and completes it as Parser.parse
// completes a file's documents.
func (j *jsonlReader) decode(raw []byte, at string) (Document, error) {
	raw = bytes.TrimPrefix(raw, utf8BOM)
	if bytes.IndexByte(raw, 0) >= 0 {
		return Document{}, errors.New("binary content")
	}
	if !utf8.Valid(raw) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		if err != nil {
			return Document{}, fmt.Errorf("not UTF-8 nor Windows-1252: %w", err)
		}
		raw = dec
	}
	d, err := decodeArticle(raw, j.p.warnDate(at))
	if err != nil {
		return Document{}, err
	}
	docs := finish([]Document{d}, j.path, sourceFromPath(j.path), j.fallback)
	if len(docs) == 0 {
		return Document{}, errNoText
	}
	clampFuture(docs, j.modTime, func(d Document, claimed time.Time) {
		j.p.logger().Warn("corpus: publication date is in the future; using the file's time instead",
			"at", at, "title", d.Title, "date", claimed, "file_time", d.Published)
	})
	return docs[0], nil
}

// skipReason returns why a stream that gave no article is skipped, or nil
// when it gave some.
func (j *jsonlReader) skipReason() *SkipError {
	switch {
	case j.good > 0:
		return nil
	case j.bad > 0:
		return skip(j.path, ReasonMalformed, fmt.Errorf("jsonl: no valid line (%d bad): %w", j.bad, j.lastErr))
	case j.textless > 0:
		return skip(j.path, ReasonNoText, nil)
	}
	return skip(j.path, ReasonEmpty, nil)
}

// readJSONL reads every article of a .jsonl stream and hands each to fn as
// it is read; it returns the ID of the first, or a *SkipError when the
// stream held none, or the error of fn or of the reading.
func (p *Parser) readJSONL(path string, r io.Reader, fallback, modTime time.Time, fn func(Document) error) (string, error) {
	j := newJSONLReader(p, path, r, fallback, modTime)
	first := ""
	for {
		d, err := j.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return first, err
		}
		if first == "" {
			first = d.ID
		}
		if err := fn(d); err != nil {
			return first, err
		}
	}
	if se := j.skipReason(); se != nil {
		return "", se
	}
	return first, nil
}

// handlerError carries an error of the Handler out of readJSONL, to tell
// it from a problem of the file.
type handlerError struct{ err error }

func (h handlerError) Error() string { return h.err.Error() }
func (h handlerError) Unwrap() error { return h.err }

// openStat opens path and reads its information; a failure is recorded
// in st as the file's failure (ok false), and the file is closed.
func (p *Parser) openStat(st *Stats, path string) (f *os.File, info os.FileInfo, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		p.fail(st, path, err) // *fs.PathError: "open PATH: ..."
		return nil, nil, false
	}
	if info, err = f.Stat(); err != nil {
		f.Close()
		p.fail(st, path, err)
		return nil, nil, false
	}
	return f, info, true
}

// streamJSONL is readAndHand for a .jsonl file: its articles go to fn as
// they are read, whatever the file's size (the limit applies to each line).
func (p *Parser) streamJSONL(ctx context.Context, path string, st *Stats, fn Handler, seen SeenStore) error {
	f, info, ok := p.openStat(st, path)
	if !ok {
		return nil
	}
	defer f.Close()
	n := 0
	first, err := p.readJSONL(path, f, p.fileTime(path, info.ModTime()), info.ModTime(), func(d Document) error {
		if err := ctx.Err(); err != nil {
			return handlerError{err}
		}
		if err := fn(ctx, d); err != nil {
			return handlerError{err}
		}
		n++
		st.Documents++
		return nil
	})
	var he handlerError
	var se *SkipError
	switch {
	case errors.As(err, &he):
		return fmt.Errorf("handle %s: %w", path, he.err)
	case errors.As(err, &se):
		return p.skipped(ctx, st, se, info, seen)
	case err != nil:
		p.fail(st, path, err)
		return nil
	}
	st.Read++
	if seen != nil {
		if err := seen.MarkFile(ctx, path, info.Size(), info.ModTime().UTC(), first, ""); err != nil {
			return fmt.Errorf("record %s: %w", path, err)
		}
	}
	return nil
}
