package storetest

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

func testPutDocuments(e *env) {
	s := e.open()
	docs := e.seeds()
	mod := time.Date(2021, 7, 8, 9, 1, 2, 123456789, time.UTC)
	dup := docs[0]
	dup.Path = "mirror/000.txt"
	files := []store.FileState{
		{Path: "corpus/all.jsonl", Size: 9000, ModTime: mod, DocID: docs[0].ID},
		{Path: "corpus/bad.txt", Size: 3, ModTime: mod, Skipped: corpus.ReasonNoText},
	}
	created, err := s.PutDocuments(e.ctx, []corpus.Document{docs[0], docs[1], dup, docs[2]}, files)
	e.must(err, "PutDocuments")
	e.equal("created", created, []bool{true, true, false, true})
	got, err := s.Document(e.ctx, docs[0].ID)
	e.must(err, "Document")
	e.equal("a duplicate within the batch adds its path", got, stored(docs[0], docs[0].Path, "mirror/000.txt"))
	for _, fs := range files {
		got, err := s.FileState(e.ctx, fs.Path)
		e.must(err, "FileState")
		e.equal("file recorded with the batch", got, fs)
	}
	hits, err := s.Search(e.ctx, "badghis", 10)
	e.must(err, "Search")
	e.equal("the batch is searchable", len(hits), 3)

	// A batch that fails stores nothing of it: no document, no file.
	bad := docs[4]
	bad.ID = ""
	_, err = s.PutDocuments(e.ctx, []corpus.Document{docs[3], bad}, []store.FileState{{Path: "corpus/x.txt", Size: 1}})
	if err == nil {
		e.t.Fatal("PutDocuments with a document without ID: no error")
	}
	_, err = s.Document(e.ctx, docs[3].ID)
	e.notFound(err, "Document of a failed batch")
	_, err = s.FileState(e.ctx, "corpus/x.txt")
	e.notFound(err, "FileState of a failed batch")

	created, err = s.PutDocuments(e.ctx, nil, nil)
	e.must(err, "PutDocuments of nothing")
	e.equal("created of nothing", len(created), 0)
}

func testEachFileState(e *env) {
	s := e.open()
	for _, p := range []string{"corpus/b.txt", "corpus/a/1.txt", "corpusx/c.txt", "corpus/a/2.txt", "other/d.txt"} {
		e.must(s.SetFileState(e.ctx, store.FileState{Path: p, Size: int64(len(p))}), "SetFileState")
	}
	list := func(prefix string) []string {
		out := []string{}
		e.must(s.EachFileState(e.ctx, prefix, func(fs store.FileState) error {
			out = append(out, fmt.Sprintf("%s:%d", fs.Path, fs.Size))
			return nil
		}), "EachFileState")
		return out
	}
	e.equal("under corpus/", list("corpus/"), []string{"corpus/a/1.txt:14", "corpus/a/2.txt:14", "corpus/b.txt:12"})
	e.equal("under corpus", list("corpus"), []string{"corpus/a/1.txt:14", "corpus/a/2.txt:14", "corpus/b.txt:12", "corpusx/c.txt:13"})
	e.equal("under nothing", len(list("")), 5)
	e.equal("under none", list("zzz"), []string{})
	stop := errors.New("stop")
	n := 0
	err := s.EachFileState(e.ctx, "", func(store.FileState) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		e.t.Errorf("EachFileState stopped by fn: err %v after %d calls", err, n)
	}
}

