package slack

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Hints for the operator, by Slack API error code.
// Specs: https://docs.slack.dev/reference/methods/chat.postMessage#errors
var permanentHints = map[string]string{
	"channel_not_found":      "check the channel id in rules.yaml; for a private channel, invite the bot first: /invite @wirewatch",
	"not_in_channel":         "invite the bot to the channel: /invite @wirewatch",
	"is_archived":            "the channel is archived: unarchive it or change the channel in rules.yaml",
	"invalid_auth":           "check SLACK_BOT_TOKEN: it must be the app's Bot User OAuth Token (xoxb-...)",
	"not_authed":             "set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-...)",
	"not_allowed_token_type": "SLACK_BOT_TOKEN must be a bot token (xoxb-...) and SLACK_APP_TOKEN an app-level token (xapp-...)",
	"account_inactive":       "the bot token was deactivated: reinstall the app and update SLACK_BOT_TOKEN",
	"token_revoked":          "the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
	"token_expired":          "the bot token expired: reinstall the app and update SLACK_BOT_TOKEN",
	"no_permission":          "the app lacks permission here: check its scopes and reinstall it",
	"missing_scope":          "add the missing scope to the app (chat:write), reinstall it and update SLACK_BOT_TOKEN",
	"msg_too_long":           "the message is longer than Slack allows: report this, wirewatch should have split it",
	"no_text":                "the message was empty: report this",
	"invalid_blocks":         "Slack rejected the message layout: report this with the message",
	"invalid_blocks_format":  "Slack rejected the message layout: report this with the message",
	"too_many_blocks":        "the message has too many blocks: report this, wirewatch should have split it",
	"message_not_found":      "the alert to edit is gone (deleted?): nothing to do",
	"cant_update_message":    "the alert cannot be edited by this bot: nothing to do",
	"edit_window_closed":     "the alert is too old to edit: nothing to do",
	"restricted_action":      "the workspace does not let the bot post there: ask a Slack admin",

	"restricted_action_read_only_channel":      "the channel is read-only for the bot: ask a Slack admin or change the channel",
	"restricted_action_thread_only_channel":    "the channel accepts thread replies only: change the channel in rules.yaml",
	"restricted_action_non_threadable_channel": "the channel does not allow threads: change the channel in rules.yaml",
	"team_access_not_granted":                  "the app is not allowed in this workspace: ask a Slack admin",
	"ekm_access_denied":                        "the workspace's key management denied access: ask a Slack admin",
}

// authCodes are API errors that say the token itself is refused: nothing
// sent with it can succeed until it is replaced.
var authCodes = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true, "token_revoked": true,
	"token_expired": true, "not_allowed_token_type": true,
}

// acrossChannels are methods whose rate limit holds for the workspace,
// not per channel (chat.update is Tier 3; chat.postMessage is limited per
// channel).
// Specs: https://docs.slack.dev/apis/web-api/rate-limits
var acrossChannels = map[string]bool{"chat.update": true}

// transientCodes are API errors that retrying later may fix.
var transientCodes = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true,
	"request_timeout": true, "ratelimited": true, "rate_limited": true,
	"message_limit_exceeded": true, "team_added_to_org": true,
}

// defaultRetryAfter is the wait asked for when Slack rate-limits without
// saying how long.
const defaultRetryAfter = time.Second

// classify wraps err from Slack method op for the delivery loop: rate limits
// carry Retry-After (across channels for methods limited per workspace),
// refused tokens are AuthFailures, errors retrying cannot fix are
// Permanent with a hint, a request that may have been posted without an
// answer saying so is OutcomeUnknown, other server and network errors stay
// plain (transient). Every secret is redacted from the message.
func classify(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	wrapped := chat.RedactError(fmt.Errorf("slack: %s: %w", op, err), secrets...)
	var rl *slackgo.RateLimitedError
	var api slackgo.SlackErrorResponse
	var status slackgo.StatusCodeError
	switch {
	case errors.As(err, &rl):
		return &chat.Error{RetryAfter: max(rl.RetryAfter, defaultRetryAfter), AcrossChannels: acrossChannels[op], Err: wrapped}
	case errors.As(err, &api):
		return classifyCode(op, api, wrapped, secrets)
	case errors.As(err, &status):
		return classifyStatus(wrapped, status.Code)
	case chat.MaybePosted(err):
		return chat.OutcomeUnknown(wrapped)
	}
	return wrapped // network errors before the request was written: worth retrying
}

// classifyCode classifies an API error answer.
func classifyCode(op string, api slackgo.SlackErrorResponse, wrapped error, secrets []string) error {
	code := errorCode(api.Err)
	if transientCodes[code] {
		return wrapped
	}
	hint, ok := permanentHints[code]
	if !ok {
		hint = "Slack refused the request: see https://docs.slack.dev/reference/methods/" + op + "#errors"
	}
	if code == "missing_scope" && api.Needed != "" {
		hint = "add the scope " + api.Needed + " to the app, reinstall it and update the token"
	}
	// A lookup method refusing the token's type says nothing of the token.
	if authCodes[code] && !(code == "not_allowed_token_type" && strings.HasPrefix(op, "conversations.")) {
		return chat.AuthFailure(wrapped, chat.Redact(hint, secrets...))
	}
	return chat.Permanent(wrapped, chat.Redact(hint, secrets...))
}

func classifyStatus(err error, code int) error {
	switch {
	case code == http.StatusBadGateway, code == http.StatusGatewayTimeout:
		return chat.OutcomeUnknown(err) // a gateway gave up waiting: Slack may have posted
	case code >= 500, code == http.StatusTooManyRequests, code == http.StatusRequestTimeout:
		return err
	case code == http.StatusNotFound:
		return chat.Permanent(err, "the Slack API was not found there: check SLACK_API_URL")
	case code == http.StatusUnauthorized:
		return chat.AuthFailure(err, "access refused: check SLACK_BOT_TOKEN and any proxy in SLACK_API_URL")
	case code == http.StatusForbidden:
		return chat.Permanent(err, "access refused: check SLACK_BOT_TOKEN and any proxy in SLACK_API_URL")
	}
	return chat.Permanent(err, "Slack refused the request")
}

// errorCode is the leading snake_case code of an API error text, which some
// proxies follow with details.
func errorCode(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && r != '_' })
	if end < 0 {
		return s
	}
	return s[:end]
}
