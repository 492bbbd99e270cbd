package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testEnv returns a getenv over vars, with the repository's rules and
// sample corpus and a fresh SQLite file unless vars says otherwise.
func testEnv(t testing.TB, vars map[string]string) func(string) string {
	t.Helper()
	base := map[string]string{
		"BOT_RULES":      "../../rules.yaml",
		"BOT_CORPUS_DIR": "../../examples/corpus",
		"BOT_DB":         filepath.Join(t.TempDir(), "bot.db"),
		"BOT_HTTP_ADDR":  "127.0.0.1:0",
		"LOG_LEVEL":      "warn",
	}
	for k, v := range vars {
		base[k] = v
	}
	return func(k string) string { return base[k] }
}

// runMain runs one command to completion.
func runMain(t *testing.T, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

type scanLine struct {
	ID           string    `json:"id"`
	Path         string    `json:"path"`
	Title        string    `json:"title"`
	Published    time.Time `json:"published"`
	DateFromFile bool      `json:"date_from_file"`
	Regions      []struct {
		Name, Level, Admin1, Country string
		Weight                       float64
	} `json:"regions"`
	Matches []struct {
		Rule     string   `json:"rule"`
		Keywords []string `json:"keywords"`
		Regions  []string `json:"regions"`
	} `json:"matches"`
	CopyOf   string   `json:"copy_of"`
	Story    int64    `json:"story"`
	Outlets  []string `json:"outlets"`
	Credits  []string `json:"credits"`
	Dateline *struct {
		Place      string
		Month, Day int
	} `json:"dateline"`
}

func TestScanDryRunJSONSeeds(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, nil)
	code, out, errs := runMain(t, getenv, "scan", "--dry-run", "--json", "../../examples/corpus")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var docs []scanLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var d scanLine
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		docs = append(docs, d)
	}
	if len(docs) != 5 {
		t.Fatalf("%d documents, want the five seeds", len(docs))
	}
	byNum := map[string]scanLine{}
	for i, d := range docs {
		num := filepath.Base(d.Path)[:3]
		if want := []string{"000", "001", "002", "003", "004"}[i]; num != want {
			t.Errorf("document %d is %s, want input order (%s)", i, num, want)
		}
		byNum[num] = d
		var admin1, country bool
		for _, r := range d.Regions {
			admin1 = admin1 || r.Level == "admin1" && r.Name == "Badghis" && r.Admin1 == "AF.02"
			country = country || r.Level == "country" && r.Country == "AF"
		}
		if !admin1 || !country {
			t.Errorf("%s: regions %+v lack Badghis (admin1) or AF", num, d.Regions)
		}
		for j := 1; j < len(d.Regions); j++ {
			if d.Regions[j].Weight > d.Regions[j-1].Weight {
				t.Errorf("%s: regions not heaviest first: %+v", num, d.Regions)
				break
			}
		}
		for _, r := range d.Regions {
			if r.Level == "country" && r.Country == "AF" && r.Name != "Afghanistan" {
				t.Errorf("%s: country AF named %q", num, r.Name)
			}
		}
		if len(d.Matches) == 0 || d.Story == 0 {
			t.Errorf("%s: no rule match or story", num)
		}
	}
	if got := byNum["002"].Title; got != "Afghan forces take back provincial capital Qala-e-Naw after Taliban assault" {
		t.Errorf("002 title %q", got)
	}
	for num, day := range map[string]int{"000": 8, "001": 8, "002": 8, "003": 7, "004": 7} {
		d := byNum[num]
		if y, m, dd := d.Published.Date(); y != 2021 || m != time.July || dd != day {
			t.Errorf("%s dated %s, want 2021-07-%02d", num, d.Published, day)
		}
		if d.DateFromFile != (num == "002") {
			t.Errorf("%s date_from_file = %v", num, d.DateFromFile)
		}
	}
	for num, want := range map[string]string{"003": "Islam Times", "004": "UrduPoint / Pakistan Point News"} {
		if got := byNum[num].Outlets; len(got) != 1 || got[0] != want {
			t.Errorf("%s outlets %q, want %q", num, got, want)
		}
	}
	if !slices.Contains(byNum["001"].Credits, "AFP") {
		t.Errorf("001 credits %q, want AFP", byNum["001"].Credits)
	}
	for num, day := range map[string]int{"001": 8, "004": 7} {
		if dl := byNum[num].Dateline; dl == nil || dl.Place != "Herat" || dl.Month != 7 || dl.Day != day {
			t.Errorf("%s dateline %+v, want Herat, July %d", num, dl, day)
		}
	}
	if byNum["001"].CopyOf != byNum["000"].ID {
		t.Errorf("001 copy_of %q, want 000 (%s)", byNum["001"].CopyOf, byNum["000"].ID)
	}
	story := byNum["003"].Story
	for num, d := range byNum {
		if d.Story != story {
			t.Errorf("%s in story %d, want %d", num, d.Story, story)
		}
		if num != "001" && d.CopyOf != "" {
			t.Errorf("%s marked a copy", num)
		}
	}
	// Dry run: nothing written.
	if _, err := os.Stat(getenv("BOT_DB")); !os.IsNotExist(err) {
		t.Errorf("dry run created %s", getenv("BOT_DB"))
	}
}

