package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunNoticesNewFilesWithoutTheSchedule: a running bot whose schedule
// would not scan again for an hour alerts on an article written into the
// corpus folder, in a folder made after it started too, because it watches
// the folder.
func TestRunNoticesNewFilesWithoutTheSchedule(t *testing.T) {
	t.Parallel()
	corpusDir := t.TempDir()
	bot := startBot(t, testEnv(t, map[string]string{"BOT_CORPUS_DIR": corpusDir, "BOT_SCAN_SCHEDULE": "@every 1h",
		"BOT_RULES": "testdata/console.yaml", "LOG_LEVEL": "debug"}))
	bot.errs.waitFor(t, "watching the corpus folder", 1)
	bot.errs.waitFor(t, "scan done", 1)
	seed := func(n string) []byte {
		t.Helper()
		matches, _ := filepath.Glob(filepath.Join("..", "..", "examples", "corpus", n+"_*.txt"))
		if len(matches) != 1 {
			t.Fatalf("seed %s not found", n)
		}
		data, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// Written in place, in a new folder.
	sub := filepath.Join(corpusDir, "2021", "07")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "000.txt"), seed("000"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := bot.out.waitFor(t, "== ALERT", 1)
	if !strings.Contains(out, "Qala-i-Naw") && !strings.Contains(out, "Badghis") {
		t.Errorf("alert not about the article written:\n%s", out)
	}
	// Written under a dot-name, then moved in, as a careful writer does.
	tmp := filepath.Join(corpusDir, ".003.txt.part")
	if err := os.WriteFile(tmp, seed("003"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(corpusDir, "003.txt")); err != nil {
		t.Fatal(err)
	}
	bot.out.waitFor(t, "↳ REPLY", 1)
	if n := strings.Count(bot.errs.String(), "msg=\"scan done\""); n < 3 {
		t.Errorf("%d scans, want the first and one per article written", n)
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, bot.errs.String())
	}
}
