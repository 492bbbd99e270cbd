package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

// newTestTransport returns a Transport talking to a fresh fake Slack API,
// given without its final "/" to check that New adds it.
func newTestTransport(t *testing.T, opts ...Option) (*Transport, *chattest.SlackServer) {
	t.Helper()
	srv := chattest.NewSlackServer(t)
	opts = append([]Option{WithAPIURL(strings.TrimSuffix(srv.URL(), "/"))}, opts...)
	return New(chattest.SlackBotToken, opts...), srv
}

func TestNewNormalisesAPIURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "https://slack.com/api/"},
		{"http://127.0.0.1:9/api", "http://127.0.0.1:9/api/"},
		{"http://127.0.0.1:9/api/", "http://127.0.0.1:9/api/"},
		{" http://proxy.internal/slack// ", "http://proxy.internal/slack/"},
	}
	for _, tt := range tests {
		if got := New("xoxb-x", WithAPIURL(tt.in)).apiURL; got != tt.want {
			t.Errorf("WithAPIURL(%q): base %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSendAlert(t *testing.T) {
	tr, srv := newTestTransport(t)
	ts, err := tr.Send(context.Background(), alertMsg())
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages("C0OPS")
	if len(msgs) != 1 || msgs[0].TS != ts || msgs[0].ThreadTS != "" {
		t.Fatalf("messages %+v, want one unthreaded with ts %q", msgs, ts)
	}
	want := render(alertMsg())[0]
	if msgs[0].Text != want.Text {
		t.Errorf("text %q, want %q", msgs[0].Text, want.Text)
	}
	assertSameJSON(t, msgs[0].Blocks, want.Blocks)
	call := srv.CallsTo("chat.postMessage")[0]
	if call.Token != chattest.SlackBotToken || call.Params.Get("unfurl_links") != "false" {
		t.Errorf("call token %q, unfurl_links %q", call.Token, call.Params.Get("unfurl_links"))
	}
}

func TestSendUpdateInThread(t *testing.T) {
	tr, srv := newTestTransport(t)
	ctx := context.Background()
	alertTS, err := tr.Send(ctx, alertMsg())
	if err != nil {
		t.Fatal(err)
	}
	up := updateMsg()
	up.ThreadID = alertTS
	ts, err := tr.Send(ctx, up)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := srv.Message("C0OPS", ts)
	if !ok || ts == alertTS || m.ThreadTS != alertTS {
		t.Fatalf("update %+v (ts %q), want a reply in thread %q", m, ts, alertTS)
	}
	if !strings.Contains(string(m.Blocks), "Afghan forces take back provincial capital") {
		t.Errorf("update blocks lack the item: %s", m.Blocks)
	}
}

func TestSendEdit(t *testing.T) {
	tr, srv := newTestTransport(t)
	ctx := context.Background()
	alertTS, err := tr.Send(ctx, alertMsg())
	if err != nil {
		t.Fatal(err)
	}
	edit := editMsg()
	edit.ThreadID = alertTS
	ts, err := tr.Send(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	if ts != alertTS {
		t.Errorf("edit returned %q, want the alert's ts %q", ts, alertTS)
	}
	msgs := srv.Messages("C0OPS")
	if len(msgs) != 1 || msgs[0].Updates != 1 {
		t.Fatalf("messages %+v, want the one alert, updated once", msgs)
	}
	assertSameJSON(t, msgs[0].Blocks, render(edit)[0].Blocks)
	if !strings.Contains(string(msgs[0].Blocks), "AFP, Malay Mail") || !strings.Contains(msgs[0].Text, "2 sources") {
		t.Errorf("edited alert does not show the new sources: %s / %q", msgs[0].Blocks, msgs[0].Text)
	}
	if n := len(srv.CallsTo("chat.update")); n != 1 {
		t.Errorf("%d chat.update calls, want 1", n)
	}
}

func TestSendRateLimitedThenSuccess(t *testing.T) {
	tr, srv := newTestTransport(t)
	srv.RateLimit("chat.postMessage", 1, 30*time.Second)
	ctx := context.Background()
	_, err := tr.Send(ctx, alertMsg())
	if err == nil {
		t.Fatal("rate-limited send succeeded")
	}
	if after, ok := chat.RetryAfterOf(err); !ok || after != 30*time.Second {
		t.Errorf("RetryAfterOf = %v, %v; want 30s", after, ok)
	}
	if chat.IsPermanent(err) {
		t.Error("rate limit marked permanent")
	}
	if n := len(srv.Messages("C0OPS")); n != 0 {
		t.Fatalf("%d messages after a 429", n)
	}
	if _, err := tr.Send(ctx, alertMsg()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := len(srv.CallsTo("chat.postMessage")); n != 2 {
		t.Errorf("%d calls, want 2: the transport must not retry by itself", n)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		fail      chattest.SlackFailure
		permanent bool
		hint      string
	}{
		{"not in channel", chattest.SlackFailure{Error: "not_in_channel"}, true, "/invite @wirewatch"},
		{"channel not found", chattest.SlackFailure{Error: "channel_not_found"}, true, "rules.yaml"},
		{"archived", chattest.SlackFailure{Error: "is_archived"}, true, "archived"},
		{"invalid auth", chattest.SlackFailure{Error: "invalid_auth"}, true, "SLACK_BOT_TOKEN"},
		{"inactive", chattest.SlackFailure{Error: "account_inactive"}, true, "reinstall"},
		{"revoked", chattest.SlackFailure{Error: "token_revoked"}, true, "reinstall"},
		{"missing scope", chattest.SlackFailure{Error: "missing_scope"}, true, "chat:write"},
		{"too long", chattest.SlackFailure{Error: "msg_too_long"}, true, "report"},
		{"no text", chattest.SlackFailure{Error: "no_text"}, true, "empty"},
		{"invalid blocks", chattest.SlackFailure{Error: "invalid_blocks"}, true, "layout"},
		{"unknown code", chattest.SlackFailure{Error: "brand_new_error"}, true, "chat.postMessage#errors"},
		{"internal error code", chattest.SlackFailure{Error: "internal_error"}, false, ""},
		{"server error", chattest.SlackFailure{Status: http.StatusInternalServerError, Error: "boom"}, false, ""},
		{"unavailable", chattest.SlackFailure{Status: http.StatusServiceUnavailable, Error: "down"}, false, ""},
		{"wrong api url", chattest.SlackFailure{Status: http.StatusNotFound, Error: "nope"}, true, "SLACK_API_URL"},
		{"proxy refuses", chattest.SlackFailure{Status: http.StatusForbidden, Error: "nope"}, true, "SLACK_BOT_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, srv := newTestTransport(t)
			srv.FailNext("chat.postMessage", 1, tt.fail)
			ts, err := tr.Send(context.Background(), alertMsg())
			if err == nil || ts != "" {
				t.Fatalf("Send = %q, %v; want an error", ts, err)
			}
			if chat.IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v (%v)", !tt.permanent, tt.permanent, err)
			}
			if _, ok := chat.RetryAfterOf(err); ok {
				t.Errorf("RetryAfter set on %v", err)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("error %q lacks hint %q", err, tt.hint)
			}
		})
	}
}

func TestSendNetworkErrorIsTransient(t *testing.T) {
	tr, srv := newTestTransport(t)
	srv.Close()
	_, err := tr.Send(context.Background(), alertMsg())
	if err == nil || chat.IsPermanent(err) {
		t.Fatalf("Send to a closed server = %v, want a transient error", err)
	}
}

// TestTokenNeverLeaks makes the fake echo the bot token into its errors and
// checks that neither returned errors nor log lines carry it.
func TestTokenNeverLeaks(t *testing.T) {
	token := chattest.SlackBotToken
	tests := []struct {
		name  string
		setup func(*chattest.SlackServer)
		msg   chat.Message
	}{
		{"api error", func(s *chattest.SlackServer) {
			s.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "invalid_auth", EchoToken: true})
		}, alertMsg()},
		{"unknown api error", func(s *chattest.SlackServer) {
			s.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "weird", EchoToken: true})
		}, alertMsg()},
		{"server error", func(s *chattest.SlackServer) {
			s.FailNext("chat.postMessage", 1, chattest.SlackFailure{Status: 502, Error: "bad gateway", EchoToken: true})
		}, alertMsg()},
		{"edit error", func(s *chattest.SlackServer) {
			s.FailNext("chat.update", 1, chattest.SlackFailure{Error: "cant_update_message", EchoToken: true})
		}, editMsg()},
		{"history lookup error", func(s *chattest.SlackServer) {
			s.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "invalid_auth", EchoToken: true})
		}, chat.Message{Kind: chat.KindDigest, Channel: "C0OPS", Items: manyItems(80)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			tr, srv := newTestTransport(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if tt.msg.Kind == chat.KindEdit {
				ts, err := tr.Send(context.Background(), alertMsg())
				if err != nil {
					t.Fatal(err)
				}
				tt.msg.ThreadID = ts
			}
			tt.setup(srv)
			_, err := tr.Send(context.Background(), tt.msg)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			echoed := false
			for _, c := range srv.Calls() {
				echoed = echoed || strings.Contains(c.Error, token)
			}
			if !echoed {
				t.Fatal("the fake did not echo the token: the test proves nothing")
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v %q", err, err, err.Error(), err), logs.String()} {
				if strings.Contains(s, token) {
					t.Errorf("token leaked: %s", s)
				}
			}
		})
	}
}

