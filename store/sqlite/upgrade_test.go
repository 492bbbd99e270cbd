package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// TestUpgradeTo0020 opens a file made before migration 0020: its band rows
// go, its stories get their earliest member as lead (a later story with
// the same rule, key and lead gets a lead of its own), and it works.
func TestUpgradeTo0020(t *testing.T) {
	ctx := t.Context()
	path := oldFile(t, 20, []string{
		`INSERT INTO lsh_bands VALUES (1, 'a'), (2, 'a')`,
		`INSERT INTO stories (id, rule, key, first_at, last_at, created_at) VALUES
			(1, 'r', 'K', 10, 20, 0), (2, 'r', 'K', 100, 100, 0), (3, 'r', 'K', 10, 10, 0), (4, 'r', 'L', 5, 5, 0)`,
		`INSERT INTO story_members VALUES (1, 'b', 20, ''), (1, 'a', 10, ''), (2, 'c', 100, ''), (3, 'a', 10, '')`,
		`INSERT INTO documents (id, path, title, body, published, stored_at, processed) VALUES
			('p1', 'a.txt', 'Zebra crossing', 'A zebra crossed.', 5, 0, 0), ('p2', 'b.txt', 'Zebras', 'None here.', 6, 0, 1)`,
		`INSERT INTO document_paths VALUES ('p1', 'a.txt'), ('p2', 'b.txt'), ('p2', 'c.txt')`,
		`INSERT INTO doc_regions (doc_id, seq, place_id, name, level, admin1, admin1_name, country, text, "offset",
				country_name, weight, admin1_weight, country_weight)
			VALUES ('p2', 1, 7, 'Herat', 'admin1', 'AF.11', 'Herat', 'AF', 'Herat', 40, 'Afghanistan', 0.25, 0.25, 0.5),
			('p2', 0, 5, 'Qala-i-Naw', 'city', 'AF.02', 'Badghis', 'AF', 'Qala-e-Naw', 12, 'Afghanistan', 0.75, 0.75, 1)`,
		`INSERT INTO doc_matches (doc_id, seq, rule, keywords, regions, group_key, group_name, evidence)
			VALUES ('p2', 0, 'assault', '["assault"]', 'null', 'AF.02', 'Badghis, AF', 'assault in Badghis')`,
		`INSERT INTO doc_places VALUES ('p:5', 6, 'p2', 'Qala-i-Naw', 12)`,
	})

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a file made before 0020: %v", err)
	}
	defer db.Close()
	for id, want := range map[int64]string{1: "a", 2: "c", 3: "a#3", 4: ""} {
		s, err := db.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Lead != want {
			t.Errorf("story %d: lead %q, want %q", id, s.Lead, want)
		}
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'lsh_bands'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("lsh_bands still there (%d, %v)", n, err)
	}
	hits, err := db.Search(ctx, "zebra", 5)
	if err != nil || len(hits) != 1 || hits[0].Doc.ID != "p1" {
		t.Errorf("searching documents stored before the upgrade: %v, %v", hits, err)
	}
	pending, err := db.Pending(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "p1" {
		t.Errorf("pending after the upgrade: %v, %v; want p1 alone", pending, err)
	}
	d, err := db.Document(ctx, "p2")
	if err != nil || !slices.Equal(d.Paths, []string{"b.txt", "c.txt"}) {
		t.Errorf("paths of a document stored before: %v, %v", d.Paths, err)
	}
	a, err := db.Analysis(ctx, "p2")
	want := corpus.Analysis{
		Regions: []corpus.DocRegion{
			{PlaceID: 5, Name: "Qala-i-Naw", Level: "city", Admin1: "AF.02", Admin1Name: "Badghis", Country: "AF",
				CountryName: "Afghanistan", Weight: 0.75, Admin1Weight: 0.75, CountryWeight: 1, Text: "Qala-e-Naw", Offset: 12},
			{PlaceID: 7, Name: "Herat", Level: "admin1", Admin1: "AF.11", Admin1Name: "Herat", Country: "AF",
				CountryName: "Afghanistan", Weight: 0.25, Admin1Weight: 0.25, CountryWeight: 0.5, Text: "Herat", Offset: 40},
		},
		Matches: []corpus.DocMatch{{Rule: "assault", Keywords: []string{"assault"}, GroupKey: "AF.02", GroupName: "Badghis, AF",
			Evidence: "assault in Badghis"}},
	}
	if err != nil || !reflect.DeepEqual(a, want) {
		t.Errorf("analysis kept through the upgrade:\n got %+v, %v\nwant %+v", a, err, want)
	}
	// Analysing it again replaces its places, found through the old
	// analysis.
	if err := db.SetAnalysis(ctx, "p2", corpus.Analysis{}); err != nil {
		t.Fatal(err)
	}
	hits, err = db.Latest(ctx, store.RegionFilter{PlaceIDs: []int64{5}}, 5)
	if err != nil || len(hits) != 0 {
		t.Errorf("places of a document analysed again: %v, %v", hits, err)
	}
	p, err := db.Place(ctx, store.Placement{Rule: "r", Key: "K", DocID: "a", Published: fromMicros(10)})
	if err != nil || p.How != store.Member || p.Story.ID != 1 {
		t.Errorf("placing a member of an old story: %+v, %v", p, err)
	}
}

