package telegram_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/telegram"
)

var published = time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)

func alert(channel string) chat.Message {
	return chat.Message{
		Kind: chat.KindAlert, Channel: channel,
		Heading: "Badghis · provincial-capital-assault",
		Article: &chat.Article{
			Title: "Taliban launch all-out assault on Qala-i-Naw", URL: "https://example.com/afp/1",
			Source: "AFP", Published: published, Place: "Qala-i-Naw (Badghis, Afghanistan)",
			Lead: "Smoke covered the provincial capital in Afghanistan on Thursday.",
		},
		Outlets: []string{"AFP"}, Sources: 1, Why: "taliban + all-out assault in Qala-i-Naw",
	}
}

func send(t *testing.T, e *env, m chat.Message) int {
	t.Helper()
	id, err := e.tr.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send %s: %v", m.Kind, err)
	}
	n, err := strconv.Atoi(id)
	if err != nil {
		t.Fatalf("remote id %q is not a message id", id)
	}
	return n
}

func TestNew(t *testing.T) {
	e := newEnv(t)
	if e.tr.Name() != "telegram" || e.tr.Username() != chattest.TelegramTestUsername {
		t.Errorf("Name, Username = %q, %q", e.tr.Name(), e.tr.Username())
	}
	if calls := e.srv.CallsTo("getMe"); len(calls) != 1 {
		t.Errorf("%d getMe calls, want 1", len(calls))
	}
}

func TestNewErrors(t *testing.T) {
	srv := chattest.NewTelegramServer(t)
	wrong := "7312345678:AAWrongTokenWrongTokenWrongToken0123"
	closed := chattest.NewTelegramServer(t)
	closed.Close()
	tests := []struct {
		name, token, url string
		permanent        bool
	}{
		{"refused token", wrong, srv.URL, true},
		{"unreachable", srv.Token, closed.URL, false},
		{"not the API", srv.Token, srv.URL + "/nothing", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := telegram.New(context.Background(), tt.token, tt.url)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if chat.IsPermanent(err) != tt.permanent {
				t.Errorf("permanent = %v, want %v: %v", chat.IsPermanent(err), tt.permanent, err)
			}
			if strings.Contains(err.Error(), tt.token) || strings.Contains(err.Error(), "AAWrongToken") || strings.Contains(err.Error(), "AAFakeToken") {
				t.Errorf("token in error: %v", err)
			}
		})
	}
	for _, bad := range []struct{ token, url string }{{"", srv.URL}, {srv.Token, "ftp://example.com"}, {srv.Token, "://"}} {
		if _, err := telegram.New(context.Background(), bad.token, bad.url); err == nil {
			t.Errorf("New(%q, %q) succeeded", bad.token, bad.url)
		}
	}
}

func TestSendAlert(t *testing.T) {
	e := newEnv(t)
	m := alert(strconv.FormatInt(group, 10))
	id := send(t, e, m)
	got, ok := e.srv.Message(group, id)
	if !ok {
		t.Fatalf("message %d not in chat", id)
	}
	if got.Text != telegram.Render(m) || got.ParseMode != "HTML" || !got.NoPreview || got.ReplyTo != 0 {
		t.Errorf("sent %+v", got)
	}
	if !strings.Contains(got.Plain, "Taliban launch all-out assault on Qala-i-Naw") {
		t.Errorf("plain text %q lacks the title", got.Plain)
	}
}

func TestSendLinkPreviews(t *testing.T) {
	e := newEnv(t, telegram.WithLinkPreviews(true))
	id := send(t, e, alert(strconv.FormatInt(group, 10)))
	if got, _ := e.srv.Message(group, id); got.NoPreview {
		t.Error("link previews still disabled")
	}
}

func TestSendToChannelUsername(t *testing.T) {
	e := newEnv(t)
	if _, err := e.tr.Send(context.Background(), alert("@wirewatch_alerts")); err == nil {
		t.Fatal("the fake knows no @channel; the request should fail")
	}
	calls := e.srv.CallsTo("sendMessage")
	if len(calls) != 1 || calls[0].Params["chat_id"] != "@wirewatch_alerts" {
		t.Errorf("chat_id sent = %+v", calls)
	}
}