func TestSendHostileTextIsEscaped(t *testing.T) {
	tr, srv := newTestTransport(t)
	if _, err := tr.Send(context.Background(), hostileMsg()); err != nil {
		t.Fatal(err)
	}
	call := srv.CallsTo("chat.postMessage")[0]
	blocks, err := call.Blocks()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(blocks)
	texts := append(blockTexts(t, mustBlocks(t, raw)), call.Params.Get("text"))
	for _, s := range texts {
		for _, bad := range []string{"<!", "<@", "<#", "<tel:", "<https://evil"} {
			if strings.Contains(s, bad) {
				t.Errorf("Slack received %q containing %q", s, bad)
			}
		}
	}
	if !strings.Contains(call.Params.Get("text"), "&lt;!channel&gt;") {
		t.Errorf("fallback text %q does not show the escaped mention", call.Params.Get("text"))
	}
}

// sendParts posts every part of m as the delivery loop does: the first,
// then the later ones under it.
func sendParts(t *testing.T, tr *Transport, m chat.Message) string {
	t.Helper()
	parts, err := tr.Split(m)
	if err != nil {
		t.Fatal(err)
	}
	first := ""
	for i, p := range parts {
		part := m
		part.Part = p
		if i > 0 {
			part.ThreadID = first
		}
		ts, err := tr.Send(context.Background(), part)
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err) // the fake refuses more than 50 blocks or oversized texts
		}
		if i == 0 {
			first = ts
		}
	}
	return first
}

