package chattest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TelegramMessage is a message in a chat of the fake: one the bot sent, or
// a user's message made for an update.
type TelegramMessage struct {
	// ChatID is the chat it is in.
	ChatID int64
	// ID is its message_id, numbered per chat from 1.
	ID int
	// Text is the text as sent: Telegram HTML when ParseMode is "HTML".
	Text string
	// ParseMode is the parse_mode it was sent with.
	ParseMode string
	// Plain is the text as users see it.
	Plain string
	// ReplyTo is the id of the message it replies to, or zero.
	ReplyTo int
	// NoPreview records disable_web_page_preview.
	NoPreview bool
	// FromBot is true for messages the bot sent.
	FromBot bool
	// Edits counts the editMessageText calls that changed it.
	Edits int
	// Markup is its inline keyboard (nil: none).
	Markup [][]TelegramButton
	// MarkupEdits counts the editMessageReplyMarkup calls that changed it.
	MarkupEdits int
}

// telegramChat holds a chat's messages.
type telegramChat struct {
	messages map[int]*TelegramMessage
	next     int
}

// chat returns chat id, creating it; s.mu must be held.
func (s *TelegramServer) chat(id int64) *telegramChat {
	c := s.chats[id]
	if c == nil {
		c = &telegramChat{messages: map[int]*TelegramMessage{}, next: 1}
		s.chats[id] = c
	}
	return c
}

// add stores m in its chat with the next id; s.mu must be held.
func (s *TelegramServer) add(m TelegramMessage) *TelegramMessage {
	c := s.chat(m.ChatID)
	m.ID = c.next
	c.next++
	c.messages[m.ID] = &m
	return &m
}

// Messages returns the messages of a chat, in order.
func (s *TelegramServer) Messages(chatID int64) []TelegramMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TelegramMessage
	if c := s.chats[chatID]; c != nil {
		for _, m := range c.messages {
			out = append(out, *m)
		}
	}
	slices.SortFunc(out, func(a, b TelegramMessage) int { return a.ID - b.ID })
	return out
}

// BotMessages returns the messages the bot sent to a chat, in order.
func (s *TelegramServer) BotMessages(chatID int64) []TelegramMessage {
	var out []TelegramMessage
	for _, m := range s.Messages(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// Message returns one message of a chat.
func (s *TelegramServer) Message(chatID int64, id int) (TelegramMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		if m, ok := c.messages[id]; ok {
			return *m, true
		}
	}
	return TelegramMessage{}, false
}

// DeleteMessage deletes a message, as a chat admin would.
func (s *TelegramServer) DeleteMessage(chatID int64, id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		delete(c.messages, id)
	}
}

func (s *TelegramServer) me() map[string]any {
	return map[string]any{
		"id": s.BotID, "is_bot": true, "first_name": "wirewatch", "username": s.BotUsername,
		"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
	}
}

// telegramChatType guesses a chat's type from its id: supergroups and
// channels have ids below -10^12, basic groups other negative ids.
func telegramChatType(id int64) string {
	switch {
	case id < -1_000_000_000_000:
		return "supergroup"
	case id < 0:
		return "group"
	}
	return "private"
}

// wire is m as the Bot API's Message object.
func (s *TelegramServer) wire(m *TelegramMessage, from map[string]any) map[string]any {
	out := map[string]any{
		"message_id": m.ID,
		"date":       time.Now().Unix(),
		"chat":       map[string]any{"id": m.ChatID, "type": telegramChatType(m.ChatID)},
		"text":       m.Plain,
	}
	if from != nil {
		out["from"] = from
	}
	wireMarkup(out, m)
	return out
}

// telegramChatID reads the chat_id parameter.
func telegramChatID(p map[string]string) (int64, *telegramError) {
	v := p["chat_id"]
	if v == "" {
		return 0, telegramBadRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, telegramBadRequest("chat not found")
	}
	return id, nil
}

// telegramMessageText checks text and returns what users would see.
func telegramMessageText(p map[string]string) (string, *telegramError) {
	text := p["text"]
	plain := text
	switch strings.ToLower(p["parse_mode"]) {
	case "":
	case "html":
		var err error
		if plain, err = TelegramParseHTML(text); err != nil {
			return "", telegramBadRequest("can't parse entities: " + err.Error())
		}
	default:
		return "", telegramBadRequest("unsupported parse_mode in this fake: " + p["parse_mode"])
	}
	switch {
	case strings.TrimSpace(plain) == "":
		return "", telegramBadRequest("message text is empty")
	case TelegramTextLen(plain) > TelegramMaxText:
		return "", telegramBadRequest("message is too long")
	}
	return plain, nil
}

