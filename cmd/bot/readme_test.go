package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeConsoleAlert: `go run ./cmd/bot` on the repository's rules
// and sample articles prints the alert the README shows, line for line; an
// ellipsis in the README stands for text it leaves out.
func TestReadmeConsoleAlert(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	at := strings.Index(text, "prints one alert for the story")
	open := strings.Index(text[max(at, 0):], "```\n")
	if at < 0 || open < 0 {
		t.Fatal("README.md: no console alert after \"prints one alert for the story\"")
	}
	block := text[at+open+len("```\n"):]
	block = block[:strings.Index(block, "```")]
	want := strings.Split(strings.TrimRight(block, "\n"), "\n")

	bot := startBot(t, testEnv(t, map[string]string{"BOT_SCAN_SCHEDULE": "@every 1h"}))
	out := bot.out.waitFor(t, "   actions: ", 1)
	got := strings.Split(out[strings.Index(out, "== ALERT"):], "\n")
	if len(got) < len(want) {
		t.Fatalf("the console printed %d lines, the README shows %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		parts := strings.Split(w, "…")
		for j, p := range parts {
			parts[j] = regexp.QuoteMeta(p)
		}
		if !regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(got[i]) {
			t.Errorf("README line %d:\n  %s\nthe console prints:\n  %s", i+1, w, got[i])
		}
	}
}
