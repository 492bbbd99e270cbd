package telegram_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/telegram"
)

const ref = "Ab3dEf9hJk2L"

func buttonsAlert(channel string) chat.Message {
	return chat.Message{Kind: chat.KindAlert, Channel: channel, Heading: "Badghis · provincial-capital-assault",
		Article: &chat.Article{Title: "Taliban launch all-out assault on Qala-i-Naw", Source: "AFP"}, Text: "Story #12",
		Controls: &chat.Controls{Ref: ref, Story: 12, Scope: "provincial-capital-assault in Badghis"}}
}

// presses is an action handler that records presses and answers as the
// bot's action model would: a mute changes the alert, a menu shows it as it
// is, "Why?" answers a text; presses by user 13 are refused.
type presses struct {
	mu  sync.Mutex
	got []chat.Action
}

func (p *presses) HandleAction(_ context.Context, a chat.Action) chat.ActionReply {
	p.mu.Lock()
	p.got = append(p.got, a)
	p.mu.Unlock()
	if a.User == "13" {
		return chat.ActionReply{Text: "Not allowed: only this chat's administrators may mute or unmute here.", Refused: true}
	}
	alert := buttonsAlert(a.Channel)
	alert.Kind, alert.ThreadID = chat.KindEdit, a.MessageID
	switch a.Data.Verb {
	case chat.VerbMuteStory:
		alert.Controls.Muted = &chat.MuteNote{ID: 3, What: "story #12", For: a.Data.Arg, By: a.UserName, Until: clock.Add(6 * time.Hour)}
		return chat.ActionReply{Text: "Muted story #12 here for " + a.Data.Arg + ".", Alert: &alert}
	case chat.VerbWhy:
		return chat.ActionReply{Text: "Story #12: rule provincial-capital-assault, grouped by Badghis, Afghanistan\nWhy: " + strings.Repeat("taliban ", 40)}
	}
	return chat.ActionReply{Text: "Mute story #12 here for how long?", Alert: &alert}
}

func (p *presses) all() []chat.Action {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]chat.Action(nil), p.got...)
}

// press queues a press of the button labelled text on message id and
// handles it; it returns the query's id.
func (e *env) press(t *testing.T, p *telegram.Poller, chatID int64, id int, from int64, text string) string {
	t.Helper()
	m, ok := e.srv.Message(chatID, id)
	if !ok {
		t.Fatalf("no message %d in %d", id, chatID)
	}
	b, ok := m.Button(text)
	if !ok {
		t.Fatalf("no button %q on %v", text, m.Buttons())
	}
	_, q := e.srv.QueueCallbackQuery(chatID, id, from, b.CallbackData)
	if n := pollOnce(t, p); n != 1 {
		t.Fatalf("handled %d updates", n)
	}
	return q
}

func TestCallbackMutesThroughTheKeyboard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.tr.Send(ctx, buttonsAlert("-1001234567890")); err != nil {
		t.Fatal(err)
	}
	msg, _ := e.srv.Message(group, 1)
	if got := strings.Join(msg.Buttons(), "|"); got != "Mute story|Mute provincial-capital-assault in Badghis|Why?|Follow" {
		t.Fatalf("alert keyboard %q", got)
	}
	rec := &presses{}
	d := e.dispatcher(&recorder{}, group)
	d.Actions = rec
	p := e.poller(d, &memStore{})

	q1 := e.press(t, p, group, 1, user, "Mute story")
	msg, _ = e.srv.Message(group, 1)
	if got := strings.Join(msg.Buttons(), "|"); got != "1h|6h|1d|1w|« Back" || msg.MarkupEdits != 1 {
		t.Fatalf("after Mute story: %q (%d edits)", got, msg.MarkupEdits)
	}
	q2 := e.press(t, p, group, 1, user, "6h")
	msg, _ = e.srv.Message(group, 1)
	if got := strings.Join(msg.Buttons(), "|"); got != "Undo: muted 6h by @analyst4242|Why?|Follow" {
		t.Fatalf("after 6h: %q", got)
	}
	q3 := e.press(t, p, group, 1, user, "Why?")
	want := chat.Action{Transport: "telegram", Channel: "-1001234567890", User: "4242", UserName: "@analyst4242",
		MessageID: "1", Data: chat.ActionData{Verb: chat.VerbMuteStory, Ref: ref, Arg: "6h"}}
	if got := rec.all(); len(got) != 3 || got[1] != want {
		t.Errorf("presses %+v, want the second %+v", got, want)
	}
	answers := e.srv.CallbackAnswers()
	if len(answers) != 3 || answers[0].QueryID != q1 || answers[1].QueryID != q2 || answers[2].QueryID != q3 {
		t.Fatalf("answers %+v", answers)
	}
	if answers[1].Text != "Muted story #12 here for 6h." || answers[1].ShowAlert {
		t.Errorf("answer to the mute %+v", answers[1])
	}
	if a := answers[2]; !a.ShowAlert || len([]rune(a.Text)) > 200 || !strings.HasPrefix(a.Text, "Story #12") {
		t.Errorf("answer to why %+v: want a dismissable alert of at most 200 characters", a)
	}
	if msg.Edits != 0 {
		t.Errorf("the alert's text was edited %d times; presses change its keyboard only", msg.Edits)
	}
}

func TestCallbackRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, ch := range []string{"-1001234567890", "-1009999999999"} {
		if _, err := e.tr.Send(ctx, buttonsAlert(ch)); err != nil {
			t.Fatal(err)
		}
	}
	rec := &presses{}
	d := e.dispatcher(&recorder{}, group)
	d.Actions = rec
	p := e.poller(d, &memStore{})
	for _, tc := range []struct {
		name   string
		chatID int64
		from   int64
		data   string
		want   string
	}{
		{"a foreign chat", foreign, user, "mn:" + ref + ":s", "Not allowed: this chat"},
		{"forged data", group, user, "ms:../" + ref + ":6h", "not one of this bot's"},
		{"another bot's data", group, user, "vote:yes", "not one of this bot's"},
		{"a member the handler refuses", group, 13, "mn:" + ref + ":s", "only this chat's administrators"},
	} {
		_, q := e.srv.QueueCallbackQuery(tc.chatID, 1, tc.from, tc.data)
		pollOnce(t, p)
		answers := e.srv.CallbackAnswers()
		last := answers[len(answers)-1]
		if last.QueryID != q || !strings.Contains(last.Text, tc.want) || !last.ShowAlert {
			t.Errorf("%s: answer %+v, want an alert with %q", tc.name, last, tc.want)
		}
	}
	if got := rec.all(); len(got) != 1 || got[0].User != "13" {
		t.Errorf("the handler saw %+v; want only the member's press", got)
	}
	for _, ch := range []int64{group, foreign} {
		if m, _ := e.srv.Message(ch, 1); m.MarkupEdits != 0 {
			t.Errorf("chat %d: keyboard changed by a refused press", ch)
		}
	}
	// Without an action handler, presses are still answered.
	d.Actions = nil
	_, q := e.srv.QueueCallbackQuery(group, 1, user, "wy:"+ref)
	pollOnce(t, p)
	if !e.srv.Answered(q) {
		t.Error("press not answered without an action handler")
	}
}

func TestCallbackOverWebhook(t *testing.T) {
	e, _, _, stop := webhookEnv(t)
	if _, err := e.tr.Send(context.Background(), buttonsAlert("-1001234567890")); err != nil {
		t.Fatal(err)
	}
	// webhookEnv's dispatcher has no action handler: presses are refused,
	// and answered.
	answered := waitCall(e.srv, "answerCallbackQuery")
	_, q, body := e.srv.NewCallbackQuery(group, 1, user, "mn:"+ref+":s")
	if code, err := e.srv.DeliverWebhook(context.Background(), body); err != nil || code != http.StatusOK {
		t.Fatalf("delivery: %d %v", code, err)
	}
	select {
	case <-answered:
	case <-time.After(30 * time.Second): // a bound on a hang, not a timing assertion
		t.Fatal("the press over the webhook was never answered")
	}
	stop()
	if !e.srv.Answered(q) {
		t.Error("callback over the webhook not answered")
	}
}