// testEachFileStamp checks that EachFileStamp gives, for every prefix,
// the paths, sizes and modification times EachFileState gives.
func testEachFileStamp(e *env) {
	s := e.open()
	mod := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	// Byte order differs from most collations here: "B" before "a", "a-b"
	// before "a/", "é" last.
	paths := []string{"corpus/b.txt", "corpus/a/1.txt", "corpusx/c.txt", "corpus/a/2.txt", "other/d.txt",
		"corpus/é.txt", "corpus0/e.txt", "corpus/B.txt", "corpus/a-b.txt"}
	for i, p := range paths {
		fs := store.FileState{Path: p, Size: int64(len(p)), DocID: "doc" + p}
		if i%2 == 0 {
			fs.ModTime = mod.Add(time.Duration(i) * time.Second)
		}
		e.must(s.SetFileState(e.ctx, fs), "SetFileState")
	}
	for _, prefix := range []string{"", "corpus", "corpus/", "corpus/a/", "zzz"} {
		want := []string{}
		e.must(s.EachFileState(e.ctx, prefix, func(fs store.FileState) error {
			want = append(want, fmt.Sprintf("%s:%d:%d", fs.Path, fs.Size, stampNanos(fs.ModTime)))
			return nil
		}), "EachFileState")
		got := []string{}
		e.must(s.EachFileStamp(e.ctx, prefix, func(path string, size int64, mod time.Time) error {
			got = append(got, fmt.Sprintf("%s:%d:%d", path, size, stampNanos(mod)))
			return nil
		}), "EachFileStamp")
		e.equal("file stamps under "+prefix, got, want)
		if !slices.IsSorted(got) {
			e.t.Errorf("file stamps under %q not in byte order: %q", prefix, got)
		}
	}
	e.equal("stamps under corpus/a/ count", countStamps(e, s, "corpus/a/"), 2)
	e.equal("stamps under nothing count", countStamps(e, s, ""), len(paths))
	stop := errors.New("stop")
	n := 0
	err := s.EachFileStamp(e.ctx, "", func(string, int64, time.Time) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		e.t.Errorf("EachFileStamp stopped by fn: err %v after %d calls", err, n)
	}
}

// stampNanos is t in nanoseconds since the epoch, or -1 when t is zero.
func stampNanos(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return t.UnixNano()
}

// countStamps counts the files EachFileStamp gives under prefix.
func countStamps(e *env, s store.Store, prefix string) int {
	n := 0
	e.must(s.EachFileStamp(e.ctx, prefix, func(string, int64, time.Time) error { n++; return nil }), "EachFileStamp")
	return n
}

func testPendingAfter(e *env) {
	s := e.open()
	for i, id := range []string{"e", "d", "c", "b", "a"} {
		e.put(s, doc(id, "title "+id, "body", at(time.Duration(i/2)*time.Hour)))
	}
	// Published: e, d at 0h; c, b at 1h; a at 2h.
	after := func(pub time.Time, id string, limit int) []string {
		e.t.Helper()
		docs, err := s.PendingAfter(e.ctx, pub, id, limit)
		e.must(err, "PendingAfter")
		return docIDs(docs)
	}
	e.equal("from the start", after(time.Time{}, "", 10), []string{"d", "e", "b", "c", "a"})
	e.equal("after (0h, d)", after(at(0), "d", 2), []string{"e", "b"})
	e.equal("after (1h, b)", after(at(time.Hour), "b", 10), []string{"c", "a"})
	e.must(s.MarkProcessed(e.ctx, "c"), "MarkProcessed")
	e.equal("processed ones are left out", after(at(0), "e", 10), []string{"b", "a"})
	e.equal("past the end", after(at(3*time.Hour), "", 10), []string{})
}

