package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/telegram"
)

var clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func (e *env) poller(d *telegram.Dispatcher, offsets telegram.OffsetStore) *telegram.Poller {
	return &telegram.Poller{Dispatcher: d, Offsets: offsets, Sleep: e.sleeps.sleep, Now: func() time.Time { return clock }}
}

func pollOnce(t *testing.T, p *telegram.Poller) int {
	t.Helper()
	n, err := p.PollOnce(context.Background())
	if err != nil {
		t.Fatalf("PollOnce: %v", err)
	}
	return n
}

func TestPollerCommands(t *testing.T) {
	refusal := func(id int64) string { return fmt.Sprintf(telegram.RefusalFormat, id) }
	tests := []struct {
		name    string
		chat    int64
		from    int64
		text    string
		allowed []int64
		// want is the command the handler gets, nil for none.
		want *chat.Command
		// reply is the text sent back, "" for none.
		reply string
	}{
		{"group with @botname", group, user, "/latest@wirewatch_bot badghis 5", []int64{group},
			&chat.Command{Transport: "telegram", Channel: "-1001234567890", User: "4242", UserName: "@analyst4242", Name: "latest", Args: "badghis 5"}, "latest: badghis 5"},
		{"group without @botname", group, user, "/latest qala-e-naw", []int64{group},
			&chat.Command{Transport: "telegram", Channel: "-1001234567890", User: "4242", UserName: "@analyst4242", Name: "latest", Args: "qala-e-naw"}, "latest: qala-e-naw"},
		{"private chat", user, user, "/help", []int64{user},
			&chat.Command{Transport: "telegram", Channel: "4242", User: "4242", UserName: "@analyst4242", Name: "help"}, "help:"},
		{"basic group", -4567, user, "/status", []int64{-4567},
			&chat.Command{Transport: "telegram", Channel: "-4567", User: "4242", UserName: "@analyst4242", Name: "status"}, "status:"},
		{"foreign chat", foreign, user, "/rules", []int64{group}, nil, refusal(foreign)},
		{"empty allow-list", group, user, "/help", nil, nil, refusal(group)},
		{"another bot's command", group, user, "/latest@other_bot badghis", []int64{group}, nil, ""},
		{"not a command", group, user, "what is the latest on badghis?", []int64{group}, nil, ""},
		{"another bot's command from a foreign chat", foreign, user, "/rules@other_bot", []int64{group}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rec := &recorder{}
			p := e.poller(e.dispatcher(rec, tt.allowed...), &memStore{})
			e.srv.QueueMessage(tt.chat, tt.from, tt.text)
			if n := pollOnce(t, p); n != 1 {
				t.Fatalf("handled %d updates, want 1", n)
			}
			cmds := rec.commands()
			switch {
			case tt.want == nil && len(cmds) != 0:
				t.Errorf("handler called with %+v", cmds)
			case tt.want != nil && (len(cmds) != 1 || cmds[0] != *tt.want):
				t.Errorf("handler got %+v, want %+v", cmds, *tt.want)
			}
			sent := e.srv.BotMessages(tt.chat)
			if tt.reply == "" {
				if len(sent) != 0 {
					t.Errorf("sent %+v, want nothing", sent)
				}
				return
			}
			if len(sent) != 1 || strings.TrimSpace(sent[0].Plain) != tt.reply || sent[0].ReplyTo != sent[0].ID-1 {
				t.Errorf("sent %+v, want one reply %q to the command", sent, tt.reply)
			}
		})
	}
}

func TestPollerRefusalRevealsNothing(t *testing.T) {
	e := newEnv(t)
	rules := chat.HandlerFunc(func(context.Context, chat.Command) chat.Message {
		return chat.Message{Text: "provincial-capital-assault: badghis, herat -> ops, field"}
	})
	p := e.poller(e.dispatcher(rules, group), &memStore{})
	for _, text := range []string{"/rules", "/latest badghis", "/status", "/help"} {
		e.srv.QueueMessage(foreign, user, text)
	}
	pollOnce(t, p)
	sent := e.srv.BotMessages(foreign)
	if len(sent) != 4 {
		t.Fatalf("%d refusals, want 4", len(sent))
	}
	for _, m := range sent {
		if m.Plain != fmt.Sprintf(telegram.RefusalFormat, foreign) {
			t.Errorf("refusal %q", m.Plain)
		}
	}
}

func TestPollerIgnoresBotsAndChannelPosts(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	p := e.poller(e.dispatcher(rec, group), &memStore{})
	e.srv.QueueUpdate("message", map[string]any{
		"message_id": 1, "date": 0, "text": "/latest badghis",
		"chat": map[string]any{"id": group, "type": "supergroup"},
		"from": map[string]any{"id": 99, "is_bot": true, "first_name": "other"},
	})
	e.srv.QueueChannelPost(group, "/latest herat")
	pollOnce(t, p)
	cmds := rec.commands()
	if len(cmds) != 1 || cmds[0].Args != "herat" || cmds[0].User != strconv.FormatInt(group, 10) {
		t.Errorf("commands = %+v, want only the channel post, from the channel", cmds)
	}
}

