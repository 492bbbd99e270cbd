package main

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	wwbot "github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

// telegramWatch lets a test wait for the fake Bot API's state without
// polling: every answered call wakes the waiters.
type telegramWatch struct {
	mu      sync.Mutex
	changed chan struct{}
}

func watchTelegram(api *chattest.TelegramServer) *telegramWatch {
	w := &telegramWatch{changed: make(chan struct{})}
	api.OnAnswer(func(chattest.TelegramCall) {
		w.mu.Lock()
		close(w.changed)
		w.changed = make(chan struct{})
		w.mu.Unlock()
	})
	return w
}

func (w *telegramWatch) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		w.mu.Lock()
		ch := w.changed
		w.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func TestRunTelegramEndToEnd(t *testing.T) {
	t.Parallel()
	const group, private, foreign = int64(-1001234567890), int64(4242), int64(-100999)
	api := chattest.NewTelegramServer(t)
	watch := watchTelegram(api)
	getenv := testEnv(t, map[string]string{
		"BOT_RULES":              "testdata/telegram.yaml",
		"BOT_DB":                 filepath.Join(t.TempDir(), "bot.db"),
		"BOT_SCAN_SCHEDULE":      "@every 1h",
		"TELEGRAM_BOT_TOKEN":     chattest.TelegramTestToken,
		"TELEGRAM_API_URL":       api.URL,
		"TELEGRAM_ALLOWED_CHATS": "-1001234567890",
		"LOG_LEVEL":              "info",
	})
	bot := startBot(t, getenv)

	// Per chat: the alert, one reply under it, one edit of the reply that
	// carries 000 when its copy 001 arrives.
	edited := func(chat int64) bool {
		msgs := api.BotMessages(chat)
		return len(msgs) == 2 && msgs[1].Edits == 1
	}
	watch.until(t, "alerts, replies and edits in both chats", func() bool { return edited(group) && edited(private) })
	for _, chat := range []int64{group, private} {
		msgs := api.BotMessages(chat)
		alert, reply := msgs[0], msgs[1]
		if reply.ReplyTo != alert.ID || alert.ReplyTo != 0 {
			t.Errorf("chat %d: reply_to %d, want the alert %d", chat, reply.ReplyTo, alert.ID)
		}
		if !strings.Contains(alert.Plain, "Islam Times") || alert.ParseMode != "HTML" {
			t.Errorf("chat %d: alert is not the earliest report in HTML: %q", chat, alert.Plain)
		}
		if alert.Edits != 0 || !strings.Contains(reply.Plain, "2 sources") {
			t.Errorf("chat %d: want the reply, not the alert, edited to 2 sources: %q", chat, reply.Plain)
		}
		for _, m := range msgs {
			if _, err := chattest.TelegramParseHTML(m.Text); err != nil || chattest.TelegramTextLen(m.Text) > 4096 {
				t.Errorf("chat %d message %d: invalid Telegram HTML or too long (%v)", chat, m.ID, err)
			}
		}
	}

	// The command menu is the command table's.
	var menu []string
	for _, c := range api.Commands() {
		menu = append(menu, c.Command)
	}
	var table []string
	for _, c := range wwbot.Commands() {
		if !c.Hidden {
			table = append(table, c.Name)
		}
	}
	if strings.Join(menu, " ") != strings.Join(table, " ") {
		t.Errorf("setMyCommands got %v, want the command table's %v", menu, table)
	}

	// Commands: an allowed chat gets the seeds newest first; a foreign chat
	// learns nothing.
	api.QueueMessage(group, 77, "/latest@"+chattest.TelegramTestUsername+" badghis")
	api.QueueMessage(foreign, 78, "/latest badghis")
	answered := func(chat int64, text string) bool {
		for _, m := range api.BotMessages(chat) {
			if strings.Contains(m.Plain, text) {
				return true
			}
		}
		return false
	}
	watch.until(t, "answers to /latest", func() bool {
		return answered(group, "Latest on Badghis") && len(api.BotMessages(foreign)) == 1
	})
	var latest string
	for _, m := range api.BotMessages(group) {
		if strings.Contains(m.Plain, "Latest on Badghis") {
			latest = m.Plain
		}
	}
	prev := -1
	for _, title := range []string{"Afghan forces take back", "Smoke covered", "Plumes of smoke", "The Taliban launched a major", "The Taliban launched its first"} {
		at := strings.Index(latest, title)
		if at <= prev {
			t.Fatalf("/latest badghis not the seeds newest first:\n%s", latest)
		}
		prev = at
	}
	refusal := api.BotMessages(foreign)[0].Plain
	for _, secret := range []string{"Badghis", "Qala", "Taliban", "badghis-assault", "field"} {
		if strings.Contains(refusal, secret) {
			t.Errorf("the refusal to a foreign chat reveals %q: %q", secret, refusal)
		}
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, bot.errs.String())
	}

	// After a restart the same command is not answered again: the next
	// command is answered, and nothing before it.
	before := len(api.BotMessages(group))
	again := startBot(t, getenv)
	api.QueueMessage(group, 77, "/help")
	watch.until(t, "the answer to /help after the restart", func() bool { return answered(group, "/subscribe") })
	msgs := api.BotMessages(group)
	if len(msgs) != before+1 {
		t.Errorf("after the restart %d new messages in the group, want only the /help answer", len(msgs)-before)
	}
	if strings.Contains(bot.errs.String()+again.errs.String(), chattest.TelegramTestToken) {
		t.Error("the bot token appears in the log")
	}
}
