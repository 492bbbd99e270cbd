package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// baseURL returns the database the tests use, from BOT_TEST_POSTGRES, or
// skips the test.
func baseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("BOT_TEST_POSTGRES")
	if u == "" {
		t.Skip("BOT_TEST_POSTGRES is not set; set it to a PostgreSQL URL to run these tests, e.g. " +
			"BOT_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'")
	}
	return u
}

// newSchema creates a schema of its own for a test, drops it when the test
// ends, and returns the URL that opens it.
func newSchema(t testing.TB, base string) string {
	t.Helper()
	name := fmt.Sprintf("wwtest_%d_%08x", os.Getpid(), rand.Uint32())
	exec := func(ctx context.Context, sql string) error {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	ident := pgx.Identifier{name}.Sanitize()
	if err := exec(context.Background(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("creating schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", name, err)
		}
	})
	return withSearchPath(t, base, name)
}

// withSearchPath returns base, a URL or key=value string, with its
// search_path set to schema.
func withSearchPath(t testing.TB, base, schema string) string {
	t.Helper()
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		return base + " search_path=" + schema
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("BOT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// schemas holds the schema URL of each test, so that a second open in a
// test opens the same store.
var schemas sync.Map

// openConformance opens the store of test t, in a schema of its own, with
// the suite's clock.
func openConformance(t *testing.T) store.Store {
	t.Helper()
	u, ok := schemas.Load(t)
	if !ok {
		u = newSchema(t, baseURL(t))
		schemas.Store(t, u)
		t.Cleanup(func() { schemas.Delete(t) })
	}
	db, err := Open(t.Context(), u.(string))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	db.Now = storetest.Clock(t)
	return db
}

func TestConformance(t *testing.T) {
	baseURL(t)
	storetest.Run(t, openConformance)
}

// open opens the store at u and closes it when the test ends.
func open(t *testing.T, u string) *DB {
	t.Helper()
	db, err := Open(t.Context(), u)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrateConcurrently opens several replicas on a new schema at once:
// one applies the migrations, the others wait for it.
func TestMigrateConcurrently(t *testing.T) {
	u := newSchema(t, baseURL(t))
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			db, err := Open(t.Context(), u)
			if err != nil {
				t.Errorf("Open: %v", err)
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	db := open(t, u)
	var n int
	if err := db.pool.QueryRow(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, err := store.LoadMigrations(migrations)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
}

func TestOpenWithoutSchema(t *testing.T) {
	u := withSearchPath(t, baseURL(t), "wwtest_does_not_exist")
	db, err := Open(t.Context(), u)
	if err == nil {
		db.Close()
		t.Fatal("Open on a search_path without a schema: no error")
	}
	if !strings.Contains(err.Error(), "search_path") {
		t.Errorf("error %q does not say what to do", err)
	}
}

// terminate ends the one backend holding the advisory lock that matches
// cond, as a crash or a lost connection would, and waits until it is gone.
func terminate(t *testing.T, db *DB, cond string, args ...any) {
	t.Helper()
	var n int
	err := db.pool.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND `+cond,
		args...).Scan(&n)
	if err != nil {
		t.Fatalf("terminating backends: %v", err)
	}
	if n != 1 {
		t.Fatalf("terminated %d backends, want 1", n)
	}
}

// TestResetInflightAfterCrash checks that the rows of a replica whose
// connection died, without Close, return to pending, and only then.
func TestResetInflightAfterCrash(t *testing.T) {
	u := newSchema(t, baseURL(t))
	a, b := open(t, u), open(t, u)
	ctx := t.Context()
	now := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	if _, err := a.Enqueue(ctx, store.OutboxRow{Key: "k", Transport: "slack", Channel: "C1", Due: now}); err != nil {
		t.Fatal(err)
	}
	r, err := a.OutboxRow(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := a.ClaimOutbox(ctx, r.ID, now); err != nil || !ok {
		t.Fatalf("ClaimOutbox = %v, %v", ok, err)
	}
	if n, err := b.ResetInflight(ctx); err != nil || n != 0 {
		t.Fatalf("ResetInflight while the claimer lives = %d, %v; want 0", n, err)
	}
	terminate(t, b, `objsubid = 2 AND classid = (`+lockSpace+`)::oid AND objid = $1`, a.instance)
	if n, err := b.ResetInflight(ctx); err != nil || n != 1 {
		t.Fatalf("ResetInflight after the claimer died = %d, %v; want 1", n, err)
	}
}

// TestLeaseEndsWithSession checks that a lease whose connection died is
// free for another replica.
func TestLeaseEndsWithSession(t *testing.T) {
	u := newSchema(t, baseURL(t))
	a, b := open(t, u), open(t, u)
	ctx := t.Context()
	release, ok, err := a.TryLease(ctx, "schedule")
	if err != nil || !ok {
		t.Fatalf("TryLease = %v, %v", ok, err)
	}
	defer release()
	if _, ok, err := b.TryLease(ctx, "schedule"); err != nil || ok {
		t.Fatalf("TryLease of a held lease = %v, %v", ok, err)
	}
	if held, err := a.HoldsLease(ctx, "schedule"); err != nil || !held {
		t.Fatalf("HoldsLease by the holder = %v, %v", held, err)
	}
	if held, _ := b.HoldsLease(ctx, "schedule"); held {
		t.Fatal("HoldsLease by another replica = true")
	}
	terminate(t, b, `objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) =
		hashtextextended(current_schema() || ':wirewatch:lease:' || $1, 0)`, "schedule")
	// The holder notices that its session, and so its lock, is gone.
	if held, err := a.HoldsLease(ctx, "schedule"); err != nil || held {
		t.Fatalf("HoldsLease after the session ended = %v, %v", held, err)
	}
	release2, ok, err := b.TryLease(ctx, "schedule")
	if err != nil || !ok {
		t.Fatalf("TryLease after the holder's session ended = %v, %v", ok, err)
	}
	release2()
}

// TestCleanText checks that text PostgreSQL cannot hold is stored cleaned
// rather than refused.
func TestCleanText(t *testing.T) {
	db := open(t, newSchema(t, baseURL(t)))
	ctx := t.Context()
	d := corpus.Document{ID: "x", Path: "a\x00b.txt", Title: "Kabul\x00 \xffnews", Body: "body",
		Published: time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)}
	if _, err := db.PutDocument(ctx, d); err != nil {
		t.Fatalf("PutDocument: %v", err)
	}
	got, err := db.Document(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Kabul \uFFFDnews" || got.Path != "ab.txt" {
		t.Errorf("stored title %q, path %q", got.Title, got.Path)
	}
	hits, err := db.Search(ctx, "kabul news", 5)
	if err != nil || len(hits) != 1 {
		t.Errorf("Search = %d hits, %v", len(hits), err)
	}
}

// TestSearchIndexMerged checks that the search index takes a batch's words
// in its pending list, in bulk, and that the batch merges the list, so
// searches do not read it.
func TestSearchIndexMerged(t *testing.T) {
	ctx := t.Context()
	db := open(t, newSchema(t, baseURL(t)))
	var opts []string
	if err := db.pool.QueryRow(ctx, `SELECT reloptions FROM pg_class WHERE oid = 'documents_fts'::regclass`).Scan(&opts); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(opts, []string{"fastupdate=on"}) {
		t.Errorf("options of the search index: %q, want fastupdate=on", opts)
	}
	docs := make([]corpus.Document, 200)
	for i := range docs {
		docs[i] = corpus.Document{ID: fmt.Sprintf("d%03d", i), Title: fmt.Sprintf("word%d", i),
			Body: fmt.Sprintf("kabul herat number%d", i), Published: time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)}
	}
	if _, err := db.PutDocuments(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := db.pool.QueryRow(ctx, `SELECT gin_clean_pending_list('documents_fts'::regclass)`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages != 0 {
		t.Errorf("%d pages of the search index's pending list left after PutDocuments, want 0", pages)
	}
	hits, err := db.Search(ctx, "herat number17", 10)
	if err != nil || len(hits) != 1 || hits[0].Doc.ID != "d017" {
		t.Errorf("Search = %v, %v; want d017", hits, err)
	}
}

func TestAnalyze(t *testing.T) {
	db := open(t, newSchema(t, baseURL(t)))
	if err := db.Analyze(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestLeaseHolder checks that a replica waiting for a lease learns which
// session holds it.
func TestLeaseHolder(t *testing.T) {
	ctx := context.Background()
	u := newSchema(t, baseURL(t))
	a, b := open(t, u), open(t, u)
	if got := b.LeaseHolder(ctx, "schedule"); got != "" {
		t.Errorf("LeaseHolder of a free lease = %q", got)
	}
	release, ok, err := a.TryLease(ctx, "schedule")
	if err != nil || !ok {
		t.Fatalf("TryLease = %v, %v", ok, err)
	}
	defer release()
	if got := b.LeaseHolder(ctx, "schedule"); !strings.HasPrefix(got, "PostgreSQL session ") {
		t.Errorf("LeaseHolder of a held lease = %q", got)
	}
}

// TestUpgradeTo0020 opens a schema made before migration 0020: its band
// rows go, its stories get their earliest member as lead (a later story
// with the same rule, key and lead gets a lead of its own), and it works.
func TestUpgradeTo0020(t *testing.T) {
	ctx := t.Context()
	url := newSchema(t, baseURL(t))
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.LoadMigrations(migrations)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY,
		name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version >= 20 && m.Version < 30 {
			continue
		}
		if _, err := conn.Exec(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations VALUES ($1, $2, now())`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO lsh_bands VALUES (1, 'a'), (2, 'a')`,
		`INSERT INTO stories (id, rule, key, first_at, last_at, created_at) OVERRIDING SYSTEM VALUE VALUES
			(1, 'r', 'K', $1, $1, $1), (2, 'r', 'K', $1, $1, $1), (3, 'r', 'K', $1, $1, $1), (4, 'r', 'L', $1, $1, $1)`,
		`INSERT INTO story_members VALUES (1, 'b', $1::timestamptz + interval '1 hour', ''), (1, 'a', $1, ''), (2, 'c', $1, ''),
			(3, 'a', $1, '')`,
		`INSERT INTO documents (id, path, published, stored_at, processed, fts) VALUES
			('p1', 'a.txt', $1, $1, false, ''), ('p2', 'b.txt', $1, $1, true, '')`,
		`INSERT INTO document_paths (doc_id, path) VALUES ('p1', 'a.txt'), ('p2', 'b.txt'), ('p2', 'c.txt')`,
		`INSERT INTO doc_regions (doc_id, seq, place_id, name, level, admin1, admin1_name, country, text, "offset",
				country_name, weight, admin1_weight, country_weight)
			VALUES ('p2', 1, 7, 'Herat', 'admin1', 'AF.11', 'Herat', 'AF', 'Herat', 40, 'Afghanistan', 0.25, 0.25, 0.5),
			('p2', 0, 5, 'Qala-i-Naw', 'city', 'AF.02', 'Badghis', 'AF', 'Qala-e-Naw', 12, 'Afghanistan', 0.75, 0.75, 1)`,
		`INSERT INTO doc_matches (doc_id, seq, rule, keywords, regions, group_key, group_name, evidence)
			VALUES ('p2', 0, 'assault', '["assault"]', 'null', 'AF.02', 'Badghis, AF', 'assault in Badghis')`,
	} {
		args := []any{t0}
		if !strings.Contains(q, "$1") {
			args = nil
		}
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	conn.Close(ctx)

	db, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("Open of a schema made before 0020: %v", err)
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
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()
		AND tablename = 'lsh_bands'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("lsh_bands still there (%d, %v)", n, err)
	}
	pending, err := db.Pending(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "p1" {
		t.Errorf("pending after the upgrade: %v, %v; want p1 alone", pending, err)
	}
	d, err := db.Document(ctx, "p2")
	if err != nil || strings.Join(d.Paths, ",") != "b.txt,c.txt" {
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
	p, err := db.Place(ctx, store.Placement{Rule: "r", Key: "K", DocID: "a", Published: t0})
	if err != nil || p.How != store.Member || p.Story.ID != 1 {
		t.Errorf("placing a member of an old story: %+v, %v", p, err)
	}
}
