package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

const testToken = "7312345678:AAFakeTokenForTests_abcdefghijklmnopq"

func TestClassify(t *testing.T) {
	api := func(code int, desc string) error { return &tgbotapi.Error{Code: code, Message: desc} }
	tests := []struct {
		name       string
		err        error
		permanent  bool
		retryAfter time.Duration
		hint       string
	}{
		{"429", &tgbotapi.Error{Code: 429, Message: "Too Many Requests: retry after 3", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 3}}, false, 3 * time.Second, ""},
		{"429 without retry_after", api(429, "Too Many Requests"), false, 0, ""},
		{"500", api(500, "Internal Server Error"), false, 0, ""},
		{"502", api(502, "Bad Gateway"), false, 0, ""},
		{"network", &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + testToken + "/sendMessage", Err: errors.New("connection refused")}, false, 0, ""},
		{"not JSON", errors.New("invalid character '<' looking for beginning of value"), false, 0, ""},
		{"chat not found", api(400, "Bad Request: chat not found"), true, 0, "check the chat id"},
		{"blocked", api(403, "Forbidden: bot was blocked by the user"), true, 0, "unblock"},
		{"kicked", api(403, "Forbidden: bot was kicked from the supergroup chat"), true, 0, "add it again"},
		{"rights", api(400, "Bad Request: not enough rights to send text messages to the chat"), true, 0, "right to send"},
		{"write forbidden", api(403, "Forbidden: CHAT_WRITE_FORBIDDEN"), true, 0, "may not write"},
		{"channel admin", api(403, "Forbidden: need administrator rights in the channel chat"), true, 0, "administrator"},
		{"edit gone", api(400, "Bad Request: message to edit not found"), true, 0, "deleted"},
		{"migrated", &tgbotapi.Error{Code: 400, Message: "Bad Request: group chat was upgraded to a supergroup chat", ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -1001234567890}}, true, 0, "-1001234567890"},
		{"unauthorized", api(401, "Unauthorized"), true, 0, "TELEGRAM_BOT_TOKEN"},
		{"not found", api(404, "Not Found"), true, 0, "TELEGRAM_API_URL"},
		{"other 400", api(400, "Bad Request: something new"), true, 0, "refused"},
		{"other 403", api(403, "Forbidden: something new"), true, 0, "refused"},
	}
	tr := &Transport{secrets: secretsOf(testToken)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tr.classify("sendMessage", tt.err)
			if got := chat.IsPermanent(err); got != tt.permanent {
				t.Errorf("permanent = %v, want %v (%v)", got, tt.permanent, err)
			}
			if got, _ := chat.RetryAfterOf(err); got != tt.retryAfter {
				t.Errorf("retry after = %v, want %v", got, tt.retryAfter)
			}
			var ce *chat.Error
			if tt.hint != "" && (!errors.As(err, &ce) || !strings.Contains(ce.Hint, tt.hint)) {
				t.Errorf("hint of %v does not mention %q", err, tt.hint)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("%v does not wrap the original error", err)
			}
			if !strings.HasPrefix(err.Error(), "telegram sendMessage: ") {
				t.Errorf("error %q does not name the method", err)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "AAFakeToken") {
				t.Errorf("token in error: %q", err)
			}
		})
	}
}

func TestSecretsOf(t *testing.T) {
	msg := fmt.Sprintf("a %s b %s c %s", testToken, url.PathEscape(testToken), url.QueryEscape(testToken))
	if got := chat.Redact(msg, secretsOf(testToken)...); strings.Contains(got, "AAFakeToken") {
		t.Errorf("token left in %q", got)
	}
}
