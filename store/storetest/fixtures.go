package storetest

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// The sample articles: the Taliban assault on Qala-i-Naw, July 2021.
//
//go:embed testdata/seeds/*.txt
var seedFiles embed.FS

// Places of the fixtures, with their GeoNames ids.
var (
	afghanistan = corpus.DocRegion{PlaceID: 1149361, Name: "Afghanistan", Level: "country", Country: "AF"}
	badghis     = corpus.DocRegion{PlaceID: 1147707, Name: "Badghis", Level: "admin1", Admin1: "AF.02",
		Admin1Name: "Badghis", Country: "AF"}
	qalaINaw = corpus.DocRegion{PlaceID: 1129867, Name: "Qala i Naw", Level: "city", Admin1: "AF.02",
		Admin1Name: "Badghis", Country: "AF"}
	herat = corpus.DocRegion{PlaceID: 1140026, Name: "Herat", Level: "city", Admin1: "AF.11",
		Admin1Name: "Herat", Country: "AF"}
	kabul = corpus.DocRegion{PlaceID: 1138958, Name: "Kabul", Level: "city", Admin1: "AF.13",
		Admin1Name: "Kabul", Country: "AF"}
	paris = corpus.DocRegion{PlaceID: 2988507, Name: "Paris", Level: "city", Admin1: "FR.11",
		Admin1Name: "Ile-de-France", Country: "FR"}
)

// mention returns r as named at offset, with text.
func mention(r corpus.DocRegion, text string, offset int) corpus.DocRegion {
	r.Text, r.Offset = text, offset
	return r
}

// seeds returns the sample articles as documents, in file order. A file
// starts with " date YYYY-MM-DD " and the body, or with a headline line.
func seeds() ([]corpus.Document, error) {
	names, err := fs.Glob(seedFiles, "testdata/seeds/*.txt")
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	var docs []corpus.Document
	for _, name := range names {
		b, err := seedFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("seeds: %w", err)
		}
		text := string(b)
		d := corpus.Document{Source: "seeds", Path: "seeds/" + path.Base(name)}
		if rest, ok := strings.CutPrefix(text, " date "); ok && len(rest) > 11 {
			day, err := time.Parse("2006-01-02", rest[:10])
			if err != nil {
				return nil, fmt.Errorf("seeds: %s: %w", name, err)
			}
			d.Published, d.Body = day, strings.TrimSpace(rest[11:])
			d.Title, d.TitleDerived = strings.Join(strings.Fields(d.Body)[:8], " "), true
		} else {
			title, body, _ := strings.Cut(text, "\n")
			d.Title, d.Body = strings.TrimSpace(title), strings.TrimSpace(body)
			d.Published, d.DateFromFile = time.Date(2021, 7, 8, 14, 30, 0, 0, time.UTC), true
		}
		d.ID = corpus.ContentID(d.Text())
		docs = append(docs, d)
	}
	return docs, nil
}

// mustSeeds returns the sample articles or fails the test.
func (e *env) seeds() []corpus.Document {
	e.t.Helper()
	docs, err := seeds()
	e.must(err, "reading the sample articles")
	if len(docs) != 5 {
		e.t.Fatalf("%d sample articles, want 5", len(docs))
	}
	return docs
}

// doc returns a small document.
func doc(id, title, body string, published time.Time) corpus.Document {
	return corpus.Document{ID: id, Source: "test", Path: "corpus/" + id + ".txt", Title: title, Body: body,
		Published: published}
}

// put stores docs or fails the test.
func (e *env) put(s store.Store, docs ...corpus.Document) {
	e.t.Helper()
	for _, d := range docs {
		_, err := s.PutDocument(e.ctx, d)
		e.must(err, "PutDocument "+d.ID)
	}
}

// stored returns d as the store gives it back: in UTC to the microsecond,
// with Paths listing every path.
func stored(d corpus.Document, paths ...string) corpus.Document {
	d.Published = d.Published.UTC().Truncate(time.Microsecond)
	if len(paths) == 0 && d.Path != "" {
		paths = []string{d.Path}
	}
	d.Paths = paths
	if len(paths) > 0 {
		d.Path = paths[0]
	}
	return d
}

// ids returns the IDs of the hits' documents.
func ids(hits []store.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Doc.ID)
	}
	return out
}

// docIDs returns the IDs of docs.
func docIDs(docs []corpus.Document) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}
