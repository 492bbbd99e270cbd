package console

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		line, name, args string
		ok               bool
	}{
		{"/latest badghis", "latest", "badghis", true},
		{"  /LATEST  Qala-e-Naw 3 ", "latest", "Qala-e-Naw 3", true},
		{"/help", "help", "", true},
		{"latest badghis", "", "", false},
		{"/", "", "", false},
	} {
		c, ok := ParseCommand(tc.line)
		if ok != tc.ok || c.Name != tc.name || c.Args != tc.args {
			t.Errorf("ParseCommand(%q) = %+v %v", tc.line, c, ok)
		}
	}
}

func TestServeAnswersCommands(t *testing.T) {
	var out bytes.Buffer
	c := New(&out)
	in := strings.NewReader("/latest badghis\nhello\n\n/help\n")
	var got []chat.Command
	h := chat.HandlerFunc(func(_ context.Context, cmd chat.Command) chat.Message {
		got = append(got, cmd)
		return chat.Message{Kind: chat.KindReply, Text: "answer to " + cmd.Name}
	})
	if err := c.Serve(context.Background(), in, h); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Args != "badghis" || got[1].Name != "help" {
		t.Fatalf("commands %+v", got)
	}
	s := out.String()
	for _, want := range []string{"answer to latest", "Commands start with /", "answer to help"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestRenderAlertReplyEdit(t *testing.T) {
	var out bytes.Buffer
	c := New(&out)
	ctx := context.Background()
	when := time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC)
	alert := chat.Message{Kind: chat.KindAlert, Channel: "ops", Heading: "Badghis, Afghanistan · assault",
		Article: &chat.Article{Title: "Taliban assault", Published: when, Source: "AFP", Lead: "Fierce fighting."},
		Sources: 1, Outlets: []string{"AFP"}, Why: "keywords: assault", Text: "Story #12"}
	id, err := c.Send(ctx, alert)
	if err != nil || id != "1" {
		t.Fatalf("send: %q %v", id, err)
	}
	reply := chat.Message{Kind: chat.KindUpdate, ThreadID: "1", Text: "Story #12: 1 more report",
		Items: []chat.Article{{Title: "Later report", Published: when.Add(24 * time.Hour), DateFromFile: true}}}
	rid, err := c.Send(ctx, reply)
	if err != nil || rid != "2" {
		t.Fatalf("reply: %q %v", rid, err)
	}
	// An edit of the reply that changes nothing prints nothing; one that
	// raises the alert's sources prints the alert again.
	same := reply
	same.Kind, same.ThreadID = chat.KindEdit, "2"
	if eid, err := c.Send(ctx, same); err != nil || eid != "2" {
		t.Fatalf("no-op edit: %q %v", eid, err)
	}
	more := alert
	more.Kind, more.ThreadID, more.Sources, more.Outlets = chat.KindEdit, "1", 2, []string{"AFP", "Malay Mail"}
	if eid, err := c.Send(ctx, more); err != nil || eid != "1" {
		t.Fatalf("edit: %q %v", eid, err)
	}
	want := "== ALERT [ops] Badghis, Afghanistan · assault\n2021-07-07  Taliban assault  [AFP]\n   Fierce fighting.\n   1 source: AFP | why: keywords: assault\nStory #12\n" +
		"   ↳ REPLY\n     Story #12: 1 more report\n     - 2021-07-08 (file date)  Later report\n" +
		"   ✎ EDIT [ops] Badghis, Afghanistan · assault\n     2021-07-07  Taliban assault  [AFP]\n        Fierce fighting.\n        2 sources: AFP, Malay Mail | why: keywords: assault\n     Story #12\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestSpoofingStripped prints messages full of bidi overrides, zero-width
// characters and a terminal escape: the console shows none of them, and
// Persian keeps its non-joiners.
func TestSpoofingStripped(t *testing.T) {
	for _, kind := range []chat.Kind{chat.KindAlert, chat.KindDigest, chat.KindReply} {
		var out strings.Builder
		if _, err := New(&out).Send(context.Background(), chattest.SpoofMessage(kind)); err != nil {
			t.Fatal(err)
		}
		chattest.CheckNoSpoofing(t, out.String(), "txt.exe", "Reuters")
	}
}

func TestAlertShowsItsActionsAsCommands(t *testing.T) {
	var out bytes.Buffer
	c := New(&out)
	ctx := context.Background()
	alert := chat.Message{Kind: chat.KindAlert, Channel: "ops", Heading: "Badghis, Afghanistan · assault", Text: "Story #12",
		Article:  &chat.Article{Title: "Taliban assault", Published: time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC)},
		Controls: &chat.Controls{Ref: "R", Story: 12, Scope: "assault in Badghis", ScopeCommand: "assault in badghis"}}
	if _, err := c.Send(ctx, alert); err != nil {
		t.Fatal(err)
	}
	muted := alert
	muted.Kind, muted.ThreadID = chat.KindEdit, "1"
	muted.Controls = &chat.Controls{Ref: "R", Story: 12, Muted: &chat.MuteNote{ID: 3, What: "story #12", For: "6h", By: "console",
		Until: time.Date(2021, 7, 7, 6, 0, 0, 0, time.UTC)}}
	if _, err := c.Send(ctx, muted); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"   actions: /mute story 12 6h · /mute assault in badghis 6h · /why 12 · /follow 12\n",
		"        muted 6h by console (until 2021-07-07 06:00 UTC): /unmute 3 · /why 12 · /follow 12\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}
