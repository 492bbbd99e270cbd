package telegram

import (
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// maxButtonText bounds a button's label; Telegram shortens long ones on
// screen anyway.
const maxButtonText = 64

// Keyboard lays an alert's controls out as an inline keyboard. menu ""
// is the alert's own keyboard: "Mute story" and "Mute <scope>" (each
// opening a choice of durations), or "Undo" when a mute is in force, then
// "Why?" and "Follow". menu chat.MenuStory or chat.MenuScope is the choice
// of chat.MuteDurations for that mute, with "Back". Every button's
// callback_data is the chat.ActionData of its press, within 64 bytes. It
// returns nil for nil controls.
// Specs: https://core.telegram.org/bots/api#inlinekeyboardmarkup
func Keyboard(c *chat.Controls, menu string) *tgbotapi.InlineKeyboardMarkup {
	if c == nil || c.Ref == "" {
		return nil
	}
	c = chat.Clean(chat.Message{Controls: c}).Controls
	btn := func(text string, d chat.ActionData) tgbotapi.InlineKeyboardButton {
		return tgbotapi.NewInlineKeyboardButtonData(shorten(oneLine(text), maxButtonText), d.String())
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	switch {
	case (menu == chat.MenuStory || menu == chat.MenuScope && c.Scope != "") && c.Muted == nil:
		verb := chat.VerbMuteStory
		if menu == chat.MenuScope {
			verb = chat.VerbMuteScope
		}
		var row []tgbotapi.InlineKeyboardButton
		for _, d := range chat.MuteDurations {
			row = append(row, btn(d, chat.ActionData{Verb: verb, Ref: c.Ref, Arg: d}))
		}
		rows = append(rows, row, tgbotapi.NewInlineKeyboardRow(btn("« Back", chat.ActionData{Verb: chat.VerbBack, Ref: c.Ref})))
		return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	case c.Muted != nil:
		label := "Undo: muted"
		if c.Muted.For != "" {
			label += " " + c.Muted.For
		}
		if c.Muted.By != "" {
			label += " by " + c.Muted.By
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			btn(label, chat.ActionData{Verb: chat.VerbUnmute, Ref: c.Ref, Arg: strconv.FormatInt(c.Muted.ID, 10)})))
	default:
		row := []tgbotapi.InlineKeyboardButton{btn("Mute story", chat.ActionData{Verb: chat.VerbMenu, Ref: c.Ref, Arg: chat.MenuStory})}
		if c.Scope != "" {
			row = append(row, btn("Mute "+c.Scope, chat.ActionData{Verb: chat.VerbMenu, Ref: c.Ref, Arg: chat.MenuScope}))
		}
		rows = append(rows, row)
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(
		btn("Why?", chat.ActionData{Verb: chat.VerbWhy, Ref: c.Ref}),
		btn("Follow", chat.ActionData{Verb: chat.VerbFollow, Ref: c.Ref})))
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}
