package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// hints maps parts of the Bot API's error descriptions (lower case) to what
// the operator should do. The first match wins.
var hints = []struct{ text, hint string }{
	{"chat not found", "check the chat id in rules.yaml, and that the bot was added to the chat"},
	{"bot can't initiate conversation with a user", "the user has not started the bot: they must open a private chat with it and press Start"},
	{"bot was blocked by the user", "the user blocked the bot: they must unblock it (or send /start) before it can post"},
	{"bot was kicked", "the bot was removed from the chat: add it again"},
	{"bot is not a member", "add the bot to the chat"},
	{"need administrator rights in the channel", "make the bot an administrator of the channel with the right to post messages"},
	{"chat_write_forbidden", "the bot may not write in this chat: allow it to send messages"},
	{"not enough rights", "give the bot the right to send messages in this chat"},
	{"have no rights to send a message", "give the bot the right to send messages in this chat"},
	{"user is deactivated", "the user deleted their account: remove the chat from rules.yaml"},
	{"message to edit not found", "the message was deleted: nothing left to edit"},
	{"message can't be edited", "the message is too old or not the bot's own: it cannot be edited"},
	{"message is too long", "the message was longer than Telegram allows: report this as a bug"},
	{"can't parse entities", "the message was not valid Telegram HTML: report this as a bug"},
	{"message text is empty", "the message had no text: report this as a bug"},
	{"terminated by other getupdates request", "another process polls with the same token: run one poller only"},
	{"can't use getupdates method while webhook is active", "a webhook is set: polling deletes it at start; do not run webhook mode at the same time"},
}

// classify turns an error of the library or of the HTTP client into the
// error Send and the loops return: wrapped with the method, the token
// redacted from its message, and marked for the delivery loop. 429 carries
// retry_after; 401 and 404 (an unknown token) are auth failures; a
// timeout, a connection lost after the request was written, 502 and 504
// leave the outcome unknown; other 5xx, network errors and answers that
// are not the Bot API's JSON are transient; other 4xx are permanent, with
// a hint.
func (t *Transport) classify(method string, err error) error {
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) {
		e := chat.RedactError(fmt.Errorf("telegram %s: %w", method, err), t.secrets...)
		if chat.MaybePosted(err) {
			return chat.OutcomeUnknown(e)
		}
		return e
	}
	e := chat.RedactError(fmt.Errorf("telegram %s: error %d: %w", method, apiErr.Code, err), t.secrets...)
	switch {
	case apiErr.Code == 429 || apiErr.RetryAfter > 0:
		return chat.RetryAfter(e, time.Duration(apiErr.RetryAfter)*time.Second)
	case apiErr.Code == 502 || apiErr.Code == 504:
		// A gateway that gave up waiting: Telegram may have posted.
		return chat.OutcomeUnknown(e)
	case apiErr.Code >= 500:
		return e
	case apiErr.MigrateToChatID != 0:
		return chat.Permanent(e, fmt.Sprintf("the group became a supergroup: use chat id %d instead", apiErr.MigrateToChatID))
	case apiErr.Code == 401:
		return chat.AuthFailure(e, "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN (revoked with @BotFather?)")
	case apiErr.Code == 404:
		return chat.AuthFailure(e, "Telegram does not know this bot: check TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL")
	}
	desc := strings.ToLower(apiErr.Message)
	for _, h := range hints {
		if strings.Contains(desc, h.text) {
			return chat.Permanent(e, h.hint)
		}
	}
	switch apiErr.Code {
	case 400, 403:
		return chat.Permanent(e, "Telegram refused the request: check the chat id and the bot's rights in the chat")
	}
	return e
}

// apiError returns the Bot API error err carries, if any.
func apiError(err error) (*tgbotapi.Error, bool) {
	var e *tgbotapi.Error
	ok := errors.As(err, &e)
	return e, ok
}

// isNotModified reports an edit whose text equals the message's.
func isNotModified(err error) bool {
	e, ok := apiError(err)
	return ok && strings.Contains(strings.ToLower(e.Message), "message is not modified")
}

// secretsOf lists the forms of token that may show up in an error: as is,
// escaped in a URL, and its secret half alone.
func secretsOf(token string) []string {
	out := []string{token}
	for _, s := range []string{url.PathEscape(token), url.QueryEscape(token)} {
		if s != token {
			out = append(out, s)
		}
	}
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
		out = append(out, secret)
	}
	return out
}
