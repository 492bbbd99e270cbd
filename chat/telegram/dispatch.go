package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// RefusalFormat is the reply to a command from a chat that is not allowed,
// with the chat's id: it says nothing about rules, channels or articles,
// and gives operators the id to add to TELEGRAM_ALLOWED_CHATS.
const RefusalFormat = "This chat is not authorised to use this bot. Chat id: %d"

// Dispatcher answers the commands in Telegram updates, for Poller and
// Webhook. Commands from allowed chats go to Handler and its reply is sent
// to the same chat as a reply to the command: as a digest when its Kind is
// chat.KindDigest, as a reply otherwise, and not at all when it is empty
// (no heading, text, article or items). Commands from other chats get the
// refusal and Handler never sees them. Other messages, commands addressed
// to other bots and messages from bots are ignored.
type Dispatcher struct {
	// Transport sends the replies; its bot's username tells which
	// "/command@bot" are addressed to this bot.
	Transport *Transport
	// Handler answers the commands of allowed chats.
	Handler chat.Handler
	// Allowed are the chats whose commands reach Handler, and whose
	// button presses reach Actions.
	Allowed AllowedChats
	// Actions answers presses of alert buttons (callback queries); nil
	// answers every press "not enabled".
	Actions chat.ActionHandler
	// Logger defaults to slog.Default.
	Logger *slog.Logger
	// Menu is the command menu the Poller or Webhook sets at start
	// (setMyCommands); none is set when it is empty.
	Menu []chat.MenuItem
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}

// dispatch answers the command in u, if any. Errors are logged: an update
// is handled once, whatever the outcome.
func (d *Dispatcher) dispatch(ctx context.Context, u tgbotapi.Update) {
	if u.CallbackQuery != nil {
		d.callback(ctx, u.UpdateID, u.CallbackQuery)
		return
	}
	msg := u.Message
	if msg == nil {
		msg = u.ChannelPost
	}
	if msg == nil || msg.Chat == nil || (msg.From != nil && msg.From.IsBot) {
		return
	}
	name, args, ok := ParseCommand(msg.Text, d.Transport.Username())
	if !ok {
		return
	}
	channel := strconv.FormatInt(msg.Chat.ID, 10)
	log := d.logger().With("chat", channel, "command", name, "update", u.UpdateID)
	reply := chat.Message{Kind: chat.KindReply, Channel: channel}
	if d.Allowed.Allows(msg.Chat.ID) {
		cmd := chat.Command{Transport: "telegram", Channel: channel, User: sender(msg), UserName: senderName(msg),
			Name: name, Args: args}
		var err error
		if reply, err = d.handle(ctx, cmd); err != nil {
			log.ErrorContext(ctx, "telegram: command handler failed", "err", err)
			return
		}
		if empty(reply) {
			return
		}
		reply.Channel = channel
		if reply.Kind != chat.KindDigest {
			reply.Kind = chat.KindReply
		}
	} else {
		log.InfoContext(ctx, "telegram: command from a chat that is not allowed")
		reply.Text = fmt.Sprintf(RefusalFormat, msg.Chat.ID)
	}
	reply.ThreadID = strconv.Itoa(msg.MessageID)
	if err := d.reply(ctx, reply); err != nil {
		log.ErrorContext(ctx, "telegram: reply not sent", "err", err)
	}
}

// reply sends a command's answer at once: every part of it, in order, the
// later ones as replies to the first. It stops at the first part that
// fails and returns its error.
func (d *Dispatcher) reply(ctx context.Context, m chat.Message) error {
	parts, err := d.Transport.Split(m)
	if err != nil {
		return err
	}
	var first string
	for i, p := range parts {
		part := m
		part.Part = p
		if i > 0 {
			part.ThreadID = first
		}
		id, err := d.Transport.Send(ctx, part)
		if err != nil {
			return fmt.Errorf("part %d of %d: %w", i+1, len(parts), err)
		}
		if i == 0 {
			first = id
		}
	}
	return nil
}

// handle calls the handler, turning a panic into an error so that one bad
// command does not stop the poller.
func (d *Dispatcher) handle(ctx context.Context, c chat.Command) (m chat.Message, err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case error:
			err = fmt.Errorf("panic: %w", r)
		default:
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return d.Handler.HandleCommand(ctx, c), nil
}

// sender is the id of who sent msg: the user, or for channel posts and
// anonymous admins, the chat they posted as.
func sender(msg *tgbotapi.Message) string {
	switch {
	case msg.From != nil:
		return strconv.FormatInt(msg.From.ID, 10)
	case msg.SenderChat != nil:
		return strconv.FormatInt(msg.SenderChat.ID, 10)
	}
	return ""
}

// senderName is how the sender of msg is shown: "@username", else their
// first name, else the chat's title.
func senderName(msg *tgbotapi.Message) string {
	switch {
	case msg.From != nil:
		return userName(msg.From)
	case msg.SenderChat != nil:
		return msg.SenderChat.Title
	}
	return ""
}

func userName(u *tgbotapi.User) string {
	if u.UserName != "" {
		return "@" + u.UserName
	}
	return oneLine(u.FirstName + " " + u.LastName)
}

// empty reports a reply with nothing to show: the handler's way of saying
// "no answer".
func empty(m chat.Message) bool {
	return m.Text == "" && m.Article == nil && len(m.Items) == 0 && m.Heading == ""
}
