//go:build unix

package bot

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// BenchmarkRescan measures the pass `bot run` makes on its schedule (and
// `bot latest` before it answers) over a corpus folder where nothing
// changed: BOT_BENCH_RESCAN_FILES files (2,000 when unset) of one article
// each, in folders of 1,000, all stored in a SQLite file before the clock
// starts. Each op is one whole Scanner pass: the file records read from
// the store, the folder walked and compared, nothing read, nothing
// pending. With BOT_BENCH_RESCAN_DIR set, the folder and the store are
// made there once and kept for the next runs, whose profiles then hold the
// rescans alone. Each op reports its CPU time (cpu-ms/op) beside the
// wall-clock time.
func BenchmarkRescan(b *testing.B) {
	n := 2000
	if v := os.Getenv("BOT_BENCH_RESCAN_FILES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("BOT_BENCH_RESCAN_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	corpusDir := filepath.Join(dir, "corpus")
	if _, err := os.Stat(filepath.Join(dir, "rescan.db")); err == nil {
		n = 0 // made by an earlier run: kept to profile the rescans alone
	}
	for i := range n {
		name := filepath.Join(corpusDir, fmt.Sprintf("d%03d", i/1000), fmt.Sprintf("a%06d.txt", i))
		if i%1000 == 0 {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		body := fmt.Sprintf("Headline number %d\n\nBody of article %d, written on day %d of the test.", i, i, i%365)
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "rescan.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	copies, err := NewCopies(db, dedup.Options{})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	in := &Ingester{Store: db}
	scanner := &Scanner{
		Sources: []Source{NewDirSource(corpusDir, db, in, corpus.Parser{Logger: log})},
		Engine:  &Engine{Store: db, Analyzer: noMatch{}, Copies: copies, Rules: &rules.Config{}, Clock: SystemClock{}, Log: log},
		Ingest:  in, Log: log,
	}
	if rep, err := scanner.Scan(ctx); err != nil || rep.New+rep.Dupes != n {
		b.Fatalf("first scan: %+v, %v", rep, err)
	}
	// next is the pass `bot run` makes on its schedule: the same source
	// as the pass before; first is the catch-up pass of a command (`bot
	// latest`), with a source of its own.
	b.Run("next", func(b *testing.B) {
		benchPasses(b, scanner, func() {})
	})
	b.Run("first", func(b *testing.B) {
		benchPasses(b, scanner, func() {
			scanner.Sources = []Source{NewDirSource(corpusDir, db, in, corpus.Parser{Logger: log})}
		})
	})
}

// benchPasses times scanner passes that find nothing, each after fresh.
func benchPasses(b *testing.B, scanner *Scanner, fresh func()) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu0, n := cpuTime(b), 0
	for b.Loop() {
		fresh()
		if rep, err := scanner.Scan(ctx); err != nil || rep.New+rep.Dupes+rep.Processed != 0 {
			b.Fatalf("rescan: %+v, %v", rep, err)
		}
		n++
	}
	// CPU time is the steadier figure on a shared machine.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(scanner.Sources[0].(*DirSource).LastStats().Unchanged), "files")
}

// cpuTime is the process's user and system time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
