package storetest

import (
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

func testFileState(e *env) {
	s := e.open()
	_, err := s.FileState(e.ctx, "corpus/a.txt")
	e.notFound(err, "FileState of an unknown file")

	// File systems keep nanoseconds; a file that did not change must
	// compare equal, so the store keeps them too.
	mod := time.Date(2021, 7, 8, 9, 1, 2, 123456789, time.FixedZone("AFT", 4*3600+1800))
	for _, fs := range []store.FileState{
		{Path: "corpus/a.txt", Size: 2195, ModTime: mod, DocID: "e6838cd641e1a9de"},
		{Path: "corpus/a.txt", Size: 10, ModTime: mod.Add(time.Nanosecond), Skipped: "not UTF-8"},
		{Path: "corpus/b.txt", Size: 0},
	} {
		e.must(s.SetFileState(e.ctx, fs), "SetFileState")
		got, err := s.FileState(e.ctx, fs.Path)
		e.must(err, "FileState")
		if !got.ModTime.Equal(fs.ModTime) || got.ModTime.Location() != time.UTC {
			e.t.Errorf("ModTime = %v, want %v in UTC", got.ModTime, fs.ModTime)
		}
		fs.ModTime = fs.ModTime.UTC()
		e.equal("FileState", got, fs)
	}
}

func testPutDocument(e *env) {
	s := e.open()
	docs := e.seeds()
	d := docs[0]
	d.Published = time.Date(2021, 7, 8, 10, 15, 30, 987654321, time.FixedZone("AFT", 4*3600+1800))
	d.URL, d.Language = "https://example.org/qala-i-naw", "en"

	created, err := s.PutDocument(e.ctx, d)
	e.must(err, "PutDocument")
	if !created {
		e.t.Errorf("PutDocument of a new document: created = false")
	}
	// An exact duplicate under another path is stored once, with both
	// paths; seeing a path again adds nothing.
	dup := d
	dup.Path, dup.Title, dup.Source = "mirror/000.txt", "another title", "mirror"
	for _, p := range []corpus.Document{dup, d, dup} {
		created, err := s.PutDocument(e.ctx, p)
		e.must(err, "PutDocument of a duplicate")
		if created {
			e.t.Errorf("PutDocument of a duplicate (%s): created = true", p.Path)
		}
	}
	got, err := s.Document(e.ctx, d.ID)
	e.must(err, "Document")
	e.equal("Document", got, stored(d, d.Path, "mirror/000.txt"))
	if got.Published.Location() != time.UTC {
		e.t.Errorf("Published in %v, want UTC", got.Published.Location())
	}

	// A document first read from a feed (no path) takes the path of a
	// file copy as its Path; Paths given with a document are kept.
	feed := docs[1]
	feed.Path, feed.URL = "", "https://example.org/feed/1"
	e.put(s, feed)
	got, err = s.Document(e.ctx, feed.ID)
	e.must(err, "Document")
	e.equal("Document read from a feed", got, stored(feed))
	file := feed
	file.Path, file.Paths = "corpus/001.txt", []string{"corpus/001.txt", "old/001.txt"}
	e.put(s, file)
	got, err = s.Document(e.ctx, feed.ID)
	e.must(err, "Document")
	e.equal("Document after a file copy", got, stored(feed, "corpus/001.txt", "old/001.txt"))

	// Every field survives, the flags included.
	flags := doc("flags", "derived title", "Body text", at(time.Hour))
	flags.DateFromFile, flags.TitleDerived = true, true
	e.put(s, flags)
	got, err = s.Document(e.ctx, "flags")
	e.must(err, "Document")
	e.equal("Document with flags", got, stored(flags))

	if _, err := s.PutDocument(e.ctx, corpus.Document{Title: "no id"}); err == nil {
		e.t.Errorf("PutDocument without an ID: no error")
	}
}

func testDocumentNotFound(e *env) {
	s := e.open()
	e.put(s, doc("known", "t", "b", Epoch))
	_, err := s.Document(e.ctx, "unknown")
	e.notFound(err, "Document")
	e.notFound(s.MarkProcessed(e.ctx, "unknown"), "MarkProcessed")
	e.notFound(s.SetAnalysis(e.ctx, "unknown", corpus.Analysis{}), "SetAnalysis")
}

func testAnalysis(e *env) {
	s := e.open()
	e.put(s, doc("d1", "Taliban storm Qala-i-Naw", "Fighting in Badghis.", Epoch))
	a, err := s.Analysis(e.ctx, "d1")
	e.must(err, "Analysis")
	e.equal("Analysis before SetAnalysis", a, corpus.Analysis{})

	full := corpus.Analysis{
		Regions: []corpus.DocRegion{mention(qalaINaw, "Qala-i-Naw", 15), mention(badghis, "Badghis", 37),
			mention(afghanistan, "", 0)},
		Matches: []corpus.DocMatch{
			{Rule: "provincial-capital-assault", Keywords: []string{"stormed", "taliban"},
				Regions: []string{"badghis"}, GroupKey: "AF.02", GroupName: "Badghis, Afghanistan",
				Evidence: `"storm" and "Taliban"; Qala-i-Naw (Badghis, Afghanistan)`},
			{Rule: "afghanistan", Keywords: []string{}, GroupKey: "AF"},
		},
	}
	e.must(s.SetAnalysis(e.ctx, "d1", full), "SetAnalysis")
	a, err = s.Analysis(e.ctx, "d1")
	e.must(err, "Analysis")
	e.equal("Analysis", a, full)

	// SetAnalysis replaces, it does not add.
	less := corpus.Analysis{Regions: []corpus.DocRegion{mention(herat, "Herat", 3)}}
	e.must(s.SetAnalysis(e.ctx, "d1", less), "SetAnalysis")
	a, err = s.Analysis(e.ctx, "d1")
	e.must(err, "Analysis")
	e.equal("Analysis after a second SetAnalysis", a, less)
	e.must(s.SetAnalysis(e.ctx, "d1", corpus.Analysis{}), "SetAnalysis")
	a, err = s.Analysis(e.ctx, "d1")
	e.must(err, "Analysis")
	e.equal("Analysis after an empty SetAnalysis", a, corpus.Analysis{})
}

func testPending(e *env) {
	s := e.open()
	// Stored at 10:00 (b), 09:00 (a), 11:00 (c) and published c, a, b:
	// Pending goes by publication, not by when they were stored or IDs.
	for _, step := range []struct {
		id        string
		stored    time.Duration
		published time.Duration
	}{{"b", 10 * time.Hour, -time.Hour}, {"a", 9 * time.Hour, -2 * time.Hour}, {"c", 11 * time.Hour, -3 * time.Hour}} {
		e.clock.Set(at(step.stored))
		e.put(s, doc(step.id, "title "+step.id, "body", at(step.published)))
	}
	e.clock.Set(at(12 * time.Hour))
	e.put(s, doc("d", "title d", "body", Epoch), doc("e", "title e", "body", Epoch))

	pending := func(limit int) []string {
		e.t.Helper()
		docs, err := s.Pending(e.ctx, limit)
		e.must(err, "Pending")
		return docIDs(docs)
	}
	e.equal("Pending(10)", pending(10), []string{"c", "a", "b", "d", "e"})
	e.equal("Pending(2)", pending(2), []string{"c", "a"})
	e.equal("Pending(0)", pending(0), []string{})

	docs, err := s.Pending(e.ctx, 1)
	e.must(err, "Pending")
	if len(docs) == 1 {
		e.equal("Pending document", docs[0], stored(doc("c", "title c", "body", at(-3*time.Hour))))
	}

	e.must(s.MarkProcessed(e.ctx, "a"), "MarkProcessed")
	e.must(s.MarkProcessed(e.ctx, "d"), "MarkProcessed")
	e.must(s.MarkProcessed(e.ctx, "d"), "MarkProcessed twice")
	// A processed document seen again stays processed.
	e.put(s, corpus.Document{ID: "a", Path: "elsewhere/a.txt", Published: Epoch})
	e.equal("Pending after MarkProcessed", pending(10), []string{"c", "b", "e"})
}
