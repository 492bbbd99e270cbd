package slack

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

// pressLog is an action handler that records presses and answers as a
// mute would: the alert muted, or (for "Why?") a text.
type pressLog struct {
	mu      sync.Mutex
	presses []chat.Action
	seen    chan struct{}
}

func newPressLog() *pressLog { return &pressLog{seen: make(chan struct{}, 16)} }

func (p *pressLog) HandleAction(_ context.Context, a chat.Action) chat.ActionReply {
	p.mu.Lock()
	p.presses = append(p.presses, a)
	p.mu.Unlock()
	defer func() { p.seen <- struct{}{} }()
	if a.Data.Verb == chat.VerbWhy {
		return chat.ActionReply{Text: "Story #12: rule provincial-capital-assault <!channel>"}
	}
	m := mutedMsg()
	return chat.ActionReply{Text: "Muted story #12 here for 6h.", Alert: &m}
}

func (p *pressLog) all() []chat.Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]chat.Action(nil), p.presses...)
}

// postAlert posts the alert with buttons to the fake and returns its ts.
func postAlert(t *testing.T, srv *chattest.SlackServer) (*Transport, string) {
	t.Helper()
	tr := New(chattest.SlackBotToken, WithAPIURL(srv.URL()))
	ts, err := tr.Send(context.Background(), buttonsMsg())
	if err != nil {
		t.Fatalf("posting the alert with its buttons: %v", err)
	}
	return tr, ts
}

func TestInteractionMutesAndUpdatesTheAlert(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tr, ts := postAlert(t, srv)
	presses := newPressLog()
	ih, err := NewInteractionHandler(testSecret, tr, presses, WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ih.Close() })
	hs := httptest.NewServer(ih)
	t.Cleanup(hs.Close)
	ctx := waitCtx(t)

	in, err := srv.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: ts, ActionID: actionMuteStory,
		Option: "ms:Ab3dEf9hJk2L:6h", User: "U0ANALYST", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	code, body, err := chattest.SignedInteraction(in, testSecret, testNow).Post(ctx, hs.URL)
	if err != nil || code != http.StatusOK || body != "" {
		t.Fatalf("signed interaction: %d %q %v, want an empty 200", code, body, err)
	}
	if err := srv.WaitCalls(ctx, "chat.update", 1); err != nil {
		t.Fatal(err)
	}
	got := presses.all()
	want := chat.Action{Transport: "slack", Channel: "C0OPS", User: "U0ANALYST", UserName: "@alice", MessageID: ts,
		Data: chat.ActionData{Verb: chat.VerbMuteStory, Ref: "Ab3dEf9hJk2L", Arg: "6h"}}
	if len(got) != 1 || got[0] != want {
		t.Errorf("presses %+v, want %+v", got, want)
	}
	m, _ := srv.Message("C0OPS", ts)
	if m.Updates != 1 || !strings.Contains(string(m.Blocks), "Muted 6h by @alice") || !strings.Contains(string(m.Blocks), `"Undo"`) {
		t.Errorf("the alert after the press: %s", m.Blocks)
	}
	if posts := srv.HookPosts(in.Hook); len(posts) != 0 {
		t.Errorf("an updated alert needs no private answer: %+v", posts)
	}

	// "Why?" answers the presser alone, escaped.
	in, err = srv.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: ts, ActionID: actionWhy, User: "U0ANALYST", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, err := chattest.SignedInteraction(in, testSecret, testNow).Post(ctx, hs.URL); err != nil || code != http.StatusOK {
		t.Fatalf("why: %d %v", code, err)
	}
	posts, err := srv.WaitHookPosts(ctx, in.Hook, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p := posts[0]; p.ResponseType != "ephemeral" || p.ReplaceOriginal || !strings.Contains(p.Text, "&lt;!channel&gt;") {
		t.Errorf("answer to why: %+v", p)
	}
}

