package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

func TestTelegramButtonsMuteUndoAndFollow(t *testing.T) {
	t.Parallel()
	const (
		group, foreign       = int64(-1001234567890), int64(-1009999999999)
		admin, member, other = int64(4242), int64(13), int64(5151)
		stranger             = int64(77)
	)
	api := chattest.NewTelegramServer(t)
	watch := watchTelegram(api)
	api.SetChatMember(group, admin, chattest.TelegramAdministrator)
	api.SetChatMember(group, member, chattest.TelegramMember)
	api.NeverStarted(stranger)
	corpus := t.TempDir()
	addSeed(t, corpus, "003")
	bot := startBot(t, testEnv(t, map[string]string{
		"BOT_RULES": "testdata/telegram.yaml", "BOT_CORPUS_DIR": corpus, "BOT_DB": filepath.Join(t.TempDir(), "bot.db"),
		"BOT_SCAN_SCHEDULE": "@every 1s", "TELEGRAM_BOT_TOKEN": chattest.TelegramTestToken, "TELEGRAM_API_URL": api.URL,
		"TELEGRAM_ALLOWED_CHATS": "-1001234567890", "LOG_LEVEL": "info",
	}))
	botMsgs := func(chat int64) []chattest.TelegramMessage { return api.BotMessages(chat) }
	watch.until(t, "the alert in the group", func() bool { return len(botMsgs(group)) == 1 })
	alert := botMsgs(group)[0]
	if got := strings.Join(alert.Buttons(), "|"); !strings.HasPrefix(got, "Mute story|Mute badghis-assault in Badghis|Why?|Follow") {
		t.Fatalf("the alert's keyboard: %q", got)
	}
	story := regexp.MustCompile(`Story #(\d+)`).FindStringSubmatch(alert.Plain)[1]

	// press presses a button of the alert as it is now and waits for the
	// answer to the press.
	var queries []string
	press := func(chat, from int64, text string) chattest.TelegramCallbackAnswer {
		t.Helper()
		m, _ := api.Message(group, alert.ID)
		b, ok := m.Button(text)
		if !ok {
			t.Fatalf("no button %q on %v", text, m.Buttons())
		}
		_, q := api.QueueCallbackQuery(chat, alert.ID, from, b.CallbackData)
		queries = append(queries, q)
		watch.until(t, "the answer to "+text, func() bool { return api.Answered(q) })
		answers := api.CallbackAnswers()
		return answers[len(answers)-1]
	}

	// A member who is not an administrator, and a foreign chat, change nothing.
	if a := press(group, member, "Mute story"); !strings.Contains(a.Text, "Not allowed") || !a.ShowAlert {
		t.Errorf("a member's press answered %+v", a)
	}
	if a := press(foreign, admin, "Mute story"); !strings.Contains(a.Text, "Not allowed") {
		t.Errorf("a press from a foreign chat answered %+v", a)
	}
	if m, _ := api.Message(group, alert.ID); m.MarkupEdits != 0 {
		t.Fatalf("refused presses changed the keyboard: %v", m.Buttons())
	}

	// The administrator mutes the story for 6 hours.
	press(group, admin, "Mute story")
	watch.until(t, "the choice of durations", func() bool { m, _ := api.Message(group, alert.ID); return m.MarkupEdits == 1 })
	if a := press(group, admin, "6h"); !strings.Contains(a.Text, "Muted story #"+story+" here for 6h") {
		t.Errorf("the mute answered %+v", a)
	}
	watch.until(t, "the Undo button", func() bool {
		m, _ := api.Message(group, alert.ID)
		_, ok := m.Button("Undo: muted 6h by @analyst4242")
		return ok
	})
	addSeed(t, corpus, "004")
	bot.errs.waitFor(t, "msg=\"report muted\"", 1)
	watch.until(t, "the reply in the private chat, which is not muted", func() bool { return len(botMsgs(admin)) == 2 })
	if n := len(botMsgs(group)); n != 1 {
		t.Fatalf("%d messages in the muted group, want the alert alone", n)
	}

	// /mutes and /unmute as commands; then Undo with the button.
	api.QueueMessage(group, member, "/mutes")
	watch.until(t, "the answer to /mutes", func() bool { return len(botMsgs(group)) == 2 })
	if got := botMsgs(group)[1].Plain; !strings.Contains(got, "story #"+story+", until") || !strings.Contains(got, "by @analyst4242") ||
		!strings.Contains(got, "1 report muted here in the last 24 h.") {
		t.Errorf("/mutes:\n%s", got)
	}
	api.QueueMessage(group, member, "/unmute story "+story)
	watch.until(t, "the answer to /unmute", func() bool { return len(botMsgs(group)) == 3 })
	if got := botMsgs(group)[2].Plain; !strings.Contains(got, "Only those who manage this channel may /unmute") {
		t.Errorf("/unmute by a member: %q", got)
	}
	if a := press(group, admin, "Undo: muted 6h by @analyst4242"); !strings.Contains(a.Text, "Unmuted story #"+story) {
		t.Errorf("Undo answered %+v", a)
	}

	// Follow: the later reports come to the follower's private chat; one
	// who never started the bot is told how.
	if a := press(group, stranger, "Follow"); !strings.Contains(a.Text, "press Start") {
		t.Errorf("follow by a stranger answered %+v", a)
	}
	if a := press(group, other, "Follow"); !strings.Contains(a.Text, "You follow story #"+story) {
		t.Errorf("follow answered %+v", a)
	}
	addSeed(t, corpus, "000")
	watch.until(t, "the report in the group and the follower's chat", func() bool {
		return len(botMsgs(group)) == 4 && len(botMsgs(other)) == 2
	})
	if reply := botMsgs(group)[3]; reply.ReplyTo != alert.ID {
		t.Errorf("the report after Undo is not a reply to the alert: %+v", reply)
	}
	if dm := botMsgs(other); !strings.Contains(dm[0].Plain, "You follow story #"+story) || !strings.Contains(dm[1].Plain, "which you follow") {
		t.Errorf("the follower's chat: %+v", dm)
	}
	if n := len(botMsgs(stranger)); n != 0 {
		t.Errorf("%d messages to the stranger", n)
	}
	// An administrator's /mute and /unmute work as commands too.
	api.QueueMessage(group, admin, "/mute story "+story+" 1h")
	watch.until(t, "the answer to /mute", func() bool { return len(botMsgs(group)) == 5 })
	id := regexp.MustCompile(`\(mute #(\d+)\)`).FindStringSubmatch(botMsgs(group)[4].Plain)
	if id == nil {
		t.Fatalf("/mute by the administrator: %q", botMsgs(group)[4].Plain)
	}
	api.QueueMessage(group, admin, "/unmute "+id[1])
	watch.until(t, "the answer to /unmute", func() bool { return len(botMsgs(group)) == 6 })
	if got := botMsgs(group)[5].Plain; !strings.Contains(got, "Unmuted story #"+story) {
		t.Errorf("/unmute by the administrator: %q", got)
	}
	for _, q := range queries {
		if !api.Answered(q) {
			t.Errorf("press %s not answered", q)
		}
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, bot.errs.String())
	}
}
