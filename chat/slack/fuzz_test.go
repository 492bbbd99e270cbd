package slack

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat"
)

func FuzzRenderArticle(f *testing.F) {
	f.Add("<!here> storm", "https://news.example/a?b=1&c=<2>|x", "Call <!everyone> & @here", "<!subteam^S1>", "<!channel> & co", "<#C1|ops>")
	f.Add("Qala-i-Naw", "javascript:alert(1)", "lead", "AFP", heading, "keywords: assault")
	f.Add(strings.Repeat("&", 400), "http://x/"+strings.Repeat("|", 900), strings.Repeat("<", 3000), "", "", "")
	f.Fuzz(func(t *testing.T, title, url, lead, source, head, why string) {
		a := chat.Article{Title: title, URL: url, Lead: lead, Source: source, Published: day8}
		for _, m := range []chat.Message{
			{Kind: chat.KindAlert, Heading: head, Article: &a, Outlets: []string{source}, Sources: 2, Why: why},
			{Kind: chat.KindDigest, Heading: head, Text: lead, Items: []chat.Article{a, a}},
			{Kind: chat.KindReply, Text: title, Items: []chat.Article{a}},
		} {
			pages := render(m)
			checkLimits(t, pages)
			for _, p := range pages {
				for _, s := range append(blockTexts(t, p.Blocks), p.Text) {
					checkOnlyOwnLinks(t, s)
				}
			}
		}
	})
}

// checkOnlyOwnLinks fails unless every "<" in s opens a web link.
func checkOnlyOwnLinks(t *testing.T, s string) {
	t.Helper()
	for rest := s; ; {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			return
		}
		rest = rest[i:]
		if !strings.HasPrefix(rest, "<http://") && !strings.HasPrefix(rest, "<https://") {
			t.Fatalf("raw control sequence in %q", s)
		}
		end := strings.IndexByte(rest, '>')
		if end < 0 || strings.IndexByte(rest[1:end], '<') >= 0 {
			t.Fatalf("unclosed or nested link in %q", s)
		}
		rest = rest[end+1:]
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("first line\nsecond line", 12)
	f.Add("<<<< &&&& 😀😀", 5)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < len("&amp;") || max > 5000 {
			return // below 5 a lone "&" cannot fit, and is taken whole
		}
		pieces := split(s, max)
		for _, p := range pieces {
			if n := escapedLen(p); n > max {
				t.Fatalf("piece %q of escaped length %d > %d", p, n, max)
			}
		}
		if got, want := strings.Join(pieces, ""), strings.Join(strings.Fields(s), ""); strings.Join(strings.Fields(got), "") != want {
			t.Fatalf("split(%q, %d) = %q lost text", s, max, pieces)
		}
	})
}

// FuzzCommandHandler sends signed but arbitrary bodies: the handler must
// answer 200 or 400 and never panic.
func FuzzCommandHandler(f *testing.F) {
	f.Add(commandForm("").Encode())
	f.Add(exampleBody)
	f.Add("command=%2Flatest&text=%3C%21channel%3E&channel_id=C1")
	f.Add("command=&text=")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, body string) {
		echo := chat.HandlerFunc(func(_ context.Context, c chat.Command) chat.Message {
			return chat.Message{Text: c.Name + " " + c.Args}
		})
		h := newCommandHandler(t, echo)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(testSecret, testNow, body))
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 413 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if rec.Code == 200 && rec.Body.Len() > 0 {
			var resp struct {
				Text   string          `json:"text"`
				Blocks json.RawMessage `json:"blocks"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("response %q: %v", rec.Body, err)
			}
			texts := []string{resp.Text}
			if len(resp.Blocks) > 0 {
				texts = append(texts, blockTexts(t, resp.Blocks)...)
			}
			for _, s := range texts {
				checkOnlyOwnLinks(t, s)
			}
		}
	})
}

// FuzzInteraction feeds interaction request bodies, as signed requests
// would carry them, to the parser: it never panics, and every press it
// returns carries data that an alert button could carry.
func FuzzInteraction(f *testing.F) {
	f.Add(`{"type":"block_actions","user":{"id":"U1","name":"a"},"container":{"message_ts":"1.2","channel_id":"C1"},"actions":[{"type":"button","value":"wy:R1"}]}`)
	f.Add(`{"type":"block_actions","actions":[{"type":"static_select","selected_option":{"value":"ms:R:1h"}},null,{"value":"ms:R:1h:x"}]}`)
	f.Add(`{"type":"block_actions","actions":{}}`)
	f.Add(`{"type":"view_submission","view":{"state":{"values":{}}}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, payload string) {
		for _, body := range []string{"payload=" + url.QueryEscape(payload), payload} {
			cb, err := ParseInteraction([]byte(body))
			if err != nil {
				continue
			}
			for _, a := range Actions(cb) {
				d, err := chat.ParseActionData(a.Data.String())
				if err != nil || d != a.Data || a.Transport != "slack" {
					t.Fatalf("press %+v from %q", a, payload)
				}
			}
		}
	})
}
