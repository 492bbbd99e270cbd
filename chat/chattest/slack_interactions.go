package chattest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SlackClick is a user's press of a button, or choice of an option in a
// static select, of a message the fake holds.
type SlackClick struct {
	// Channel and TS name the message.
	Channel string
	TS      string
	// ActionID is the element's action_id.
	ActionID string
	// Option is the value of the option chosen in a static_select; "" for a
	// button.
	Option string
	// User is the user's id, UserName their handle.
	User     string
	UserName string
}

// SlackInteraction is a block_actions payload the fake made for a click.
type SlackInteraction struct {
	// Payload is the JSON Slack sends: the "payload" form field of a
	// request to the Interactivity Request URL, or the payload of a Socket
	// Mode "interactive" envelope.
	Payload []byte
	// Hook is the name of its response_url (see HookPosts).
	Hook string
}

// Interaction returns the block_actions payload Slack sends when c happens:
// the user, the container and channel of the message, the message as it
// is now (blocks included), a response_url served by the fake, and the
// action with its block_id, value or selected option. It fails when the
// message, the element or the option is not there.
// Specs: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
func (s *SlackServer) Interaction(c SlackClick) (SlackInteraction, error) {
	m, ok := s.Message(c.Channel, c.TS)
	if !ok {
		return SlackInteraction{}, fmt.Errorf("chattest: no message %s in %s", c.TS, c.Channel)
	}
	action, err := clickedAction(m.Blocks, c)
	if err != nil {
		return SlackInteraction{}, err
	}
	s.mu.Lock()
	s.clicks++
	n := s.clicks
	s.mu.Unlock()
	hook := "action-" + strconv.Itoa(n)
	now := time.Now()
	action["action_ts"] = fmt.Sprintf("%d.%06d", now.Unix(), n)
	msg := messageJSON(&m)
	msg["blocks"] = m.Blocks
	payload := map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": c.User, "username": c.UserName, "name": c.UserName, "team_id": "T0CHATTEST"},
		"api_app_id": "A0CHATTEST",
		"token":      "chattest-verification-token",
		"container": map[string]any{"type": "message", "message_ts": m.TS, "channel_id": m.Channel,
			"is_ephemeral": false},
		"trigger_id":            fmt.Sprintf("%d.1111.%x", n, now.UnixNano()),
		"team":                  map[string]any{"id": "T0CHATTEST", "domain": "chattest"},
		"enterprise":            nil,
		"is_enterprise_install": false,
		"channel":               map[string]any{"id": m.Channel, "name": strings.ToLower(m.Channel)},
		"message":               msg,
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          s.ResponseURL(hook),
		"actions":               []any{action},
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return SlackInteraction{}, fmt.Errorf("chattest: interaction payload: %w", err)
	}
	return SlackInteraction{Payload: b, Hook: hook}, nil
}

