package telegram

import (
	"context"
	"fmt"
	"strconv"

	"github.com/wirewatch/wirewatch/chat"
)

var _ chat.DirectMessenger = (*Transport)(nil)

// OpenDirect returns the private chat with user (its id is the user's id)
// after posting intro there. Telegram lets a bot write to a user only once
// the user has started it; until then OpenDirect returns a
// *chat.NoDirectError saying so.
//
// Specs: https://core.telegram.org/bots/features#deep-linking
func (t *Transport) OpenDirect(ctx context.Context, user, intro string) (string, error) {
	id, err := strconv.ParseInt(user, 10, 64)
	if err != nil || id <= 0 {
		return "", &chat.NoDirectError{Hint: "Only a person can get private reports: follow from your own account.",
			Err: fmt.Errorf("telegram: %q is not a user id", user)}
	}
	if intro == "" {
		return user, nil
	}
	_, err = t.sendPart(ctx, chatRef{id: id}, EscapeHTML(intro), 0, nil)
	if e, ok := apiError(err); ok && (e.Code == 403 || e.Code == 400) {
		hint := "Open a private chat with this bot and press Start, then follow again."
		if name := t.Username(); name != "" {
			hint = fmt.Sprintf("Open a private chat with @%s (t.me/%s) and press Start, then follow again.", name, name)
		}
		return "", &chat.NoDirectError{Hint: hint, Err: err}
	}
	if err != nil {
		return "", err
	}
	return user, nil
}
