package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

var (
	day7 = time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC)
	day8 = time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)
)

// Articles from the seed corpus: the Taliban assault on Qala-i-Naw.
var (
	afp = chat.Article{
		Title:     "Smoke over Qala-i-Naw as Taliban assault on Badghis capital enters second day",
		URL:       "https://news.example/afp/2021/07/08/qala-i-naw?ref=wire&lang=en",
		Source:    "AFP",
		Published: day8,
		Place:     "Qala-i-Naw (Badghis, Afghanistan)",
		Lead:      "Smoke covered the provincial capital in Afghanistan on Thursday as fighting went on between Afghan forces and the Taliban. The fighting is going on for a second straight day.",
	}
	retaken = chat.Article{
		Title:        "Afghan forces take back provincial capital Qala-e-Naw after Taliban assault",
		URL:          "https://news.example/rewrite/qala-e-naw",
		Source:       "Gulf Today",
		Published:    time.Date(2021, 7, 8, 16, 20, 0, 0, time.UTC),
		DateFromFile: true,
		Place:        "Qala-e-Naw (Badghis, Afghanistan)",
		Lead:         "Kabul flew in hundreds of commandos to Qala-e-Naw in Badghis, the first provincial capital to face an all-out assault by the Taliban.",
	}
	islamTimes = chat.Article{
		Title:     "Taliban launch first assault on a provincial capital",
		URL:       "https://news.example/islamtimes/taliban-assault",
		Source:    "Islam Times",
		Published: day7,
		Place:     "Qala-e-Naw (Badghis, Afghanistan)",
		Lead:      "Fierce fighting erupted on Wednesday in the Western city of Qala-e-Naw, the capital of Northwestern Badghis province.",
	}
	urduPoint = chat.Article{
		Title:     "Taliban launch major assault on Afghan provincial capital",
		Source:    "UrduPoint",
		Published: day7,
		Place:     "Qala-i-Naw (Badghis, Afghanistan)",
		Lead:      "The Taliban launched a major assault on a provincial capital in Afghanistan on Wednesday.",
	}
)

const heading = "Badghis · provincial-capital-assault"

func alertMsg() chat.Message {
	a := afp
	return chat.Message{
		Kind: chat.KindAlert, Channel: "C0OPS", Heading: heading, Article: &a,
		Outlets: []string{"AFP"}, Sources: 1,
		Why: "keywords: assault, taliban; place: Qala-i-Naw (Badghis, Afghanistan)",
	}
}

// buttonsMsg is the alert with its buttons.
func buttonsMsg() chat.Message {
	m := alertMsg()
	m.Text = "Story #12"
	m.Controls = &chat.Controls{Ref: "Ab3dEf9hJk2L", Story: 12, Scope: "provincial-capital-assault in Badghis",
		ScopeCommand: "provincial-capital-assault in badghis"}
	return m
}

// mutedMsg is the alert after "Mute story" for 6 hours.
func mutedMsg() chat.Message {
	m := buttonsMsg()
	m.Kind, m.ThreadID = chat.KindEdit, "1625700000.000001"
	m.Controls.Muted = &chat.MuteNote{ID: 3, What: "story #12", For: "6h", By: "@alice <!channel>",
		Until: time.Date(2021, 7, 8, 15, 0, 0, 0, time.UTC)}
	return m
}

func editMsg() chat.Message {
	m := alertMsg()
	m.Kind, m.ThreadID = chat.KindEdit, "1625700000.000001"
	m.Outlets, m.Sources = []string{"AFP", "Malay Mail"}, 2
	return m
}

func updateMsg() chat.Message {
	return chat.Message{
		Kind: chat.KindUpdate, Channel: "C0OPS", ThreadID: "1625700000.000001", Heading: heading,
		Items: []chat.Article{retaken},
	}
}

func digestMsg() chat.Message {
	return chat.Message{
		Kind: chat.KindDigest, Channel: "C0OPS", Heading: "afghanistan-daily · 8 July 2021",
		Text:  "4 reports in 1 story since yesterday 08:00 Asia/Kabul.",
		Items: []chat.Article{retaken, afp, islamTimes, urduPoint},
	}
}

func replyMsg() chat.Message {
	return chat.Message{
		Kind: chat.KindReply, Channel: "C0OPS", Text: "Latest for badghis, newest first:",
		Items: []chat.Article{retaken, afp, islamTimes},
	}
}