// clickedAction finds the element c presses in a message's blocks and
// returns it as the payload's actions[0].
func clickedAction(blocks json.RawMessage, c SlackClick) (map[string]any, error) {
	var bs []struct {
		Type     string            `json:"type"`
		BlockID  string            `json:"block_id"`
		Elements []json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return nil, fmt.Errorf("chattest: message blocks: %w", err)
	}
	for _, b := range bs {
		if b.Type != "actions" {
			continue
		}
		for _, raw := range b.Elements {
			var e slackElement
			var full map[string]any
			if json.Unmarshal(raw, &e) != nil || json.Unmarshal(raw, &full) != nil || e.ActionID != c.ActionID {
				continue
			}
			out := map[string]any{"type": e.Type, "action_id": e.ActionID, "block_id": b.BlockID}
			switch e.Type {
			case "button":
				if c.Option != "" {
					return nil, fmt.Errorf("chattest: %s is a button, it has no options", c.ActionID)
				}
				out["text"], out["value"] = full["text"], e.Value
				if e.Style != "" {
					out["style"] = e.Style
				}
			case "static_select":
				for i, o := range e.Options {
					if o.Value == c.Option {
						out["selected_option"] = full["options"].([]any)[i]
						out["placeholder"] = full["placeholder"]
						return out, nil
					}
				}
				return nil, fmt.Errorf("chattest: %s has no option %q", c.ActionID, c.Option)
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("chattest: the message has no element %q", c.ActionID)
}

// SignSlack returns the X-Slack-Signature of body sent at timestamp with
// secret: "v0=" and the hex HMAC-SHA256 of "v0:{timestamp}:{body}".
// Specs: https://docs.slack.dev/authentication/verifying-requests-from-slack
func SignSlack(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// SlackRequest is a request as Slack sends it to an app's Request URL.
type SlackRequest struct {
	// Body is the form-encoded body.
	Body []byte
	// Timestamp is X-Slack-Request-Timestamp and Signature X-Slack-Signature.
	Timestamp string
	Signature string
}

// SignedInteraction returns the request Slack sends to the Interactivity
// Request URL for in: a form with the payload field, signed with secret at
// time at.
// Specs: https://docs.slack.dev/interactivity/handling-user-interaction#payloads
func SignedInteraction(in SlackInteraction, secret string, at time.Time) SlackRequest {
	body := []byte(url.Values{"payload": {string(in.Payload)}}.Encode())
	ts := strconv.FormatInt(at.Unix(), 10)
	return SlackRequest{Body: body, Timestamp: ts, Signature: SignSlack(secret, ts, body)}
}

// Post sends r to target as Slack would and returns the answer's status and
// body.
func (r SlackRequest) Post(ctx context.Context, target string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(r.Body))
	if err != nil {
		return 0, "", fmt.Errorf("chattest: request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r.Timestamp != "" {
		req.Header.Set("X-Slack-Request-Timestamp", r.Timestamp)
	}
	if r.Signature != "" {
		req.Header.Set("X-Slack-Signature", r.Signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("chattest: post: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// SendInteractive delivers in to the connected Socket Mode client in an
// "interactive" envelope and returns the envelope id.
// Specs: https://docs.slack.dev/apis/events-api/using-socket-mode#events
func (s *SlackServer) SendInteractive(ctx context.Context, in SlackInteraction) (string, error) {
	return s.sendEnvelope(ctx, "interactive", json.RawMessage(in.Payload), false)
}

// sendEnvelope writes an envelope of type typ to the connected client.
func (s *SlackServer) sendEnvelope(ctx context.Context, typ string, payload any, acceptsResponse bool) (string, error) {
	if err := s.WaitSocket(ctx); err != nil {
		return "", fmt.Errorf("no socket mode client: %w", err)
	}
	s.mu.Lock()
	var sock *slackSocket
	for c := range s.sockets {
		sock = c
	}
	s.envelopes++
	id := fmt.Sprintf("envelope-%d", s.envelopes)
	s.mu.Unlock()
	if sock == nil {
		return "", errors.New("chattest: the socket mode client went away")
	}
	env := map[string]any{
		"envelope_id":              id,
		"type":                     typ,
		"accepts_response_payload": acceptsResponse,
		"payload":                  payload,
	}
	if err := sock.write(env); err != nil {
		return "", err
	}
	return id, nil
}

// openConversation answers conversations.open for one user: the direct
// message channel "D" + user, the same on every call.
// Specs: https://docs.slack.dev/reference/methods/conversations.open
func (s *SlackServer) openConversation(p url.Values) map[string]any {
	users := strings.Split(p.Get("users"), ",")
	if p.Get("users") == "" || len(users) != 1 {
		if p.Get("channel") != "" {
			return map[string]any{"ok": true, "channel": map[string]any{"id": p.Get("channel")}}
		}
		return slackError("users_list_not_supplied")
	}
	user := strings.TrimSpace(users[0])
	if !strings.HasPrefix(user, "U") && !strings.HasPrefix(user, "W") {
		return slackError("user_not_found")
	}
	id := "D" + strings.TrimLeft(user, "UW")
	s.mu.Lock()
	_, had := s.directs[user]
	s.directs[user] = id
	s.mu.Unlock()
	ch := map[string]any{"id": id}
	if p.Get("return_im") == "true" {
		ch["is_im"], ch["user"] = true, user
	}
	return map[string]any{"ok": true, "no_op": had, "already_open": had, "channel": ch}
}

// Direct returns the direct message channel opened with user, "" when
// none was.
func (s *SlackServer) Direct(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.directs[user]
}
