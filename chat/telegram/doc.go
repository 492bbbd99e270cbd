// Package telegram is wirewatch's Telegram transport: it posts alerts,
// thread updates, edits, digests and command replies through the Bot API
// (github.com/go-telegram-bot-api/telegram-bot-api/v5), and receives chat
// commands by long polling (Poller) or by webhook (Webhook).
//
// Messages are rendered in HTML parse mode, every piece of text escaped,
// and split below Telegram's 4096-character limit (see MaxMessageLen).
// The library's requests have no context; the Transport gives each one a
// context and a deadline through the HTTP client, makes the calls the
// library lacks (setWebhook with secret_token, setMyCommands) as raw
// requests, and runs its own getUpdates loop with persisted offsets.
//
// Errors are classified for the delivery loop (chat.RetryAfter for 429,
// transient for 5xx and network errors, chat.Permanent with an operator
// hint for the rest) and the bot token is redacted from every error and
// log line.
package telegram
