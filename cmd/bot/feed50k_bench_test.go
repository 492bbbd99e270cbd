package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// feed50kWords are the words the items of the 50,000-item feed are made of,
// so that no two items are alike.
var feed50kWords = strings.Fields(`convoy checkpoint governor police compound market bridge airport
	district commander militia refugees clinic school highway border garrison mosque bazaar council
	elders fuel water bread ammunition curfew shelling drone patrol ambush ceasefire talks envoy
	province village valley river ridge gate tower depot barracks hospital stadium prison court`)

// writeFeed50k writes an RSS file of 50,000 items (3.65 MB), each naming
// Badghis and four of the words above, and returns its size. The items
// carry no date, so they all take the file's time: one story.
func writeFeed50k(tb testing.TB, path string) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>` + "\n")
	n := len(feed50kWords)
	for i := range 50000 {
		fmt.Fprintf(w, "<item><title>Badghis %d: %s %s %s %s</title></item>\n", i,
			feed50kWords[i%n], feed50kWords[(i/n)%n], feed50kWords[(i/n/n)%n], feed50kWords[(i*7+3)%n])
	}
	w.WriteString("</channel></rss>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return st.Size()
}

// BenchmarkScanFeed50k is `bot scan` of one RSS file of 50,000 items
// (3.7 MB) that all match one rule and gather in one story, into a fresh
// SQLite file: the whole pipeline, parsing, storing, matching, copy
// detection, the story's alert and its pending reply gathering every
// report. It reports items per second of wall time.
func BenchmarkScanFeed50k(b *testing.B) {
	dir := b.TempDir()
	corpus := filepath.Join(dir, "corpus")
	if err := os.Mkdir(corpus, 0o755); err != nil {
		b.Fatal(err)
	}
	size := writeFeed50k(b, filepath.Join(corpus, "wire.rss"))
	rulesPath := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rulesPath, []byte(`channels:
  ops: { slack: C0OPS }
rules:
  - name: badghis
    keywords: { any: [badghis] }
    channels: [ops]
    group_by: rule
    update_interval: 1h
`), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	run := 0
	for b.Loop() {
		run++
		getenv := testEnv(b, map[string]string{
			"BOT_RULES": rulesPath, "BOT_CORPUS_DIR": corpus, "BOT_DB": filepath.Join(dir, fmt.Sprintf("bot%d.db", run)),
			"SLACK_BOT_TOKEN": chattest.SlackBotToken, "LOG_LEVEL": "warn",
		})
		var out, errb strings.Builder
		if code := Main(b.Context(), []string{"scan"}, getenv, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatalf("bot scan: exit %d\n%s", code, errb.String())
		}
		if run == 1 {
			lines := strings.SplitAfter(strings.TrimSpace(out.String()), "\n")
			b.Logf("file %d bytes; bot scan printed %d lines, the last:\n%s\n%s", size, len(lines), lines[len(lines)-1], errb.String())
		}
	}
	b.ReportMetric(float64(50000*b.N)/b.Elapsed().Seconds(), "items/s")
}