func TestLatestAnySpellingNewestFirst(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, nil)
	var first []string
	for _, q := range []string{"badghis", "qala-e-naw", "Qala-i-Naw", "badghes"} {
		code, out, errs := runMain(t, getenv, "latest", q)
		if code != 0 {
			t.Fatalf("latest %s: exit %d: %s", q, code, errs)
		}
		var items []string
		var dates []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "- ") {
				items = append(items, l)
				dates = append(dates, strings.Fields(l)[1])
			}
		}
		if len(items) != 5 {
			t.Fatalf("latest %s: %d items:\n%s", q, len(items), out)
		}
		for i := 1; i < len(dates); i++ {
			if dates[i] > dates[i-1] {
				t.Errorf("latest %s not newest first: %v", q, dates)
			}
		}
		if first == nil {
			first = items
		} else if strings.Join(items, "\n") != strings.Join(first, "\n") {
			t.Errorf("latest %s differs from latest badghis:\n%s", q, strings.Join(items, "\n"))
		}
	}
	if !strings.Contains(first[0], "Afghan forces take back") {
		t.Errorf("newest is %q, want 002 (8 July, afternoon)", first[0])
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	code, out, _ := runMain(t, testEnv(t, nil), "check")
	if code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check of the default rules.yaml: exit %d: %s", code, out)
	}
	code, out, _ = runMain(t, testEnv(t, nil), "check", "--rules", "testdata/misspelt.yaml")
	if code != 1 || !strings.HasPrefix(out, "testdata/misspelt.yaml:5:5: ") || !strings.Contains(out, "keywrods") {
		t.Fatalf("check of a misspelt field: exit %d, output %q", code, out)
	}
	code, _, errs := runMain(t, testEnv(t, nil), "check", "--rules", "testdata/nonexistent.yaml")
	if code != 1 || !strings.Contains(errs, "nonexistent.yaml") {
		t.Fatalf("check of a missing file: exit %d: %s", code, errs)
	}
	if code, _, _ := runMain(t, testEnv(t, nil), "frobnicate"); code != 2 {
		t.Fatalf("unknown command: exit %d", code)
	}
}

// running is a bot started with Main in the background.
type running struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan int
	stdin  *io.PipeWriter
	out    *watchedBuffer
	errs   *watchedBuffer
}

// watchedBuffer is a concurrency-safe buffer whose readers can wait for text.
type watchedBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newWatchedBuffer() *watchedBuffer { return &watchedBuffer{changed: make(chan struct{})} }

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return n, err
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitFor blocks until the buffer holds s (counted n times), or fails the
// test after a generous deadline.
func (w *watchedBuffer) waitFor(t *testing.T, s string, n int) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		w.mu.Lock()
		text, ch := w.b.String(), w.changed
		w.mu.Unlock()
		if strings.Count(text, s) >= n {
			return text
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("gave up waiting for %d× %q; output so far:\n%s", n, s, text)
		}
	}
}

func startBot(t *testing.T, getenv func(string) string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{t: t, cancel: cancel, done: make(chan int, 1), stdin: pw, out: newWatchedBuffer(), errs: newWatchedBuffer()}
	go func() { r.done <- Main(ctx, []string{"run"}, getenv, pr, r.out, r.errs) }()
	t.Cleanup(func() { r.stop() })
	return r
}

func (r *running) send(line string) {
	r.t.Helper()
	if _, err := io.WriteString(r.stdin, line+"\n"); err != nil {
		r.t.Fatal(err)
	}
}

// stop cancels the bot and waits for it; it returns the exit code.
func (r *running) stop() int {
	r.cancel()
	r.stdin.Close()
	select {
	case c := <-r.done:
		r.done <- c
		return c
	case <-time.After(30 * time.Second):
		r.t.Fatalf("bot did not stop; stderr:\n%s", r.errs.String())
		return -1
	}
}

