package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// actionsFixture is the engine fixture with delivery to recording
// transports and the action model.
type actionsFixture struct {
	*engineFixture
	actions   *Actions
	deliverer *Deliverer
	slack     *scriptedTransport
	telegram  *scriptedTransport
	auth      *fakeAuthorizer
	direct    *fakeDirect
}

type fakeAuthorizer struct{ allowed map[string]bool }

func (a *fakeAuthorizer) MayAct(_ context.Context, channel, user string) (bool, error) {
	return a.allowed[channel+"/"+user], nil
}

type fakeDirect struct {
	refuse map[string]bool
	intros []string
}

func (d *fakeDirect) OpenDirect(_ context.Context, user, intro string) (string, error) {
	if d.refuse[user] {
		return "", &chat.NoDirectError{Hint: "Start a private chat with the bot first.", Err: fmt.Errorf("403")}
	}
	d.intros = append(d.intros, intro)
	return "dm-" + user, nil
}

func newActionsFixture(t *testing.T) *actionsFixture {
	f := newEngineFixture(t)
	sl, tg := &scriptedTransport{clock: f.clock}, &scriptedTransport{clock: f.clock}
	r := &Renderer{Store: f.store, Clock: f.clock}
	d := &Deliverer{Store: f.store, Transports: map[string]chat.Transport{"slack": sl, "telegram": tg}, Renderer: r,
		Clock: f.clock, Log: slog.New(slog.DiscardHandler), Every: time.Nanosecond}
	auth := &fakeAuthorizer{allowed: map[string]bool{"-100/7": true}}
	dm := &fakeDirect{refuse: map[string]bool{}}
	m := NewMetrics()
	f.engine.Metrics = m
	a := &Actions{Store: f.store, Renderer: r, Clock: f.clock, Log: slog.New(slog.DiscardHandler), Metrics: m,
		Authorizers: map[string]chat.Authorizer{"telegram": auth},
		Direct:      map[string]chat.DirectMessenger{"slack": dm, "telegram": dm}}
	return &actionsFixture{engineFixture: f, actions: a, deliverer: d, slack: sl, telegram: tg, auth: auth, direct: dm}
}