// TestUpgradeTo0090 opens a file whose analyses and sketches are keyed by
// document ID (before migration 0090): they are kept, keyed by the
// documents' row numbers, sketches in the order they were set.
func TestUpgradeTo0090(t *testing.T) {
	ctx := t.Context()
	path := oldFile(t, 90, []string{
		`INSERT INTO documents (seq, id, title, body, published, stored_at) VALUES
			(1, 'a', 'A', 'a', 5, 0), (2, 'b', 'B', 'b', 6, 0), (3, 'c', 'C', 'c', 7, 0)`,
		`INSERT INTO doc_analysis (seq, doc_id, analysis) VALUES
			(1, 'c', '{"matches":[{"rule":"r","keywords":["c"]}]}'), (2, 'a', '{"matches":[{"rule":"r","keywords":["a"]}]}')`,
		`INSERT INTO doc_sketches (seq, doc_id, sketch) VALUES (1, 'b', x'01'), (2, 'c', x'02'), (3, 'a', x'03')`,
	})

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a file made before 0090: %v", err)
	}
	defer db.Close()
	for id, want := range map[string][]string{"a": {"a"}, "b": nil, "c": {"c"}} {
		a, err := db.Analysis(ctx, id)
		var got []string
		for _, m := range a.Matches {
			got = append(got, m.Keywords...)
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("analysis of %s: %v, %v; want keywords %v", id, a, err, want)
		}
	}
	var sketches []string
	err = db.RecentSketches(ctx, 10, func(id string, published time.Time, sk []byte) error {
		sketches = append(sketches, fmt.Sprintf("%s:%d:%x", id, published.UnixMicro(), sk))
		return nil
	})
	if want := []string{"b:6:01", "c:7:02", "a:5:03"}; err != nil || !slices.Equal(sketches, want) {
		t.Errorf("sketches after the upgrade: %v, %v; want %v", sketches, err, want)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_index_list('doc_sketches')`).Scan(&n); err != nil || n != 1 {
		t.Errorf("doc_sketches has %d indexes (%v), want its unique doc_seq alone", n, err)
	}
}

// oldFile makes a SQLite file in a temporary folder as the versions before
// migration before made it (the migrations before it applied and
// recorded), runs the statements rows in it, and returns its path.
func oldFile(t *testing.T, before int, rows []string) string {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ms, err := store.LoadMigrations(migrations)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,
		name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version >= before { // a file of then had none of the later ones
			continue
		}
		if _, err := raw.ExecContext(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, 0)`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range rows {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}
