package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

var _ chat.DirectMessenger = (*Transport)(nil)

// hints for the users a direct message cannot reach, by Slack error code.
var directHints = map[string]string{
	"missing_scope":          "This Slack app may not send direct messages: ask whoever manages it to add the im:write scope and reinstall it.",
	"user_not_found":         "Slack does not know that user, so the reports cannot be sent privately.",
	"user_not_visible":       "Slack does not let this app write to you privately.",
	"cannot_dm_bot":          "Only a person can get private reports, not a bot.",
	"user_disabled":          "That Slack account is deactivated.",
	"not_allowed_token_type": "This Slack app may not send direct messages with its token: reinstall it with the manifest of docs/slack.md.",
}

// OpenDirect opens (or finds) the direct message with user through
// conversations.open, which needs the im:write scope, posts intro there
// when not empty, and returns its channel id. When Slack does not let the
// bot write to the user it returns a *chat.NoDirectError with a hint.
//
// Specs: https://docs.slack.dev/reference/methods/conversations.open
func (t *Transport) OpenDirect(ctx context.Context, user, intro string) (string, error) {
	ch, _, _, err := t.api.OpenConversationContext(ctx, &slackgo.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		var api slackgo.SlackErrorResponse
		if errors.As(err, &api) {
			if hint, ok := directHints[errorCode(api.Err)]; ok {
				return "", &chat.NoDirectError{Hint: hint, Err: classify("conversations.open", err, t.token)}
			}
		}
		return "", classify("conversations.open", err, t.token)
	}
	if ch == nil || ch.ID == "" {
		return "", fmt.Errorf("slack: conversations.open for %s gave no channel", user)
	}
	if intro = strings.TrimSpace(intro); intro != "" {
		text := escape(truncate(chat.CleanText(intro), maxFallbackText))
		if _, err := t.post(ctx, ch.ID, "", "", payload{Text: text, Blocks: []slackgo.Block{section(text)}}); err != nil {
			return "", err
		}
	}
	return ch.ID, nil
}