// hostileMsg carries every way an article could try to ping or link.
func hostileMsg() chat.Message {
	return chat.Message{
		Kind: chat.KindAlert, Channel: "C0OPS",
		Heading: "<!channel> Badghis & <@U0BOSS>",
		Article: &chat.Article{
			Title:     "<!here> Taliban <@U123> storm <https://evil.example|the city> *now*",
			URL:       "https://news.example/a?b=1&c=<2>|<!channel>",
			Source:    "<!subteam^S0ANALYSTS>",
			Published: day8,
			Lead:      "Call <!everyone> & @here & @channel <tel:123|now> > later <#C0OPS>",
		},
		Outlets: []string{"AFP", "<!channel>"},
		Sources: 2,
		Why:     "keywords: <!here>; place: <#C0OPS|ops>",
		Items: []chat.Article{{
			Title: "<@U123>", URL: "javascript:alert(1)", Source: "&amp;", Lead: "<!date^1625700000^{date}|x>",
		}},
	}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  chat.Message
	}{
		{"alert", alertMsg()},
		{"edit", editMsg()},
		{"update", updateMsg()},
		{"digest", digestMsg()},
		{"reply", replyMsg()},
		{"hostile", hostileMsg()},
		{"alert_buttons", buttonsMsg()},
		{"alert_muted", mutedMsg()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, readableJSON(t, render(tt.msg)))
		})
	}
}

// readableJSON is indented JSON without HTML escapes, so goldens show
// Slack's markup as it is.
func readableJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", name, path, got)
	}
}

// TestHostileTextNeverPings checks every text Slack would read, in blocks and
// in the fallback, for a raw control sequence.
func TestHostileTextNeverPings(t *testing.T) {
	for _, p := range render(hostileMsg()) {
		texts := append([]string{p.Text}, blockTexts(t, p.Blocks)...)
		if len(texts) < 8 {
			t.Fatalf("only %d texts found: %q", len(texts), texts)
		}
		for _, s := range texts {
			for _, bad := range []string{"<!", "<@", "<#", "<tel:", "<https://evil", "|<"} {
				if strings.Contains(s, bad) {
					t.Errorf("text %q contains raw %q", s, bad)
				}
			}
		}
	}
}

// blockTexts returns every text of the blocks, and fails the test for a
// mrkdwn text that is not verbatim.
func blockTexts(t *testing.T, blocks any) []string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var decoded any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if typ, _ := v["type"].(string); typ == "mrkdwn" || typ == "plain_text" {
				out = append(out, v["text"].(string))
				if typ == "mrkdwn" && v["verbatim"] != true {
					t.Errorf("mrkdwn text %q is not verbatim: Slack would parse @here in it", v["text"])
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(decoded)
	return out
}

func manyItems(n int) []chat.Article {
	items := make([]chat.Article, n)
	for i := range items {
		items[i] = afp
		items[i].Title = fmt.Sprintf("Report %d on Qala-i-Naw", i+1)
	}
	return items
}

// checkLimits fails the test when a payload breaks a Block Kit limit.
func checkLimits(t *testing.T, pages []payload) {
	t.Helper()
	for i, p := range pages {
		if len(p.Blocks) > maxBlocks {
			t.Errorf("page %d: %d blocks > %d", i, len(p.Blocks), maxBlocks)
		}
		if n := utf8.RuneCountInString(p.Text); n > maxFallbackText || n == 0 {
			t.Errorf("page %d: fallback text of %d characters", i, n)
		}
		for _, b := range p.Blocks {
			switch b := b.(type) {
			case *slackgo.HeaderBlock:
				if n := len(utf16Units(b.Text.Text)); n > maxHeaderText {
					t.Errorf("page %d: header of %d characters", i, n)
				}
			case *slackgo.SectionBlock:
				if n := len(utf16Units(b.Text.Text)); n > maxSectionText || n == 0 {
					t.Errorf("page %d: section of %d characters", i, n)
				}
			}
		}
	}
}

func utf16Units(s string) []int {
	var units []int
	for _, r := range s {
		units = append(units, int(r))
		if r >= 0x10000 {
			units = append(units, 0)
		}
	}
	return units
}

func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("Fierce fighting erupted in the western city of Qala-i-Naw. ", 400) // ~24k chars
	tests := []struct {
		name      string
		msg       chat.Message
		pages     int
		lastBlock string // text of the last block, when it matters
	}{
		{"digest of 120 continues", chat.Message{Kind: chat.KindDigest, Heading: "daily", Items: manyItems(120)}, 3, ""},
		{"digest of 400 is cut", chat.Message{Kind: chat.KindDigest, Heading: "daily", Items: manyItems(400)}, maxPages, "… 152 more not shown"},
		{"update of 60 continues", chat.Message{Kind: chat.KindUpdate, ThreadID: "1.2", Items: manyItems(60)}, 2, ""},
		{"reply of 120 is cut", chat.Message{Kind: chat.KindReply, Text: "Latest:", Items: manyItems(120)}, 1, "… 72 more not shown"},
		{"long reply text", chat.Message{Kind: chat.KindReply, Text: long}, 1, ""},
		{"long header", chat.Message{Kind: chat.KindAlert, Heading: strings.Repeat("Badghis & Herat ", 20), Article: &afp}, 1, ""},
		{"long title and lead", chat.Message{Kind: chat.KindAlert, Article: &chat.Article{Title: long, Lead: long, URL: afp.URL}}, 1, ""},
		{"long why and outlets", chat.Message{Kind: chat.KindAlert, Article: &afp, Why: long, Outlets: strings.Fields(long)}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := render(tt.msg)
			if len(pages) != tt.pages {
				t.Fatalf("%d pages, want %d", len(pages), tt.pages)
			}
			checkLimits(t, pages)
			if tt.lastBlock != "" {
				last := pages[len(pages)-1].Blocks
				texts := blockTexts(t, last[len(last)-1:])
				if len(texts) != 1 || texts[0] != tt.lastBlock {
					t.Errorf("last block %q, want %q", texts, tt.lastBlock)
				}
			}
		})
	}
}

