package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

// "cocoa" is a word of the Reuters commodity stories and the name of
// Cocoa, Florida: /latest cocoa lists the stories with the word, labelled,
// besides any about the town, and never says "Nothing found".
func TestLatestCocoaListsTheReutersCocoaStories(t *testing.T) {
	t.Parallel()
	dir, ok := dataset.Dir("reuters21578")
	if !ok {
		t.Skip("Reuters-21578 not found (set WIREWATCH_DATA)")
	}
	stories, err := dataset.Reuters(dir)
	if err != nil {
		t.Fatal(err)
	}
	corpusDir := t.TempDir()
	f, err := os.Create(filepath.Join(corpusDir, "reuters.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	cocoa := 0
	when := time.Date(1987, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, s := range stories {
		has := strings.Contains(strings.ToLower(s.Title+" "+s.Body), "cocoa")
		if s.Body == "" || !has && i%40 != 0 { // the cocoa stories and a sample of the rest
			continue
		}
		if has {
			cocoa++
		}
		rec := map[string]string{"title": s.Title, "body": s.Body, "source": "Reuters",
			"published": when.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	getenv := testEnv(t, map[string]string{"BOT_CORPUS_DIR": corpusDir})
	code, out, errs := runMain(t, getenv, "latest", "cocoa", "-n", "10")
	if code != 0 {
		t.Fatalf("latest cocoa: exit %d: %s", code, errs)
	}
	if strings.Contains(out, "Nothing found") {
		t.Fatalf("latest cocoa found nothing among %d cocoa stories:\n%s", cocoa, out)
	}
	items := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "- ") && strings.Contains(strings.ToLower(l), "cocoa") {
			items++
		}
	}
	if items < 5 {
		t.Errorf("latest cocoa lists %d cocoa stories, want 5 or more:\n%s", items, out)
	}
	if !strings.Contains(out, "word") {
		t.Errorf("the word matches are not labelled:\n%s", out)
	}
	t.Logf("%s", out)
}
