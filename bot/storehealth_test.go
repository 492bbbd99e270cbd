package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/testutil"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/postgres"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// readyz asks h for /readyz.
func readyz(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// article writes a text file of about size bytes to dir.
func article(t *testing.T, dir, name string, size int) {
	t.Helper()
	var b strings.Builder
	b.WriteString(" date 2021-07-08 Taliban fighters launched an all-out assault on Qala-i-Naw in Badghis. ")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Paragraph %d of %s tells of the fighting around the provincial capital. ", i, name)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// liveWithReadyz builds the rules of ../rules.yaml on st, reading the
// corpus folder dir and logging to logs, and returns them with the HTTP
// endpoints of a Service whose first scan is done.
func liveWithReadyz(t *testing.T, st store.Store, clock Clock, dir string, logs io.Writer) (*Live, http.Handler) {
	t.Helper()
	gaz := geo.Default()
	load := func(path string) (*rules.Config, *geo.Gazetteer, error) {
		cfg, err := rules.Loader{Gazetteer: gaz}.Load(path)
		return cfg, gaz, err
	}
	cfg, _, err := load("../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(logs, nil))
	live, err := NewLive("../rules.yaml", cfg, gaz, load, Shared{Store: st, Parser: corpus.Parser{}, CorpusDir: dir,
		Console: true, Clock: clock, Log: log, Writes: &StoreHealth{Log: log}})
	if err != nil {
		t.Fatal(err)
	}
	svc := &Service{Rules: live}
	svc.ready.Store(true)
	return live, NewHTTPHandler(HTTPOptions{Ready: svc.Ready})
}

// TestReadyzWhileStoreIsFull runs scans on a SQLite store that is then
// capped at its size, as a full disk would: documents can no longer be
// stored or processed, /readyz answers 503 with the reason, and the error
// met by every pending document is logged once per scan with a count.
// Once the store takes writes again, the next scan makes the bot ready.
func TestReadyzWhileStoreIsFull(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock.Now
	var logs syncBuffer
	dir := t.TempDir()
	live, h := liveWithReadyz(t, db, clock, dir, &logs)
	scan := func() error {
		_, err := live.Rules().Scanner.Scan(ctx)
		return err
	}

	article(t, dir, "first.txt", 2000)
	if err := scan(); err != nil {
		t.Fatal(err)
	}
	if code, body := readyz(t, h); code != http.StatusOK {
		t.Fatalf("/readyz with a healthy store: %d %s", code, body)
	}

	// Twenty documents stored but not yet processed, then the disk is full.
	for i := range 20 {
		d := corpus.Document{Source: "wire", Path: fmt.Sprintf("p%02d.txt", i), Title: fmt.Sprintf("Report %d", i),
			Body:      strings.Repeat(fmt.Sprintf("Taliban assault in Qala-i-Naw, Badghis, report %d. ", i), 40),
			Published: clock.Now().Add(time.Duration(i) * time.Minute)}
		d.ID = corpus.ContentID(d.Text())
		if _, err := db.PutDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.LimitSize(ctx, 0); err != nil {
		t.Fatal(err)
	}
	article(t, dir, "second.txt", 200_000)
	for range 2 {
		if err := scan(); err == nil {
			t.Fatal("a scan on a full store succeeded")
		}
	}
	code, body := readyz(t, h)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "cannot be written") || !strings.Contains(body, "full") {
		t.Errorf("/readyz with a full store: %d %s; want 503 naming the full store", code, body)
	}
	text := logs.String()
	if n := strings.Count(text, `msg="document not processed; will retry"`); n != 2 {
		t.Errorf("%d log lines for the unprocessed documents over two scans, want one per scan:\n%s", n, text)
	}
	if !strings.Contains(text, "count=") {
		t.Errorf("the repeated error is logged without its count:\n%s", text)
	}
	if n := strings.Count(text, "the store cannot be written"); n != 1 {
		t.Errorf("the store's failure is logged %d times, want once:\n%s", n, text)
	}

	if err := db.LimitSize(ctx, 1<<40); err != nil {
		t.Fatal(err)
	}
	if err := scan(); err != nil {
		t.Fatalf("scan once the store takes writes again: %v", err)
	}
	if code, body := readyz(t, h); code != http.StatusOK {
		t.Errorf("/readyz once the store takes writes again: %d %s", code, body)
	}
	if !strings.Contains(logs.String(), "the store takes writes again") {
		t.Errorf("the recovery is not logged:\n%s", logs.String())
	}
}

// TestReadyzWhenPostgresRoleLosesWriteRights runs the bot's scans as a
// PostgreSQL role whose write rights are then revoked: /readyz answers 503
// at once (its probe write is refused), scans fail, and once the rights
// are back a scan makes the bot ready again.
func TestReadyzWhenPostgresRoleLosesWriteRights(t *testing.T) {
	ctx := context.Background()
	u := testutil.PostgresURL(t)
	owner, err := postgres.Open(ctx, u) // creates the tables
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	schema := pu.Query().Get("search_path")
	role := "writer_" + schema
	exec := func(q string) {
		t.Helper()
		if err := testutil.PostgresExec(ctx, u, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE ROLE " + role + " LOGIN")
	t.Cleanup(func() {
		testutil.PostgresExec(context.Background(), u, "DROP OWNED BY "+role+"; DROP ROLE "+role) //nolint:errcheck // best effort
	})
	exec("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role)
	exec("GRANT ALL ON ALL TABLES IN SCHEMA " + schema + " TO " + role)
	exec("GRANT ALL ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role)
	pu.User = url.User(role)
	db, err := postgres.Open(ctx, pu.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := newFakeClock()
	db.Now = clock.Now
	dir := t.TempDir()
	var logs syncBuffer
	live, h := liveWithReadyz(t, db, clock, dir, &logs)
	scan := func() error {
		_, err := live.Rules().Scanner.Scan(ctx)
		return err
	}

	article(t, dir, "first.txt", 2000)
	if err := scan(); err != nil {
		t.Fatal(err)
	}
	if code, body := readyz(t, h); code != http.StatusOK {
		t.Fatalf("/readyz with write rights: %d %s", code, body)
	}
	exec("REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " FROM " + role)
	if code, body := readyz(t, h); code != http.StatusServiceUnavailable || !strings.Contains(body, "permission denied") {
		t.Errorf("/readyz without write rights: %d %s; want 503 saying why", code, body)
	}
	article(t, dir, "second.txt", 2000)
	if err := scan(); err == nil {
		t.Error("a scan without write rights succeeded")
	}
	exec("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role)
	if code, _ := readyz(t, h); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before a scan wrote again: %d; want 503 until one does", code)
	}
	if err := scan(); err != nil {
		t.Fatalf("scan with the rights back: %v", err)
	}
	if code, body := readyz(t, h); code != http.StatusOK {
		t.Errorf("/readyz with the rights back: %d %s", code, body)
	}
}
