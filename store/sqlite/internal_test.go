package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wirewatch/wirewatch/store"
)

func openInternal(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "wirewatch.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenCreatesParentDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b", "c?d", "wirewatch.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
}

// TestPragmas checks the settings on several connections of each pool at
// once: every connection the pools open must carry them.
func TestPragmas(t *testing.T) {
	checkPragmas(t, openInternal(t), map[string]string{"busy_timeout": "10000", "journal_mode": "wal",
		"foreign_keys": "1", "synchronous": "1", "auto_vacuum": "2"})
}

// TestThrowawayPragmas: the store of a dry run never syncs and keeps its
// temporary tables in memory, on every connection.
func TestThrowawayPragmas(t *testing.T) {
	db, err := OpenThrowaway(t.Context(), filepath.Join(t.TempDir(), "dry-run.db"))
	if err != nil {
		t.Fatalf("OpenThrowaway: %v", err)
	}
	defer db.Close()
	checkPragmas(t, db, map[string]string{"busy_timeout": "10000", "journal_mode": "wal", "foreign_keys": "1",
		"synchronous": "0", "temp_store": "2"})
}

// checkPragmas checks the pragmas of a connection of the write pool and of
// three of the read pool, and that the read pool cannot write.
func checkPragmas(t *testing.T, db *DB, want map[string]string) {
	t.Helper()
	for name, pool := range map[string]*sql.DB{"write": db.write, "read": db.read} {
		n := 1
		if pool == db.read {
			n = 3
		}
		var conns []*sql.Conn
		for range n {
			c, err := pool.Conn(t.Context())
			if err != nil {
				t.Fatalf("%s pool: %v", name, err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			for pragma, v := range want {
				var got string
				if err := c.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("%s pool, connection %d: PRAGMA %s: %v", name, i, pragma, err)
				}
				if got != v {
					t.Errorf("%s pool, connection %d: %s = %s, want %s", name, i, pragma, got, v)
				}
			}
			c.Close()
		}
	}
	if _, err := db.read.ExecContext(t.Context(), `INSERT INTO state (key, value) VALUES ('k', 'v')`); err == nil {
		t.Errorf("the read pool can write")
	}
}

func TestMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wirewatch.db")
	for range 2 {
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		var n, max int
		if err := db.read.QueryRowContext(t.Context(), `SELECT count(*), max(version) FROM schema_migrations`).
			Scan(&n, &max); err != nil {
			t.Fatalf("reading schema_migrations: %v", err)
		}
		ms, err := store.LoadMigrations(migrations)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(ms) || max != ms[len(ms)-1].Version {
			t.Errorf("schema_migrations: %d rows up to %d, want %d up to %d", n, max, len(ms), ms[len(ms)-1].Version)
		}
		db.Close()
	}
}

