package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/internal/testutil"
)

// The leader failover between two replicas on one PostgreSQL schema is
// tested in package bot (TestLeaderFailoverOnPostgres), on a fake clock.

func TestScanAndLatestOnPostgres(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, map[string]string{"BOT_DB": testutil.PostgresURL(t)})
	code, out, errs := runMain(t, getenv, "scan")
	if code != 0 || !strings.Contains(out, "5 new documents, 0 duplicates, 5 matched a rule") {
		t.Fatalf("scan on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runMain(t, getenv, "latest", "qala-e-naw", "-n", "3")
	if code != 0 || strings.Count(out, "\n- ") != 3 || !strings.Contains(out, "Afghan forces take back") {
		t.Fatalf("latest on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	// A second scan finds nothing new: the file state lives in PostgreSQL.
	if code, out, _ := runMain(t, getenv, "scan"); code != 0 || !strings.Contains(out, "0 new documents") {
		t.Fatalf("second scan: %s", out)
	}
}

// TestMuteAcrossReplicasAndRestartOnPostgres mutes a story through the
// replica that does not lead: the leader's engine keeps the next report
// from the channel. A new process in place of that replica finds the mute
// and what it kept, and its Undo lets the leader post the next report.
func TestMuteAcrossReplicasAndRestartOnPostgres(t *testing.T) {
	t.Parallel()
	dsn := testutil.PostgresURL(t)
	api := chattest.NewSlackServer(t)
	corpus := t.TempDir()
	addSeed(t, corpus, "003")
	vars := map[string]string{"BOT_DB": dsn, "BOT_CORPUS_DIR": corpus}
	leader := startSlackBot(t, api, vars)
	alert := leader.waitMessages("C0OPS", 1)[0]
	standby := startSlackBot(t, api, vars)
	standby.errs.waitFor(t, `"msg":"another replica leads; standing by"`, 1)
	ref := regexp.MustCompile(`"ms:([A-Za-z0-9]+):6h"`).FindStringSubmatch(string(alert.Blocks))[1]
	if code := standby.press("C0OPS", alert.TS, "ww_mute_story", "ms:"+ref+":6h", "U0ALICE", time.Now()); code != 200 {
		t.Fatalf("press on the standby: %d", code)
	}
	if err := api.WaitCalls(standby.ctx, "chat.update", 1); err != nil {
		t.Fatal(err)
	}
	addSeed(t, corpus, "004")
	leader.errs.waitFor(t, `"msg":"report muted"`, 1)
	leader.waitMessages("C0DESK", 2) // the other channel is not muted
	if n := len(api.Messages("C0OPS")); n != 1 {
		t.Fatalf("%d messages in the muted channel, want the alert alone", n)
	}
	if standby.stop() != 0 {
		t.Fatal("the standby did not stop cleanly")
	}

	again := startSlackBot(t, api, vars)
	again.errs.waitFor(t, `"msg":"another replica leads; standing by"`, 1)
	if got := again.command("mutes", ""); !strings.Contains(got, "story #") || !strings.Contains(got, "by @alice") ||
		!strings.Contains(got, "1 report muted here") {
		t.Errorf("/mutes on the new process: %q", got)
	}
	if code := again.press("C0OPS", alert.TS, "ww_unmute", "", "U0BOB", time.Now()); code != 200 {
		t.Fatalf("undo on the new process: %d", code)
	}
	if err := api.WaitCalls(again.ctx, "chat.update", 2); err != nil {
		t.Fatal(err)
	}
	addSeed(t, corpus, "000")
	if reply := leader.waitMessages("C0OPS", 2)[1]; reply.ThreadTS != alert.TS {
		t.Errorf("the report after Undo: %+v", reply)
	}
}