// testWrite checks the engine's transaction: its reads see its writes,
// and an error keeps nothing of it.
func testWrite(e *env) {
	s := e.open()
	docs := e.seeds()
	e.put(s, docs...)
	a := corpus.Analysis{Regions: []corpus.DocRegion{mention(badghis, "Badghis", 10)},
		Matches: []corpus.DocMatch{{Rule: "assault", GroupKey: "AF.02"}}}
	err := s.Write(e.ctx, func(tx store.Tx) error {
		if err := tx.SetAnalysis(e.ctx, docs[0].ID, a); err != nil {
			return err
		}
		if err := tx.SetCopyOf(e.ctx, docs[1].ID, docs[0].ID); err != nil {
			return err
		}
		if orig, err := tx.CopyOf(e.ctx, docs[1].ID); err != nil || orig != docs[0].ID {
			return fmt.Errorf("CopyOf in the transaction: %q, %v", orig, err)
		}
		if err := tx.SetState(e.ctx, "k", "v"); err != nil {
			return err
		}
		if v, err := tx.GetState(e.ctx, "k"); err != nil || v != "v" {
			return fmt.Errorf("GetState in the transaction: %q, %v", v, err)
		}
		if _, err := tx.Enqueue(e.ctx, store.OutboxRow{Key: "alert/1", Transport: "slack", Channel: "C1"}); err != nil {
			return err
		}
		if r, err := tx.OutboxRow(e.ctx, "alert/1"); err != nil || r.State != store.Pending {
			return fmt.Errorf("OutboxRow in the transaction: %+v, %v", r, err)
		}
		return tx.MarkProcessed(e.ctx, docs[0].ID)
	})
	e.must(err, "Write")
	got, err := s.Analysis(e.ctx, docs[0].ID)
	e.must(err, "Analysis")
	e.equal("Analysis written in a transaction", got, a)
	e.row(s, "alert/1")

	// A failing transaction keeps none of its writes.
	boom := errors.New("boom")
	err = s.Write(e.ctx, func(tx store.Tx) error {
		e.must(tx.MarkProcessed(e.ctx, docs[2].ID), "MarkProcessed")
		e.must(tx.SetState(e.ctx, "k", "changed"), "SetState")
		_, err := tx.Enqueue(e.ctx, store.OutboxRow{Key: "alert/2", Transport: "slack", Channel: "C1"})
		e.must(err, "Enqueue")
		_, err = tx.Place(e.ctx, store.Placement{Rule: "r", Key: "k", DocID: docs[2].ID, Published: Epoch, Window: time.Hour})
		e.must(err, "Place")
		return boom
	})
	if !errors.Is(err, boom) {
		e.t.Fatalf("Write returned %v, want the error of fn", err)
	}
	v, err := s.GetState(e.ctx, "k")
	e.must(err, "GetState")
	e.equal("state after a failed transaction", v, "v")
	_, err = s.OutboxRow(e.ctx, "alert/2")
	e.notFound(err, "row of a failed transaction")
	stories, err := s.StoriesOf(e.ctx, docs[2].ID)
	e.must(err, "StoriesOf")
	e.equal("stories of a failed transaction", len(stories), 0)
	pending, err := s.Pending(e.ctx, 10)
	e.must(err, "Pending")
	e.equal("pending after a failed transaction", len(pending), 4)
}

func testSketches(e *env) {
	s := e.open()
	docs := e.seeds()
	e.put(s, docs...)
	for _, d := range docs {
		e.must(s.MarkProcessed(e.ctx, d.ID), "MarkProcessed")
	}
	byID := map[string]corpus.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	recent := func(n int) []string {
		out := []string{}
		e.must(s.RecentSketches(e.ctx, n, func(id string, published time.Time, sk []byte) error {
			out = append(out, fmt.Sprintf("%s=%x", id[:4], sk))
			if want := byID[id].Published; !published.Equal(want) {
				e.t.Errorf("RecentSketches: %s published %v, want %v", id[:4], published, want)
			}
			return nil
		}), "RecentSketches")
		return out
	}
	e.equal("no sketch yet", recent(10), []string{})
	unsketched, err := s.UnsketchedDocuments(e.ctx, 10)
	e.must(err, "UnsketchedDocuments")
	e.equal("unsketched, newest stored first", len(unsketched), 5)
	e.equal("the newest stored first", unsketched[0].ID, docs[4].ID)

	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		for i, d := range docs[:3] {
			if err := tx.SetSketch(e.ctx, d.ID, []byte{byte(i), 0xff}); err != nil {
				return err
			}
		}
		return nil
	}), "SetSketch")
	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		return tx.SetSketch(e.ctx, docs[0].ID, []byte{9}) // again: now the newest
	}), "SetSketch again")
	id := func(i int) string { return docs[i].ID[:4] }
	e.equal("RecentSketches(10)", recent(10), []string{id(1) + "=01ff", id(2) + "=02ff", id(0) + "=09"})
	e.equal("RecentSketches(2)", recent(2), []string{id(2) + "=02ff", id(0) + "=09"})
	e.equal("RecentSketches(0)", recent(0), []string{})
	// A sketch of a document gone meanwhile (pruned between the listing
	// of documents without one and the write) is no error and is not
	// given back.
	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		return tx.SetSketch(e.ctx, "no-such-document", []byte{7})
	}), "SetSketch of a missing document")
	e.equal("RecentSketches after a missing document's sketch", recent(10), []string{id(1) + "=01ff", id(2) + "=02ff", id(0) + "=09"})
	unsketched, err = s.UnsketchedDocuments(e.ctx, 10)
	e.must(err, "UnsketchedDocuments")
	e.equal("unsketched", docIDs(unsketched), []string{docs[4].ID, docs[3].ID})
	unsketched, err = s.UnsketchedDocuments(e.ctx, 1)
	e.must(err, "UnsketchedDocuments")
	e.equal("unsketched, limit 1", docIDs(unsketched), []string{docs[4].ID})
}
