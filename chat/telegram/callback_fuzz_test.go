package telegram

import (
	"encoding/json"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// FuzzCallbackQuery feeds updates, as Telegram would post them, to the
// reading of button presses: it never panics; a press it accepts comes from
// an allowed chat and carries an alert button's data; anything else gets a
// refusal to answer with.
func FuzzCallbackQuery(f *testing.F) {
	f.Add(`{"update_id":1,"callback_query":{"id":"q","from":{"id":4242,"username":"a"},"message":{"message_id":1,"chat":{"id":-1001234567890,"type":"supergroup"}},"data":"ms:Ab3dEf9hJk2L:6h"}}`)
	f.Add(`{"update_id":2,"callback_query":{"id":"q","from":{"id":4242},"inline_message_id":"x","data":"wy:R"}}`)
	f.Add(`{"update_id":3,"callback_query":{"id":"q","from":{"id":1},"message":{"message_id":9,"chat":{"id":-1009999999999}},"data":"mn:R:s"}}`)
	f.Add(`{"update_id":4,"callback_query":{"id":"q","message":{"message_id":1,"chat":{"id":-1001234567890}},"data":"` + "\u202e" + `"}}`)
	f.Add(`{"update_id":5,"callback_query":null}`)
	d := &Dispatcher{Allowed: NewAllowedChats(-1001234567890)}
	f.Fuzz(func(t *testing.T, body string) {
		var u tgbotapi.Update
		if json.Unmarshal([]byte(body), &u) != nil || u.CallbackQuery == nil {
			return
		}
		a, refusal := d.pressOf(u.CallbackQuery)
		if refusal != "" {
			if len([]rune(refusal)) > maxAnswer {
				t.Fatalf("refusal %q is too long to answer", refusal)
			}
			return
		}
		q := u.CallbackQuery
		if q.Message.Chat.ID != -1001234567890 || a.Channel != strconv.FormatInt(q.Message.Chat.ID, 10) {
			t.Fatalf("press %+v from chat %d accepted", a, q.Message.Chat.ID)
		}
		if back, err := chat.ParseActionData(a.Data.String()); err != nil || back != a.Data || a.Data.String() != q.Data {
			t.Fatalf("press data %+v from %q", a.Data, q.Data)
		}
	})
}