func TestPollerRequest(t *testing.T) {
	e := newEnv(t)
	p := e.poller(e.dispatcher(&recorder{}, group), &memStore{})
	p.Timeout = 25 * time.Second
	e.srv.QueueMessage(group, user, "/help")
	pollOnce(t, p)
	lastID := e.srv.QueueMessage(group, user, "/status") // so the long poll answers at once
	pollOnce(t, p)
	calls := e.srv.CallsTo("getUpdates")
	if len(calls) != 2 {
		t.Fatalf("%d getUpdates calls", len(calls))
	}
	first, second := calls[0].Params, calls[1].Params
	if first["offset"] != "" || first["timeout"] != "25" || first["allowed_updates"] != `["message","channel_post","callback_query"]` {
		t.Errorf("first getUpdates params = %v", first)
	}
	if second["offset"] != "101" {
		t.Errorf("second getUpdates offset = %q, want 101", second["offset"])
	}
	if pending := e.srv.PendingUpdates(); len(pending) != 1 || pending[0] != lastID {
		t.Errorf("unconfirmed updates %v, want only the last, %d", pending, lastID)
	}
}

// TestPollerOffsetAcrossRestart stops a poller after it answered a
// command but before its next getUpdates confirmed it to Telegram: a new
// poller on the same store must not answer it again, one on a fresh store
// does.
func TestPollerOffsetAcrossRestart(t *testing.T) {
	e := newEnv(t)
	offsets := &memStore{}
	rec := &recorder{}
	id := e.srv.QueueMessage(group, user, "/latest badghis")
	pollOnce(t, e.poller(e.dispatcher(rec, group), offsets))
	if v, _ := offsets.GetState(context.Background(), telegram.DefaultOffsetKey); !strings.HasPrefix(v, strconv.Itoa(id+1)+" ") {
		t.Fatalf("saved offset %q, want %d", v, id+1)
	}
	if pending := e.srv.PendingUpdates(); len(pending) != 1 {
		t.Fatalf("the update should still be unconfirmed on Telegram's side: %v", pending)
	}

	pollOnce(t, e.poller(e.dispatcher(rec, group), offsets))
	if n := len(rec.commands()); n != 1 {
		t.Errorf("after a restart the command was handled %d times, want once", n)
	}
	if n := len(e.srv.BotMessages(group)); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}

	e.srv.QueueMessage(group, user, "/latest herat")
	pollOnce(t, e.poller(e.dispatcher(rec, group), offsets))
	if cmds := rec.commands(); len(cmds) != 2 || cmds[1].Args != "herat" {
		t.Errorf("a new command after the restart: %+v", cmds)
	}

	// The control: without the saved offset the unconfirmed update comes back.
	e2 := newEnv(t)
	rec2 := &recorder{}
	e2.srv.QueueMessage(group, user, "/latest badghis")
	pollOnce(t, e2.poller(e2.dispatcher(rec2, group), &memStore{}))
	pollOnce(t, e2.poller(e2.dispatcher(rec2, group), &memStore{}))
	if n := len(rec2.commands()); n != 2 {
		t.Errorf("without a saved offset the command was handled %d times; the test would not notice a lost offset", n)
	}
}

func TestPollerIgnoresStaleOffset(t *testing.T) {
	e := newEnv(t)
	offsets := &memStore{}
	old := clock.Add(-25 * time.Hour).Format(time.RFC3339)
	_ = offsets.SetState(context.Background(), telegram.DefaultOffsetKey, "900 "+old)
	rec := &recorder{}
	e.srv.QueueMessage(group, user, "/help")
	pollOnce(t, e.poller(e.dispatcher(rec, group), offsets))
	if len(rec.commands()) != 1 {
		t.Errorf("an update numbered below a day-old offset was not handled")
	}
	if got := e.srv.CallsTo("getUpdates")[0].Params["offset"]; got != "" {
		t.Errorf("a day-old offset was sent: %q", got)
	}
}

type failingStore struct{ memStore }

func (*failingStore) SetState(context.Context, string, string) error { return errors.New("disk full") }

func TestPollerSaveError(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	p := e.poller(e.dispatcher(rec, group), &failingStore{})
	e.srv.QueueMessage(group, user, "/help")
	if _, err := p.PollOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("PollOnce = %v, want the save error", err)
	}
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.commands()); n != 1 {
		t.Errorf("handled %d times: the offset should be kept in memory", n)
	}
}

func TestPollerRun(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	p := e.poller(e.dispatcher(rec, group), &memStore{})
	p.Idle = 7 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.Sleep = func(ctx context.Context, d time.Duration) error {
		_ = e.sleeps.sleep(ctx, d)
		if d == p.Idle {
			cancel() // nothing more to poll: stop
		}
		return ctx.Err()
	}
	e.srv.FailNext("getUpdates", chattest.TelegramRetryAfter(3), chattest.TelegramError(500, "Internal Server Error"))
	e.srv.QueueMessage(group, user, "/latest badghis")
	if err := p.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if want := []time.Duration{3 * time.Second, 2 * time.Second, 7 * time.Second}; !equalDurations(e.sleeps.all(), want) {
		t.Errorf("waits = %v, want %v", e.sleeps.all(), want)
	}
	if len(rec.commands()) != 1 || len(e.srv.BotMessages(group)) != 1 {
		t.Errorf("commands %+v, replies %d", rec.commands(), len(e.srv.BotMessages(group)))
	}
	var methods []string
	for _, c := range e.srv.Calls() {
		methods = append(methods, c.Method)
	}
	if got := strings.Join(methods[:4], " "); got != "getMe deleteWebhook setMyCommands getUpdates" {
		t.Errorf("calls begin %q", got)
	}
	cmds := e.srv.Commands()
	if len(cmds) != len(testMenu) || cmds[0].Command != "latest" {
		t.Errorf("command menu = %+v", cmds)
	}
}

