package chattest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// telegramUpdate is a queued update.
type telegramUpdate struct {
	id   int
	kind string
	body json.RawMessage
}

// NewTelegramUpdate returns the JSON of an Update of kind ("message",
// "channel_post" ...) carrying payload, with a fresh update_id, without
// queueing it.
func (s *TelegramServer) NewTelegramUpdate(kind string, payload any) (id int, body []byte) {
	s.mu.Lock()
	id = s.nextUpdate
	s.nextUpdate++
	s.mu.Unlock()
	body, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		panic(fmt.Errorf("chattest: update payload: %w", err))
	}
	return id, body
}

// NewTelegramMessage makes a user's text message in a chat (kept, so that
// replies to it resolve) and returns the Update carrying it, as JSON, with
// a fresh update_id, without queueing it: what Telegram would post to a
// webhook. A text starting with "/" carries a bot_command entity.
func (s *TelegramServer) NewTelegramMessage(chatID, fromID int64, text string) (id int, body []byte) {
	return s.NewTelegramUpdate("message", s.userMessage(chatID, fromID, text, false))
}

// QueueMessage queues a user's text message in a chat for getUpdates and
// returns its update_id.
func (s *TelegramServer) QueueMessage(chatID, fromID int64, text string) int {
	id, body := s.NewTelegramMessage(chatID, fromID, text)
	s.queue(telegramUpdate{id: id, kind: "message", body: body})
	return id
}

// QueueChannelPost queues a post in a channel for getUpdates and returns
// its update_id.
func (s *TelegramServer) QueueChannelPost(chatID int64, text string) int {
	id, body := s.NewTelegramUpdate("channel_post", s.userMessage(chatID, 0, text, true))
	s.queue(telegramUpdate{id: id, kind: "channel_post", body: body})
	return id
}

// QueueUpdate queues an update of kind carrying payload and returns its
// update_id.
func (s *TelegramServer) QueueUpdate(kind string, payload any) int {
	id, body := s.NewTelegramUpdate(kind, payload)
	s.queue(telegramUpdate{id: id, kind: kind, body: body})
	return id
}

// PendingUpdates returns the ids of the updates not yet confirmed by a
// getUpdates with a higher offset.
func (s *TelegramServer) PendingUpdates() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for _, u := range s.updates {
		ids = append(ids, u.id)
	}
	return ids
}

func (s *TelegramServer) queue(u telegramUpdate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, u)
	close(s.wake)
	s.wake = make(chan struct{})
}

// userMessage stores a message from a user (or a channel post) and returns
// it as the Bot API's Message object.
func (s *TelegramServer) userMessage(chatID, fromID int64, text string, post bool) map[string]any {
	s.mu.Lock()
	m := s.add(TelegramMessage{ChatID: chatID, Text: text, Plain: text})
	if _, ok := s.members[[2]int64{chatID, fromID}]; !ok && chatID < 0 && !post {
		s.members[[2]int64{chatID, fromID}] = TelegramMember
	}
	s.mu.Unlock()
	chat := map[string]any{"id": chatID, "type": telegramChatType(chatID)}
	if post {
		chat["type"] = "channel"
	}
	var from map[string]any
	if !post {
		from = telegramUser(fromID)
	}
	out := s.wire(m, from)
	out["chat"] = chat
	if post {
		out["sender_chat"] = chat
	}
	if strings.HasPrefix(text, "/") {
		head := text
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			head = text[:i]
		}
		out["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": TelegramTextLen(head)}}
	}
	return out
}

// Specs: https://core.telegram.org/bots/api#getupdates
func (s *TelegramServer) getUpdates(r *http.Request, p map[string]string) (any, *telegramError) {
	offset, _ := strconv.Atoi(p["offset"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	var allowed []string
	if v := p["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, telegramBadRequest("can't parse allowed_updates JSON array")
		}
	}
	var expire <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expire = t.C
	}
	for {
		s.mu.Lock()
		if s.webhook.URL != "" {
			s.mu.Unlock()
			return nil, &telegramError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if offset > 0 {
			s.updates = slices.DeleteFunc(s.updates, func(u telegramUpdate) bool { return u.id < offset })
		}
		batch := make([]json.RawMessage, 0)
		for _, u := range s.updates {
			if len(batch) < limit && (len(allowed) == 0 || slices.Contains(allowed, u.kind)) {
				batch = append(batch, u.body)
			}
		}
		wake := s.wake
		s.mu.Unlock()
		if len(batch) > 0 || expire == nil {
			return batch, nil
		}
		select {
		case <-wake:
		case <-expire:
			return make([]json.RawMessage, 0), nil
		case <-r.Context().Done():
			return nil, nil
		case <-s.done:
			return nil, nil
		}
	}
}

// DeliverWebhook posts update to the webhook set with setWebhook, with
// its secret in X-Telegram-Bot-Api-Secret-Token as Telegram does, and
// returns the HTTP status of the answer.
func (s *TelegramServer) DeliverWebhook(ctx context.Context, update []byte) (int, error) {
	wh := s.Webhook()
	if wh.URL == "" {
		return 0, errors.New("chattest: no webhook is set")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(update))
	if err != nil {
		return 0, fmt.Errorf("chattest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if wh.SecretToken != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", wh.SecretToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("chattest: webhook delivery: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
