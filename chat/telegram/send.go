package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// Split renders m as Telegram HTML and cuts it with SplitHTML into parts
// of at most MaxMessageLen, each well-formed on its own. A part is the
// JSON string of its HTML. It implements chat.Splitter.
func (t *Transport) Split(m chat.Message) ([]chat.Part, error) {
	texts := SplitHTML(Render(m), MaxMessageLen)
	if len(texts) == 0 {
		return nil, chat.Permanent(fmt.Errorf("telegram: message to %s has no text", m.Channel), "report this as a bug")
	}
	parts := make([]chat.Part, len(texts))
	for i, s := range texts {
		b, err := json.Marshal(s)
		if err != nil {
			return nil, chat.Permanent(fmt.Errorf("telegram: encoding part %d: %w", i+1, err), "report this as a bug")
		}
		parts[i] = b
	}
	return parts, nil
}

// Send posts one Telegram message and returns its message_id. It never
// waits and never retries: pacing and retries are the delivery loop's.
//
// A message with a Part posts that part (as Split rendered it); any other
// alert, digest or reply posts the first part of its rendering (callers
// that want it whole use Split and send each part). A ThreadID (always so
// for updates and for later parts, and for replies to a command) makes it
// a reply to that message, and it is still sent when that message was
// deleted. Edits rewrite ThreadID with editMessageText, keeping the first
// part; an edit that changes nothing succeeds. An alert's Controls become
// an inline keyboard (see Keyboard) on the message that carries them (the
// first part: later parts carry none), and an edit keeps them. InChannel
// is ignored: Telegram has no replies only the asker sees.
//
// Errors are classified for the delivery loop: chat.RetryAfter for 429,
// chat.AuthFailure when the token is refused, chat.OutcomeUnknown when the
// request may have been posted without an answer saying so, chat.Permanent
// with a hint for errors no retry fixes. They never contain the token.
//
// Specs: https://core.telegram.org/bots/api#sendmessage
func (t *Transport) Send(ctx context.Context, m chat.Message) (string, error) {
	to, err := parseChat(m.Channel)
	if err != nil {
		return "", err
	}
	var thread int
	if m.ThreadID != "" {
		if thread, err = parseMessageID(m.ThreadID); err != nil {
			return "", err
		}
	}
	switch m.Kind {
	case chat.KindEdit:
		if thread == 0 {
			return "", chat.Permanent(fmt.Errorf("telegram: edit of chat %s without a message id", m.Channel), "report this as a bug")
		}
		return t.edit(ctx, to, thread, SplitHTML(Render(m), MaxMessageLen)[0], Keyboard(m.Controls, ""))
	case chat.KindAlert, chat.KindUpdate, chat.KindDigest, chat.KindReply:
	default:
		return "", chat.Permanent(fmt.Errorf("telegram: unknown message kind %q", m.Kind), "report this as a bug")
	}
	text, err := t.partText(m)
	if err != nil {
		return "", err
	}
	id, err := t.sendPart(ctx, to, text, thread, Keyboard(m.Controls, ""))
	if err != nil {
		return "", err
	}
	return strconv.Itoa(id), nil
}

// partText is the HTML Send posts for m: its Part, or the first part of
// its rendering.
func (t *Transport) partText(m chat.Message) (string, error) {
	if len(m.Part) > 0 {
		var s string
		if err := json.Unmarshal(m.Part, &s); err != nil || s == "" {
			return "", chat.Permanent(fmt.Errorf("telegram: a message part for %s is not Telegram HTML", m.Channel), "report this as a bug")
		}
		return s, nil
	}
	parts, err := t.Split(m)
	if err != nil {
		return "", err
	}
	var s string
	_ = json.Unmarshal(parts[0], &s) // written by Split
	return s, nil
}

// sendPart sends one message of Telegram HTML, with keyboard when not nil,
// and returns its id.
func (t *Transport) sendPart(ctx context.Context, to chatRef, text string, replyTo int, keyboard *tgbotapi.InlineKeyboardMarkup) (int, error) {
	cfg := tgbotapi.MessageConfig{
		BaseChat: tgbotapi.BaseChat{
			ChatID:                   to.id,
			ChannelUsername:          to.username,
			ReplyToMessageID:         replyTo,
			AllowSendingWithoutReply: replyTo != 0,
		},
		Text:                  text,
		ParseMode:             tgbotapi.ModeHTML,
		DisableWebPagePreview: !t.preview,
	}
	if keyboard != nil {
		cfg.ReplyMarkup = keyboard
	}
	var sent tgbotapi.Message
	err := t.call(ctx, "sendMessage", t.sendTimeout, func(b *tgbotapi.BotAPI) error {
		var err error
		sent, err = b.Send(cfg)
		return err
	})
	return sent.MessageID, err
}

// edit rewrites message id of a chat, keeping keyboard under it (an edit
// without one removes the message's keyboard).
//
// Specs: https://core.telegram.org/bots/api#editmessagetext
func (t *Transport) edit(ctx context.Context, to chatRef, id int, text string, keyboard *tgbotapi.InlineKeyboardMarkup) (string, error) {
	cfg := tgbotapi.EditMessageTextConfig{
		BaseEdit: tgbotapi.BaseEdit{
			ChatID:          to.id,
			ChannelUsername: to.username,
			MessageID:       id,
			ReplyMarkup:     keyboard,
		},
		Text:                  text,
		ParseMode:             tgbotapi.ModeHTML,
		DisableWebPagePreview: !t.preview,
	}
	err := t.call(ctx, "editMessageText", t.sendTimeout, func(b *tgbotapi.BotAPI) error {
		_, err := b.Send(cfg)
		return err
	})
	if err != nil && !isNotModified(err) {
		return "", err
	}
	return strconv.Itoa(id), nil
}
