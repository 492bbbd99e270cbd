package bot

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/store"
)

func newTelegram(t *testing.T, api *chattest.TelegramServer, opts ...telegram.Option) *telegram.Transport {
	t.Helper()
	tr, err := telegram.New(context.Background(), api.Token, api.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// queueLongMessages queues, for one chat, a digest of 120 stories and a
// long reply of 150 reports threaded under it.
func queueLongMessages(t *testing.T, st store.Store, chatID int64) {
	ch := strconv.FormatInt(chatID, 10)
	enqueueMsg(t, st, "digest/"+ch, "telegram", ch, "", chat.Message{Kind: chat.KindDigest, Heading: "afghanistan-daily",
		Text: "120 stories since yesterday", Items: items("Story", 120)})
	enqueueMsg(t, st, "reply/"+ch, "telegram", ch, "digest/"+ch, chat.Message{Kind: chat.KindReply,
		Heading: "Badghis · provincial-capital-assault", Text: "Story #7: 150 more reports", Items: items("Report", 150)})
}

// TestTelegramLongMessagesArriveWholeUnderFaults sends a digest of 120
// stories and a long reply through the real client, once without faults
// and once with 429s, 5xx and dropped connections on the later parts:
// both chats get the same parts, in order, each once, each valid
// Telegram HTML under 4,096 characters.
func TestTelegramLongMessagesArriveWholeUnderFaults(t *testing.T) {
	const clean, faulty = int64(-1001111111111), int64(-1002222222222)
	api := chattest.NewTelegramServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, &Renderer{Store: st}, newTelegram(t, api))

	queueLongMessages(t, st, clean)
	drain(t, d, st, clock, 2000)
	want := api.BotMessages(clean)
	if len(want) < 6 {
		t.Fatalf("%d messages for a digest of 120 stories and a reply of 150 reports: want several parts each", len(want))
	}

	queueLongMessages(t, st, faulty)
	api.FailNext("sendMessage",
		chattest.TelegramPass, // the digest's first part
		chattest.TelegramRetryAfter(7),
		chattest.TelegramError(500, "Internal Server Error"),
		chattest.TelegramPass,
		chattest.TelegramFailure{Drop: true},
		chattest.TelegramFailure{Status: 502, Raw: "<html>Bad Gateway</html>"},
		chattest.TelegramPass,
		chattest.TelegramRetryAfter(30),
		chattest.TelegramError(503, "Service Unavailable"),
		chattest.TelegramPass,
		chattest.TelegramRetryAfter(3),
	)
	drain(t, d, st, clock, 5000)
	failed := 0
	for _, c := range api.CallsTo("sendMessage") {
		if c.Status != 200 {
			failed++
		}
	}
	if failed != 7 { // the dropped connection is not answered, so not recorded
		t.Fatalf("%d failed calls recorded, want the 7 answered faults: the test proves nothing", failed)
	}
	got := api.BotMessages(faulty)
	if len(got) != len(want) {
		t.Fatalf("%d messages under faults, %d without", len(got), len(want))
	}
	firstOf := map[int]int{} // reply_to of each message -> the chat's message it answers
	for i := range got {
		if got[i].Text != want[i].Text {
			t.Errorf("part %d differs from the fault-free run:\n got %.200q\nwant %.200q", i+1, got[i].Text, want[i].Text)
		}
		if _, err := chattest.TelegramParseHTML(got[i].Text); err != nil || chattest.TelegramTextLen(got[i].Plain) > chattest.TelegramMaxText ||
			len([]rune(got[i].Text)) > 4096 {
			t.Errorf("part %d: invalid Telegram HTML or too long (%v)", i+1, err)
		}
		if (got[i].ReplyTo == 0) != (want[i].ReplyTo == 0) || got[i].ReplyTo-got[0].ID != want[i].ReplyTo-want[0].ID {
			t.Errorf("part %d replies to %d; without faults to the message %d after the first", i+1, got[i].ReplyTo, want[i].ReplyTo-want[0].ID)
		}
		firstOf[got[i].ReplyTo]++
	}
	stats, _ := st.OutboxStats(context.Background())
	if stats[store.Dead] != 0 {
		t.Errorf("%d rows dead-lettered", stats[store.Dead])
	}
	if n := metric(d.Metrics, `wirewatch_possible_duplicates_total{transport="telegram",kind="part"}`); n != 2 {
		t.Errorf("%v possible duplicates counted, want 2 (the dropped connection and the 502)", n)
	}
	// The later parts went in their own rows, each delivered once.
	r := row(t, st, "digest/"+strconv.FormatInt(faulty, 10)+"/part/2")
	if r.State != store.Sent || r.Kind != store.OutboxPart {
		t.Errorf("part 2 row: %+v", r)
	}
}

// TestTelegramLateAnswerCountedAsPossibleDuplicate: Telegram offers no
// way to ask whether a message was posted, so a send answered after the
// client's timeout is sent again and counted.
func TestTelegramLateAnswerCountedAsPossibleDuplicate(t *testing.T) {
	api := chattest.NewTelegramServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	d := realDeliverer(st, clock, &Renderer{Store: st}, newTelegram(t, api, telegram.WithSendTimeout(300*time.Millisecond)))
	api.FailNext("sendMessage", chattest.TelegramLate)
	enqueueMsg(t, st, "alert/1", "telegram", "4242", "", chat.Message{Kind: chat.KindReply, Text: "Taliban enter Qala-i-Naw"})

	if n, _, _ := d.DeliverDue(context.Background()); n != 1 {
		t.Fatal("not attempted")
	}
	r := row(t, st, "alert/1")
	if since, ok := store.ParseUnknownOutcome(r.LastError); r.State != store.Pending || !ok || !since.Equal(clock.Now()) {
		t.Fatalf("after a late answer: %+v, want pending with an unknown outcome", r)
	}
	clock.Advance(DefaultSettle - time.Second)
	if n, _, _ := d.DeliverDue(context.Background()); n != 0 {
		t.Fatal("sent again before the settle time")
	}
	drain(t, d, st, clock, 100)
	if got := len(api.BotMessages(4242)); got != 2 {
		t.Errorf("%d messages: the late one and the one sent again", got)
	}
	for series, want := range map[string]float64{
		`wirewatch_outcome_unknown_total{transport="telegram",kind="reply"}`:     1,
		`wirewatch_possible_duplicates_total{transport="telegram",kind="reply"}`: 1,
	} {
		if got := metric(d.Metrics, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}
