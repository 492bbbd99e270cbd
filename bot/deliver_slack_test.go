package bot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/slack"
	"github.com/wirewatch/wirewatch/store"
)

func newSlack(t *testing.T, api *chattest.SlackServer, clock Clock, opts ...slack.Option) *slack.Transport {
	t.Helper()
	api.Now = clock.Now
	return slack.New(chattest.SlackBotToken, append([]slack.Option{slack.WithAPIURL(api.URL())}, opts...)...)
}

// TestSlackLaterPartFailingKeepsFirstEditable: an update too long for one
// Slack message whose second part is refused for good loses that part
// alone; the first part's message stays recorded as sent, and an edit of
// it goes through.
func TestSlackLaterPartFailingKeepsFirstEditable(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newSlack(t, api, clock))
	api.FailNext("chat.postMessage", 2, chattest.SlackFailure{}) // the alert, the update's first part
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "invalid_blocks"})

	enqueueMsg(t, st, "alert/1", "slack", "C1", "", chat.Message{Kind: chat.KindAlert, Heading: "Badghis · assault",
		Article: &items("Lead", 1)[0], Sources: 1})
	update := chat.Message{Kind: chat.KindUpdate, Text: "Story #1: 80 more reports", Items: items("Report", 80)}
	enqueueMsg(t, st, "update/1", "slack", "C1", "alert/1", update)
	drain(t, d, st, clock, 200)

	up := row(t, st, "update/1")
	part := row(t, st, "update/1/part/2")
	if up.State != store.Sent || up.RemoteID == "" {
		t.Fatalf("the update's row after its second part failed: %+v, want sent", up)
	}
	if part.State != store.Dead || !strings.Contains(part.LastError, "invalid_blocks") {
		t.Fatalf("the second part: %+v, want dead-lettered alone", part)
	}
	alert := row(t, st, "alert/1")
	if msg, ok := api.Message("C1", up.RemoteID); !ok || msg.ThreadTS != alert.RemoteID {
		t.Fatalf("the first part %s is not in the alert's thread: %+v", up.RemoteID, msg)
	}

	edit := update
	edit.Kind, edit.Sources = chat.KindEdit, 2
	edit.Items[0].Source = "AFP, France 24 (2 sources)"
	enqueueMsg(t, st, "edit/1", "slack", "C1", "update/1", edit)
	drain(t, d, st, clock, 200)
	if r := row(t, st, "edit/1"); r.State != store.Sent {
		t.Fatalf("the edit: %+v", r)
	}
	msg, _ := api.Message("C1", up.RemoteID)
	if msg.Updates != 1 || !strings.Contains(string(msg.Blocks), "2 sources") {
		t.Errorf("the first part after the edit: %d updates, blocks %.300s", msg.Updates, msg.Blocks)
	}
}