func TestLoadMigrations(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  []int
		err   string
	}{
		{"ordered by number", []string{"0010_b.sql", "0002_a.sql", "0001_init.sql"}, []int{1, 2, 10}, ""},
		{"no number", []string{"init.sql"}, nil, "must start with a positive number"},
		{"zero", []string{"0000_x.sql"}, nil, "must start with a positive number"},
		{"same number", []string{"0001_a.sql", "1_b.sql"}, nil, "share version 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys["migrations/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			ms, err := store.LoadMigrations(fsys)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("versions %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFTSQuery(t *testing.T) {
	cases := []struct{ in, want string }{
		{"taliban", `"taliban"`},
		{"Qala-i-Naw", `"qala" "i" "naw"`},
		{`NEAR(taliban badghis, 5)`, `"near" "taliban" "badghis" "5"`},
		{`title:taliban OR "kabul*"`, `"title" "taliban" "or" "kabul"`},
		{"Kābul's", `"kabul"`},
		{`" * ( ) : ^ - +`, ""},
		{"", ""},
	}
	for _, tc := range cases {
		if got := ftsQuery(tc.in); got != tc.want {
			t.Errorf("ftsQuery(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// FuzzSearch checks that no query makes Search fail: user input never
// reaches FTS5 as syntax.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"taliban", `"`, "NEAR(a b)", "a OR b", "title:x", "*", "^a", "a AND NOT b", "\x00",
		"\xff\xfe", "'", "[x]", "{a b}:c", "a + b - c"} {
		f.Add(s)
	}
	db, err := Open(context.Background(), filepath.Join(f.TempDir(), "wirewatch.db"))
	if err != nil {
		f.Fatalf("Open: %v", err)
	}
	defer db.Close()
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := db.Search(t.Context(), q, 5); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	})
}

// TestQueryPlans checks that the hot queries read their indexes rather than
// scan a table.
func TestQueryPlans(t *testing.T) {
	db := openInternal(t)
	cases := []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"Latest", `SELECT doc_id FROM doc_places WHERE key = ? ORDER BY published DESC, doc_id DESC LIMIT ?`,
			[]any{"a:AF.02", 10}, []string{"SEARCH doc_places USING PRIMARY KEY (key=?)"}},
		{"RecentSketches", `SELECT d.id, d.published, s.sketch FROM doc_sketches s
			JOIN documents d ON d.seq = s.doc_seq WHERE s.seq >= ? ORDER BY s.seq`,
			[]any{1}, []string{"SEARCH s USING INTEGER PRIMARY KEY (rowid>?)", "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"Analysis", `SELECT a.analysis FROM documents d JOIN doc_analysis a ON a.doc_seq = d.seq WHERE d.id = ?`,
			[]any{"x"}, []string{"SEARCH d USING COVERING INDEX sqlite_autoindex_documents_1 (id=?)", "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"OutboxHeads", headsQuery, []any{1, 10}, []string{"SCAN outbox USING INDEX outbox_open", "rowid=?)"}},
		{"PendingAfter", `SELECT d.id, d.body FROM pending_docs p JOIN documents d ON d.id = p.doc_id
			WHERE (p.published, p.doc_id) > (?, ?) ORDER BY p.published, p.doc_id LIMIT 10`, []any{1, "x"},
			[]string{"SEARCH p USING PRIMARY KEY ((published,doc_id)>(?,?))", "SEARCH d USING INDEX sqlite_autoindex_documents_1 (id=?)"}},
		{"ReplyDocs", `SELECT doc_id FROM reply_docs WHERE outbox_id = ? ORDER BY rowid LIMIT ?`,
			[]any{1, 10}, []string{"reply_docs"}},
		{"Place, story of a document", `SELECT s.id FROM stories s JOIN story_members m ON m.story_id = s.id
			WHERE m.doc_id = ? AND s.rule = ? ORDER BY s.id LIMIT 1`, []any{"d", "r"}, []string{"story_members_doc"}},
		{"FindStory", `SELECT id FROM stories WHERE rule = ? AND key = ? AND last_at >= ? AND first_at <= ?`,
			[]any{"r", "k", 1, 2}, []string{"stories_rule_key"}},
		{"Search, many matches", `SELECT id FROM documents d INDEXED BY documents_published
			WHERE d.seq IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)
			ORDER BY d.published DESC, d.id DESC LIMIT 10`, []any{`"x"`},
			[]string{"SCAN d USING COVERING INDEX documents_published"}},
		{"EachFileStamp", `SELECT path, size, mod_time FROM file_state WHERE path >= ? AND path < ? ORDER BY path`,
			[]any{"/a/", "/a0"}, []string{"SEARCH file_state USING INDEX sqlite_autoindex_file_state_1 (path>? AND path<?)"}},
		{"DeadRows", `SELECT id FROM outbox WHERE state = 'dead' ORDER BY id DESC LIMIT 3`,
			nil, []string{"outbox_state"}},
	}
	for _, tc := range cases {
		rows, err := db.read.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: plan does not use %q:\n%s", tc.name, w, all)
			}
		}
		if strings.Contains(all, "SCAN outbox\n") || strings.HasSuffix(all, "SCAN outbox") {
			t.Errorf("%s: plan scans the outbox:\n%s", tc.name, all)
		}
	}
}
