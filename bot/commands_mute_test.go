package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// cmdAs runs a command as user in a channel.
func (f *routerFixture) cmdAs(transport, channel, user, name, args string) chat.Message {
	return f.router.HandleCommand(context.Background(), chat.Command{Transport: transport, Channel: channel, User: user,
		UserName: "@" + user, Name: name, Args: args})
}

func (f *routerFixture) story(t *testing.T) store.Story {
	t.Helper()
	st, err := f.store.CreateStory(context.Background(), store.Story{Rule: "assault", Key: "AF.02", KeyName: "Badghis, Afghanistan",
		First: day(7), Last: day(7), CreatedAt: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMuteCommandsListAndLift(t *testing.T) {
	f := newRouterFixture(t)
	st := f.story(t)
	id := fmt.Sprint(st.ID)
	m := f.cmd("mute", "story "+id+" 6h")
	if !strings.Contains(m.Text, "Muted story #"+id+" here for 6h") {
		t.Fatalf("mute story: %q", m.Text)
	}
	if m := f.cmd("mute", "assault in badghes 1w"); !strings.Contains(m.Text, "Muted assault in Badghis here for 1w") {
		t.Fatalf("mute rule in region: %q", m.Text)
	}
	for args, want := range map[string]string{
		"story 999 1h":           "no story #999",
		"story x 1h":             "not a story number",
		"nothing in badghis 1h":  "not a rule",
		"assault in atlantis 1h": "not a known region",
		"badghis 100d":           "too long",
	} {
		if m := f.cmd("mute", args); !strings.Contains(m.Text, want) {
			t.Errorf("mute %s: %q, want %q", args, m.Text, want)
		}
	}
	mutes, _ := f.store.Mutes(context.Background(), f.clock.Now())
	targets := []string{}
	for _, mu := range mutes {
		targets = append(targets, mu.Target)
	}
	if strings.Join(targets, " ") != "rule:assault&admin1:AF.02 story:"+id {
		t.Fatalf("targets %v", targets)
	}

	list := f.cmd("mutes", "").Text
	line := regexp.MustCompile(`#(\d+) story #` + id + `, until 2021-07-08 15:00 UTC \(6h\), by U1`)
	sm := line.FindStringSubmatch(list)
	if sm == nil || !strings.Contains(list, "assault in Badghis, until 2021-07-15 09:00 UTC (1w), by U1") {
		t.Fatalf("/mutes:\n%s", list)
	}
	if other := f.cmdAs("slack", "C2", "U1", "mutes", "").Text; other != "Nothing is muted here." {
		t.Errorf("/mutes in another channel: %q", other)
	}
	if rules := f.cmd("rules", "").Text; !strings.Contains(rules, "Muted here:\n#") {
		t.Errorf("/rules lacks the mutes:\n%s", rules)
	}
	if status := f.cmd("status", "").Text; !strings.Contains(status, "2 mutes in force here") {
		t.Errorf("/status lacks the mutes:\n%s", status)
	}

	if m := f.cmdAs("slack", "C2", "U1", "unmute", sm[1]); !strings.Contains(m.Text, "no mute #"+sm[1]+" here") {
		t.Errorf("unmute from another channel: %q", m.Text)
	}
	if m := f.cmd("unmute", sm[1]); !strings.Contains(m.Text, "Unmuted story #"+id) {
		t.Errorf("unmute by number: %q", m.Text)
	}
	if m := f.cmd("unmute", "assault in Badghis"); !strings.Contains(m.Text, "Unmuted assault in Badghis") {
		t.Errorf("unmute by what: %q", m.Text)
	}
	if m := f.cmd("unmute", "herat"); !strings.Contains(m.Text, "Nothing muted here matches") {
		t.Errorf("unmute of nothing: %q", m.Text)
	}
	if m := f.cmd("mutes", ""); m.Text != "Nothing is muted here." {
		t.Errorf("/mutes after unmuting: %q", m.Text)
	}
}

func TestMuteCommandsNeedAnAdmin(t *testing.T) {
	f := newRouterFixture(t)
	f.router.Actions.Authorizers = map[string]chat.Authorizer{"telegram": &fakeAuthorizer{allowed: map[string]bool{"-100/7": true}}}
	if m := f.cmdAs("telegram", "-100", "8", "mute", "badghis 1h"); m.Text != NotAllowedText {
		t.Errorf("mute by a member: %q", m.Text)
	}
	if m := f.cmdAs("telegram", "-100", "7", "mute", "badghis 1h"); !strings.Contains(m.Text, "Muted Badghis") {
		t.Fatalf("mute by an admin: %q", m.Text)
	}
	if m := f.cmdAs("telegram", "-100", "8", "unmute", "badghis"); m.Text != NotAllowedText {
		t.Errorf("unmute by a member: %q", m.Text)
	}
	if m := f.cmdAs("telegram", "-100", "8", "mutes", ""); !strings.Contains(m.Text, "Badghis") {
		t.Errorf("a member cannot see the mutes: %q", m.Text)
	}
	mutes, _ := f.store.Mutes(context.Background(), f.clock.Now())
	if len(mutes) != 1 {
		t.Errorf("mutes %+v", mutes)
	}
}

func TestMutedAlertsCounted(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	for i, kind := range []store.OutboxKind{store.OutboxAlert, store.OutboxAlert, store.OutboxAlert, store.OutboxUpdate} {
		if err := f.store.RecordMuted(ctx, store.MutedReport{Transport: "slack", Channel: "C1", Story: int64(i + 1), Doc: "d",
			Kind: kind, MuteID: 1, At: f.clock.Now().Add(-time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.RecordMuted(ctx, store.MutedReport{Transport: "slack", Channel: "C1", Story: 9, Doc: "d",
		Kind: store.OutboxAlert, MuteID: 1, At: f.clock.Now().Add(-25 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if s := f.cmd("status", "").Text; !strings.Contains(s, "3 alerts and 1 report muted here in the last 24 h.") {
		t.Errorf("/status:\n%s", s)
	}
	if s := f.cmdAs("slack", "C2", "U1", "status", "").Text; strings.Contains(s, "muted here in the last") {
		t.Errorf("/status of another channel counts these:\n%s", s)
	}
}

func TestFollowCommands(t *testing.T) {
	f := newRouterFixture(t)
	dm := &fakeDirect{refuse: map[string]bool{"9": true}}
	f.router.Actions.Direct = map[string]chat.DirectMessenger{"slack": dm, "telegram": dm}
	st := f.story(t)
	id := fmt.Sprint(st.ID)
	if m := f.cmd("follow", ""); !strings.Contains(m.Text, "You follow no story") {
		t.Errorf("/follow with nothing followed: %q", m.Text)
	}
	if m := f.cmd("follow", "#"+id); !strings.Contains(m.Text, "You follow story #"+id) || len(dm.intros) != 1 {
		t.Fatalf("/follow: %q", m.Text)
	}
	if !strings.Contains(dm.intros[0], "Badghis, Afghanistan · assault") {
		t.Errorf("private note %q", dm.intros[0])
	}
	if m := f.cmd("follow", ""); !strings.Contains(m.Text, "#"+id+" Badghis, Afghanistan · assault") {
		t.Errorf("/follow list: %q", m.Text)
	}
	if m := f.cmdAs("telegram", "-100", "9", "follow", id); !strings.Contains(m.Text, "Start a private chat") {
		t.Errorf("/follow without a private chat: %q", m.Text)
	}
	if m := f.cmd("follow", "999"); !strings.Contains(m.Text, "no story #999") {
		t.Errorf("/follow unknown: %q", m.Text)
	}
	if m := f.cmd("unfollow", id); !strings.Contains(m.Text, "no longer follow") {
		t.Errorf("/unfollow: %q", m.Text)
	}
	if m := f.cmd("unfollow", id); !strings.Contains(m.Text, "do not follow") {
		t.Errorf("/unfollow twice: %q", m.Text)
	}
	fs, _ := f.store.Followers(context.Background(), st.ID)
	if len(fs) != 0 {
		t.Errorf("followers %+v", fs)
	}
}