func TestEditKeepsTheKeyboard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.tr.Send(ctx, buttonsAlert("-1001234567890")); err != nil {
		t.Fatal(err)
	}
	edit := buttonsAlert("-1001234567890")
	edit.Kind, edit.ThreadID, edit.Sources = chat.KindEdit, "1", 2
	if _, err := e.tr.Send(ctx, edit); err != nil {
		t.Fatal(err)
	}
	m, _ := e.srv.Message(group, 1)
	if m.Edits != 1 || len(m.Buttons()) != 4 {
		t.Errorf("after an edit: %d edits, buttons %v", m.Edits, m.Buttons())
	}
}

func TestAdmins(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := clock
	a := &telegram.Admins{Transport: e.tr, Allowed: telegram.NewAllowedChats(group, user), Now: func() time.Time { return now }}
	e.srv.SetChatMember(group, 1, chattest.TelegramCreator)
	e.srv.SetChatMember(group, 2, chattest.TelegramAdministrator)
	e.srv.SetChatMember(group, 3, chattest.TelegramMember)
	for _, tc := range []struct {
		channel, user string
		want          bool
	}{
		{"-1001234567890", "1", true}, {"-1001234567890", "2", true}, {"-1001234567890", "3", false},
		{"-1001234567890", "4", false}, {"-1001234567890", "-1001234567890", true},
		{"4242", "4242", true}, {"4242", "1", false},
		{"-1009999999999", "2", false}, {"nonsense", "2", false},
	} {
		got, err := a.MayAct(ctx, tc.channel, tc.user)
		if err != nil || got != tc.want {
			t.Errorf("MayAct(%s, %s) = %v, %v; want %v", tc.channel, tc.user, got, err, tc.want)
		}
	}
	calls := len(e.srv.CallsTo("getChatMember"))
	if calls != 4 {
		t.Errorf("%d getChatMember calls, want one per group member asked about", calls)
	}
	// Answers are cached, then asked again: a demoted admin loses the right.
	e.srv.SetChatMember(group, 2, chattest.TelegramMember)
	if ok, _ := a.MayAct(ctx, "-1001234567890", "2"); !ok || len(e.srv.CallsTo("getChatMember")) != calls {
		t.Error("a cached answer was not used")
	}
	now = now.Add(telegram.DefaultAdminTTL + time.Second)
	if ok, _ := a.MayAct(ctx, "-1001234567890", "2"); ok {
		t.Error("a demoted admin may still act after the cache expired")
	}
	e.srv.FailNext("getChatMember", chattest.TelegramError(400, "Bad Request: chat not found"))
	if ok, err := a.MayAct(ctx, "-1001234567890", "5"); ok || err == nil {
		t.Errorf("getChatMember failing: %v, %v; want refused with the error", ok, err)
	}
	members := &telegram.Admins{Transport: e.tr, Allowed: telegram.NewAllowedChats(group), By: telegram.ByMembers}
	if ok, _ := members.MayAct(ctx, "-1001234567890", "3"); !ok {
		t.Error("with members, a member may not act")
	}
	for in, want := range map[string]string{"": telegram.ByAdmins, "Admins": telegram.ByAdmins, "members": telegram.ByMembers} {
		if got, err := telegram.ParseActionsBy(in); err != nil || got != want {
			t.Errorf("ParseActionsBy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := telegram.ParseActionsBy("everyone"); err == nil {
		t.Error("ParseActionsBy accepts everyone")
	}
}

func TestOpenDirect(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ch, err := e.tr.OpenDirect(ctx, "4242", "You follow story #12 <Badghis>.")
	if err != nil || ch != "4242" {
		t.Fatalf("OpenDirect: %q %v", ch, err)
	}
	if sent := e.srv.BotMessages(user); len(sent) != 1 || sent[0].Plain != "You follow story #12 <Badghis>." {
		t.Errorf("private note %+v", sent)
	}
	e.srv.NeverStarted(77)
	_, err = e.tr.OpenDirect(ctx, "77", "You follow story #12.")
	var nd *chat.NoDirectError
	if !errors.As(err, &nd) || !strings.Contains(nd.Hint, "@wirewatch_bot") || !strings.Contains(nd.Hint, "Start") {
		t.Errorf("a user who never started the bot: %v", err)
	}
	if _, err := e.tr.OpenDirect(ctx, "-100", "x"); !errors.As(err, &nd) {
		t.Errorf("a group as a user: %v", err)
	}
}