// Specs: https://core.telegram.org/bots/api#sendmessage
func (s *TelegramServer) sendMessage(p map[string]string) (any, *telegramError) {
	id, apiErr := telegramChatID(p)
	if apiErr != nil {
		return nil, apiErr
	}
	plain, apiErr := telegramMessageText(p)
	if apiErr != nil {
		return nil, apiErr
	}
	markup, apiErr := telegramMarkup(p)
	if apiErr != nil {
		return nil, apiErr
	}
	m := TelegramMessage{ChatID: id, Text: p["text"], ParseMode: p["parse_mode"], Plain: plain,
		NoPreview: p["disable_web_page_preview"] == "true", FromBot: true, Markup: markup}
	s.mu.Lock()
	defer s.mu.Unlock()
	if apiErr := s.checkPrivate(id); apiErr != nil {
		return nil, apiErr
	}
	if v := p["reply_to_message_id"]; v != "" {
		to, _ := strconv.Atoi(v)
		if _, ok := s.chat(id).messages[to]; ok {
			m.ReplyTo = to
		} else if p["allow_sending_without_reply"] != "true" {
			return nil, telegramBadRequest("message to be replied not found")
		}
	}
	return s.wire(s.add(m), s.me()), nil
}

// Specs: https://core.telegram.org/bots/api#editmessagetext
func (s *TelegramServer) editMessageText(p map[string]string) (any, *telegramError) {
	if _, apiErr := telegramChatID(p); apiErr != nil {
		return nil, apiErr
	}
	plain, apiErr := telegramMessageText(p)
	if apiErr != nil {
		return nil, apiErr
	}
	// Without reply_markup an edit removes the message's keyboard.
	markup, apiErr := telegramMarkup(p)
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, apiErr := s.editableLocked(p, func(m *TelegramMessage) bool {
		return m.Text == p["text"] && m.ParseMode == p["parse_mode"] && sameMarkup(m.Markup, markup)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	m.Text, m.ParseMode, m.Plain = p["text"], p["parse_mode"], plain
	m.NoPreview = p["disable_web_page_preview"] == "true"
	m.Markup = markup
	m.Edits++
	return s.wire(m, s.me()), nil
}

var (
	telegramCommandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	telegramSecret      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Specs: https://core.telegram.org/bots/api#setmycommands
func (s *TelegramServer) setMyCommands(p map[string]string) (any, *telegramError) {
	var cmds []TelegramBotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return nil, telegramBadRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, telegramBadRequest("too many commands")
	}
	for _, c := range cmds {
		if !telegramCommandName.MatchString(c.Command) {
			return nil, telegramBadRequest(fmt.Sprintf("BOT_COMMAND_INVALID: %q", c.Command))
		}
		if n := TelegramTextLen(c.Description); n < 1 || n > 256 {
			return nil, telegramBadRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = cmds
	return true, nil
}

// Specs: https://core.telegram.org/bots/api#setwebhook
func (s *TelegramServer) setWebhook(p map[string]string) (any, *telegramError) {
	wh := TelegramWebhook{URL: p["url"], SecretToken: p["secret_token"]}
	if wh.URL == "" {
		return nil, telegramBadRequest("bad webhook: an HTTPS URL must be provided for webhook")
	}
	if wh.SecretToken != "" && !telegramSecret.MatchString(wh.SecretToken) {
		return nil, telegramBadRequest("bad webhook: secret token contains unallowed characters")
	}
	if v := p["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &wh.AllowedUpdates); err != nil {
			return nil, telegramBadRequest("can't parse allowed_updates JSON array")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = wh
	return true, nil
}

// Specs: https://core.telegram.org/bots/api#deletewebhook
func (s *TelegramServer) deleteWebhook(p map[string]string) (any, *telegramError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = TelegramWebhook{}
	if p["drop_pending_updates"] == "true" {
		s.updates = nil
	}
	return true, nil
}