func TestSendUpdateAndReply(t *testing.T) {
	e := newEnv(t)
	ch := strconv.FormatInt(group, 10)
	first := send(t, e, alert(ch))
	items := []chat.Article{{Title: "Afghan forces take back Qala-e-Naw", URL: "https://example.com/2", Source: "TOLOnews", Published: published}}

	upd := send(t, e, chat.Message{Kind: chat.KindUpdate, Channel: ch, ThreadID: strconv.Itoa(first), Items: items})
	if got, _ := e.srv.Message(group, upd); got.ReplyTo != first || !strings.Contains(got.Plain, "take back Qala-e-Naw") {
		t.Errorf("update = %+v, want a reply to %d", got, first)
	}

	e.srv.DeleteMessage(group, first)
	again := send(t, e, chat.Message{Kind: chat.KindUpdate, Channel: ch, ThreadID: strconv.Itoa(first), Items: items})
	if got, _ := e.srv.Message(group, again); got.ReplyTo != 0 {
		t.Errorf("update to a deleted alert = %+v", got)
	}

	e.srv.QueueMessage(group, user, "/latest badghis")
	msgs := e.srv.Messages(group)
	cmd := msgs[len(msgs)-1]
	rep := send(t, e, chat.Message{Kind: chat.KindReply, Channel: ch, ThreadID: strconv.Itoa(cmd.ID), Text: "Latest for badghis:", Items: items})
	if got, _ := e.srv.Message(group, rep); got.ReplyTo != cmd.ID {
		t.Errorf("reply = %+v, want a reply to %d", got, cmd.ID)
	}
}

func TestSendEdit(t *testing.T) {
	e := newEnv(t)
	ch := strconv.FormatInt(group, 10)
	first := send(t, e, alert(ch))
	m := alert(ch)
	m.Kind, m.ThreadID, m.Sources, m.Outlets = chat.KindEdit, strconv.Itoa(first), 2, []string{"AFP", "France 24"}

	if id := send(t, e, m); id != first {
		t.Errorf("edit returned %d, want %d", id, first)
	}
	got, _ := e.srv.Message(group, first)
	if got.Edits != 1 || !strings.Contains(got.Plain, "2 sources") {
		t.Errorf("edited message = %+v", got)
	}
	if id := send(t, e, m); id != first {
		t.Errorf("unchanged edit returned %d, want %d", id, first)
	}
	if calls := e.srv.CallsTo("editMessageText"); len(calls) != 2 || calls[1].Status != 400 {
		t.Errorf("the second edit should be a 'not modified' answer: %+v", calls)
	}

	e.srv.DeleteMessage(group, first)
	m.Sources = 3
	_, err := e.tr.Send(context.Background(), m)
	if !chat.IsPermanent(err) || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit of a deleted message: %v", err)
	}
	m.ThreadID = ""
	if _, err := e.tr.Send(context.Background(), m); !chat.IsPermanent(err) {
		t.Errorf("edit without ThreadID: %v", err)
	}
}

func TestSendRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext("sendMessage", chattest.TelegramRetryAfter(3))
	m := alert(strconv.FormatInt(group, 10))
	_, err := e.tr.Send(context.Background(), m)
	if d, ok := chat.RetryAfterOf(err); !ok || d != 3*time.Second || chat.IsPermanent(err) {
		t.Fatalf("429: retry after %v, %v, permanent %v: %v", d, ok, chat.IsPermanent(err), err)
	}
	if len(e.srv.BotMessages(group)) != 0 {
		t.Fatal("a message was posted despite the 429")
	}
	send(t, e, m)
	if len(e.srv.BotMessages(group)) != 1 {
		t.Error("the retry did not post the message")
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		fail      chattest.TelegramFailure
		permanent bool
		hint      string
	}{
		{"blocked", chattest.TelegramError(403, "Forbidden: bot was blocked by the user"), true, "unblock"},
		{"chat not found", chattest.TelegramError(400, "Bad Request: chat not found"), true, "chat id"},
		{"channel admin", chattest.TelegramError(403, "Forbidden: need administrator rights in the channel chat"), true, "administrator"},
		{"kicked", chattest.TelegramError(403, "Forbidden: bot was kicked from the group chat"), true, "add it again"},
		{"migrated", chattest.TelegramFailure{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatID: -1001111111111}, true, "-1001111111111"},
		{"server error", chattest.TelegramError(500, "Internal Server Error"), false, ""},
		{"proxy page", chattest.TelegramFailure{Status: 502, Raw: "<html>Bad Gateway</html>"}, false, ""},
		{"connection dropped", chattest.TelegramFailure{Drop: true}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.FailNext("sendMessage", tt.fail)
			_, err := e.tr.Send(context.Background(), alert(strconv.FormatInt(group, 10)))
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if chat.IsPermanent(err) != tt.permanent {
				t.Errorf("permanent = %v, want %v: %v", chat.IsPermanent(err), tt.permanent, err)
			}
			var ce *chat.Error
			if tt.hint != "" && (!errors.As(err, &ce) || !strings.Contains(ce.Hint, tt.hint)) {
				t.Errorf("error %v: hint lacks %q", err, tt.hint)
			}
			if strings.Contains(err.Error(), e.srv.Token) || strings.Contains(err.Error(), "AAFakeToken") {
				t.Errorf("token in error: %v", err)
			}
		})
	}
}

