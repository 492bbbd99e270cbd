package corpus

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestFeedFileLimitPerItem reads a feed file many times the size limit:
// the limit applies to each item, so every item is read but the one over
// it, which is logged as FILE:LINE and passed over.
func TestFeedFileLimitPerItem(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\n<title>Desk</title>\n")
	for i := range 60 {
		desc := fmt.Sprintf("Report number %d from the province, with a few more words.", i)
		if i == 31 {
			desc = strings.Repeat("far too long ", 300)
		}
		fmt.Fprintf(&b, "<item>\n<title>Item %d</title>\n<description>%s</description>\n<pubDate>Thu, 08 Jul 2021 %02d:00:00 GMT</pubDate>\n</item>\n", i, desc, i%24)
	}
	b.WriteString("</channel></rss>\n")
	path := writeFile(t, dir, "big.rss", b.String(), t0)
	var log bytes.Buffer
	seen := &MemorySeen{}
	src := &DirSource{Root: dir, Seen: seen, Parser: Parser{MaxSize: 1000, Logger: slog.New(slog.NewTextHandler(&log, nil))}}
	var docs []Document
	st, err := src.Scan(context.Background(), collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 59 || st.Read != 1 || st.Skipped != 0 {
		t.Fatalf("%d documents, stats %+v; want 59 of 60 items from a file %d times the limit", len(docs), st, b.Len()/1000)
	}
	if docs[0].Title != "Item 0" || docs[31].Title != "Item 32" || docs[0].Source != "Desk" {
		t.Errorf("documents: %q, %q from %q", docs[0].Title, docs[31].Title, docs[0].Source)
	}
	// Item 31 starts on line 3 + 5*31 + 1.
	if want := fmt.Sprintf("big.rss:%d", 3+5*31+1); !strings.Contains(log.String(), want) ||
		!strings.Contains(log.String(), "larger than the size limit") {
		t.Errorf("the long item is not logged as %s:\n%s", want, log.String())
	}
	if f, ok := seen.File(path); !ok || f.DocID != docs[0].ID {
		t.Errorf("file recorded as %+v", f)
	}

	// A feed that breaks off keeps the items before the break.
	broken := b.String()[:b.Len()/2]
	writeFile(t, dir, "big.rss", broken, t0.Add(time.Minute))
	docs = nil
	if _, err := src.Scan(context.Background(), collect(&docs)); err != nil {
		t.Fatal(err)
	}
	if len(docs) < 20 || !strings.Contains(log.String(), "breaks off") {
		t.Errorf("broken feed: %d documents kept", len(docs))
	}
}
