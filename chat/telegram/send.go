package telegram

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// partRetries is how often Send tries a later part of a long message before
// giving it up.
const partRetries = 3

// Send posts m and returns the Telegram message_id of what it posted.
//
// Alerts, digests and replies are sent with sendMessage; a message with a
// ThreadID (always so for updates, and for replies to a command) replies to
// that message, and is still sent when it was deleted. Edits rewrite
// ThreadID with editMessageText; an edit that changes nothing succeeds. A
// message longer than MaxMessageLen is split with SplitHTML and its parts
// are sent in order, one ChatInterval or GroupInterval apart, the later
// ones as replies to the first; Send returns the first part's id. Once the
// first part is posted Send reports success: a later part that still fails
// after retries is logged, not returned, because retrying the whole
// message would post the first part twice. An edit keeps only the first
// part. InChannel is ignored: Telegram has no replies only the asker sees.
//
// Errors are classified for the delivery loop (chat.RetryAfter for 429,
// chat.Permanent with a hint for errors no retry fixes) and never contain
// the token.
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
		return t.edit(ctx, to, thread, SplitHTML(Render(m), MaxMessageLen)[0])
	case chat.KindAlert, chat.KindUpdate, chat.KindDigest, chat.KindReply:
	default:
		return "", chat.Permanent(fmt.Errorf("telegram: unknown message kind %q", m.Kind), "report this as a bug")
	}
	parts := SplitHTML(Render(m), MaxMessageLen)
	first, err := t.sendPart(ctx, to, parts[0], thread)
	if err != nil {
		return "", err
	}
	every := t.RateLimit(m.Channel).Every
	for k, p := range parts[1:] {
		if err := t.sendLater(ctx, to, p, first, every); err != nil {
			t.log.ErrorContext(ctx, "telegram: part of a long message not sent",
				"chat", m.Channel, "part", k+2, "parts", len(parts), "err", err)
			break
		}
	}
	return strconv.Itoa(first), nil
}

// sendLater sends a later part of a message, after waiting every, retrying
// a few times.
func (t *Transport) sendLater(ctx context.Context, to chatRef, text string, first int, every time.Duration) error {
	wait := every
	var err error
	for attempt := 1; attempt <= partRetries; attempt++ {
		if err := t.sleep(ctx, wait); err != nil {
			return fmt.Errorf("telegram: waiting to send: %w", err)
		}
		if _, err = t.sendPart(ctx, to, text, first); err == nil || chat.IsPermanent(err) {
			return err
		}
		wait = backoff(attempt, time.Minute)
		if d, ok := chat.RetryAfterOf(err); ok {
			wait = d
		}
	}
	return err
}

// sendPart sends one message of Telegram HTML and returns its id.
func (t *Transport) sendPart(ctx context.Context, to chatRef, text string, replyTo int) (int, error) {
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
	var sent tgbotapi.Message
	err := t.call(ctx, "sendMessage", t.timeout, func(b *tgbotapi.BotAPI) error {
		var err error
		sent, err = b.Send(cfg)
		return err
	})
	return sent.MessageID, err
}

// edit rewrites message id of a chat.
//
// Specs: https://core.telegram.org/bots/api#editmessagetext
func (t *Transport) edit(ctx context.Context, to chatRef, id int, text string) (string, error) {
	cfg := tgbotapi.EditMessageTextConfig{
		BaseEdit: tgbotapi.BaseEdit{
			ChatID:          to.id,
			ChannelUsername: to.username,
			MessageID:       id,
		},
		Text:                  text,
		ParseMode:             tgbotapi.ModeHTML,
		DisableWebPagePreview: !t.preview,
	}
	err := t.call(ctx, "editMessageText", t.timeout, func(b *tgbotapi.BotAPI) error {
		_, err := b.Send(cfg)
		return err
	})
	if err != nil && !isNotModified(err) {
		return "", err
	}
	return strconv.Itoa(id), nil
}
