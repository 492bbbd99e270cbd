package chattest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

const actionsBlocks = `[{"type":"section","text":{"type":"mrkdwn","text":"alert"}},
{"type":"actions","block_id":"ww:ref","elements":[
 {"type":"static_select","action_id":"ms","placeholder":{"type":"plain_text","text":"Mute story…"},
  "options":[{"text":{"type":"plain_text","text":"1 hour"},"value":"ms:ref:1h"},{"text":{"type":"plain_text","text":"6 hours"},"value":"ms:ref:6h"}]},
 {"type":"button","action_id":"wy","text":{"type":"plain_text","text":"Why?"},"value":"wy:ref"}]}]`

func TestSlackServerActionsBlocks(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	post := func(blocks string) (int, map[string]any) {
		t.Helper()
		v := url.Values{"token": {chattest.SlackBotToken}, "channel": {"C1"}, "blocks": {blocks}}
		status, _, out, _ := slackPost(t, srv, "chat.postMessage", form, v.Encode(), "")
		return status, out
	}
	if _, out := post(actionsBlocks); out["ok"] != true {
		t.Fatalf("actions block refused: %v", out)
	}
	for name, blocks := range map[string]string{
		"duplicate action_id":    `[{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"x"}},{"type":"button","action_id":"a","text":{"type":"plain_text","text":"y"}}]}]`,
		"mrkdwn button":          `[{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"mrkdwn","text":"x"}}]}]`,
		"long button text":       `[{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"` + strings.Repeat("x", 76) + `"}}]}]`,
		"select without options": `[{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[]}]}]`,
		"no elements":            `[{"type":"actions","elements":[]}]`,
		"unknown element":        `[{"type":"actions","elements":[{"type":"datepicker","action_id":"a"}]}]`,
		"bad style":              `[{"type":"actions","elements":[{"type":"button","action_id":"a","style":"loud","text":{"type":"plain_text","text":"x"}}]}]`,
	} {
		if _, out := post(blocks); out["error"] != "invalid_blocks" {
			t.Errorf("%s: %v, want invalid_blocks", name, out)
		}
	}
}

func TestSlackServerInteraction(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	v := url.Values{"token": {chattest.SlackBotToken}, "channel": {"C1"}, "text": {"alert"}, "blocks": {actionsBlocks}}
	_, _, out, _ := slackPost(t, srv, "chat.postMessage", form, v.Encode(), "")
	ts := out["ts"].(string)

	if _, err := srv.Interaction(chattest.SlackClick{Channel: "C1", TS: ts, ActionID: "nope"}); err == nil {
		t.Error("a click on a missing element made a payload")
	}
	if _, err := srv.Interaction(chattest.SlackClick{Channel: "C1", TS: ts, ActionID: "ms", Option: "ms:ref:2d"}); err == nil {
		t.Error("a choice of a missing option made a payload")
	}
	in, err := srv.Interaction(chattest.SlackClick{Channel: "C1", TS: ts, ActionID: "ms", Option: "ms:ref:6h", User: "U1", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	// slack-go reads it as Slack's block_actions payload.
	req := chattest.SignedInteraction(in, "secret", time.Now())
	r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(string(req.Body)))
	r.Header.Set("Content-Type", form)
	cb, err := slack.InteractionCallbackParse(r)
	if err != nil {
		t.Fatal(err)
	}
	acts := cb.ActionCallback.BlockActions
	if cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != "U1" || cb.User.Name != "alice" ||
		cb.Channel.ID != "C1" || cb.Container.MessageTs != ts || cb.Container.ChannelID != "C1" ||
		len(acts) != 1 || acts[0].ActionID != "ms" || acts[0].BlockID != "ww:ref" ||
		acts[0].SelectedOption.Value != "ms:ref:6h" || cb.ResponseURL != srv.ResponseURL(in.Hook) ||
		len(cb.Message.Blocks.BlockSet) != 2 {
		t.Errorf("payload read back as %+v", cb)
	}
	if want := chattest.SignSlack("secret", req.Timestamp, req.Body); req.Signature != want || !strings.HasPrefix(want, "v0=") {
		t.Errorf("signature %q, want %q", req.Signature, want)
	}
	in, err = srv.Interaction(chattest.SlackClick{Channel: "C1", TS: ts, ActionID: "wy", User: "U2"})
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Actions []struct{ Type, Value string } `json:"actions"`
	}
	if err := json.Unmarshal(in.Payload, &p); err != nil || len(p.Actions) != 1 || p.Actions[0].Type != "button" || p.Actions[0].Value != "wy:ref" {
		t.Errorf("button press: %s", in.Payload)
	}
}

