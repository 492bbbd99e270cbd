package bot

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// The batch crash test runs this binary again as a child that scans a
// corpus; see TestMain and scanChild.
const scanChildEnv = "WIREWATCH_CRASH_SCAN_CHILD"

// crashBatch is how many documents the child stores, and processes, per
// transaction.
const crashBatch = 40

// keyedAnalyzer matches every document to rule "assault" in a group of its
// own (a hash of its text), so each document opens one story and queues
// one alert.
type keyedAnalyzer struct{}

func (keyedAnalyzer) Analyze(text string) corpus.Analysis {
	h := fnv.New64a()
	h.Write([]byte(text))
	key := fmt.Sprintf("k%x", h.Sum64())
	return corpus.Analysis{Matches: []corpus.DocMatch{{Rule: "assault", Keywords: []string{"assault"}, GroupKey: key, GroupName: key}}}
}

// pausingStore is the store of the scanning child: it says on stdout when
// the engine is inside the transaction of its third batch, after the
// batch's writes and before the commit, and waits there to be killed.
type pausingStore struct {
	*sqlite.DB
	writes int
}

func (p *pausingStore) Write(ctx context.Context, fn func(tx store.Tx) error) error {
	return p.DB.Write(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		p.writes++
		if p.writes == 3 && os.Getenv(scanChildEnv+"_PAUSE") != "" {
			fmt.Println("inside batch")
			time.Sleep(time.Minute)
		}
		return nil
	})
}

// announcingIngest says on stdout when the Ingester starts writing each
// batch of documents.
type announcingIngest struct {
	*sqlite.DB
}

func (a announcingIngest) PutDocuments(ctx context.Context, docs []corpus.Document, files []store.FileState) ([]bool, error) {
	fmt.Println("storing batch")
	return a.DB.PutDocuments(ctx, docs, files)
}

// scanChild scans corpus into db (spec "db|corpus") with batches of
// crashBatch documents, then exits 0.
func scanChild(spec string) int {
	dbPath, dir, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer db.Close()
	copies, err := NewCopies(db, dedup.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	log := slog.New(slog.DiscardHandler)
	e := &Engine{Store: &pausingStore{DB: db}, Analyzer: keyedAnalyzer{}, Copies: copies, Batch: crashBatch,
		Rules:  &rules.Config{Rules: []rules.Rule{{Name: "assault", Channels: []string{"ops"}}}},
		Routes: map[string][]Dest{"ops": {{Transport: "test", Channel: "C1", Name: "ops"}}},
		Clock:  SystemClock{}, Log: log}
	in := &Ingester{Store: announcingIngest{db}, Batch: crashBatch}
	sc := &Scanner{Sources: []Source{NewDirSource(dir, db, in, corpus.Parser{Logger: log})}, Engine: e, Ingest: in, Log: log}
	if _, err := sc.Scan(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	return 0
}

// TestCrashMidBatchLosesNothing kills a scanning process twice, hard: once
// while it stores batches of documents, once inside the transaction of a
// batch the engine processes. After a third run every document is stored
// once, processed once, and has queued exactly one alert.
func TestCrashMidBatchLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	corpusDir, dbPath := filepath.Join(dir, "corpus"), filepath.Join(dir, "scan.db")
	if err := os.Mkdir(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	const total = 400
	writeCrashCorpus(t, filepath.Join(corpusDir, "news.jsonl"), total)

	child := func(pause bool) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), scanChildEnv+"="+dbPath+"|"+corpusDir)
		if pause {
			cmd.Env = append(cmd.Env, scanChildEnv+"_PAUSE=1")
		}
		cmd.Stderr = os.Stderr
		return cmd
	}
	killAt := func(cmd *exec.Cmd, line string, nth int) {
		t.Helper()
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		seen := 0
		for seen < nth && sc.Scan() {
			if sc.Text() == line {
				seen++
			}
		}
		if seen < nth {
			cmd.Wait() //nolint:errcheck // reported below
			t.Fatalf("child ended after %d of %d %q", seen, nth, line)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait() //nolint:errcheck // killed on purpose
	}
	// First run: killed as it starts writing its fourth batch of documents.
	killAt(child(false), "storing batch", 4)
	stored, processed := crashCounts(t, dbPath)
	if stored == 0 || stored >= total || processed != 0 {
		t.Fatalf("after the first kill: %d stored, %d processed; want some stored, none processed", stored, processed)
	}
	// Second run: stores the rest, then is killed inside the engine's
	// third transaction, before it commits.
	killAt(child(true), "inside batch", 1)
	stored, processed = crashCounts(t, dbPath)
	if stored != total || processed != 2*crashBatch {
		t.Fatalf("after the second kill: %d stored, %d processed; want %d and %d (two batches committed)",
			stored, processed, total, 2*crashBatch)
	}
	// Third run: finishes.
	if out, err := child(false).Output(); err != nil {
		t.Fatalf("third run: %v (%d bytes out)", err, len(out))
	}

	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if pending, err := db.Pending(ctx, total); err != nil || len(pending) != 0 {
		t.Fatalf("%d documents still pending (%v)", len(pending), err)
	}
	stats, err := db.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats[store.Pending] != total {
		t.Errorf("outbox %v, want %d alerts pending: one per document", stats, total)
	}
	stories, err := db.Stories(ctx, nil, time.Time{}, time.Now().Add(24*time.Hour), 2*total)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != total {
		t.Errorf("%d stories, want %d", len(stories), total)
	}
	for _, st := range stories {
		m, err := db.StoryMembers(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != 1 {
			t.Errorf("story %d has %d members, want 1", st.ID, len(m))
		}
	}
}

// crashCounts returns how many documents db stores and how many of them
// were processed (left the queue of pending documents).
func crashCounts(t *testing.T, dbPath string) (stored, processed int) {
	t.Helper()
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pending int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM pending_docs)`).Scan(&stored, &pending); err != nil {
		t.Fatal(err)
	}
	return stored, stored - pending
}

// writeCrashCorpus writes n articles of distinct words, published a minute
// apart, as JSON Lines.
func writeCrashCorpus(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rng := rand.New(rand.NewPCG(8, 8))
	w := bufio.NewWriter(f)
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		words := make([]string, 60)
		for j := range words {
			words[j] = fmt.Sprintf("w%d", rng.IntN(100000))
		}
		b, _ := json.Marshal(map[string]string{
			"title":     fmt.Sprintf("Report %d", i),
			"body":      strings.Join(words, " ") + ".",
			"published": start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
		})
		w.Write(append(b, '\n'))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