// TestSlackLateAnswerNotPostedTwice: posts that Slack made but answered
// after the client's timeout are found by their metadata, in the
// channel's history or in their thread, and not posted again; a post
// that did not happen is sent again once.
func TestSlackLateAnswerNotPostedTwice(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newSlack(t, api, clock))
	d.SendTimeout = 300 * time.Millisecond
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Late: true})  // the digest's first part
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Late: true})  // its second part, in its thread
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Status: 504}) // its third part: not posted

	enqueueMsg(t, st, "digest/daily", "slack", "C1", "", chat.Message{Kind: chat.KindDigest, Heading: "afghanistan-daily",
		Items: items("Story", 120)})
	drain(t, d, st, clock, 500)

	msgs := api.Messages("C1")
	if len(msgs) != 3 {
		t.Fatalf("%d messages in the channel, want the digest's 3 parts once each", len(msgs))
	}
	if calls := api.CallsTo("chat.postMessage"); len(calls) != 4 {
		t.Errorf("%d posts, want 4: three parts and the third again", len(calls))
	}
	first := row(t, st, "digest/daily")
	if first.State != store.Sent || first.RemoteID != msgs[0].TS {
		t.Errorf("the digest's row: %+v, want sent as %s", first, msgs[0].TS)
	}
	for _, m := range msgs[1:] {
		if m.ThreadTS != msgs[0].TS {
			t.Errorf("part %s in thread %q, want %q", m.TS, m.ThreadTS, msgs[0].TS)
		}
	}
	if len(api.CallsTo("conversations.history")) == 0 || len(api.CallsTo("conversations.replies")) == 0 {
		t.Errorf("looked up neither the history nor the thread")
	}
	for series, want := range map[string]float64{
		`wirewatch_outcome_unknown_total{transport="slack",kind="digest"}`:   1,
		`wirewatch_outcome_unknown_total{transport="slack",kind="part"}`:     2,
		`wirewatch_reconciled_total{transport="slack",kind="digest"}`:        1,
		`wirewatch_reconciled_total{transport="slack",kind="part"}`:          1,
		`wirewatch_possible_duplicates_total{transport="slack",kind="part"}`: 0,
	} {
		if got := metric(d.Metrics, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

// TestSlackRateLimitPausesChannelInOrder: 45 s of 429 with Retry-After 20
// on one channel cost at most 3 calls to it; its messages then go out in
// the order they were queued, and another channel delivers meanwhile.
func TestSlackRateLimitPausesChannelInOrder(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newSlack(t, api, clock))
	start := clock.Now()
	api.Outage("chat.postMessage", "C1", start.Add(45*time.Second),
		chattest.SlackFailure{Status: http.StatusTooManyRequests, RetryAfter: 20 * time.Second, Error: "ratelimited"})
	for i := range 8 {
		for _, ch := range []string{"C1", "C2"} {
			clock.Advance(time.Millisecond)
			enqueueMsg(t, st, fmt.Sprintf("alert/%s/%d", ch, i), "slack", ch, "",
				chat.Message{Kind: chat.KindReply, Text: fmt.Sprintf("%s alert %d", ch, i)})
		}
	}
	drain(t, d, st, clock, 500)

	calls := 0
	for _, c := range api.CallsTo("chat.postMessage") {
		if c.Params.Get("channel") == "C1" && c.At.Before(start.Add(45*time.Second)) {
			calls++
		}
		if c.Params.Get("channel") == "C2" && c.Status != http.StatusOK {
			t.Errorf("C2 call refused: %+v", c)
		}
	}
	t.Logf("%d calls to C1 during the outage", calls)
	if calls > 3 || calls == 0 {
		t.Errorf("%d calls to C1 during 45 s of 429 with Retry-After 20, want 1 to 3", calls)
	}
	for _, ch := range []string{"C1", "C2"} {
		msgs := api.Messages(ch)
		if len(msgs) != 8 {
			t.Fatalf("%s: %d messages, want 8", ch, len(msgs))
		}
		for i, m := range msgs {
			if want := fmt.Sprintf("%s alert %d", ch, i); !strings.Contains(m.Text, want) {
				t.Errorf("%s message %d is %q, want %q: order lost", ch, i, m.Text, want)
			}
		}
	}
	if last := api.Messages("C2")[7]; tsTime(last.TS).After(start.Add(45 * time.Second)) {
		t.Errorf("C2 waited for C1's rate limit: its last message at %s", tsTime(last.TS))
	}
	if r := row(t, st, "alert/C1/0"); r.Attempts != 1 {
		t.Errorf("C1's first alert counted %d attempts; rate limits do not count", r.Attempts)
	}
}

// TestSlackEditRateLimitHoldsEditsEverywhere: chat.update is limited per
// workspace, so its 429 holds edits in every channel, not posts.
func TestSlackEditRateLimitHoldsEditsEverywhere(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newSlack(t, api, clock))
	for _, ch := range []string{"C1", "C2"} {
		enqueueMsg(t, st, "alert/"+ch, "slack", ch, "", chat.Message{Kind: chat.KindAlert, Heading: "x", Article: &items("A", 1)[0]})
	}
	drain(t, d, st, clock, 50)
	api.RateLimit("chat.update", 1, 30*time.Second)
	start := clock.Now()
	for _, ch := range []string{"C1", "C2"} {
		enqueueMsg(t, st, "edit/"+ch, "slack", ch, "alert/"+ch, chat.Message{Kind: chat.KindEdit, Heading: "x", Article: &items("A", 1)[0], Sources: 2})
		enqueueMsg(t, st, "post/"+ch, "slack", ch, "", chat.Message{Kind: chat.KindReply, Text: "later " + ch})
	}
	drain(t, d, st, clock, 500)
	updates := api.CallsTo("chat.update")
	if len(updates) != 3 {
		t.Fatalf("%d chat.update calls, want the refused one and one per channel", len(updates))
	}
	for _, c := range updates[1:] {
		if c.At.Before(start.Add(30 * time.Second)) {
			t.Errorf("an edit of %s went out %s after a 429 asking for 30s", c.Params.Get("channel"), c.At.Sub(start))
		}
	}
}