// deliver sends every row due, moving the clock past the update interval.
func (f *actionsFixture) deliver() {
	f.t.Helper()
	f.clock.Advance(DefaultUpdateInterval + time.Second)
	for range 10 {
		n, _, err := f.deliverer.DeliverDue(context.Background())
		if err != nil {
			f.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// process processes the pending documents.
func (f *actionsFixture) process() {
	f.t.Helper()
	if _, err := processAll(context.Background(), f.engine); err != nil {
		f.t.Fatal(err)
	}
}

// sentTo returns the messages a transport sent, in order.
func sentTo(tr *scriptedTransport) []chat.Message {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []chat.Message
	for _, s := range tr.sent {
		out = append(out, s.msg)
	}
	return out
}

// alertPosted returns the alert a transport posted first and its remote id.
func (f *actionsFixture) alertPosted(tr *scriptedTransport) (chat.Message, string) {
	f.t.Helper()
	for i, m := range sentTo(tr) {
		if m.Kind == chat.KindAlert {
			if m.Controls == nil || m.Controls.Ref == "" {
				f.t.Fatalf("the alert has no buttons: %+v", m)
			}
			return m, fmt.Sprintf("remote-%d", i+1)
		}
	}
	f.t.Fatal("no alert was posted")
	return chat.Message{}, ""
}

func (f *actionsFixture) press(transport, channel, user, msgID string, d chat.ActionData) chat.ActionReply {
	f.t.Helper()
	return f.actions.HandleAction(context.Background(), chat.Action{Transport: transport, Channel: channel, User: user,
		UserName: "@" + user, MessageID: msgID, Data: d})
}

func (f *actionsFixture) count(transport, channel string) map[store.OutboxKind]int {
	f.t.Helper()
	n, err := f.store.CountMuted(context.Background(), transport, channel, time.Time{})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func kindsSent(tr *scriptedTransport) []chat.Kind {
	var out []chat.Kind
	for _, m := range sentTo(tr) {
		out = append(out, m.Kind)
	}
	return out
}

func TestMuteStoryButtonThenUndo(t *testing.T) {
	f := newActionsFixture(t)
	f.putSeed("003", day(7))
	f.process()
	f.deliver()
	alert, remote := f.alertPosted(f.slack)
	c := alert.Controls
	if c.Story == 0 || c.Scope != "assault in Badghis" || c.ScopeCommand != "assault in badghis" || c.Muted != nil {
		t.Fatalf("controls %+v", c)
	}

	reply := f.press("slack", "C1", "U1", remote, chat.ActionData{Verb: chat.VerbMuteStory, Ref: c.Ref, Arg: "6h"})
	if reply.Refused || reply.Alert == nil || reply.Alert.Controls.Muted == nil {
		t.Fatalf("mute: %+v", reply)
	}
	note := reply.Alert.Controls.Muted
	if note.For != "6h" || note.By != "@U1" || note.What != fmt.Sprintf("story #%d", c.Story) ||
		reply.Alert.Kind != chat.KindEdit || reply.Alert.ThreadID != remote {
		t.Errorf("alert after the mute: %+v, note %+v", reply.Alert, note)
	}
	if !strings.Contains(note.Status(""), "Muted 6h by @U1") {
		t.Errorf("status line %q", note.Status(""))
	}

	// The next report is not posted in the muted channel, and is counted;
	// Telegram, not muted, gets it.
	f.putSeed("004", day(7).Add(time.Hour))
	f.process()
	f.deliver()
	if got := kindsSent(f.slack); len(got) != 1 {
		t.Errorf("slack got %v after the mute, want the alert alone", got)
	}
	if got := kindsSent(f.telegram); len(got) != 2 || got[1] != chat.KindUpdate {
		t.Errorf("telegram got %v, want the alert and a reply", got)
	}
	if n := f.count("slack", "C1"); n[store.OutboxUpdate] != 1 {
		t.Errorf("muted counts %v, want one report", n)
	}
	e := scrape(t, f.actions.Metrics)
	for series, want := range map[string]float64{
		`wirewatch_reports_muted_total{transport="slack",kind="update"}`:                     1,
		`wirewatch_button_presses_total{transport="slack",action="mute_story",outcome="ok"}`: 1,
	} {
		if got := e.Samples[series]; got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}

	// Undo lifts it: the next report posts.
	undo := f.press("slack", "C1", "U2", remote, chat.ActionData{Verb: chat.VerbUnmute, Ref: c.Ref, Arg: fmt.Sprint(note.ID)})
	if undo.Refused || undo.Alert == nil || undo.Alert.Controls.Muted != nil {
		t.Fatalf("undo: %+v", undo)
	}
	f.putSeed("000", day(8))
	f.process()
	f.deliver()
	if got := kindsSent(f.slack); len(got) != 2 || got[1] != chat.KindUpdate {
		t.Errorf("slack got %v after Undo, want the alert and a reply", got)
	}
	// The same Undo again changes nothing.
	again := f.press("slack", "C1", "U2", remote, chat.ActionData{Verb: chat.VerbUnmute, Ref: c.Ref, Arg: fmt.Sprint(note.ID)})
	if again.Refused || !strings.Contains(again.Text, "already ended") {
		t.Errorf("second undo: %+v", again)
	}
}

func TestMuteScopeButtonAndExpiry(t *testing.T) {
	f := newActionsFixture(t)
	f.putSeed("003", day(7))
	f.process()
	f.deliver()
	alert, remote := f.alertPosted(f.telegram)
	reply := f.press("telegram", "-100", "7", remote, chat.ActionData{Verb: chat.VerbMuteScope, Ref: alert.Controls.Ref, Arg: "1h"})
	if reply.Refused || reply.Alert.Controls.Muted == nil || reply.Alert.Controls.Muted.What != "assault in Badghis" {
		t.Fatalf("mute scope: %+v", reply)
	}
	mutes, _ := f.store.Mutes(context.Background(), f.clock.Now())
	if len(mutes) != 1 || mutes[0].Target != "rule:assault&group:AF.02" {
		t.Fatalf("mutes %+v", mutes)
	}
	f.putSeed("004", day(7).Add(time.Hour))
	f.process()
	f.deliver() // an update interval passes, within the hour
	if got := kindsSent(f.telegram); len(got) != 1 {
		t.Errorf("telegram got %v while muted", got)
	}
	// The mute expires while the story is still open: the next report posts.
	f.clock.Advance(time.Hour)
	f.putSeed("000", day(8))
	f.process()
	f.deliver()
	if got := kindsSent(f.telegram); len(got) != 2 || got[1] != chat.KindUpdate {
		t.Errorf("telegram got %v after the mute expired, want a reply", got)
	}
}

func TestButtonPressesRefused(t *testing.T) {
	f := newActionsFixture(t)
	f.putSeed("003", day(7))
	f.process()
	f.deliver()
	sa, sremote := f.alertPosted(f.slack)
	ta, tremote := f.alertPosted(f.telegram)
	other, err := f.actions.Mute(context.Background(), Actor{Transport: "slack", Channel: "C1", User: "U9"}, "rule:other", "rule other", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ms := func(ref string) chat.ActionData {
		return chat.ActionData{Verb: chat.VerbMuteStory, Ref: ref, Arg: "6h"}
	}
	for _, tc := range []struct {
		name                         string
		transport, channel, user, id string
		data                         chat.ActionData
		want                         string
	}{
		{"unknown ref", "slack", "C1", "U1", sremote, ms("AAAAAAAAAAAA"), "not on a current alert"},
		{"another chat's button", "telegram", "-100", "7", tremote, ms(sa.Controls.Ref), "another chat"},
		{"another transport's button", "slack", "-100", "7", tremote, ms(ta.Controls.Ref), "another chat"},
		{"not on the alert", "slack", "C1", "U1", "remote-99", ms(sa.Controls.Ref), "not on story"},
		{"not an admin", "telegram", "-100", "8", tremote, ms(ta.Controls.Ref), "Not allowed"},
		{"not an admin opens the durations", "telegram", "-100", "8", tremote,
			chat.ActionData{Verb: chat.VerbMenu, Ref: ta.Controls.Ref, Arg: chat.MenuStory}, "Not allowed"},
		{"a duration no button offers", "slack", "C1", "U1", sremote, chat.ActionData{Verb: chat.VerbMuteStory, Ref: sa.Controls.Ref, Arg: "90d"}, "not one of"},
		{"undo of another mute", "slack", "C1", "U1", sremote,
			chat.ActionData{Verb: chat.VerbUnmute, Ref: sa.Controls.Ref, Arg: fmt.Sprint(other.ID)}, "cannot lift"},
	} {
		reply := f.press(tc.transport, tc.channel, tc.user, tc.id, tc.data)
		if !reply.Refused || !strings.Contains(reply.Text, tc.want) || reply.Alert != nil {
			t.Errorf("%s: %+v, want refused with %q", tc.name, reply, tc.want)
		}
	}
	mutes, _ := f.store.Mutes(context.Background(), f.clock.Now())
	if len(mutes) != 1 || mutes[0].ID != other.ID {
		t.Errorf("refused presses changed the mutes: %+v", mutes)
	}
	e := scrape(t, f.actions.Metrics)
	for series, want := range map[string]float64{
		`wirewatch_button_presses_total{transport="slack",action="mute_story",outcome="refused"}`:    4,
		`wirewatch_button_presses_total{transport="telegram",action="mute_story",outcome="refused"}`: 2,
		`wirewatch_button_presses_total{transport="telegram",action="menu",outcome="refused"}`:       1,
		`wirewatch_button_presses_total{transport="slack",action="unmute",outcome="refused"}`:        1,
	} {
		if got := e.Samples[series]; got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	// An admin may; after the buttons' lifetime nobody may.
	if r := f.press("telegram", "-100", "7", tremote, ms(ta.Controls.Ref)); r.Refused {
		t.Errorf("admin refused: %+v", r)
	}
	f.clock.Advance(DefaultButtonTTL + time.Hour)
	if r := f.press("slack", "C1", "U1", sremote, ms(sa.Controls.Ref)); !r.Refused || !strings.Contains(r.Text, "expired") {
		t.Errorf("expired button: %+v", r)
	}
}

func TestWhyAndFollowButtons(t *testing.T) {
	f := newActionsFixture(t)
	f.putSeed("003", day(7))
	f.process()
	f.deliver()
	sa, sremote := f.alertPosted(f.slack)
	why := f.press("slack", "C1", "U1", sremote, chat.ActionData{Verb: chat.VerbWhy, Ref: sa.Controls.Ref})
	if why.Refused || !strings.Contains(why.Text, fmt.Sprintf("Story #%d: rule assault", sa.Controls.Story)) || why.Alert != nil {
		t.Errorf("why: %+v", why)
	}
	fo := f.press("slack", "C1", "U1", sremote, chat.ActionData{Verb: chat.VerbFollow, Ref: sa.Controls.Ref})
	if fo.Refused || !strings.Contains(fo.Text, "You follow story") || len(f.direct.intros) != 1 {
		t.Fatalf("follow: %+v, intros %v", fo, f.direct.intros)
	}
	f.direct.refuse["8"] = true
	ta, tremote := f.alertPosted(f.telegram)
	no := f.press("telegram", "-100", "8", tremote, chat.ActionData{Verb: chat.VerbFollow, Ref: ta.Controls.Ref})
	if !no.Refused || !strings.Contains(no.Text, "Start a private chat") {
		t.Errorf("follow without a private chat: %+v", no)
	}

	// The follower's later reports come privately, batched like replies.
	f.putSeed("004", day(7).Add(time.Hour))
	f.putSeed("000", day(8))
	f.process()
	f.deliver()
	var dms []chat.Message
	for _, m := range sentTo(f.slack) {
		if m.Channel == "dm-U1" {
			dms = append(dms, m)
		}
	}
	if len(dms) != 1 || dms[0].Kind != chat.KindUpdate || len(dms[0].Items) != 2 || dms[0].ThreadID != "" ||
		!strings.Contains(dms[0].Text, "which you follow") {
		t.Fatalf("private reports %+v", dms)
	}
	if err := f.actions.Unfollow(context.Background(), Actor{Transport: "slack", User: "U1"}, sa.Controls.Story); err != nil {
		t.Fatal(err)
	}
	f.putSeed("002", day(8).Add(12*time.Hour))
	f.process()
	f.deliver()
	n := 0
	for _, m := range sentTo(f.slack) {
		if m.Channel == "dm-U1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d private reports after /unfollow, want still 1", n)
	}
}

func TestFormatFor(t *testing.T) {
	for d, want := range map[time.Duration]string{
		7 * 24 * time.Hour: "1w", 48 * time.Hour: "2d", 6 * time.Hour: "6h", 90 * time.Minute: "90m",
		6*time.Hour - 40*time.Millisecond: "6h", 0: "", -time.Hour: "",
	} {
		if got := formatFor(d); got != want {
			t.Errorf("formatFor(%v) = %q, want %q", d, got, want)
		}
	}
}

// A press that arrives while the alert's post is being recorded (its
// message is up, its row not yet marked sent) is taken: the ref ties it to
// the story and channel.
func TestPressBeforeTheAlertIsRecorded(t *testing.T) {
	f := newActionsFixture(t)
	f.putSeed("003", day(7))
	f.process()
	row, err := f.store.OutboxRow(context.Background(), alertKey(1, Dest{Transport: "slack", Channel: "C1"}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.actions.Renderer.Render(context.Background(), row)
	if err != nil || m.Controls == nil {
		t.Fatalf("render: %+v %v", m.Controls, err)
	}
	r := f.press("slack", "C1", "U1", "1625700000.000100", chat.ActionData{Verb: chat.VerbMuteStory, Ref: m.Controls.Ref, Arg: "1h"})
	if r.Refused {
		t.Errorf("press refused: %+v", r)
	}
}
