package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// TestJSONLLimitPerRecord reads a .jsonl file twenty times the size limit:
// the limit applies to each line, so every article is read but the one
// line over it, which is logged as FILE:LINE and passed over.
func TestJSONLLimitPerRecord(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	var b strings.Builder
	for i := range 40 {
		body := fmt.Sprintf("Report number %d from the province, with enough words to weigh a little.", i)
		if i == 17 {
			body = strings.Repeat("far too long ", 200) // 2,600 bytes: over the limit
		}
		fmt.Fprintf(&b, `{"title":"Report %d","body":%q,"published":"2021-07-08T%02d:00:00Z"}`+"\n", i, body, i%24)
	}
	path := writeFile(t, dir, "archive.jsonl", b.String(), t0)
	var log bytes.Buffer
	p := Parser{MaxSize: 1000, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	seen := &MemorySeen{}
	src := &DirSource{Root: dir, Seen: seen, Parser: p}
	var docs []Document
	st, err := src.Scan(context.Background(), collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 39 || st.Read != 1 || st.Documents != 39 || st.Skipped != 0 {
		t.Fatalf("%d documents, stats %+v; want 39 of 40 lines read from a file %d times the limit", len(docs), st, b.Len()/1000)
	}
	if docs[0].Title != "Report 0" || docs[17].Title != "Report 18" || docs[38].Title != "Report 39" {
		t.Errorf("documents out of order: %q, %q, %q", docs[0].Title, docs[17].Title, docs[38].Title)
	}
	if !strings.Contains(log.String(), "archive.jsonl:18") || !strings.Contains(log.String(), "larger than the size limit") {
		t.Errorf("the long line is not logged as FILE:LINE:\n%s", log.String())
	}
	if f, ok := seen.File(path); !ok || f.DocID != docs[0].ID || f.Skipped != "" {
		t.Errorf("file recorded as %+v", f)
	}
	// The same through Parse: the file's size is no reason to skip it.
	all, err := p.Parse(path, []byte(b.String()), t0)
	if err != nil || len(all) != 39 {
		t.Errorf("Parse: %d documents, %v", len(all), err)
	}
}

// TestJSONLStreams checks that articles are handed over as lines arrive,
// not once the whole stream is read.
func TestJSONLStreams(t *testing.T) {
	pr, pw := io.Pipe()
	p := &Parser{Logger: discard}
	got := make(chan string, 3)
	done := make(chan error, 1)
	go func() {
		_, err := p.readJSONL("feed.jsonl", pr, time.Time{}, time.Now(), func(d Document) error {
			got <- d.Title
			return nil
		})
		done <- err
	}()
	for _, title := range []string{"First", "Second"} {
		fmt.Fprintf(pw, `{"title":%q,"body":"Some words here."}`+"\n", title)
		select {
		case g := <-got:
			if g != title {
				t.Fatalf("got %q, want %q", g, title)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q not handed over while the stream is still open", title)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestJSONLEncodings(t *testing.T) {
	p := &Parser{Logger: discard}
	// UTF-16 with a byte-order mark, and a line in Windows-1252.
	text := `{"title":"Kābul","body":"Déjà vu in Kābul."}` + "\n"
	u := utf16.Encode([]rune(text))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	cp1252 := []byte("{\"title\":\"Caf\xe9\",\"body\":\"Caf\xe9 au lait.\"}\n")
	for name, data := range map[string][]byte{"utf16": le, "cp1252": cp1252} {
		docs, err := p.Parse(name+".jsonl", data, time.Now())
		if err != nil || len(docs) != 1 {
			t.Fatalf("%s: %d documents, %v", name, len(docs), err)
		}
		if want := map[string]string{"utf16": "Kābul", "cp1252": "Café"}[name]; docs[0].Title != want {
			t.Errorf("%s: title %q, want %q", name, docs[0].Title, want)
		}
	}
}

func TestJSONLSkipReasons(t *testing.T) {
	p := &Parser{Logger: discard}
	for _, tc := range []struct {
		name, data, reason string
	}{
		{"blank lines only", "\n  \n\n", ReasonEmpty},
		{"empty", "", ReasonEmpty},
		{"no good line", "{\n[1]\n", ReasonMalformed},
		{"no text", `{"title":"..."}` + "\n", ReasonNoText},
		{"binary", "\x00\x01\x02\n", ReasonMalformed},
	} {
		_, err := p.Parse("x.jsonl", []byte(tc.data), time.Now())
		var se *SkipError
		if !errors.As(err, &se) || se.Reason != tc.reason {
			t.Errorf("%s: %v, want skipped %q", tc.name, err, tc.reason)
		}
	}
}
