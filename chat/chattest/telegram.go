package chattest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TelegramServer is a fake Telegram Bot API on an httptest server. It
// serves `/bot<token>/<method>` with parameters as a query string, a form,
// a multipart form or JSON, and answers `{"ok":true,"result":...}` or
// `{"ok":false,"error_code":...,"description":...,"parameters":...}` like
// https://core.telegram.org/bots/api#making-requests. It implements getMe,
// sendMessage (checking HTML parse mode, the length limit and inline
// keyboards), editMessageText, editMessageReplyMarkup, getUpdates (long
// polling with offsets and timeout), answerCallbackQuery, getChatMember,
// setWebhook, deleteWebhook and setMyCommands; it makes users' messages and
// button presses (callback queries), records every call and can be told to
// fail the next calls to a method. It is safe for concurrent use.
type TelegramServer struct {
	// URL is the API's base, to use as TELEGRAM_API_URL.
	URL string
	// Token is the bot token the server accepts; others get 401. Change
	// it while the server runs with SetToken.
	Token string
	// BotID is the bot's user id, as getMe reports it.
	BotID int64
	// BotUsername is the bot's username, as getMe reports it.
	BotUsername string

	srv  *httptest.Server
	done chan struct{}

	mu         sync.Mutex
	calls      []TelegramCall
	failures   map[string][]TelegramFailure
	chats      map[int64]*telegramChat
	updates    []telegramUpdate
	nextUpdate int
	wake       chan struct{}
	webhook    TelegramWebhook
	commands   []TelegramBotCommand
	onRequest  func(method string)
	onAnswer   func(TelegramCall)
	// members are getChatMember's statuses by chat and user.
	members      map[[2]int64]string
	neverStarted map[int64]bool
	// queries are the callback queries made, true once answered.
	queries   map[string]bool
	nextQuery int
	answers   []TelegramCallbackAnswer
}

// TelegramCall is one request the server received.
type TelegramCall struct {
	// Method is the Bot API method as the path named it.
	Method string
	// Params are the request's parameters; JSON values that are not
	// strings keep their JSON text (e.g. `["message"]`, `true`, `42`).
	Params map[string]string
	// Status is the HTTP status of the answer.
	Status int
}

// TelegramFailure is an error the server answers a call with.
type TelegramFailure struct {
	// Status is the HTTP status; Code when zero.
	Status int
	// Code is the answer's error_code.
	Code int
	// Description is the answer's description.
	Description string
	// RetryAfter, when non-zero, is parameters.retry_after.
	RetryAfter int
	// MigrateToChatID, when non-zero, is parameters.migrate_to_chat_id.
	MigrateToChatID int64
	// Raw, when set, is sent as the body instead of the Bot API's JSON
	// (as a proxy's error page would be).
	Raw string
	// Drop closes the connection without an answer.
	Drop bool
	// Pass lets the call through, to fail a later one.
	Pass bool
	// Late carries the call out (sends the message) but holds the answer
	// until the client gave up waiting, as a slow Bot API would.
	Late bool
}

// TelegramLate, queued with FailNext, carries one call out and answers it
// only after the client gave up.
var TelegramLate = TelegramFailure{Late: true}

// TelegramPass, queued with FailNext, lets one call through.
var TelegramPass = TelegramFailure{Pass: true}

// TelegramRetryAfter is Telegram's flood-control answer: 429 with
// parameters.retry_after.
func TelegramRetryAfter(seconds int) TelegramFailure {
	return TelegramFailure{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds), RetryAfter: seconds}
}

// TelegramError is an error answer with code and description, e.g.
// TelegramError(403, "Forbidden: bot was blocked by the user").
func TelegramError(code int, description string) TelegramFailure {
	return TelegramFailure{Code: code, Description: description}
}

// TelegramWebhook is the webhook as setWebhook set it.
type TelegramWebhook struct {
	// URL is where updates are posted.
	URL string
	// SecretToken is sent in X-Telegram-Bot-Api-Secret-Token.
	SecretToken string
	// AllowedUpdates are the update types asked for.
	AllowedUpdates []string
}

