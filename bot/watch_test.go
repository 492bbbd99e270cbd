package bot

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// TestCorpusWatchSeesFilesInNewFolders: a folder made after the watch
// started is watched too, and a file written into it is reported.
func TestCorpusWatchSeesFilesInNewFolders(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	w := &CorpusWatch{Root: dir, Quiet: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	ctx, cancel := context.WithCancel(context.Background())
	changed := make(chan struct{}, 16)
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, func() { changed <- struct{}{} }) }()
	waitLog(t, &logs, "watching the corpus folder")
	sub := filepath.Join(dir, "2021", "07")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	wait := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(20 * time.Second):
			t.Fatalf("no change reported after %s; log:\n%s", what, logs.String())
		}
	}
	wait("making a folder")
	// The new folder is watched once reported: a file written into it is
	// reported too.
	if err := os.WriteFile(filepath.Join(sub, "a.txt"), []byte("Headline\n\nBody."), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("writing a file in the new folder")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestCorpusWatchFailsOverToTheSchedule: a folder that cannot be watched
// is said once in the log, and Run returns without error, so the bot goes
// on with the schedule.
func TestCorpusWatchFailsOverToTheSchedule(t *testing.T) {
	var logs syncBuffer
	w := &CorpusWatch{Root: filepath.Join(t.TempDir(), "missing"), Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := w.Run(context.Background(), func() { t.Error("changed called") }); err != nil {
		t.Errorf("Run: %v", err)
	}
	if n := strings.Count(logs.String(), "new files are found by the scan schedule"); n != 1 {
		t.Errorf("%d log lines about the schedule, want 1:\n%s", n, logs.String())
	}
}

func waitLog(t *testing.T, logs *syncBuffer, s string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(logs.String(), s); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log:\n%s", s, logs.String())
		}
	}
}

// TestCorpusWatchRelevant: only files a scan reads start one; a database
// kept in the corpus folder, or a file written under a dot-name, does not.
func TestCorpusWatchRelevant(t *testing.T) {
	dir := t.TempDir()
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		t.Skipf("no file watch here: %v", err)
	}
	defer fw.Close()
	w := &CorpusWatch{Root: dir, Log: slog.New(slog.DiscardHandler)}
	for name, want := range map[string]bool{"a.txt": true, "b.jsonl": true, "feed.xml": true,
		"bot.db": false, "bot.db-wal": false, ".a.txt.part": false} {
		ev := fsnotify.Event{Name: filepath.Join(dir, name), Op: fsnotify.Write}
		if got := w.relevant(fw, ev); got != want {
			t.Errorf("a write to %s starts a scan: %v, want %v", name, got, want)
		}
	}
	if w.relevant(fw, fsnotify.Event{Name: filepath.Join(dir, "a.txt"), Op: fsnotify.Chmod}) {
		t.Error("a change of mode starts a scan")
	}
}
