package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
)

// streamFeed is readAndHand for a feed file larger than the size limit:
// its items go to fn as they are read, in constant memory, and the limit
// applies to each item: a larger one is logged as FILE:LINE and passed
// over. Such a file must be UTF-8 or declare its encoding (smaller files
// are also read from UTF-16 or as Windows-1252). When the XML breaks after
// some items, those are kept and the file is recorded as read.
func (p *Parser) streamFeed(ctx context.Context, path string, st *Stats, fn Handler, seen SeenStore) error {
	f, info, ok := p.openStat(st, path)
	if !ok {
		return nil
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	if head, _ := r.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		r.Discard(len(utf8BOM)) //nolint:errcheck // peeked
	}
	fallback, source := p.fileTime(path, info.ModTime()), sourceFromPath(path)
	first, textless := "", 0
	_, err := parseFeed(r, feedOptions{
		max: p.maxSize(),
		onItem: func(fd *feed, it feedItem) error {
			docs := finish([]Document{fd.document(it, "", nil)}, path, source, fallback)
			if len(docs) == 0 {
				textless++
				return nil
			}
			clampFuture(docs, info.ModTime(), func(d Document, claimed time.Time) {
				p.logger().Warn("corpus: publication date is in the future; using the file's time instead",
					"path", path, "title", d.Title, "date", claimed, "file_time", d.Published)
			})
			if err := ctx.Err(); err != nil {
				return handlerError{err}
			}
			if err := fn(ctx, docs[0]); err != nil {
				return handlerError{err}
			}
			if first == "" {
				first = docs[0].ID
			}
			st.Documents++
			return nil
		},
		tooBig: func(line int, size int64) {
			p.logger().Warn("corpus: skipped bad item", "at", fmt.Sprintf("%s:%d", path, line),
				"err", fmt.Sprintf("record larger than the size limit (%d bytes, limit %d)", size, p.maxSize()))
		},
	})
	var he handlerError
	switch {
	case errors.As(err, &he):
		return fmt.Errorf("handle %s: %w", path, he.err)
	case err != nil && first == "":
		return p.skipped(ctx, st, skip(path, ReasonMalformed, err), info, seen)
	case err != nil:
		p.logger().Warn("corpus: feed breaks off; the items before are kept", "path", path, "err", err)
	case first == "" && textless > 0:
		return p.skipped(ctx, st, skip(path, ReasonNoText, nil), info, seen)
	case first == "":
		return p.skipped(ctx, st, skip(path, ReasonEmpty, nil), info, seen)
	}
	st.Read++
	if seen != nil {
		if err := seen.MarkFile(ctx, path, info.Size(), info.ModTime().UTC(), first, ""); err != nil {
			return fmt.Errorf("record %s: %w", path, err)
		}
	}
	return nil
}
