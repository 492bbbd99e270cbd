package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

// runSocket starts RunSocketMode against a fake Slack and returns a stop
// function that cancels it and returns its result.
func runSocket(t *testing.T, srv *chattest.SlackServer, h chat.Handler, opts ...CommandOption) func() error {
	t.Helper()
	tr := New(chattest.SlackBotToken, WithAPIURL(srv.URL()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.RunSocketMode(ctx, chattest.SlackAppToken, h, opts...) }()
	stopped := false
	var result error
	stop := func() error {
		if !stopped {
			cancel()
			result, stopped = <-done, true
		}
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func slashCommand(responseURL string) slackgo.SlashCommand {
	return slackgo.SlashCommand{
		Token: "legacy-verification-token", TeamID: "T0CHATTEST", ChannelID: "C0OPS", ChannelName: "ops",
		UserID: "U0ANALYST", UserName: "analyst", Command: "/latest", Text: "qala-e-naw",
		ResponseURL: responseURL, TriggerID: "13345224609.738474920", APIAppID: "A0CHATTEST",
	}
}

func decodeAck(t *testing.T, ack chattest.SlackAck) chattest.SlackHookPost {
	t.Helper()
	var p chattest.SlackHookPost
	if err := json.Unmarshal(ack.Payload, &p); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	return p
}

func TestSocketModeRepliesInAck(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	var log commandLog
	stop := runSocket(t, srv, replyWith(&log, replyMsg()), WithDeadline(time.Minute))
	ctx := waitCtx(t)
	id, err := srv.SendSlashCommand(ctx, slashCommand(srv.ResponseURL("sock")))
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p := decodeAck(t, ack)
	if p.ResponseType != "ephemeral" || !strings.Contains(string(p.Blocks), "Afghan forces take back") {
		t.Errorf("ack payload %+v", p)
	}
	want := chat.Command{Transport: "slack", Channel: "C0OPS", User: "U0ANALYST", Name: "latest", Args: "qala-e-naw"}
	if cmds := log.all(); len(cmds) != 1 || cmds[0] != want {
		t.Errorf("commands %+v, want %+v", cmds, want)
	}
	if err := stop(); err != nil {
		t.Errorf("RunSocketMode = %v, want nil after cancel", err)
	}
	if err := srv.WaitSocketsClosed(ctx); err != nil {
		t.Error(err)
	}
	if calls := srv.CallsTo("apps.connections.open"); len(calls) != 1 || calls[0].Token != chattest.SlackAppToken {
		t.Errorf("apps.connections.open calls %+v, want one with the app token", calls)
	}
}

func TestSocketModeSlowReplyGoesToResponseURL(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	b := newBlockedHandler()
	stop := runSocket(t, srv, b, WithDeadline(time.Millisecond))
	ctx := waitCtx(t)
	id, err := srv.SendSlashCommand(ctx, slashCommand(srv.ResponseURL("slow")))
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p := decodeAck(t, ack); p.Text != workingText || p.ResponseType != "ephemeral" {
		t.Errorf("ack %+v, want an ephemeral %q", p, workingText)
	}
	close(b.release)
	posts, err := srv.WaitHookPosts(ctx, "slow", 1)
	if err != nil {
		t.Fatal(err)
	}
	if posts[0].ResponseType != "in_channel" || !strings.Contains(string(posts[0].Blocks), "Afghan forces take back") {
		t.Errorf("late reply %+v", posts[0])
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
}

func TestSocketModeLargeReplyGoesToResponseURL(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	items := manyItems(49)
	for i := range items {
		items[i].Lead = strings.Repeat("Fierce fighting in Qala-i-Naw. ", 15)
	}
	big := chat.Message{Kind: chat.KindReply, Text: "Latest:", Items: items}
	runSocket(t, srv, replyWith(&commandLog{}, big), WithDeadline(time.Minute))
	ctx := waitCtx(t)
	id, err := srv.SendSlashCommand(ctx, slashCommand(srv.ResponseURL("big")))
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p := decodeAck(t, ack); p.Text != workingText {
		t.Errorf("ack %+v, want %q: Slack drops acks of 20 KB", p, workingText)
	}
	posts, err := srv.WaitHookPosts(ctx, "big", 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(posts[0].Blocks), `"section"`); n != 50 {
		t.Errorf("posted reply has %d sections, want 50", n)
	}
}

// TestSocketModeStopsPromptly cancels while a handler is still working and
// checks that RunSocketMode cancels it and returns only after it returned.
func TestSocketModeStopsPromptly(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	started, cancelled, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	// finished is a plain bool on purpose: under -race, reading it after
	// RunSocketMode returned is a data race unless RunSocketMode waited.
	finished := false
	h := chat.HandlerFunc(func(ctx context.Context, _ chat.Command) chat.Message {
		close(started)
		<-ctx.Done()
		close(cancelled)
		<-release
		finished = true
		return chat.Message{Text: "too late"}
	})
	stop := runSocket(t, srv, h, WithDeadline(time.Minute))
	if _, err := srv.SendSlashCommand(waitCtx(t), slashCommand(srv.ResponseURL("stop"))); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	<-cancelled
	select {
	case err := <-stopped:
		t.Fatalf("RunSocketMode returned %v while its handler was still running", err)
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("RunSocketMode = %v", err)
	}
	if !finished {
		t.Error("RunSocketMode returned before its handler did")
	}
}

func TestSocketModeRefusedToken(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tr := New(chattest.SlackBotToken, WithAPIURL(srv.URL()))
	const wrong = "xapp-1-A0CHATTEST-9999-wrongapptoken"
	err := tr.RunSocketMode(waitCtx(t), wrong, replyWith(&commandLog{}, chat.Message{}))
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("RunSocketMode = %v, want invalid_auth", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), chattest.SlackBotToken) {
		t.Errorf("token leaked: %v", err)
	}
}

func TestSocketModeNeedsAppToken(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tr := New(chattest.SlackBotToken, WithAPIURL(srv.URL()))
	if err := tr.RunSocketMode(waitCtx(t), chattest.SlackBotToken, replyWith(&commandLog{}, chat.Message{})); err == nil {
		t.Error("a bot token was accepted as an app-level token")
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d API calls, want none", n)
	}
}