func TestSlackServerOpenConversation(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	api := slack.New(chattest.SlackBotToken, slack.OptionAPIURL(srv.URL()))
	ch, _, already, err := api.OpenConversationContext(context.Background(), &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || ch.ID != "D1" || srv.Direct("U1") != "D1" || already {
		t.Fatalf("conversations.open: %+v already %v err %v", ch, already, err)
	}
	again, _, already, err := api.OpenConversationContext(context.Background(), &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || again.ID != ch.ID || !already {
		t.Errorf("second conversations.open: %+v already %v err %v", again, already, err)
	}
	srv.FailNext("conversations.open", 1, chattest.SlackFailure{Error: "missing_scope"})
	if _, _, _, err := api.OpenConversationContext(context.Background(), &slack.OpenConversationParameters{Users: []string{"U2"}}); err == nil || !strings.Contains(err.Error(), "missing_scope") {
		t.Errorf("missing scope: %v", err)
	}
}

func TestTelegramServerKeyboards(t *testing.T) {
	s := chattest.NewTelegramServer(t)
	kb := `{"inline_keyboard":[[{"text":"Why?","callback_data":"wy:ref"},{"text":"Follow","callback_data":"fo:ref"}]]}`
	code, body := call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"-100"}, "text": {"alert"}, "reply_markup": {kb}})
	if code != 200 {
		t.Fatalf("sendMessage with a keyboard: %d %v", code, body)
	}
	m, _ := s.Message(-100, 1)
	if b, ok := m.Button("Follow"); !ok || b.CallbackData != "fo:ref" {
		t.Errorf("keyboard kept as %+v", m.Markup)
	}
	if kbd := body["result"].(map[string]any)["reply_markup"]; kbd == nil {
		t.Errorf("the sent message lacks its reply_markup: %v", body)
	}
	for name, bad := range map[string]string{
		"65 bytes of data": `{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("a", 65) + `"}]]}`,
		"no data":          `{"inline_keyboard":[[{"text":"x"}]]}`,
		"no text":          `{"inline_keyboard":[[{"text":"","callback_data":"a"}]]}`,
	} {
		if code, body := call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"-100"}, "text": {"x"}, "reply_markup": {bad}}); code != 400 {
			t.Errorf("%s: %d %v", name, code, body)
		}
	}
	other := `{"inline_keyboard":[[{"text":"Undo","callback_data":"um:ref:3"}]]}`
	edit := url.Values{"chat_id": {"-100"}, "message_id": {"1"}, "reply_markup": {other}}
	if code, body := call(t, s, s.Token, "editMessageReplyMarkup", edit); code != 200 {
		t.Fatalf("editMessageReplyMarkup: %d %v", code, body)
	}
	if code, body := call(t, s, s.Token, "editMessageReplyMarkup", edit); code != 400 || !strings.Contains(body["description"].(string), "not modified") {
		t.Errorf("the same markup again: %d %v", code, body)
	}
	if m, _ = s.Message(-100, 1); m.MarkupEdits != 1 || m.Buttons()[0] != "Undo" {
		t.Errorf("after the edit: %+v", m)
	}
	// editMessageText without reply_markup drops the keyboard, as Telegram does.
	if code, _ := call(t, s, s.Token, "editMessageText", url.Values{"chat_id": {"-100"}, "message_id": {"1"}, "text": {"alert, 2 sources"}}); code != 200 {
		t.Fatal(code)
	}
	if m, _ = s.Message(-100, 1); m.Markup != nil {
		t.Errorf("editMessageText kept the keyboard: %+v", m.Markup)
	}
	s.NeverStarted(77)
	if code, body := call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"77"}, "text": {"hi"}}); code != 403 {
		t.Errorf("a user who never started the bot: %d %v", code, body)
	}
	s.Start(77)
	if code, _ := call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"77"}, "text": {"hi"}}); code != 200 {
		t.Errorf("after Start: %d", code)
	}
}

func TestTelegramServerCallbacks(t *testing.T) {
	s := chattest.NewTelegramServer(t)
	upd, q := s.QueueCallbackQuery(-100, 1, 7, "wy:ref")
	code, body := call(t, s, s.Token, "getUpdates", url.Values{"allowed_updates": {`["callback_query"]`}})
	res := body["result"].([]any)
	if code != 200 || len(res) != 1 {
		t.Fatalf("getUpdates: %d %v", code, body)
	}
	cq := res[0].(map[string]any)["callback_query"].(map[string]any)
	if int(res[0].(map[string]any)["update_id"].(float64)) != upd || cq["id"] != q || cq["data"] != "wy:ref" ||
		cq["from"].(map[string]any)["id"] != float64(7) || cq["message"].(map[string]any)["chat"].(map[string]any)["id"] != float64(-100) {
		t.Errorf("callback query %v", cq)
	}
	if code, _ := call(t, s, s.Token, "answerCallbackQuery", url.Values{"callback_query_id": {q}, "text": {strings.Repeat("x", 201)}}); code != 400 {
		t.Errorf("201-character answer: %d", code)
	}
	if code, _ := call(t, s, s.Token, "answerCallbackQuery", url.Values{"callback_query_id": {q}, "text": {"Muted"}, "show_alert": {"true"}}); code != 200 || !s.Answered(q) {
		t.Errorf("answer: %d", code)
	}
	if code, _ := call(t, s, s.Token, "answerCallbackQuery", url.Values{"callback_query_id": {q}}); code != 400 {
		t.Errorf("a second answer: %d", code)
	}
	if code, _ := call(t, s, s.Token, "answerCallbackQuery", url.Values{"callback_query_id": {"forged"}}); code != 400 {
		t.Errorf("an unknown query: %d", code)
	}
	if a := s.CallbackAnswers(); len(a) != 1 || a[0].Text != "Muted" || !a[0].ShowAlert {
		t.Errorf("answers %+v", a)
	}
	member := func(chat, user string) string {
		_, body := call(t, s, s.Token, "getChatMember", url.Values{"chat_id": {chat}, "user_id": {user}})
		r, _ := body["result"].(map[string]any)
		st, _ := r["status"].(string)
		return st
	}
	s.SetChatMember(-100, 8, chattest.TelegramAdministrator)
	for _, tc := range [][3]string{{"-100", "7", "member"}, {"-100", "8", "administrator"}, {"-100", "9", "left"}, {"9", "9", "member"}} {
		if got := member(tc[0], tc[1]); got != tc[2] {
			t.Errorf("getChatMember(%s, %s) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