func TestInteractionRefusedUnlessSigned(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tr, ts := postAlert(t, srv)
	presses := newPressLog()
	ih, err := NewInteractionHandler(testSecret, tr, presses, WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ih.Close() })
	hs := httptest.NewServer(ih)
	t.Cleanup(hs.Close)
	ctx := waitCtx(t)
	in, err := srv.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: ts, ActionID: actionMuteStory,
		Option: "ms:Ab3dEf9hJk2L:1w", User: "U0MALLORY", UserName: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	good := chattest.SignedInteraction(in, testSecret, testNow)
	unsigned := good
	unsigned.Signature, unsigned.Timestamp = "", ""
	tampered := good
	tampered.Body = []byte(strings.Replace(string(good.Body), "1w", "1h", 1))
	for name, req := range map[string]chattest.SlackRequest{
		"forged":   chattest.SignedInteraction(in, "not-the-secret", testNow),
		"stale":    chattest.SignedInteraction(in, testSecret, testNow.Add(-6*time.Minute)),
		"future":   chattest.SignedInteraction(in, testSecret, testNow.Add(6*time.Minute)),
		"unsigned": unsigned,
		"tampered": tampered,
	} {
		if code, _, err := req.Post(ctx, hs.URL); err != nil || code != http.StatusUnauthorized {
			t.Errorf("%s interaction: %d %v, want 401", name, code, err)
		}
	}
	// A signed request that is not an interaction is refused too.
	notPayload := chattest.SlackRequest{Body: []byte("command=/latest")}
	notPayload.Timestamp = good.Timestamp
	notPayload.Signature = chattest.SignSlack(testSecret, good.Timestamp, notPayload.Body)
	if code, _, _ := notPayload.Post(ctx, hs.URL); code != http.StatusBadRequest {
		t.Errorf("signed form without a payload: %d, want 400", code)
	}
	// The genuine request is taken once; the same request again is a
	// replay, refused.
	if code, _, _ := good.Post(ctx, hs.URL); code != http.StatusOK {
		t.Fatalf("the genuine press: %d", code)
	}
	if code, _, _ := good.Post(ctx, hs.URL); code != http.StatusUnauthorized {
		t.Errorf("the press replayed: %d, want 401", code)
	}
	if err := ih.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := presses.all(); len(got) != 1 || got[0].User != "U0MALLORY" {
		t.Errorf("the handler got %+v; want the genuine press alone, once", got)
	}
	if n := len(srv.CallsTo("chat.update")); n != 1 {
		t.Errorf("%d updates of the alert, want the genuine press's alone", n)
	}
}

func TestSocketModeInteraction(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	_, ts := postAlert(t, srv)
	presses := newPressLog()
	var log commandLog
	stop := runSocket(t, srv, replyWith(&log, replyMsg()), WithActions(presses))
	ctx := waitCtx(t)
	in, err := srv.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: ts, ActionID: actionMuteScope,
		Option: "mr:Ab3dEf9hJk2L:1d", User: "U0ANALYST", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.SendInteractive(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ack.Payload) != 0 && string(ack.Payload) != "null" {
		t.Errorf("ack payload %s, want none", ack.Payload)
	}
	if err := srv.WaitCalls(ctx, "chat.update", 1); err != nil {
		t.Fatal(err)
	}
	if got := presses.all(); len(got) != 1 || got[0].Data.Verb != chat.VerbMuteScope || got[0].Data.Arg != "1d" || got[0].MessageID != ts {
		t.Errorf("presses %+v", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestActionsFromInteraction(t *testing.T) {
	raw := `{"type":"block_actions","user":{"id":"U1","username":"bob","name":"bob"},
"container":{"type":"message","message_ts":"1.2","channel_id":"C1"},"channel":{"id":"C1"},
"response_url":"https://hooks.example/x","actions":[
 {"type":"button","action_id":"ww_why","block_id":"b","value":"wy:Ref1"},
 {"type":"button","action_id":"other","block_id":"b","value":"approve"},
 {"type":"static_select","action_id":"ww_mute_story","block_id":"b","selected_option":{"text":{"type":"plain_text","text":"1 hour"},"value":"ms:Ref1:1h"}}]}`
	cb, err := ParseInteraction([]byte("payload=" + url.QueryEscape(raw)))
	if err != nil {
		t.Fatal(err)
	}
	acts := Actions(cb)
	if len(acts) != 2 || acts[0].Data.Verb != chat.VerbWhy || acts[1].Data.Arg != "1h" ||
		acts[0].Channel != "C1" || acts[0].MessageID != "1.2" || acts[0].UserName != "@bob" {
		t.Errorf("actions %+v", acts)
	}
	cb, err = ParseInteraction([]byte("payload=" + url.QueryEscape(`{"type":"view_submission"}`)))
	if err != nil || len(Actions(cb)) != 0 {
		t.Errorf("a view submission carries presses: %v", err)
	}
}

func TestOpenDirect(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tr := New(chattest.SlackBotToken, WithAPIURL(srv.URL()))
	ctx := waitCtx(t)
	ch, err := tr.OpenDirect(ctx, "U0ANALYST", "You follow story #12 <!channel>.")
	if err != nil || ch != srv.Direct("U0ANALYST") || ch == "" {
		t.Fatalf("OpenDirect: %q %v (fake opened %q)", ch, err, srv.Direct("U0ANALYST"))
	}
	if msgs := srv.Messages(ch); len(msgs) != 1 || msgs[0].Text != "You follow story #12 &lt;!channel&gt;." {
		t.Errorf("private note %+v", msgs)
	}
	srv.FailNext("conversations.open", 1, chattest.SlackFailure{Error: "missing_scope"})
	_, err = tr.OpenDirect(ctx, "U0OTHER", "x")
	var nd *chat.NoDirectError
	if !errors.As(err, &nd) || !strings.Contains(nd.Hint, "im:write") || strings.Contains(err.Error(), chattest.SlackBotToken) {
		t.Errorf("without im:write: %v", err)
	}
	srv.FailNext("conversations.open", 1, chattest.SlackFailure{Status: 500, Error: "boom"})
	if _, err := tr.OpenDirect(ctx, "U0OTHER", "x"); err == nil || errors.As(err, &nd) {
		t.Errorf("a server error: %v, want a plain error", err)
	}
}
