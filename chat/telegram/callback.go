package telegram

import (
	"context"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// Answers to presses that never reach the action handler.
const (
	notAllowedChatText = "Not allowed: this chat may not use this bot."
	notButtonText      = "This button is not one of this bot's alerts: nothing changed."
	noActionsText      = "Buttons are not enabled for this bot."
)

// maxAnswer is the most characters answerCallbackQuery shows.
const maxAnswer = 200

// callback answers a press of an inline keyboard button: it is checked
// (the chat must be allowed, the data an alert button's), passed to
// Actions, and the keyboard is updated in place when the press changed
// the alert (or opened or closed the choice of durations). Every press
// gets an answerCallbackQuery, whatever happens, so the user's client
// stops waiting; refusals come as an alert the user must dismiss.
func (d *Dispatcher) callback(ctx context.Context, update int, q *tgbotapi.CallbackQuery) {
	log := d.logger().With("update", update, "callback", q.ID)
	reply := chat.ActionReply{Text: notButtonText, Refused: true}
	defer func() { d.answerCallback(ctx, q.ID, reply, log.With("refused", reply.Refused)) }()
	a, refusal := d.pressOf(q)
	if refusal != "" {
		log.InfoContext(ctx, "telegram: button press refused", "why", refusal, "data", q.Data)
		reply.Text = refusal
		return
	}
	if d.Actions == nil {
		reply.Text = noActionsText
		return
	}
	reply = d.handleAction(ctx, a)
	if reply.Refused || reply.Alert == nil || reply.Alert.Controls == nil {
		return
	}
	menu := ""
	if a.Data.Verb == chat.VerbMenu {
		menu = a.Data.Arg
	}
	if err := d.Transport.EditKeyboard(ctx, q.Message.Chat.ID, q.Message.MessageID, Keyboard(reply.Alert.Controls, menu)); err != nil {
		log.WarnContext(ctx, "telegram: keyboard not updated after a press", "err", err)
	}
}

// pressOf reads a callback query as a press of an alert's button; refusal
// says why it is none: a button of an inline message, a chat that is not
// allowed, data that is not an alert button's.
func (d *Dispatcher) pressOf(q *tgbotapi.CallbackQuery) (a chat.Action, refusal string) {
	if q.Message == nil || q.Message.Chat == nil || q.From == nil {
		return a, notButtonText
	}
	if !d.Allowed.Allows(q.Message.Chat.ID) {
		return a, notAllowedChatText
	}
	data, err := chat.ParseActionData(q.Data)
	if err != nil {
		return a, notButtonText
	}
	return chat.Action{Transport: "telegram", Channel: strconv.FormatInt(q.Message.Chat.ID, 10),
		User: strconv.FormatInt(q.From.ID, 10), UserName: userName(q.From),
		MessageID: strconv.Itoa(q.Message.MessageID), Data: data}, ""
}

// handleAction calls Actions, turning a panic into an apology.
func (d *Dispatcher) handleAction(ctx context.Context, a chat.Action) (reply chat.ActionReply) {
	defer func() {
		if v := recover(); v != nil {
			d.logger().ErrorContext(ctx, "telegram: action handler panicked", "action", a.Data.Verb, "panic", fmt.Sprint(v))
			reply = chat.ActionReply{Text: "Sorry, that failed. The error is in the bot's log."}
		}
	}()
	return d.Actions.HandleAction(ctx, a)
}

// answerCallback answers a callback query with the reply's text: a
// notification, or an alert to dismiss for refusals and long answers.
func (d *Dispatcher) answerCallback(ctx context.Context, id string, reply chat.ActionReply, log interface {
	WarnContext(ctx context.Context, msg string, args ...any)
}) {
	text := shorten(reply.Text, maxAnswer)
	cfg := tgbotapi.NewCallback(id, text)
	cfg.ShowAlert = reply.Refused || len([]rune(reply.Text)) > 100
	if err := d.Transport.call(ctx, "answerCallbackQuery", d.Transport.timeout, func(b *tgbotapi.BotAPI) error {
		_, err := b.Request(cfg)
		return err
	}); err != nil {
		log.WarnContext(ctx, "telegram: callback query not answered", "err", err)
	}
}

// EditKeyboard replaces the inline keyboard of message id of a chat (nil
// removes it). An edit that changes nothing succeeds.
//
// Specs: https://core.telegram.org/bots/api#editmessagereplymarkup
func (t *Transport) EditKeyboard(ctx context.Context, chatID int64, id int, k *tgbotapi.InlineKeyboardMarkup) error {
	cfg := tgbotapi.EditMessageReplyMarkupConfig{BaseEdit: tgbotapi.BaseEdit{ChatID: chatID, MessageID: id, ReplyMarkup: k}}
	err := t.call(ctx, "editMessageReplyMarkup", t.timeout, func(b *tgbotapi.BotAPI) error {
		_, err := b.Request(cfg)
		return err
	})
	if err != nil && !isNotModified(err) {
		return err
	}
	return nil
}
