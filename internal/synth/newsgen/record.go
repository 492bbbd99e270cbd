package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

// Record is one line of the .jsonl files this program writes: the fields
// corpus.Parser reads from a .jsonl article.
type Record struct {
	Title     string `json:"title"`
	Body      string `json:"body"`
	Published string `json:"published"`
	Source    string `json:"source"`
	URL       string `json:"url"`
}

// reutersDate is the layout of Reuters-21578's <DATE>, without the
// hundredths of a second: "26-FEB-1987 15:01:01".
const reutersDate = "2-Jan-2006 15:04:05"

// reutersRecords returns the stories of Reuters-21578 that have a body, in
// corpus order, as records: the SGML's title, body and date, source
// "Reuters" and a URL naming the story's NEWID.
func reutersRecords(stories []dataset.ReutersStory) []Record {
	out := make([]Record, 0, len(stories))
	for _, s := range stories {
		if strings.TrimSpace(s.Body) == "" {
			continue
		}
		r := Record{Title: s.Title, Body: s.Body, Source: "Reuters",
			URL: "https://reuters.example/1987/" + s.NewID}
		date, _, _ := strings.Cut(s.Date, ".")
		if t, err := time.Parse(reutersDate, strings.TrimSpace(date)); err == nil {
			r.Published = t.UTC().Format(time.RFC3339)
		}
		out = append(out, r)
	}
	return out
}

// recordWriter writes records as JSON lines.
type recordWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
	n   int
}

func newRecordWriter(w io.Writer) *recordWriter {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &recordWriter{w: bw, enc: enc}
}

func (rw *recordWriter) write(r Record) error {
	if err := rw.enc.Encode(r); err != nil {
		return fmt.Errorf("writing record %d: %w", rw.n+1, err)
	}
	rw.n++
	return nil
}

func (rw *recordWriter) flush() error {
	if err := rw.w.Flush(); err != nil {
		return fmt.Errorf("writing records: %w", err)
	}
	return nil
}