// httpAddr reads the listening address from the bot's JSON log.
func (r *running) httpAddr() string {
	r.t.Helper()
	r.errs.waitFor(r.t, `"msg":"wirewatch running"`, 1)
	sc := bufio.NewScanner(strings.NewReader(r.errs.String()))
	for sc.Scan() {
		var l struct {
			Msg  string `json:"msg"`
			HTTP string `json:"http"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "wirewatch running" {
			return l.HTTP
		}
	}
	r.t.Fatal("no listening address logged")
	return ""
}

func TestRunConsoleSeedsThenRestart(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "bot.db")
	getenv := testEnv(t, map[string]string{"BOT_DB": db, "BOT_SCAN_SCHEDULE": "@every 1h", "BOT_RULES": "testdata/console.yaml", "LOG_LEVEL": "debug"})
	bot := startBot(t, getenv)
	// The copy 001 of 000 makes an edit row; it is sent (logged) but, when
	// the reply it edits already shows the raised count, not printed.
	bot.errs.waitFor(t, `kind=edit transport=console channel=console remote_id`, 1)
	bot.out.waitFor(t, "↳ REPLY", 1)
	bot.send("/latest badghis")
	out := bot.out.waitFor(t, "Latest on Badghis", 1)
	if n := strings.Count(out, "== ALERT"); n != 1 {
		t.Errorf("%d alerts, want exactly 1:\n%s", n, out)
	}
	if n := strings.Count(out, "↳ REPLY"); n < 1 || n > 2 {
		t.Errorf("%d replies, want 1 or 2", n)
	}
	if n := strings.Count(out, "✎ EDIT"); n > 1 {
		t.Errorf("%d edits printed, want at most 1", n)
	}
	if strings.Count(out, "✎ EDIT") == 1 && strings.Count(out, "↳ REPLY") == 1 {
		t.Errorf("an edit printed that changes nothing:\n%s", out)
	}
	alert := out[strings.Index(out, "== ALERT"):]
	if !strings.Contains(strings.SplitN(alert, "\n", 3)[1], "2021-07-07  The Taliban launched its first") {
		t.Errorf("the alert is not the earliest report (003):\n%s", alert)
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, bot.errs.String())
	}

	sent := strings.Count(bot.errs.String(), "msg=delivered")

	// A restart on the same store prints nothing new: once its first scan
	// is done, nothing waits in the outbox.
	restart := testEnv(t, map[string]string{"BOT_DB": db, "BOT_SCAN_SCHEDULE": "@every 1h", "BOT_RULES": "testdata/console.yaml", "LOG_LEVEL": "debug"})
	again := startBot(t, restart)
	again.errs.waitFor(t, "scan done", 1)
	again.send("/status")
	out = again.out.waitFor(t, "Outbox:", 1)
	if strings.Contains(out, "ALERT") || strings.Contains(out, "REPLY") || strings.Contains(out, "EDIT") {
		t.Errorf("restart printed again:\n%s", out)
	}
	if want := fmt.Sprintf("Outbox: 0 pending, 0 sending, %d sent, 0 dead.", sent); !strings.Contains(out, want) {
		t.Errorf("status after restart, want %q:\n%s", want, out)
	}
	if !strings.Contains(out, "Last scan") {
		t.Errorf("status does not show the restart's scan:\n%s", out)
	}
}

func TestScanThenRunDeliversAndJSONListsEverything(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, map[string]string{"BOT_RULES": "testdata/console.yaml", "BOT_SCAN_SCHEDULE": "@every 1h"})
	// The first pass reads the corpus; the second names it, so every file
	// is read again though every document was processed before.
	for i, args := range [][]string{{"scan", "--json"}, {"scan", "--json", "../../examples/corpus"}} {
		code, out, errs := runMain(t, getenv, args...)
		if code != 0 || strings.Count(out, "\n") != 5 {
			t.Fatalf("scan --json run %d: exit %d, %d lines (want every document each time)\n%s", i+1, code, strings.Count(out, "\n"), errs)
		}
		if !strings.Contains(out, `"copy_of":"`) || !strings.Contains(out, `"story":`) {
			t.Fatalf("run %d lacks copy_of or story:\n%s", i+1, out)
		}
	}
	// What the command-line scan queued, `run` delivers.
	bot := startBot(t, getenv)
	bot.out.waitFor(t, "== ALERT", 1)
}

func TestDigestCommand(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, nil)
	code, out, errs := runMain(t, getenv, "digest", "--dry-run")
	if code != 0 || !strings.Contains(out, "== DIGEST") || !strings.Contains(out, "afghanistan-daily") {
		t.Fatalf("digest --dry-run: exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, "queued") {
		t.Errorf("a dry run queued the digest:\n%s", out)
	}
	// For real: the corpus is scanned first, so the story is in it, and it
	// is queued for the digest's channel.
	code, out, errs = runMain(t, getenv, "digest", "afghanistan-daily")
	if code != 0 || !strings.Contains(out, "Islam Times") || !strings.Contains(out, "queued for 1 channel;") {
		t.Fatalf("digest: exit %d\n%s\n%s", code, out, errs)
	}
	// The digest names the outlets the articles credit themselves to and
	// the story's region with its country's name.
	for _, want := range []string{"from Islam Times, UrduPoint / Pakistan Point News", "Badghis, Afghanistan]"} {
		if !strings.Contains(out, want) {
			t.Errorf("digest lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runMain(t, getenv, "digest", "no-such-digest"); code == 0 || !strings.Contains(errs, "no-such-digest") {
		t.Fatalf("unknown digest: exit %d: %s", code, errs)
	}
}