// TelegramBotCommand is one entry of the command menu setMyCommands set.
type TelegramBotCommand struct {
	// Command is the name, without "/".
	Command string `json:"command"`
	// Description is shown next to it in the menu.
	Description string `json:"description"`
}

// Default identity of a TelegramServer's bot.
const (
	TelegramTestToken    = "7312345678:AAFakeTokenForTests_abcdefghijklmnopq"
	TelegramTestBotID    = 7312345678
	TelegramTestUsername = "wirewatch_bot"
)

// NewTelegramServer starts a fake Bot API for the bot TelegramTestToken,
// closed when the test ends.
func NewTelegramServer(tb testing.TB) *TelegramServer {
	tb.Helper()
	s := &TelegramServer{
		Token:        TelegramTestToken,
		BotID:        TelegramTestBotID,
		BotUsername:  TelegramTestUsername,
		done:         make(chan struct{}),
		failures:     map[string][]TelegramFailure{},
		chats:        map[int64]*telegramChat{},
		nextUpdate:   100,
		wake:         make(chan struct{}),
		members:      map[[2]int64]string{},
		queries:      map[string]bool{},
		neverStarted: map[int64]bool{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, ending long polls in progress.
func (s *TelegramServer) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return
	default:
		close(s.done)
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetToken makes the server accept only token from now on, as when a bot
// token is revoked (the old one then gets 401) or restored.
func (s *TelegramServer) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Token = token
}

// heldWriter keeps an answer until the handler returns, so that a Late
// call's client sees nothing before it gives up.
type heldWriter struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (h *heldWriter) WriteHeader(status int) { h.status = status }

func (h *heldWriter) Write(b []byte) (int, error) {
	h.body = append(h.body, b...)
	return len(b), nil
}

// FailNext makes the next calls to method fail, one failure per call, in
// order.
func (s *TelegramServer) FailNext(method string, fs ...TelegramFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := strings.ToLower(method)
	s.failures[m] = append(s.failures[m], fs...)
}

// OnRequest makes the server call f with the method of each request as it
// arrives, before answering it (nil stops it). Tests use it to act while a
// long poll is in progress.
func (s *TelegramServer) OnRequest(f func(method string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRequest = f
}

// OnAnswer makes the server call f with each call as it is answered, just
// before the answer is written (nil stops it). Tests use it to wait for a call without polling.
func (s *TelegramServer) OnAnswer(f func(TelegramCall)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onAnswer = f
}

// Calls returns every call received so far, in order.
func (s *TelegramServer) Calls() []TelegramCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TelegramCall, len(s.calls))
	copy(out, s.calls)
	return out
}

// CallsTo returns the calls to method (compared without case).
func (s *TelegramServer) CallsTo(method string) []TelegramCall {
	var out []TelegramCall
	for _, c := range s.Calls() {
		if strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Webhook returns the webhook set, zero when none is.
func (s *TelegramServer) Webhook() TelegramWebhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Commands returns the command menu setMyCommands set last.
func (s *TelegramServer) Commands() []TelegramBotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TelegramBotCommand(nil), s.commands...)
}

// telegramError is an error answer of a method.
type telegramError struct {
	code int
	desc string
}

func telegramBadRequest(desc string) *telegramError {
	return &telegramError{code: 400, desc: "Bad Request: " + desc}
}

func (s *TelegramServer) serve(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !strings.HasPrefix(r.URL.Path, "/bot") || !ok || method == "" {
		s.answer(w, r, method, nil, nil, &telegramError{code: 404, desc: "Not Found"})
		return
	}
	s.mu.Lock()
	accepted := s.Token
	s.mu.Unlock()
	if token != accepted {
		s.answer(w, r, method, nil, nil, &telegramError{code: 401, desc: "Unauthorized"})
		return
	}
	s.mu.Lock()
	hook := s.onRequest
	s.mu.Unlock()
	if hook != nil {
		hook(method)
	}
	p, err := telegramParams(r)
	if err != nil {
		s.answer(w, r, method, nil, nil, telegramBadRequest(err.Error()))
		return
	}
	f, failed := s.nextFailure(method)
	if failed && !f.Pass && !f.Late {
		s.record(method, p, telegramStatus(f))
		telegramFail(w, f)
		return
	}
	if failed && f.Late {
		defer func() {
			// The call is done and recorded; the answer comes after the
			// client stopped waiting for it.
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
		}()
		w = &heldWriter{ResponseWriter: w}
	}
	var res any
	var apiErr *telegramError
	switch strings.ToLower(method) {
	case "getme":
		res = s.me()
	case "sendmessage":
		res, apiErr = s.sendMessage(p)
	case "editmessagetext":
		res, apiErr = s.editMessageText(p)
	case "getupdates":
		res, apiErr = s.getUpdates(r, p)
		if res == nil && apiErr == nil {
			return // the client went away or the server closed
		}
	case "setwebhook":
		res, apiErr = s.setWebhook(p)
	case "deletewebhook":
		res, apiErr = s.deleteWebhook(p)
	case "setmycommands":
		res, apiErr = s.setMyCommands(p)
	case "editmessagereplymarkup":
		res, apiErr = s.editMessageReplyMarkup(p)
	case "answercallbackquery":
		res, apiErr = s.answerCallbackQuery(p)
	case "getchatmember":
		res, apiErr = s.getChatMember(p)
	default:
		apiErr = &telegramError{code: 404, desc: "Not Found"}
	}
	s.answer(w, r, method, p, res, apiErr)
}

// answer records the call, then writes a result or an error: a client
// that has its answer finds the call in Calls.
func (s *TelegramServer) answer(w http.ResponseWriter, r *http.Request, method string, p map[string]string, res any, apiErr *telegramError) {
	status := http.StatusOK
	body := map[string]any{"ok": true, "result": res}
	if apiErr != nil {
		status = apiErr.code
		body = map[string]any{"ok": false, "error_code": apiErr.code, "description": apiErr.desc}
	}
	s.record(method, p, status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// record keeps a call and tells the OnAnswer hook.
func (s *TelegramServer) record(method string, p map[string]string, status int) {
	c := TelegramCall{Method: method, Params: p, Status: status}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	hook := s.onAnswer
	s.mu.Unlock()
	if hook != nil {
		hook(c)
	}
}

func (s *TelegramServer) nextFailure(method string) (TelegramFailure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := strings.ToLower(method)
	q := s.failures[m]
	if len(q) == 0 {
		return TelegramFailure{}, false
	}
	s.failures[m] = q[1:]
	return q[0], true
}

func telegramStatus(f TelegramFailure) int {
	switch {
	case f.Status != 0:
		return f.Status
	case f.Code != 0:
		return f.Code
	}
	return http.StatusInternalServerError
}

// telegramFail writes failure f.
func telegramFail(w http.ResponseWriter, f TelegramFailure) {
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	status := telegramStatus(f)
	if f.Raw != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Raw))
		return
	}
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
	params := map[string]any{}
	if f.RetryAfter != 0 {
		params["retry_after"] = f.RetryAfter
	}
	if f.MigrateToChatID != 0 {
		params["migrate_to_chat_id"] = f.MigrateToChatID
	}
	if len(params) > 0 {
		body["parameters"] = params
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// telegramParams reads a request's parameters from its query and body.
func telegramParams(r *http.Request) (map[string]string, error) {
	p := map[string]string{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, fmt.Errorf("can't parse JSON: %w", err)
		}
		for k, raw := range body {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				p[k] = s
			} else {
				p[k] = string(raw)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, fmt.Errorf("can't parse multipart form: %w", err)
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("can't parse form: %w", err)
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
	}
	return p, nil
}
