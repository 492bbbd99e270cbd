package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// rulesWithFeed is the repository's rules.yaml with one feed at url.
func rulesWithFeed(t *testing.T, url string, private bool) string {
	t.Helper()
	data, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	feed := "feeds:\n  - name: desk\n    url: " + url + "\n"
	if private {
		feed += "    private_network: true\n"
	}
	text := strings.Replace(string(data), "feeds: []\n", feed, 1)
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScanFeedOnLoopbackNeedsOptIn runs `bot scan` with a feed on
// 127.0.0.1: refused, with what to do, unless rules.yaml says the feed is
// on a private network; then its items are read.
func TestScanFeedOnLoopbackNeedsOptIn(t *testing.T) {
	t.Parallel()
	rss, err := os.ReadFile("../../corpus/testdata/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rss) //nolint:errcheck // the bot reads what comes
	}))
	defer ts.Close()
	empty := t.TempDir()

	getenv := testEnv(t, map[string]string{"BOT_RULES": rulesWithFeed(t, ts.URL, false), "BOT_CORPUS_DIR": empty})
	_, out, errs := runMain(t, getenv, "scan")
	if hits.Load() != 0 || !strings.Contains(errs, "not a public address") || !strings.Contains(errs, "private_network: true") {
		t.Errorf("feed on 127.0.0.1 without private_network: %d requests; stdout %q; stderr %q", hits.Load(), out, errs)
	}

	getenv = testEnv(t, map[string]string{"BOT_RULES": rulesWithFeed(t, ts.URL, true), "BOT_CORPUS_DIR": empty})
	code, out, errs := runMain(t, getenv, "scan")
	if code != 0 || hits.Load() != 1 || strings.Contains(errs, "not a public address") {
		t.Fatalf("with private_network: exit %d, %d requests; stderr %q", code, hits.Load(), errs)
	}
	if !strings.Contains(out, "Afghan forces take back Qala-e-Naw") || !strings.Contains(out, "4 new documents") {
		t.Errorf("with private_network, the feed's items are not read:\n%s", out)
	}
}