func TestSplitDigestContinuesInThread(t *testing.T) {
	tr, srv := newTestTransport(t)
	digest := chat.Message{Kind: chat.KindDigest, Channel: "C0OPS", Heading: "afghanistan-daily", Items: manyItems(120)}
	ts := sendParts(t, tr, digest)
	msgs := srv.Messages("C0OPS")
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	if msgs[0].TS != ts || msgs[0].ThreadTS != "" {
		t.Errorf("first message %+v, want unthreaded with ts %q", msgs[0], ts)
	}
	for _, m := range msgs[1:] {
		if m.ThreadTS != ts {
			t.Errorf("continuation in thread %q, want %q", m.ThreadTS, ts)
		}
	}
}

func TestSplitUpdateStaysInTheAlertsThread(t *testing.T) {
	tr, srv := newTestTransport(t)
	alertTS, err := tr.Send(context.Background(), alertMsg())
	if err != nil {
		t.Fatal(err)
	}
	sendParts(t, tr, chat.Message{Kind: chat.KindUpdate, Channel: "C0OPS", ThreadID: alertTS, Items: manyItems(80)})
	msgs := srv.Messages("C0OPS")
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want the alert and two parts", len(msgs))
	}
	for _, m := range msgs[1:] {
		if m.ThreadTS != alertTS {
			t.Errorf("part in thread %q, want the alert's %q", m.ThreadTS, alertTS)
		}
	}
}

func TestSendPostsOneMessage(t *testing.T) {
	tr, srv := newTestTransport(t)
	m := chat.Message{Kind: chat.KindDigest, Channel: "C0OPS", Items: manyItems(80)}
	m.Key = "digest/daily/slack/C0OPS/2021-07-08"
	if _, err := tr.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	calls := srv.CallsTo("chat.postMessage")
	if len(calls) != 1 {
		t.Fatalf("%d calls for a two-part digest, want the first part only", len(calls))
	}
	var md struct {
		EventType    string            `json:"event_type"`
		EventPayload map[string]string `json:"event_payload"`
	}
	if err := json.Unmarshal([]byte(calls[0].Params.Get("metadata")), &md); err != nil ||
		md.EventType != MetadataEventType || md.EventPayload["key"] != m.Key {
		t.Errorf("metadata %q (%v), want the outbox key", calls[0].Params.Get("metadata"), err)
	}
}

