package chattest

import (
	"encoding/json"
	"strconv"
)

// TelegramButton is a button of an inline keyboard.
// Specs: https://core.telegram.org/bots/api#inlinekeyboardbutton
type TelegramButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// telegramMaxCallbackData is the most bytes a button's callback_data may
// take.
const telegramMaxCallbackData = 64

// Keyboard returns the message's inline keyboard, nil when it has none.
func (m TelegramMessage) Keyboard() [][]TelegramButton { return m.Markup }

// Button returns the first button of the message's keyboard whose text is
// text.
func (m TelegramMessage) Button(text string) (TelegramButton, bool) {
	for _, row := range m.Markup {
		for _, b := range row {
			if b.Text == text {
				return b, true
			}
		}
	}
	return TelegramButton{}, false
}

// Buttons returns the texts of the keyboard's buttons, row after row.
func (m TelegramMessage) Buttons() []string {
	var out []string
	for _, row := range m.Markup {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// telegramMarkup reads the reply_markup parameter: an inline keyboard, or
// nothing. Other keyboards are refused: the bot has no use for them.
func telegramMarkup(p map[string]string) ([][]TelegramButton, *telegramError) {
	raw, ok := p["reply_markup"]
	if !ok || raw == "" || raw == "null" {
		return nil, nil
	}
	var m struct {
		InlineKeyboard *[][]TelegramButton `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, telegramBadRequest("can't parse reply keyboard markup JSON object")
	}
	if m.InlineKeyboard == nil {
		return nil, telegramBadRequest("unsupported reply_markup in this fake: want inline_keyboard")
	}
	for _, row := range *m.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.Text == "":
				return nil, telegramBadRequest("can't parse inline keyboard button: text buttons are unallowed in the inline keyboard")
			case (b.CallbackData == "") == (b.URL == ""):
				return nil, telegramBadRequest("can't parse inline keyboard button: exactly one of callback_data and url must be set")
			case len(b.CallbackData) > telegramMaxCallbackData:
				return nil, telegramBadRequest("BUTTON_DATA_INVALID")
			}
		}
	}
	if len(*m.InlineKeyboard) == 0 {
		return nil, nil
	}
	return *m.InlineKeyboard, nil
}

func sameMarkup(a, b [][]TelegramButton) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// Specs: https://core.telegram.org/bots/api#editmessagereplymarkup
func (s *TelegramServer) editMessageReplyMarkup(p map[string]string) (any, *telegramError) {
	markup, apiErr := telegramMarkup(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, apiErr := s.editableLocked(p, func(m *TelegramMessage) bool { return sameMarkup(m.Markup, markup) })
	if apiErr != nil {
		return nil, apiErr
	}
	m.Markup = markup
	m.MarkupEdits++
	return s.wire(m, s.me()), nil
}

// editableLocked returns the bot's message that p names (chat_id,
// message_id) for an edit, or the Bot API's error: not found, not the
// bot's, or (same reports it) not modified. s.mu must be held.
func (s *TelegramServer) editableLocked(p map[string]string, same func(*TelegramMessage) bool) (*TelegramMessage, *telegramError) {
	id, apiErr := telegramChatID(p)
	if apiErr != nil {
		return nil, apiErr
	}
	msgID, _ := strconv.Atoi(p["message_id"])
	m, ok := s.chat(id).messages[msgID]
	switch {
	case !ok:
		return nil, telegramBadRequest("message to edit not found")
	case !m.FromBot:
		return nil, telegramBadRequest("message can't be edited")
	case same(m):
		return nil, telegramBadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	return m, nil
}

// wireMarkup adds m's keyboard to its wire form.
func wireMarkup(out map[string]any, m *TelegramMessage) {
	if len(m.Markup) > 0 {
		out["reply_markup"] = map[string]any{"inline_keyboard": m.Markup}
	}
}

// checkPrivate refuses a message to a user who never started the bot.
func (s *TelegramServer) checkPrivate(chatID int64) *telegramError {
	if chatID > 0 && s.neverStarted[chatID] {
		return &telegramError{code: 403, desc: "Forbidden: bot can't initiate conversation with a user"}
	}
	return nil
}

// NeverStarted marks user as one who never opened a private chat with the
// bot: messages to them fail with 403, as Telegram answers.
func (s *TelegramServer) NeverStarted(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.neverStarted[user] = true
}

// Start records that user opened a private chat with the bot and pressed
// Start.
func (s *TelegramServer) Start(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.neverStarted, user)
}