func TestSendBadInput(t *testing.T) {
	e := newEnv(t)
	for _, m := range []chat.Message{
		{Kind: chat.KindAlert, Channel: "ops", Text: "x"},
		{Kind: chat.KindUpdate, Channel: "-100", ThreadID: "ts.123", Text: "x"},
		{Kind: "poke", Channel: "-100", Text: "x"},
	} {
		if _, err := e.tr.Send(context.Background(), m); !chat.IsPermanent(err) {
			t.Errorf("Send(%+v) = %v, want a permanent error", m, err)
		}
	}
	if n := len(e.srv.CallsTo("sendMessage")); n != 0 {
		t.Errorf("%d requests for bad messages", n)
	}
}

func TestSendCancelled(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.tr.Send(ctx, alert(strconv.FormatInt(group, 10)))
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "AAFakeToken") {
		t.Errorf("Send with a cancelled context: %v", err)
	}
}

func TestSendHostileText(t *testing.T) {
	e := newEnv(t)
	m := chat.Message{
		Kind: chat.KindAlert, Channel: strconv.FormatInt(group, 10),
		Heading: "<b>Badghis & <i>co",
		Article: &chat.Article{
			Title: `<script>alert("x")</script> &amp; <b>unbalanced`, URL: `https://example.com/?a=1&b="2"`,
			Lead: "a < b && c > d </i></b> <a href=\"javascript:alert(1)\">x</a> \x00\xff", Published: published,
		},
		Outlets: []string{"<Outlet>"}, Why: "</i>",
	}
	id := send(t, e, m)
	got, _ := e.srv.Message(group, id)
	for _, want := range []string{`<script>alert("x")</script> &amp; <b>unbalanced`, "<b>Badghis & <i>co", "a < b && c > d </i></b>", "<Outlet>"} {
		if !strings.Contains(got.Plain, want) {
			t.Errorf("users do not see %q in %q", want, got.Plain)
		}
	}
}

func TestSplitLongDigest(t *testing.T) {
	e := newEnv(t)
	ch := strconv.FormatInt(group, 10)
	m := chat.Message{Kind: chat.KindDigest, Channel: ch, Heading: "afghanistan-daily"}
	for i := 0; len(telegram.Render(m)) < 20000; i++ {
		m.Items = append(m.Items, chat.Article{
			Title: "Report " + strconv.Itoa(i) + " <on> Qala-i-Naw & Badghis", URL: "https://example.com/" + strconv.Itoa(i),
			Source: "AFP", Published: published, Lead: strings.Repeat("Fighting went on for a second day. ", 6),
		})
	}
	parts, err := e.tr.Split(m)
	if err != nil || len(parts) < 5 {
		t.Fatalf("Split of a 20,000-character digest: %d parts, %v", len(parts), err)
	}
	// Send posts one part per call; the delivery loop threads the later
	// ones under the first.
	var first int
	for i, p := range parts {
		part := m
		part.Part = p
		if i > 0 {
			part.ThreadID = strconv.Itoa(first)
		}
		id := send(t, e, part)
		if i == 0 {
			first = id
		}
	}
	msgs := e.srv.BotMessages(group)
	if len(msgs) != len(parts) {
		t.Fatalf("%d messages for %d parts", len(msgs), len(parts))
	}
	var plain strings.Builder
	for i, msg := range msgs {
		if i == 0 && (msg.ID != first || msg.ReplyTo != 0) || i > 0 && msg.ReplyTo != first {
			t.Errorf("part %d: id %d replies to %d; first is %d", i+1, msg.ID, msg.ReplyTo, first)
		}
		if n := chattest.TelegramTextLen(msg.Text); n > telegram.MaxMessageLen {
			t.Errorf("part %d has %d units", i+1, n)
		}
		plain.WriteString(msg.Plain)
	}
	for i := range m.Items {
		if !strings.Contains(plain.String(), "Report "+strconv.Itoa(i)+" <on> Qala-i-Naw & Badghis") {
			t.Errorf("item %d missing from the parts", i)
		}
	}
}