func TestSendErrorClasses(t *testing.T) {
	tr, srv := newTestTransport(t)
	srv.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "token_revoked"})
	if _, err := tr.Send(context.Background(), alertMsg()); !chat.IsAuthFailure(err) {
		t.Errorf("token_revoked: %v, want an auth failure", err)
	}
	srv.FailNext("chat.postMessage", 1, chattest.SlackFailure{Status: 504, Error: "gateway timeout"})
	if _, err := tr.Send(context.Background(), alertMsg()); !chat.IsOutcomeUnknown(err) {
		t.Errorf("504: %v, want an unknown outcome", err)
	}
	srv.FailNext("chat.postMessage", 1, chattest.SlackFailure{Status: 503, Error: "unavailable"})
	if _, err := tr.Send(context.Background(), alertMsg()); err == nil || chat.IsOutcomeUnknown(err) || chat.IsPermanent(err) {
		t.Errorf("503: %v, want a plain transient error", err)
	}
	ts, _ := tr.Send(context.Background(), alertMsg())
	srv.RateLimit("chat.update", 1, 3*time.Second)
	edit := editMsg()
	edit.ThreadID = ts
	_, err := tr.Send(context.Background(), edit)
	var ce *chat.Error
	if !errors.As(err, &ce) || ce.RetryAfter != 3*time.Second || !ce.AcrossChannels {
		t.Errorf("chat.update 429: %v, want a wait of 3s across channels", err)
	}
	srv.RateLimit("chat.postMessage", 1, 3*time.Second)
	_, err = tr.Send(context.Background(), alertMsg())
	if !errors.As(err, &ce) || ce.RetryAfter != 3*time.Second || ce.AcrossChannels {
		t.Errorf("chat.postMessage 429: %v, want a wait of 3s in the channel", err)
	}
}

func TestSendLongTextsPassSlackLimits(t *testing.T) {
	tr, srv := newTestTransport(t)
	long := strings.Repeat("Qala-i-Naw <Badghis> & Herat ", 1000)
	msgs := []chat.Message{
		{Kind: chat.KindAlert, Channel: "C0OPS", Heading: long, Article: &chat.Article{Title: long, Lead: long, URL: afp.URL}, Why: long, Outlets: strings.Fields(long), Sources: 9},
		{Kind: chat.KindReply, Channel: "C0OPS", Text: long, Items: manyItems(200)},
		{Kind: chat.KindUpdate, Channel: "C0OPS", Text: long, Items: manyItems(300)},
	}
	for _, m := range msgs {
		if _, err := tr.Send(context.Background(), m); err != nil {
			t.Errorf("%s: %v", m.Kind, err) // the fake checks Slack's limits
		}
	}
	for _, c := range srv.Calls() {
		if c.Error != "" {
			t.Errorf("%s answered %s", c.Method, c.Error)
		}
	}
}

func TestSendRefusesUnsendable(t *testing.T) {
	tests := []struct {
		name string
		msg  chat.Message
	}{
		{"no channel", chat.Message{Kind: chat.KindAlert, Article: &afp}},
		{"edit without ts", chat.Message{Kind: chat.KindEdit, Channel: "C0OPS", Article: &afp}},
		{"unknown kind", chat.Message{Kind: "poll", Channel: "C0OPS", Text: "?"}},
		{"empty reply", chat.Message{Kind: chat.KindReply, Channel: "C0OPS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, srv := newTestTransport(t)
			if _, err := tr.Send(context.Background(), tt.msg); !chat.IsPermanent(err) {
				t.Errorf("err = %v, want permanent", err)
			}
			if n := len(srv.Calls()); n != 0 {
				t.Errorf("%d API calls, want none", n)
			}
		})
	}
}

func TestAuthTest(t *testing.T) {
	tr, srv := newTestTransport(t)
	id, err := tr.AuthTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.UserID == "" || id.TeamID == "" {
		t.Errorf("identity %+v", id)
	}
	bad := New("xoxb-wrong-token-0000", WithAPIURL(srv.URL()))
	_, err = bad.AuthTest(context.Background())
	if !chat.IsPermanent(err) || strings.Contains(err.Error(), "xoxb-wrong-token-0000") {
		t.Errorf("wrong token: %v, want a permanent error without the token", err)
	}
}

func mustBlocks(t *testing.T, raw []byte) []any {
	t.Helper()
	var v []any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// assertSameJSON compares two JSON values structurally.
func assertSameJSON(t *testing.T, got json.RawMessage, want any) {
	t.Helper()
	wantRaw, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("decode %s: %v", got, err)
	}
	if err := json.Unmarshal(wantRaw, &w); err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(g), fmt.Sprint(w); a != b {
		t.Errorf("JSON differs:\n got %s\nwant %s", got, wantRaw)
	}
}
