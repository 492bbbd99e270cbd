package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // reads the store's file after the bots stopped

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// botArgsEnv, when set in a process running this test binary, makes it
// run Main with these arguments (space-separated) instead of the tests, so
// tests can start real bot processes.
const botArgsEnv = "WIREWATCH_TEST_BOT_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(botArgsEnv); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, strings.Fields(args), os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// process is a bot command run as a process of its own.
type process struct {
	cmd      *exec.Cmd
	out, err *watchedBuffer
}

// startProcess runs `bot args...` in a new process with env.
func startProcess(t *testing.T, env map[string]string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), botArgsEnv+"="+strings.Join(args, " "))
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd, out: newWatchedBuffer(), err: newWatchedBuffer()}
	cmd.Stdout, cmd.Stderr = p.out, p.err
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop asks the process to end (SIGTERM) and waits for it.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have ended
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second): // a hang, not a measure
		p.cmd.Process.Kill() //nolint:errcheck // giving up
		t.Errorf("%v did not stop; stderr:\n%s", p.cmd.Env[len(p.cmd.Env)-1], p.err.String())
	}
}

// runProcess runs `bot args...` to its end in a new process.
func runProcess(t *testing.T, env map[string]string, args ...string) (stdout, stderr string) {
	t.Helper()
	p := startProcess(t, env, args...)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("bot %s: %v; stderr:\n%s", strings.Join(args, " "), err, p.err.String())
	}
	return p.out.String(), p.err.String()
}

// oneWriterRules are eight rules, each matching the articles that carry
// its own code word, all grouped into one story per rule.
func oneWriterRules(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("channels:\n  ops: { slack: C0OPS }\nrules:\n")
	for r := range 8 {
		fmt.Fprintf(&b, "  - name: r%d\n    keywords: { any: [codeword%d] }\n    channels: [ops]\n    group_by: rule\n    update_interval: 1h\n", r, r)
	}
	b.WriteString("digests:\n  - name: daily\n    at: \"08:00\"\n    channels: [ops]\n")
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeArticle writes article n, of rule n%8, to dir.
func writeArticle(t *testing.T, dir string, n int) {
	t.Helper()
	text := fmt.Sprintf(" date 2021-07-08 Report %d: the codeword%d desk filed its dispatch number %d about the day's events.\n", n, n%8, n)
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%03d.txt", n)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// alertPosts returns the keys of the alerts posted to channel, from the
// outbox key each post carries in its metadata.
func alertPosts(t *testing.T, api *chattest.SlackServer, channel string) []string {
	t.Helper()
	var keys []string
	for _, m := range api.Messages(channel) {
		var meta struct {
			Payload map[string]string `json:"event_payload"`
		}
		if m.ThreadTS != "" || json.Unmarshal(m.Metadata, &meta) != nil {
			continue
		}
		if k := meta.Payload["key"]; strings.HasPrefix(k, "alert/") {
			keys = append(keys, k)
		}
	}
	return keys
}

// TestOneWriterPerSQLiteFile runs two `bot run` processes on one SQLite
// file, and `bot scan`, `bot latest` and `bot digest` processes beside
// them while articles keep arriving: one bot leads and scans, the other
// stands by (and delivers), the commands store and queue nothing the bots
// would, and every story is alerted exactly once at the fake Slack.
func TestOneWriterPerSQLiteFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dozen processes")
	}
	t.Parallel()
	api := chattest.NewSlackServer(t)
	corpus := t.TempDir()
	db := filepath.Join(t.TempDir(), "bot.db")
	env := map[string]string{
		"BOT_RULES": oneWriterRules(t), "BOT_CORPUS_DIR": corpus, "BOT_DB": db, "BOT_HTTP_ADDR": "127.0.0.1:0",
		"BOT_SCAN_SCHEDULE": "@every 1s", "LOG_LEVEL": "debug", // every send in the log if it fails
		"SLACK_BOT_TOKEN": chattest.SlackBotToken, "SLACK_API_URL": api.URL(),
	}
	for n := range 8 {
		writeArticle(t, corpus, n)
	}
	first := startProcess(t, env, "run")
	second := startProcess(t, env, "run")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang, not a measure
	defer cancel()
	if err := api.WaitCalls(ctx, "chat.postMessage", 1); err != nil {
		t.Fatalf("no post: %v\nfirst:\n%s\nsecond:\n%s", err, first.err.String(), second.err.String())
	}

	// Commands beside the running bots, while articles arrive.
	for round := range 4 {
		for n := 8 + round*8; n < 16+round*8; n++ {
			writeArticle(t, corpus, n)
		}
		_, stderr := runProcess(t, env, "scan")
		if !strings.Contains(stderr, "a bot is running on") || !strings.Contains(stderr, "nothing was stored or queued") {
			t.Errorf("bot scan beside bot run said:\n%s", stderr)
		}
		switch round {
		case 1:
			runProcess(t, env, "latest", "codeword3")
		case 2:
			runProcess(t, env, "digest", "daily")
		}
	}

	// Every story is alerted; then the bots stop.
	for len(alertPosts(t, api, "C0OPS")) < 8 {
		if err := api.WaitCalls(ctx, "chat.postMessage", len(api.CallsTo("chat.postMessage"))+1); err != nil {
			t.Fatalf("waiting for the alerts: %v; posted %v", err, alertPosts(t, api, "C0OPS"))
		}
	}
	standby := 0
	for _, p := range []*process{first, second} {
		waitForText(t, ctx, p.err, "wirewatch running")
		if strings.Contains(p.err.String(), "another replica leads; standing by") {
			standby++
		}
	}
	first.stop(t)
	second.stop(t)
	if standby != 1 {
		t.Errorf("%d of the two bots stood by, want 1:\nfirst:\n%s\nsecond:\n%s", standby, first.err.String(), second.err.String())
	}

	posts := alertPosts(t, api, "C0OPS")
	seen := map[string]bool{}
	for _, k := range posts {
		if seen[k] {
			t.Errorf("alert %s posted twice", k)
		}
		seen[k] = true
	}
	if len(posts) != 8 {
		t.Errorf("%d alerts posted, want one per rule (8): %v", len(posts), posts)
	}
	if t.Failed() {
		t.Logf("what the bots logged:\nfirst:\n%s\nsecond:\n%s", first.err.String(), second.err.String())
	}
	store, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var stories, alerts int
	if err := store.QueryRow(`SELECT count(*) FROM stories`).Scan(&stories); err != nil {
		t.Fatal(err)
	}
	if err := store.QueryRow(`SELECT count(*) FROM outbox WHERE kind = 'alert'`).Scan(&alerts); err != nil {
		t.Fatal(err)
	}
	if stories != 8 || alerts != 8 {
		t.Errorf("the store holds %d stories and %d alert rows; want 8 of each (one per rule)", stories, alerts)
	}
}

// waitForText waits until b holds s.
func waitForText(t *testing.T, ctx context.Context, b *watchedBuffer, s string) {
	t.Helper()
	for !strings.Contains(b.String(), s) {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %q in:\n%s", s, b.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