// TestTelegramRefusedTokenLeavesSlackDelivering: a Telegram token revoked
// mid-run pauses Telegram alone; its messages wait, uncounted, Slack
// delivers, Health and metrics say so, and Telegram resumes once the token
// works again.
func TestTelegramRefusedTokenLeavesSlackDelivering(t *testing.T) {
	tg := chattest.NewTelegramServer(t)
	sl := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newTelegram(t, tg), newSlack(t, sl, clock))
	token := tg.Token
	tg.SetToken("7312345678:AARevokedRevokedRevokedRevokedRevok")
	for i := range 3 {
		clock.Advance(time.Millisecond)
		enqueueMsg(t, st, fmt.Sprintf("tg/%d", i), "telegram", "-100123", "", chat.Message{Kind: chat.KindReply, Text: fmt.Sprintf("tg %d", i)})
		enqueueMsg(t, st, fmt.Sprintf("sl/%d", i), "slack", "C1", "", chat.Message{Kind: chat.KindReply, Text: fmt.Sprintf("slack %d", i)})
	}
	ctx := context.Background()
	for range 10 {
		d.DeliverDue(ctx)
		clock.Advance(time.Second)
	}
	if n := len(sl.Messages("C1")); n != 3 {
		t.Fatalf("Slack delivered %d of 3 while Telegram's token was refused", n)
	}
	if n := len(tg.CallsTo("sendMessage")); n != 1 {
		t.Errorf("%d calls to Telegram with a refused token, want 1 before the pause", n)
	}
	if r := row(t, st, "tg/0"); r.State != store.Pending || r.Attempts != 0 {
		t.Errorf("Telegram's first row: %+v, want pending, attempt not counted", r)
	}
	if up := d.Health.Up(); up["telegram"] || !up["slack"] {
		t.Errorf("health %v, want telegram down, slack up", up)
	}
	if p := d.Health.Problems(); len(p) != 1 || !p[0].Auth || !strings.Contains(p[0].String(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("problems %+v, want the refused token with its hint", p)
	}

	tg.SetToken(token)
	drain(t, d, st, clock, 500)
	if msgs := tg.BotMessages(-100123); len(msgs) != 3 || !strings.Contains(msgs[0].Plain, "tg 0") {
		t.Fatalf("Telegram after the token works again: %+v", msgs)
	}
	if up := d.Health.Up(); !up["telegram"] {
		t.Errorf("health after recovery %v", up)
	}
}

func tsTime(ts string) time.Time {
	var sec, us int64
	fmt.Sscanf(ts, "%d.%d", &sec, &us)
	return time.Unix(sec, us*1000).UTC()
}

// TestSlackLookupRefusedSendsAgain: when Slack refuses the lookup (the app
// lacks channels:history), the message is sent again and counted as a
// possible duplicate rather than left waiting.
func TestSlackLookupRefusedSendsAgain(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, payloadRenderer{}, newSlack(t, api, clock))
	d.SendTimeout = 300 * time.Millisecond
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Late: true})
	api.FailNext("conversations.history", 1, chattest.SlackFailure{Error: "missing_scope"})
	enqueueMsg(t, st, "alert/1", "slack", "C1", "", chat.Message{Kind: chat.KindReply, Text: "Taliban enter Qala-i-Naw"})
	drain(t, d, st, clock, 200)
	if n := len(api.Messages("C1")); n != 2 {
		t.Errorf("%d messages, want the late one and the one sent again", n)
	}
	for series, want := range map[string]float64{
		`wirewatch_reconcile_errors_total{transport="slack",kind="reply"}`:    1,
		`wirewatch_possible_duplicates_total{transport="slack",kind="reply"}`: 1,
	} {
		if got := metric(d.Metrics, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if up := d.Health.Up(); !up["slack"] {
		t.Error("a refused lookup marked Slack down")
	}
}
