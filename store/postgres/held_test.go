package postgres

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// TestHeldWritesRows checks that the per-document writes of a transaction,
// sent as a few statements of arrays, leave the rows that the same writes
// leave made one at a time: analyses (empty ones too) and their places
// with the documents' publication times, sketches numbered in the order
// they were set, copies, processed marks, text PostgreSQL cannot hold
// cleaned alike.
func TestHeldWritesRows(t *testing.T) {
	ctx := t.Context()
	db := open(t, newSchema(t, baseURL(t)))
	const n = 40
	id := func(fam string, i int) string { return fmt.Sprintf("%s-%02d", fam, i) }
	for _, fam := range []string{"b", "s"} {
		for i := range n {
			d := corpus.Document{ID: id(fam, i), Path: id(fam, i) + ".txt", Title: "t", Body: "b",
				Published: time.Date(2021, 7, 8, i%5, 0, 0, 0, time.UTC)}
			if _, err := db.PutDocument(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	regions := []corpus.DocRegion{
		{PlaceID: 1138958, Name: "Kabul", Level: "city", Admin1: "AF.13", Country: "AF"},
		{PlaceID: 1140026, Name: "Her\x00at", Level: "city", Admin1: "AF.11", Country: "AF", Text: "Herat \xff"},
		{PlaceID: 2988507, Name: "Paris", Level: "city", Admin1: "FR.11", Country: "FR"},
	}
	writes := func(w interface {
		store.DocumentWriter
		SetCopyOf(ctx context.Context, id, original string) error
	}, fam string) error {
		for i := range n {
			var a corpus.Analysis
			for k := range i % 4 {
				r := regions[(i+k)%len(regions)]
				r.Offset = 7*k + i
				a.Regions = append(a.Regions, r)
			}
			if err := w.SetAnalysis(ctx, id(fam, i), a); err != nil {
				return err
			}
			if i%3 != 0 {
				if err := w.SetSketch(ctx, id(fam, i), []byte{byte(n - i)}); err != nil {
					return err
				}
			}
			if i%5 == 4 {
				if err := w.SetCopyOf(ctx, id(fam, i), id(fam, i-1)+"\x00"); err != nil {
					return err
				}
			}
			if err := w.MarkProcessed(ctx, id(fam, i)); err != nil {
				return err
			}
		}
		return w.SetSketch(ctx, id(fam, 1), []byte{0xff})
	}
	if err := db.Write(ctx, func(tx store.Tx) error { return writes(tx, "b") }); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := writes(db, "s"); err != nil {
		t.Fatalf("one at a time: %v", err)
	}
	for _, c := range []struct {
		q    string
		rows int
	}{
		{`SELECT substr(doc_id, 3) || ' ' || analysis FROM doc_analysis WHERE doc_id LIKE $1 || '-%' ORDER BY doc_id`, n},
		{`SELECT key || ' ' || published || ' ' || substr(doc_id, 3) || ' ' || place || ' ' || "offset" FROM doc_places
			WHERE doc_id LIKE $1 || '-%' ORDER BY key, published, doc_id`, 167},
		{`SELECT substr(doc_id, 3) || ' ' || encode(sketch, 'hex') FROM doc_sketches WHERE doc_id LIKE $1 || '-%'
			ORDER BY seq`, 26},
		{`SELECT substr(doc_id, 3) || ' ' || substr(original, 3) FROM copy_of WHERE doc_id LIKE $1 || '-%'
			ORDER BY doc_id`, 8},
		{`SELECT substr(doc_id, 3) FROM pending_docs WHERE doc_id LIKE $1 || '-%' ORDER BY doc_id`, 0},
	} {
		q := c.q
		rows := map[string][]string{}
		for _, fam := range []string{"b", "s"} {
			r, err := db.pool.Query(ctx, q, fam)
			if err != nil {
				t.Fatal(err)
			}
			rows[fam] = []string{}
			for r.Next() {
				var s string
				if err := r.Scan(&s); err != nil {
					t.Fatal(err)
				}
				rows[fam] = append(rows[fam], s)
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(rows["b"], rows["s"]) {
			t.Errorf("%s\nin one transaction: %q\none at a time:      %q", q, rows["b"], rows["s"])
		}
		if len(rows["b"]) != c.rows {
			t.Errorf("%s: %d rows, want %d", q, len(rows["b"]), c.rows)
		}
	}
}