func TestPollerRunStopsDuringLongPoll(t *testing.T) {
	e := newEnv(t)
	p := e.poller(e.dispatcher(&recorder{}, group), &memStore{})
	p.Timeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	e.srv.OnRequest(func(method string) {
		if method == "getUpdates" {
			cancel()
		}
	})
	// Run returns only if cancelling ends the hour-long poll in flight.
	if err := p.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// TestPollerRunRefusedToken: a refused token does not stop polling; it is
// tried again at growing intervals, reported, and polling resumes once the
// token works.
func TestPollerRunRefusedToken(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	p := e.poller(e.dispatcher(rec, group), &memStore{})
	var reports []error
	p.Health = func(err error) { reports = append(reports, err) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.Sleep = func(ctx context.Context, d time.Duration) error {
		_ = e.sleeps.sleep(ctx, d)
		if len(e.sleeps.all()) == 3 {
			e.srv.QueueMessage(group, user, "/help")
		}
		if len(rec.commands()) > 0 {
			cancel()
		}
		return ctx.Err()
	}
	p.Idle = time.Second
	unauthorized := chattest.TelegramError(401, "Unauthorized")
	e.srv.FailNext("getUpdates", unauthorized, unauthorized, unauthorized)
	if err := p.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if got, want := e.sleeps.all()[:3], []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}; !equalDurations(got, want) {
		t.Errorf("waits after refusals = %v, want %v", got, want)
	}
	if len(rec.commands()) != 1 {
		t.Fatalf("commands after the token works again: %+v", rec.commands())
	}
	if len(reports) < 4 || !chat.IsAuthFailure(reports[1]) || reports[len(reports)-1] != nil {
		t.Errorf("reports %v, want the refusals then nil", reports)
	}
	for _, r := range reports {
		if r != nil && strings.Contains(r.Error(), "AAFakeToken") {
			t.Errorf("token in a report: %v", r)
		}
	}
}

func TestPollerConnectsLate(t *testing.T) {
	srv := chattest.NewTelegramServer(t)
	tr, err := telegram.NewOffline(srv.Token, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Connected() || tr.Username() != "" || len(srv.Calls()) != 0 {
		t.Fatal("NewOffline called Telegram")
	}
	srv.FailNext("getMe", chattest.TelegramFailure{Drop: true}, chattest.TelegramError(502, "Bad Gateway"))
	rec := &recorder{}
	d := &telegram.Dispatcher{Transport: tr, Handler: rec, Allowed: telegram.NewAllowedChats(group)}
	srv.QueueMessage(group, user, "/latest@"+chattest.TelegramTestUsername+" badghis")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &sleeps{}
	p := &telegram.Poller{Dispatcher: d, Offsets: &memStore{}, Idle: time.Second, Sleep: func(ctx context.Context, dur time.Duration) error {
		_ = s.sleep(ctx, dur)
		if len(rec.commands()) > 0 {
			cancel()
		}
		return ctx.Err()
	}}
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !tr.Connected() || tr.Username() != chattest.TelegramTestUsername || len(rec.commands()) != 1 {
		t.Errorf("after Run: connected %v as %q, commands %+v", tr.Connected(), tr.Username(), rec.commands())
	}
	if got := s.all(); len(got) < 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Errorf("waits while Telegram was unreachable: %v", got)
	}
}

func TestPollingDeletesWebhook(t *testing.T) {
	e := newEnv(t)
	wh, err := telegram.NewWebhook(e.dispatcher(&recorder{}, group), "https://bot.example.com/telegram/webhook", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.srv.OnRequest(func(method string) {
		if method == "setMyCommands" {
			cancel()
		}
	})
	if err := wh.Run(ctx); err != nil {
		t.Fatal(err)
	}
	e.srv.OnRequest(nil)
	if e.srv.Webhook().URL == "" {
		t.Fatal("webhook not set")
	}

	rec := &recorder{}
	p := e.poller(e.dispatcher(rec, group), &memStore{})
	if _, err := p.PollOnce(context.Background()); err == nil {
		t.Fatal("getUpdates worked while a webhook was set")
	}
	e.srv.QueueMessage(group, user, "/help")
	ctx, cancel = context.WithCancel(context.Background())
	p.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if e.srv.Webhook().URL != "" || len(rec.commands()) != 1 {
		t.Errorf("webhook %+v, commands %+v", e.srv.Webhook(), rec.commands())
	}
}