func TestSendPostsOnePart(t *testing.T) {
	e := newEnv(t)
	m := chat.Message{Kind: chat.KindReply, Channel: strconv.FormatInt(user, 10), Text: strings.Repeat("word ", 1000)}
	send(t, e, m)
	msgs := e.srv.BotMessages(user)
	if len(msgs) != 1 || len(e.srv.CallsTo("sendMessage")) != 1 {
		t.Fatalf("Send of a two-part message made %d calls: want the first part only", len(e.srv.CallsTo("sendMessage")))
	}
	parts, _ := e.tr.Split(m)
	var first string
	if err := json.Unmarshal(parts[0], &first); err != nil || msgs[0].Text != first {
		t.Errorf("posted %q, want the first part %q (%v)", msgs[0].Text, first, err)
	}
}

func TestSendUnknownOutcome(t *testing.T) {
	e := newEnv(t)
	m := alert(strconv.FormatInt(group, 10))
	for _, f := range []chattest.TelegramFailure{{Drop: true}, {Status: 504, Raw: "<html>Gateway Timeout</html>"}} {
		e.srv.FailNext("sendMessage", f)
		_, err := e.tr.Send(context.Background(), m)
		if !chat.IsOutcomeUnknown(err) || chat.IsPermanent(err) {
			t.Errorf("%+v: %v, want an unknown outcome", f, err)
		}
		if err != nil && (strings.Contains(err.Error(), e.srv.Token) || strings.Contains(err.Error(), "AAFakeToken")) {
			t.Errorf("token in error: %v", err)
		}
	}
	e.srv.FailNext("sendMessage", chattest.TelegramError(500, "Internal Server Error"))
	if _, err := e.tr.Send(context.Background(), m); err == nil || chat.IsOutcomeUnknown(err) || chat.IsPermanent(err) {
		t.Errorf("500: %v, want a plain transient error", err)
	}
}

func TestSendAuthFailure(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext("sendMessage", chattest.TelegramError(401, "Unauthorized"))
	_, err := e.tr.Send(context.Background(), alert(strconv.FormatInt(group, 10)))
	var ce *chat.Error
	if !chat.IsAuthFailure(err) || !errors.As(err, &ce) || !strings.Contains(ce.Hint, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("401: %v, want an auth failure with a hint", err)
	}
}

func TestDispatchedReplyAllParts(t *testing.T) {
	e := newEnv(t)
	long := chat.Message{Kind: chat.KindReply, Text: strings.Repeat("word ", 1000)}
	d := e.dispatcher(chat.HandlerFunc(func(context.Context, chat.Command) chat.Message { return long }), group)
	e.srv.QueueMessage(group, user, "/latest badghis")
	p := &telegram.Poller{Dispatcher: d, Offsets: &memStore{}}
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.BotMessages(group)
	if len(msgs) != 2 || msgs[1].ReplyTo != msgs[0].ID {
		t.Fatalf("a two-part reply: %+v", msgs)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSpoofingStripped sends messages full of bidi overrides and zero-width
// characters through the real client to the fake Bot API: what Telegram
// receives has none of them, and Persian keeps its non-joiners.
func TestSpoofingStripped(t *testing.T) {
	for _, kind := range []chat.Kind{chat.KindAlert, chat.KindDigest, chat.KindReply} {
		t.Run(string(kind), func(t *testing.T) {
			e := newEnv(t)
			m := chattest.SpoofMessage(kind)
			m.Channel = strconv.FormatInt(group, 10)
			send(t, e, m)
			var all strings.Builder
			for _, c := range e.srv.CallsTo("sendMessage") {
				all.WriteString(c.Params["text"] + "\n")
			}
			want := []string{"txt.exe", "Reuters"}
			if kind != chat.KindAlert {
				want = nil // lists show their items, not the article
			}
			chattest.CheckNoSpoofing(t, all.String(), want...)
		})
	}
}