// TestRenderKeepsEveryItem checks that a continued digest loses nothing and
// keeps the order.
func TestRenderKeepsEveryItem(t *testing.T) {
	items := manyItems(130)
	var titles []string
	for _, p := range render(chat.Message{Kind: chat.KindDigest, Items: items}) {
		for _, s := range blockTexts(t, p.Blocks) {
			if strings.Contains(s, "Report ") {
				titles = append(titles, s[strings.Index(s, "|")+1:strings.Index(s, ">")])
			}
		}
	}
	if len(titles) != len(items) {
		t.Fatalf("%d items shown, want %d", len(titles), len(items))
	}
	for i, title := range titles {
		if title != items[i].Title {
			t.Fatalf("item %d is %q, want %q", i, title, items[i].Title)
		}
	}
}

func TestRenderNothing(t *testing.T) {
	if got := render(chat.Message{Kind: chat.KindReply}); got != nil {
		t.Errorf("empty reply rendered as %d messages", len(got))
	}
	if got := render(chat.Message{Kind: chat.KindDigest}); len(got) != 1 {
		t.Errorf("empty digest rendered as %d messages, want one saying nothing is new", len(got))
	}
}

// TestSpoofingStripped sends messages full of bidi overrides and zero-width
// characters through the real client to the fake Slack API: what Slack
// receives has none of them, and Persian keeps its non-joiners.
func TestSpoofingStripped(t *testing.T) {
	for _, kind := range []chat.Kind{chat.KindAlert, chat.KindDigest, chat.KindReply} {
		t.Run(string(kind), func(t *testing.T) {
			tr, srv := newTestTransport(t)
			if _, err := tr.Send(context.Background(), chattest.SpoofMessage(kind)); err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, m := range srv.Messages("C0OPS") {
				all.WriteString(m.Text + "\n")
				var blocks any
				if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
					t.Fatal(err)
				}
				jsonStrings(blocks, &all)
			}
			want := []string{"txt.exe", "Reuters"}
			if kind != chat.KindAlert {
				want = nil // lists show their items, not the article
			}
			chattest.CheckNoSpoofing(t, all.String(), want...)
		})
	}
	// A slash command's answer takes the same path.
	p := replyPayload(chattest.SpoofMessage(chat.KindReply))
	var all strings.Builder
	all.WriteString(p.Text)
	b, _ := json.Marshal(p.Blocks)
	var blocks any
	if err := json.Unmarshal(b, &blocks); err != nil {
		t.Fatal(err)
	}
	jsonStrings(blocks, &all)
	chattest.CheckNoSpoofing(t, all.String())
}

// jsonStrings writes every string value of decoded JSON to b.
func jsonStrings(v any, b *strings.Builder) {
	switch v := v.(type) {
	case string:
		b.WriteString(v + "\n")
	case []any:
		for _, x := range v {
			jsonStrings(x, b)
		}
	case map[string]any:
		for _, x := range v {
			jsonStrings(x, b)
		}
	}
}
