package chattest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

func TestTelegramParseHTML(t *testing.T) {
	tests := []struct {
		in, plain string
		ok        bool
	}{
		{"plain", "plain", true},
		{"<b>bold</b> <i>it</i> <code>x</code> <pre>y</pre>", "bold it x y", true},
		{`<a href="https://e.com/?a=1&amp;b=2">link</a>`, "link", true},
		{"&lt;script&gt; &amp;amp; &quot; &#33; &#x41;", `<script> &amp; " ! A`, true},
		{"<pre><code class=\"language-go\">x</code></pre>", "x", true},
		{"<B>upper</B>", "upper", true},
		{`<span class="tg-spoiler">s</span>`, "s", true},
		{"<b><i>nested</i></b>", "nested", true},
		{"<script>x</script>", "", false},
		{"<b>unclosed", "", false},
		{"<b><i>crossed</b></i>", "", false},
		{"closed</b>", "", false},
		{"a < b", "", false},
		{"a > b", "", false},
		{"fish & chips", "", false},
		{"&nbsp;", "", false},
		{"<a>no href</a>", "", false},
		{"<a href='single'>x</a>", "", false},
		{`<a href="x" onclick="y">x</a>`, "", false},
		{`<a href="https://e.com/"><a href="https://f.com/">x</a></a>`, "", false},
		{"<code><b>x</b></code>", "", false},
		{"<pre><b>x</b></pre>", "", false},
		{`<span class="other">x</span>`, "", false},
		{"\xff", "", false},
		{"<b", "", false},
	}
	for _, tt := range tests {
		plain, err := chattest.TelegramParseHTML(tt.in)
		if (err == nil) != tt.ok || tt.ok && plain != tt.plain {
			t.Errorf("TelegramParseHTML(%q) = %q, %v; want %q, ok %v", tt.in, plain, err, tt.plain, tt.ok)
		}
	}
}

// call makes a raw Bot API request as form values and decodes the answer.
func call(t *testing.T, s *chattest.TelegramServer, token, method string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.URL+"/bot"+token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestTelegramServerWire(t *testing.T) {
	s := chattest.NewTelegramServer(t)
	if code, body := call(t, s, "1:wrong", "getMe", nil); code != 401 || body["ok"] != false || body["description"] != "Unauthorized" {
		t.Errorf("wrong token: %d %v", code, body)
	}
	if code, body := call(t, s, s.Token, "getMe", nil); code != 200 || body["ok"] != true {
		t.Errorf("getMe: %d %v", code, body)
	}
	s.FailNext("sendMessage", chattest.TelegramRetryAfter(3))
	code, body := call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"hi"}})
	params, _ := body["parameters"].(map[string]any)
	if code != 429 || body["error_code"] != float64(429) || params["retry_after"] != float64(3) ||
		body["description"] != "Too Many Requests: retry after 3" {
		t.Errorf("429: %d %v", code, body)
	}
	code, body = call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"<b>x"}, "parse_mode": {"HTML"}})
	if code != 400 || !strings.HasPrefix(body["description"].(string), "Bad Request: can't parse entities") {
		t.Errorf("bad HTML: %d %v", code, body)
	}
	code, body = call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {strings.Repeat("😀", 2049)}})
	if code != 400 || body["description"] != "Bad Request: message is too long" {
		t.Errorf("4098 UTF-16 units: %d %v", code, body)
	}
	if code, _ = call(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {strings.Repeat("😀", 2048)}}); code != 200 {
		t.Errorf("4096 UTF-16 units: %d", code)
	}
	if code, _ = call(t, s, s.Token, "noSuchMethod", nil); code != 404 {
		t.Errorf("unknown method: %d", code)
	}
	if n := len(s.CallsTo("sendMessage")); n != 4 {
		t.Errorf("%d sendMessage calls recorded, want 4", n)
	}
}

func TestTelegramServerUpdates(t *testing.T) {
	s := chattest.NewTelegramServer(t)
	first := s.QueueMessage(-100, 7, "/latest badghis")
	second := s.QueueChannelPost(-1002, "/status")
	ids := func(form url.Values) []int {
		t.Helper()
		code, body := call(t, s, s.Token, "getUpdates", form)
		if code != 200 {
			t.Fatalf("getUpdates: %d %v", code, body)
		}
		var out []int
		for _, u := range body["result"].([]any) {
			out = append(out, int(u.(map[string]any)["update_id"].(float64)))
		}
		return out
	}
	if got := ids(nil); len(got) != 2 || got[0] != first || got[1] != second {
		t.Errorf("updates %v", got)
	}
	if got := ids(url.Values{"allowed_updates": {`["message"]`}}); len(got) != 1 || got[0] != first {
		t.Errorf("only messages: %v", got)
	}
	if got := ids(url.Values{"offset": {"101"}}); len(got) != 1 || got[0] != second {
		t.Errorf("from offset 101: %v", got)
	}
	if got := s.PendingUpdates(); len(got) != 1 || got[0] != second {
		t.Errorf("pending after offset 101: %v", got)
	}

	// A long poll ends when an update arrives.
	s.OnRequest(func(method string) {
		if method == "getUpdates" {
			go s.QueueMessage(-100, 7, "/help")
		}
	})
	if got := ids(url.Values{"offset": {"102"}, "timeout": {"3600"}}); len(got) != 1 {
		t.Errorf("long poll: %v", got)
	}
	s.OnRequest(nil)

	// No getUpdates while a webhook is set.
	if code, _ := call(t, s, s.Token, "setWebhook", url.Values{"url": {"https://x.example/hook"}, "secret_token": {"abc"}}); code != 200 {
		t.Fatal("setWebhook failed")
	}
	if code, body := call(t, s, s.Token, "getUpdates", nil); code != 409 {
		t.Errorf("getUpdates with a webhook: %d %v", code, body)
	}
	if code, _ := call(t, s, s.Token, "setWebhook", url.Values{"url": {"https://x.example/hook"}, "secret_token": {"bad secret!"}}); code != 400 {
		t.Error("a secret with bad characters was accepted")
	}
	if _, err := s.DeliverWebhook(context.Background(), []byte(`{}`)); err == nil {
		t.Error("delivery to an unreachable webhook succeeded")
	}
}

func TestTelegramServerLateAndToken(t *testing.T) {
	s := chattest.NewTelegramServer(t)
	s.FailNext("sendMessage", chattest.TelegramLate)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/bot"+s.Token+"/sendMessage",
		strings.NewReader(url.Values{"chat_id": {"1"}, "text": {"slow"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a late answer reached the client: %v", err)
	}
	if msgs := s.BotMessages(1); len(msgs) != 1 || msgs[0].Plain != "slow" {
		t.Fatalf("the late call was not carried out: %+v", msgs)
	}
	old := s.Token
	s.SetToken("7312345678:AANewTokenNewTokenNewTokenNewToken00")
	if code, _ := call(t, s, old, "getMe", nil); code != 401 {
		t.Errorf("the old token after SetToken: %d, want 401", code)
	}
	if code, _ := call(t, s, "7312345678:AANewTokenNewTokenNewTokenNewToken00", "getMe", nil); code != 200 {
		t.Errorf("the new token: %d", code)
	}
}
