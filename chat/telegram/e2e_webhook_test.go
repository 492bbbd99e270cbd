package telegram_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat/telegram"
)

const secret = "s3cret-Token_for-tests"

// webhookEnv runs a Webhook behind an HTTP server as the bot would, and
// returns it once setWebhook and setMyCommands were called.
func webhookEnv(t *testing.T) (*env, *recorder, *httptest.Server, func()) {
	t.Helper()
	e := newEnv(t)
	rec := &recorder{}
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	wh, err := telegram.NewWebhook(e.dispatcher(rec, group), hs.URL+telegram.WebhookPath, secret)
	if err != nil {
		t.Fatal(err)
	}
	wh.Sleep = e.sleeps.sleep
	mux.Handle(telegram.WebhookPath, wh)

	ready := waitCall(e.srv, "setMyCommands")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = wh.Run(ctx)
	}()
	<-ready
	stop := func() {
		cancel()
		<-done
		if runErr != nil {
			t.Errorf("Run = %v", runErr)
		}
	}
	t.Cleanup(stop)
	return e, rec, hs, stop
}

func TestWebhook(t *testing.T) {
	e, rec, hs, stop := webhookEnv(t)
	wh := e.srv.Webhook()
	if wh.URL != hs.URL+"/telegram/webhook" || wh.SecretToken != secret || strings.Join(wh.AllowedUpdates, ",") != "message,channel_post,callback_query" {
		t.Fatalf("webhook set = %+v", wh)
	}

	post := func(header string, set bool, body []byte) int {
		req, _ := http.NewRequest(http.MethodPost, wh.URL, bytes.NewReader(body))
		if set {
			req.Header.Set(telegram.SecretHeader, header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	_, wrong := e.srv.NewTelegramMessage(group, user, "/rules")
	if code := post("not-the-secret", true, wrong); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code := post("", false, wrong); code != http.StatusUnauthorized {
		t.Errorf("no secret: %d, want 401", code)
	}
	if code := post(secret+"x", true, wrong); code != http.StatusUnauthorized {
		t.Errorf("longer secret: %d, want 401", code)
	}
	if code := post(secret, true, []byte("{not json")); code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d, want 400", code)
	}
	if code := post(secret, true, append([]byte(`{"update_id":1,"message":{"text":"`), bytes.Repeat([]byte("x"), telegram.DefaultMaxBody)...)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d, want 413", code)
	}
	if resp, err := http.Get(wh.URL); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", resp, err)
	}

	replied := waitCall(e.srv, "sendMessage")
	_, body := e.srv.NewTelegramMessage(group, user, "/latest@wirewatch_bot badghis")
	for range 2 { // Telegram delivers again when it missed the answer
		if code, err := e.srv.DeliverWebhook(context.Background(), body); err != nil || code != http.StatusOK {
			t.Fatalf("delivery: %d, %v", code, err)
		}
	}
	_, foreignBody := e.srv.NewTelegramMessage(foreign, user, "/status")
	if code, _ := e.srv.DeliverWebhook(context.Background(), foreignBody); code != http.StatusOK {
		t.Fatalf("foreign delivery: %d", code)
	}
	<-replied
	<-replied
	stop()

	cmds := rec.commands()
	if len(cmds) != 1 || cmds[0].Name != "latest" || cmds[0].Args != "badghis" {
		t.Errorf("handler got %+v; want only the command with the right secret, once", cmds)
	}
	if sent := e.srv.BotMessages(group); len(sent) != 1 || sent[0].Plain != "latest: badghis" {
		t.Errorf("replies in the group: %+v", sent)
	}
	if sent := e.srv.BotMessages(foreign); len(sent) != 1 || !strings.Contains(sent[0].Plain, "not authorised") {
		t.Errorf("replies in the foreign chat: %+v", sent)
	}
	if code, _ := e.srv.DeliverWebhook(context.Background(), body); code != http.StatusServiceUnavailable {
		t.Errorf("delivery after Run stopped: %d, want 503", code)
	}
}

func TestNewWebhookChecks(t *testing.T) {
	e := newEnv(t)
	d := e.dispatcher(&recorder{}, group)
	tests := []struct {
		url, secret string
		ok          bool
	}{
		{"https://bot.example.com/telegram/webhook", secret, true},
		{"https://bot.example.com/telegram/webhook", "", false},
		{"https://bot.example.com/telegram/webhook", "has space", false},
		{"https://bot.example.com/telegram/webhook", strings.Repeat("a", 257), false},
		{"bot.example.com/telegram/webhook", secret, false},
		{"", secret, false},
	}
	for _, tt := range tests {
		if _, err := telegram.NewWebhook(d, tt.url, tt.secret); (err == nil) != tt.ok {
			t.Errorf("NewWebhook(%q, %q) error = %v, want ok %v", tt.url, tt.secret, err, tt.ok)
		}
	}
}

// neverBody is a request body that is never sent: reading it blocks until
// the test ends, and is recorded.
type neverBody struct {
	read  chan struct{}
	until <-chan struct{}
}

func (b *neverBody) Read([]byte) (int, error) {
	select {
	case b.read <- struct{}{}:
	default:
	}
	<-b.until
	return 0, context.Canceled
}

// TestWebhookSecretBeforeBody sends updates whose body never comes: with a
// missing or wrong secret the webhook answers 401 without reading a byte of
// it, so a client without the secret cannot hold a request open.
func TestWebhookSecretBeforeBody(t *testing.T) {
	e := newEnv(t)
	wh, err := telegram.NewWebhook(e.dispatcher(&recorder{}, group), "https://bot.example/telegram/webhook", secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, header := range []string{"", "wrong-secret"} {
		end := make(chan struct{})
		body := &neverBody{read: make(chan struct{}, 1), until: end}
		req := httptest.NewRequest(http.MethodPost, telegram.WebhookPath, body)
		if header != "" {
			req.Header.Set(telegram.SecretHeader, header)
		}
		rw := httptest.NewRecorder()
		wh.ServeHTTP(rw, req) // returns only if it does not wait for the body
		close(end)
		if rw.Code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", header, rw.Code)
		}
		select {
		case <-body.read:
			t.Errorf("secret %q: the body was read", header)
		default:
		}
	}
}
