package chattest

import (
	"strconv"
	"strings"
)

// TelegramCallbackAnswer is an answerCallbackQuery the bot made.
// Specs: https://core.telegram.org/bots/api#answercallbackquery
type TelegramCallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
}

// telegramMaxAnswer is the most characters an answer's text may have.
const telegramMaxAnswer = 200

// Member statuses of getChatMember.
// Specs: https://core.telegram.org/bots/api#chatmember
const (
	TelegramCreator       = "creator"
	TelegramAdministrator = "administrator"
	TelegramMember        = "member"
	TelegramRestricted    = "restricted"
	TelegramLeft          = "left"
	TelegramKicked        = "kicked"
)

// SetChatMember sets what getChatMember answers for user in a chat.
func (s *TelegramServer) SetChatMember(chatID, user int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, user}] = status
}

// telegramUser is the User object of a user of the fake.
func telegramUser(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "Analyst", "username": "analyst" + strconv.FormatInt(id, 10)}
}

// NewCallbackQuery makes user from press a button carrying data on message
// messageID of a chat, and returns the Update carrying the CallbackQuery,
// as JSON, with a fresh update_id, without queueing it; and the query's id,
// which answerCallbackQuery takes. The data need not be on the message, so
// tests can forge presses. The user becomes a member of the chat unless
// SetChatMember said otherwise.
// Specs: https://core.telegram.org/bots/api#callbackquery
func (s *TelegramServer) NewCallbackQuery(chatID int64, messageID int, from int64, data string) (updateID int, queryID string, body []byte) {
	s.mu.Lock()
	s.nextQuery++
	queryID = strconv.FormatInt(from, 10) + "-" + strconv.Itoa(s.nextQuery)
	s.queries[queryID] = false
	if _, ok := s.members[[2]int64{chatID, from}]; !ok && chatID < 0 {
		s.members[[2]int64{chatID, from}] = TelegramMember
	}
	var msg map[string]any
	if m, ok := s.chat(chatID).messages[messageID]; ok {
		msg = s.wire(m, s.me())
	} else {
		msg = s.wire(&TelegramMessage{ChatID: chatID, ID: messageID}, s.me())
	}
	s.mu.Unlock()
	q := map[string]any{
		"id":            queryID,
		"from":          telegramUser(from),
		"message":       msg,
		"chat_instance": "ci" + strconv.FormatInt(chatID, 10),
		"data":          data,
	}
	updateID, body = s.NewTelegramUpdate("callback_query", q)
	return updateID, queryID, body
}

// QueueCallbackQuery queues what NewCallbackQuery makes for getUpdates and
// returns the update's and the query's ids.
func (s *TelegramServer) QueueCallbackQuery(chatID int64, messageID int, from int64, data string) (updateID int, queryID string) {
	updateID, queryID, body := s.NewCallbackQuery(chatID, messageID, from, data)
	s.queue(telegramUpdate{id: updateID, kind: "callback_query", body: body})
	return updateID, queryID
}

// CallbackAnswers returns the answers to callback queries, in order.
func (s *TelegramServer) CallbackAnswers() []TelegramCallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TelegramCallbackAnswer(nil), s.answers...)
}

// Answered reports whether the query was answered.
func (s *TelegramServer) Answered(queryID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[queryID]
}

// Specs: https://core.telegram.org/bots/api#answercallbackquery
func (s *TelegramServer) answerCallbackQuery(p map[string]string) (any, *telegramError) {
	id := p["callback_query_id"]
	if TelegramTextLen(p["text"]) > telegramMaxAnswer {
		return nil, telegramBadRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	answered, known := s.queries[id]
	if !known || answered {
		return nil, telegramBadRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.queries[id] = true
	s.answers = append(s.answers, TelegramCallbackAnswer{QueryID: id, Text: p["text"],
		ShowAlert: p["show_alert"] == "true", URL: p["url"]})
	return true, nil
}

// Specs: https://core.telegram.org/bots/api#getchatmember
func (s *TelegramServer) getChatMember(p map[string]string) (any, *telegramError) {
	chatID, apiErr := telegramChatID(p)
	if apiErr != nil {
		return nil, apiErr
	}
	user, err := strconv.ParseInt(strings.TrimSpace(p["user_id"]), 10, 64)
	if err != nil || user <= 0 {
		return nil, telegramBadRequest("invalid user_id specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	status, ok := s.members[[2]int64{chatID, user}]
	switch {
	case chatID > 0 && chatID == user:
		status = TelegramMember
	case chatID > 0:
		return nil, telegramBadRequest("chat not found")
	case !ok:
		status = TelegramLeft
	}
	out := map[string]any{"status": status, "user": telegramUser(user)}
	if status == TelegramAdministrator {
		out["can_be_edited"], out["can_manage_chat"], out["is_anonymous"] = false, true, false
	}
	if status == TelegramCreator {
		out["is_anonymous"] = false
	}
	return out, nil
}
