package telegram

import (
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// keyboardPicture draws a keyboard under a message, one row a line, each
// button with the data its press carries.
func keyboardPicture(k *tgbotapi.InlineKeyboardMarkup) string {
	if k == nil {
		return ""
	}
	var b strings.Builder
	for _, row := range k.InlineKeyboard {
		for i, btn := range row {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString("[" + btn.Text + " → " + *btn.CallbackData + "]")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func controls() *chat.Controls {
	return &chat.Controls{Ref: "Ab3dEf9hJk2L", Story: 12, Scope: "provincial-capital-assault in Badghis",
		ScopeCommand: "provincial-capital-assault in badghis"}
}

func alertWithButtons() chat.Message {
	return chat.Message{Kind: chat.KindAlert, Channel: "-1001234567890",
		Heading: "Badghis · provincial-capital-assault", Article: qalaINaw(), Text: "Story #12",
		Outlets: []string{"AFP", "France 24"}, Sources: 2, Why: "taliban + all-out assault in Qala-i-Naw",
		Controls: controls()}
}

func TestKeyboardGolden(t *testing.T) {
	muted := controls()
	muted.Muted = &chat.MuteNote{ID: 3, What: "story #12", For: "6h", By: "@alice",
		Until: time.Date(2021, 7, 8, 15, 0, 0, 0, time.UTC)}
	m := alertWithButtons()
	for _, tc := range []struct {
		name string
		c    *chat.Controls
		menu string
	}{
		{"alert-buttons", controls(), ""},
		{"alert-buttons-mute-story", controls(), chat.MenuStory},
		{"alert-buttons-mute-scope", controls(), chat.MenuScope},
		{"alert-buttons-muted", muted, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := Keyboard(tc.c, tc.menu)
			for _, row := range k.InlineKeyboard {
				for _, b := range row {
					if b.CallbackData == nil || len(*b.CallbackData) > chat.MaxActionData || b.Text == "" {
						t.Errorf("button %+v", b)
					}
					if _, err := chat.ParseActionData(*b.CallbackData); err != nil {
						t.Errorf("button %q: %v", b.Text, err)
					}
				}
			}
			golden(t, tc.name, Render(m)+"\n"+keyboardPicture(k))
		})
	}
	if Keyboard(nil, "") != nil || Keyboard(&chat.Controls{}, "") != nil {
		t.Error("a keyboard without controls")
	}
	// A muted alert offers no durations, whatever the menu asked.
	if k := Keyboard(muted, chat.MenuStory); !strings.HasPrefix(k.InlineKeyboard[0][0].Text, "Undo") {
		t.Errorf("menu of a muted alert: %+v", k.InlineKeyboard)
	}
}
