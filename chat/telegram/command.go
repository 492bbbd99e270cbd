package telegram

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ParseCommand parses a message's text as a bot command: "/name",
// "/name args" or "/name@bot args", as Telegram sends them from private
// chats, groups, supergroups and channels. name is lower case, args the rest
// of the text, trimmed. ok is false for text that is not a command and for
// a command addressed to another bot: one whose @bot is not username (the
// bot's own username, without "@", compared without case).
//
// Specs: https://core.telegram.org/bots/features#commands
func ParseCommand(text, username string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, rest := text[1:], ""
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 {
		head, rest = head[:i], head[i:]
	}
	name, to, addressed := strings.Cut(head, "@")
	if addressed && (username == "" || !strings.EqualFold(to, username)) {
		return "", "", false
	}
	if !validCommand(name) {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(rest), true
}

// validCommand reports whether s is a command name Telegram accepts: 1-32
// Latin letters, digits and underscores.
func validCommand(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// BotCommand is a command as Telegram's command menu lists it.
//
// Specs: https://core.telegram.org/bots/api#botcommand
type BotCommand struct {
	// Command is the name without "/": 1-32 lower-case letters, digits
	// and underscores.
	Command string `json:"command"`
	// Description is shown next to it: 3-256 characters.
	Description string `json:"description"`
}

// SetCommands sets the bot's command menu to cmds.
//
// Specs: https://core.telegram.org/bots/api#setmycommands
func (t *Transport) SetCommands(ctx context.Context, cmds []BotCommand) error {
	p := tgbotapi.Params{}
	if err := p.AddInterface("commands", cmds); err != nil {
		return fmt.Errorf("telegram setMyCommands: %w", err)
	}
	_, err := t.request(ctx, "setMyCommands", p)
	return err
}
