package slack

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

func TestClassify(t *testing.T) {
	const token = "xoxb-secret-token-1234"
	tests := []struct {
		name       string
		err        error
		permanent  bool
		retryAfter time.Duration
		hint       string
	}{
		{"rate limited", &slackgo.RateLimitedError{RetryAfter: 7 * time.Second}, false, 7 * time.Second, ""},
		{"rate limited without wait", &slackgo.RateLimitedError{}, false, time.Second, ""},
		{"not in channel", slackgo.SlackErrorResponse{Err: "not_in_channel"}, true, 0, "/invite @wirewatch"},
		{"code with details", slackgo.SlackErrorResponse{Err: "channel_not_found: C0X"}, true, 0, "rules.yaml"},
		{"missing scope names it", slackgo.SlackErrorResponse{Err: "missing_scope", Needed: "chat:write.public"}, true, 0, "chat:write.public"},
		{"transient code", slackgo.SlackErrorResponse{Err: "service_unavailable"}, false, 0, ""},
		{"5xx", slackgo.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}, false, 0, ""},
		{"429 without Retry-After", slackgo.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}, false, 0, ""},
		{"404", slackgo.StatusCodeError{Code: 404, Status: "404 Not Found"}, true, 0, "SLACK_API_URL"},
		{"400", slackgo.StatusCodeError{Code: 400, Status: "400 Bad Request"}, true, 0, "refused"},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, false, 0, ""},
		{"cut short", io.ErrUnexpectedEOF, false, 0, ""},
		{"deadline", context.DeadlineExceeded, false, 0, ""},
		{"token in message", errors.New("proxy said: bad " + token), false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify("chat.postMessage", tt.err, token)
			if chat.IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v", !tt.permanent, tt.permanent)
			}
			after, _ := chat.RetryAfterOf(err)
			if after != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", after, tt.retryAfter)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("%q lacks %q", err, tt.hint)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("token leaked: %q", err)
			}
			if !errors.Is(err, tt.err) && !errors.As(err, new(slackgo.SlackErrorResponse)) &&
				!errors.As(err, new(slackgo.StatusCodeError)) && !errors.As(err, new(*slackgo.RateLimitedError)) {
				t.Errorf("%v does not wrap the original error", err)
			}
		})
	}
	if classify("chat.postMessage", nil, token) != nil {
		t.Error("classify(nil) != nil")
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"not_in_channel", "not_in_channel"},
		{"invalid_auth: token xoxb-1", "invalid_auth"},
		{"msg_too_long (details)", "msg_too_long"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := errorCode(tt.in); got != tt.want {
			t.Errorf("errorCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
