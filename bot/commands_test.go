package bot

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/rules"
)

func testGazetteer() *geo.Gazetteer {
	places := []geo.Place{
		{ID: 1149361, Name: "Afghanistan", Level: geo.LevelCountry, Country: "AF"},
		{ID: 1147707, Name: "Badghis", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.02"},
		{ID: 1140025, Name: "Herat", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.11"},
		{ID: 1129867, Name: "Qala i Naw", Level: geo.LevelCity, Country: "AF", Admin1: "AF.02", Population: 9000},
	}
	names := []geo.Name{
		{Text: "Afghanistan", Places: []int64{1149361}},
		{Text: "Badghis", Places: []int64{1147707}},
		{Text: "Badghes", Places: []int64{1147707}},
		{Text: "Herat", Places: []int64{1140025}},
		{Text: "Qala-i-Naw", Places: []int64{1129867}},
	}
	return geo.New(places, names)
}

type routerFixture struct {
	*engineFixture
	router *Router
}

func newRouterFixture(t *testing.T) *routerFixture {
	f := newEngineFixture(t)
	ctx := context.Background()
	// Three documents: two in Badghis (one naming only the city), one elsewhere.
	for _, d := range []struct {
		id, title string
		when      time.Time
		region    corpus.DocRegion
	}{
		{"a", "Commandos flown into Qala-i-Naw", day(8), corpus.DocRegion{PlaceID: 1129867, Name: "Qala i Naw", Level: "city", Admin1: "AF.02", Admin1Name: "Badghis", Country: "AF"}},
		{"b", "Taliban enter Badghis capital", day(7), corpus.DocRegion{PlaceID: 1147707, Name: "Badghis", Level: "admin1", Admin1: "AF.02", Admin1Name: "Badghis", Country: "AF"}},
		{"c", "Herat districts fall", day(9), corpus.DocRegion{PlaceID: 1140025, Name: "Herat", Level: "admin1", Admin1: "AF.11", Admin1Name: "Herat", Country: "AF"}},
	} {
		doc := testDoc(d.id, d.title, d.when)
		if _, err := f.store.PutDocument(ctx, doc); err != nil {
			t.Fatal(err)
		}
		if err := f.store.SetAnalysis(ctx, doc.ID, corpus.Analysis{Regions: []corpus.DocRegion{d.region}}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &rules.Config{
		Timezone: "Asia/Kabul",
		Regions:  []rules.Region{{Name: "western-afghanistan", Members: []string{"herat", "badghis"}}},
		Rules:    []rules.Rule{{Name: "assault", Keywords: rules.Keywords{Any: []string{"assault"}}, Regions: []string{"badghis"}, Channels: []string{"ops"}}},
		Digests:  []rules.Digest{{Name: "daily", At: "08:00", Channels: []string{"ops"}}},
	}
	r := &Router{Store: f.store, Rules: cfg, Places: testGazetteer(), Clock: f.clock, Log: slog.New(slog.DiscardHandler), Started: f.clock.Now(),
		Actions: &Actions{Store: f.store, Renderer: &Renderer{Store: f.store, Clock: f.clock}, Clock: f.clock}}
	return &routerFixture{engineFixture: f, router: r}
}

func testDoc(id, title string, when time.Time) corpusDoc {
	return corpusDoc{ID: id + strings.Repeat("0", 31), Title: title, Body: title + ". Body text about " + title + ".", Source: "outlet-" + id, Published: when}
}

func (f *routerFixture) cmd(name, args string) chat.Message {
	return f.router.HandleCommand(context.Background(), chat.Command{Transport: "slack", Channel: "C1", User: "U1", Name: name, Args: args})
}

func titles(m chat.Message) []string {
	var out []string
	for _, it := range m.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestLatestByRegionAnySpelling(t *testing.T) {
	f := newRouterFixture(t)
	for _, q := range []string{"badghis", "Badghes", "BADGHIS"} {
		m := f.cmd("latest", q)
		got := strings.Join(titles(m), " | ")
		if got != "Commandos flown into Qala-i-Naw | Taliban enter Badghis capital" {
			t.Errorf("/latest %s: %q", q, got)
		}
		if m.Kind != chat.KindReply || m.Channel != "C1" || m.InChannel {
			t.Errorf("/latest %s: reply fields %+v", q, m)
		}
	}
	if got := titles(f.cmd("latest", "qala-e-naw")); len(got) != 1 || got[0] != "Commandos flown into Qala-i-Naw" {
		t.Errorf("/latest qala-e-naw: %v", got)
	}
	if got := titles(f.cmd("latest", "western-afghanistan")); len(got) != 3 || got[0] != "Herat districts fall" {
		t.Errorf("/latest of a user region: %v", got)
	}
	if got := titles(f.cmd("latest", "badghis 1 public")); len(got) != 1 {
		t.Errorf("/latest badghis 1: %v", got)
	}
	if m := f.cmd("latest", "badghis public"); !m.InChannel {
		t.Error("public did not make the reply in_channel")
	}
}

func TestLatestFallsBackToWords(t *testing.T) {
	f := newRouterFixture(t)
	if got := titles(f.cmd("latest", "commandos")); len(got) != 1 || got[0] != "Commandos flown into Qala-i-Naw" {
		t.Errorf("/latest commandos: %v", got)
	}
	if m := f.cmd("latest", "zzyzx"); !strings.Contains(m.Text, "Nothing found") {
		t.Errorf("/latest zzyzx: %q", m.Text)
	}
	if m := f.cmd("latest", ""); !strings.HasPrefix(m.Text, "Usage") {
		t.Errorf("/latest with no query: %q", m.Text)
	}
}

func TestCommandsSubscribeMuteWhyHelp(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	if m := f.cmd("subscribe", "daily 07:30 Europe/Paris"); !strings.Contains(m.Text, "07:30 (Europe/Paris)") {
		t.Fatalf("subscribe: %q", m.Text)
	}
	subs, _ := f.store.Subscriptions(ctx)
	if len(subs) != 1 || subs[0].At != "07:30" || subs[0].Timezone != "Europe/Paris" || subs[0].Channel != "C1" {
		t.Fatalf("subscriptions %+v", subs)
	}
	if m := f.cmd("subscribe", "weekly"); !strings.Contains(m.Text, "no digest") {
		t.Errorf("subscribe unknown: %q", m.Text)
	}
	if m := f.cmd("subscribe", "daily 25:00"); !strings.Contains(m.Text, "neither a time") {
		t.Errorf("subscribe bad time: %q", m.Text)
	}
	if m := f.cmd("unsubscribe", "daily"); !strings.Contains(m.Text, "Unsubscribed") {
		t.Errorf("unsubscribe: %q", m.Text)
	}
	if m := f.cmd("unsubscribe", "daily"); !strings.Contains(m.Text, "not subscribed") {
		t.Errorf("unsubscribe twice: %q", m.Text)
	}
	for _, tc := range []struct{ args, target string }{
		{"badghes 6h", "admin1:AF.02"}, {"qala-e-naw 1h", "place:1129867"}, {"Afghanistan 2d", "country:AF"},
		{"assault 30m", "rule:assault"}, {"western-afghanistan 1h", "region:western-afghanistan"},
	} {
		if m := f.cmd("mute", tc.args); !strings.Contains(m.Text, "Muted") {
			t.Errorf("mute %s: %q", tc.args, m.Text)
		}
		mutes, _ := f.store.Mutes(ctx, f.clock.Now())
		found := false
		for _, mu := range mutes {
			found = found || mu.Target == tc.target
		}
		if !found {
			t.Errorf("mute %s stored %+v, want target %s", tc.args, mutes, tc.target)
		}
	}
	for _, bad := range []string{"atlantis 2h", "badghis soon", "badghis"} {
		if m := f.cmd("mute", bad); strings.Contains(m.Text, "Muted") {
			t.Errorf("mute %q accepted: %q", bad, m.Text)
		}
	}
	if m := f.cmd("why", "#999"); !strings.Contains(m.Text, "no story #999") {
		t.Errorf("why unknown: %q", m.Text)
	}
	if m := f.cmd("help", ""); !strings.Contains(m.Text, "/latest") || !strings.Contains(m.Text, "/mute") {
		t.Errorf("help: %q", m.Text)
	}
	if m := f.cmd("frobnicate", ""); !strings.Contains(m.Text, "Unknown command /frobnicate") {
		t.Errorf("unknown: %q", m.Text)
	}
	if m := f.cmd("rules", ""); !strings.Contains(m.Text, "assault: any of assault; in badghis; to ops") {
		t.Errorf("rules: %q", m.Text)
	}
	if m := f.cmd("status", ""); !strings.Contains(m.Text, "Outbox: 0 pending") {
		t.Errorf("status: %q", m.Text)
	}
}

func TestWhyExplainsAStory(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	f.putSeed("003", day(7))
	outs, err := processAll(ctx, f.engine)
	if err != nil {
		t.Fatal(err)
	}
	var story int64
	for _, o := range outs {
		if s := o.Stories["assault"]; s != 0 {
			story = s
		}
	}
	m := f.router.HandleCommand(ctx, chat.Command{Transport: "slack", Channel: "C1", Name: "why", Args: "#" + itoa(story)})
	for _, want := range []string{"rule assault", "Badghis, Afghanistan", "keywords: assault", "4 reports, 0 of them copies"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("/why missing %q:\n%s", want, m.Text)
		}
	}
}

type corpusDoc = corpus.Document

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
