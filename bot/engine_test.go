package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// fixedAnalyzer matches every document to rule "assault", grouped in
// Badghis, so these tests see the engine's decisions alone.
type fixedAnalyzer struct{}

func (fixedAnalyzer) Analyze(string) corpus.Analysis {
	return corpus.Analysis{
		Regions: []corpus.DocRegion{{PlaceID: 1147707, Name: "Badghis", Level: "admin1", Admin1: "AF.02", Admin1Name: "Badghis", Country: "AF"}},
		Matches: []corpus.DocMatch{{Rule: "assault", Keywords: []string{"assault"}, Regions: []string{"Badghis"}, GroupKey: "AF.02", GroupName: "Badghis, Afghanistan"}},
	}
}

// processAll runs ProcessPending and returns the outcomes in order.
func processAll(ctx context.Context, e *Engine) ([]Outcome, error) {
	var outs []Outcome
	_, err := e.ProcessPending(ctx, func(o Outcome) { outs = append(outs, o) })
	return outs, err
}

type engineFixture struct {
	t      *testing.T
	clock  *fakeClock
	store  store.Store
	engine *Engine
	ids    map[string]string // seed number "000" -> document id
}

func newEngineFixture(t *testing.T) *engineFixture {
	t.Helper()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	det, err := NewCopies(st, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &rules.Config{
		Channels: []rules.Channel{{Name: "ops", Slack: "C1"}, {Name: "field", Telegram: "-100"}},
		Rules:    []rules.Rule{{Name: "assault", Channels: []string{"ops", "field"}}},
	}
	e := &Engine{
		Store: st, Analyzer: fixedAnalyzer{}, Copies: det, Rules: cfg, Clock: clock,
		Log: slog.New(slog.DiscardHandler),
		Routes: map[string][]Dest{
			"ops":   {{Transport: "slack", Channel: "C1", Name: "ops"}},
			"field": {{Transport: "telegram", Channel: "-100", Name: "field"}},
		},
	}
	return &engineFixture{t: t, clock: clock, store: st, engine: e, ids: map[string]string{}}
}

// putSeed stores a seed article with the given publication time.
func (f *engineFixture) putSeed(n string, published time.Time) corpus.Document {
	f.t.Helper()
	matches, _ := filepath.Glob(filepath.Join("..", "examples", "corpus", n+"_*.txt"))
	if len(matches) != 1 {
		f.t.Fatalf("seed %s not found", n)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		f.t.Fatal(err)
	}
	d := corpus.Document{Source: "seed-" + n, Path: matches[0], Title: "seed " + n, TitleDerived: true, Body: string(data), Published: published}
	d.ID = corpus.ContentID(d.Text())
	if _, err := f.store.PutDocument(context.Background(), d); err != nil {
		f.t.Fatal(err)
	}
	f.ids[n] = d.ID
	return d
}

// carried returns the documents row carries: those of its payload, then
// the reports added to it.
func (f *engineFixture) carried(r store.OutboxRow) []string {
	f.t.Helper()
	rf, err := decodeRef(r.Payload)
	if err != nil {
		f.t.Fatal(err)
	}
	added, total, err := f.store.ReplyDocs(context.Background(), r.ID, 1000)
	if err != nil || total != len(added) {
		f.t.Fatalf("ReplyDocs: %d of %d, %v", len(added), total, err)
	}
	out := rf.Docs
	for _, d := range added {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func (f *engineFixture) rows() []store.OutboxRow {
	f.t.Helper()
	ctx := context.Background()
	var out []store.OutboxRow
	// Look rows up by the keys the engine uses.
	stories, err := f.store.Stories(ctx, nil, time.Time{}, time.Now().Add(100*365*24*time.Hour), 100)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, st := range stories {
		for _, dests := range f.engine.Routes {
			for _, d := range dests {
				if r, err := f.store.OutboxRow(ctx, alertKey(st.ID, d)); err == nil {
					out = append(out, r)
				}
				for _, id := range f.ids {
					for _, key := range []string{updateKey(st.ID, d, id), editKey(st.ID, d, id)} {
						if r, err := f.store.OutboxRow(ctx, key); err == nil {
							out = append(out, r)
						}
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b store.OutboxRow) int { return int(a.ID - b.ID) })
	return out
}

func day(d int) time.Time { return time.Date(2021, 7, d, 0, 0, 0, 0, time.UTC) }

func TestEngineSeedStory(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	// File order differs from publication order: the earliest report
	// (003) must still be the alert.
	f.putSeed("000", day(8))
	f.putSeed("001", day(8))
	f.putSeed("002", day(8).Add(12*time.Hour))
	f.putSeed("003", day(7))
	f.putSeed("004", day(7))

	outs, err := processAll(ctx, f.engine)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 5 {
		t.Fatalf("%d outcomes", len(outs))
	}
	byID := map[string]Outcome{}
	for _, o := range outs {
		byID[o.Doc.ID] = o
	}
	if got := byID[f.ids["001"]].CopyOf; got != f.ids["000"] {
		t.Fatalf("001 copy_of = %q, want 000 (%s)", got, f.ids["000"])
	}
	for _, n := range []string{"000", "002", "003", "004"} {
		if c := byID[f.ids[n]].CopyOf; c != "" {
			t.Errorf("%s marked a copy of %s", n, c)
		}
	}
	story := byID[f.ids["003"]].Stories["assault"]
	for n, id := range f.ids {
		if byID[id].Stories["assault"] != story {
			t.Errorf("seed %s in story %d, want %d", n, byID[id].Stories["assault"], story)
		}
	}

	rows := f.rows()
	kinds := map[string][]string{}
	for _, r := range rows {
		kinds[r.Transport] = append(kinds[r.Transport], string(r.Kind))
		rf, _ := decodeRef(r.Payload)
		switch r.Kind {
		case "alert":
			if rf.Docs[0] != f.ids["003"] {
				t.Errorf("alert carries %s, want the earliest report 003", rf.Docs[0])
			}
		case "update":
			want := []string{f.ids["004"], f.ids["000"], f.ids["002"]}
			if got := f.carried(r); !slices.Equal(got, want) {
				t.Errorf("reply carries %v, want 004, 000, 002 in one batch", got)
			}
		case "edit":
			if rf.Docs[0] != f.ids["001"] || rf.Carrier != updateKey(story, Dest{Transport: r.Transport, Channel: r.Channel}, f.ids["004"]) {
				t.Errorf("edit %+v: want 001 editing the reply that carries 000", rf)
			}
		}
	}
	for _, tr := range []string{"slack", "telegram"} {
		if !slices.Equal(kinds[tr], []string{"alert", "update", "edit"}) {
			t.Errorf("%s rows %v, want alert, update, edit", tr, kinds[tr])
		}
	}

	// Processing again, or a restart, enqueues nothing new.
	for _, id := range f.ids {
		d, _ := f.store.Document(ctx, id)
		o, err := f.engine.Process(ctx, d)
		if err != nil || o.Enqueued != 0 {
			t.Fatalf("reprocessing %s enqueued %d (%v)", id, o.Enqueued, err)
		}
	}
	if got := len(f.rows()); got != len(rows) {
		t.Fatalf("rows after reprocessing: %d, want %d", got, len(rows))
	}
}

func TestEngineRendersCopyCounts(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	f.putSeed("000", day(8))
	f.putSeed("001", day(8))
	if _, err := processAll(ctx, f.engine); err != nil {
		t.Fatal(err)
	}
	rows := f.rows()
	r := &Renderer{Store: f.store}
	var alert, edit chat.Message
	for _, row := range rows {
		if row.Transport != "slack" {
			continue
		}
		m, err := r.Render(ctx, row)
		if err != nil {
			t.Fatal(err)
		}
		switch row.Kind {
		case "alert":
			alert = m
		case "edit":
			edit = m
		}
	}
	if alert.Kind != chat.KindAlert || alert.Article == nil || alert.Heading != "Badghis, Afghanistan · assault" {
		t.Fatalf("alert %+v", alert)
	}
	if edit.Kind != chat.KindEdit || edit.Sources != 2 || !slices.Equal(edit.Outlets, []string{"seed-000", "seed-001", "AFP wire"}) {
		t.Fatalf("edit: sources %d outlets %v, want 2, both outlets and the AFP credit", edit.Sources, edit.Outlets)
	}
}

func TestEngineBurstWindowAndNewStory(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	tr := &scriptedTransport{clock: f.clock}
	d := newTestDeliverer(f.store, f.clock, tr)
	d.Transports = map[string]chat.Transport{"slack": tr, "telegram": tr}
	f.putSeed("003", day(7))
	mustProcess(t, f)
	f.putSeed("004", day(7))
	mustProcess(t, f)
	mustDeliver(t, d) // the alerts go at once; the reply waits
	// A report a minute later joins the waiting reply.
	f.clock.Advance(time.Minute)
	f.putSeed("000", day(8))
	mustProcess(t, f)
	mustDeliver(t, d)
	if len(tr.sent) != 2 {
		t.Fatalf("%d messages sent before the update interval passed, want the 2 alerts", len(tr.sent))
	}
	// The reply goes once the interval since its first report has passed.
	f.clock.Advance(DefaultUpdateInterval - time.Minute)
	mustDeliver(t, d)
	if len(tr.sent) != 4 || len(tr.sent[2].msg.Items) != 2 {
		t.Fatalf("after the interval: %d sent; want both replies, each with 004 and 000", len(tr.sent))
	}
	// A later report opens a new reply.
	f.putSeed("002", day(8))
	mustProcess(t, f)
	var updates [][]string
	for _, r := range f.rows() {
		if r.Kind == "update" && r.Transport == "slack" {
			updates = append(updates, f.carried(r))
		}
	}
	if len(updates) != 2 || len(updates[0]) != 2 || len(updates[1]) != 1 {
		t.Fatalf("replies %v, want [004 000] then [002]", updates)
	}
	// A copy joins its original's story whatever its date.
	cp := f.putSeed("001", day(9))
	o, err := f.engine.Process(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	first := o.Stories["assault"]
	orig, err := f.store.StoriesOf(ctx, f.ids["000"])
	if err != nil || len(orig) != 1 {
		t.Fatalf("stories of 000: %v %v", orig, err)
	}
	if o.CopyOf != f.ids["000"] || first != orig[0].ID {
		t.Fatalf("001: copy_of %q story %d, want 000 and its story %d", o.CopyOf, first, orig[0].ID)
	}
	// A new report outside the group window opens a new story.
	late := corpus.Document{Source: "late", Title: "Fresh fighting", Body: "Fresh fighting in Badghis weeks later: the Taliban renewed the assault.", Published: day(20)}
	late.ID = corpus.ContentID(late.Text())
	f.store.PutDocument(ctx, late)
	o, err = f.engine.Process(ctx, late)
	if err != nil {
		t.Fatal(err)
	}
	if o.Stories["assault"] == first || o.Stories["assault"] == 0 {
		t.Fatalf("report 12 days later joined story %d, want a new one", o.Stories["assault"])
	}
}

func TestEngineMuteSkipsAlert(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	if _, err := f.store.Mute(ctx, store.Mute{Transport: "slack", Channel: "C1", Target: "admin1:AF.02", Until: f.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f.putSeed("003", day(7))
	processAll(ctx, f.engine)
	var got []string
	for _, r := range f.rows() {
		got = append(got, r.Transport+":"+string(r.Kind))
	}
	if !slices.Equal(got, []string{"telegram:alert"}) {
		t.Fatalf("rows %v, want only telegram's alert (slack muted badghis)", got)
	}
}

// failingState is the real store, but in its transactions SetState of
// carrier marks fails while fail is set: a crash between enqueueing a row
// and recording it.
type failingState struct {
	store.Store
	fail bool
}

func (f *failingState) Write(ctx context.Context, fn func(tx store.Tx) error) error {
	return f.Store.Write(ctx, func(tx store.Tx) error { return fn(failingTx{tx, f}) })
}

type failingTx struct {
	store.Tx
	f *failingState
}

func (t failingTx) SetState(ctx context.Context, key, value string) error {
	if t.f.fail && strings.HasPrefix(key, "carrier/") {
		return errors.New("injected crash")
	}
	return t.Tx.SetState(ctx, key, value)
}

func TestEngineReprocessingAfterCrashPostsNothingTwice(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	fs := &failingState{Store: f.store, fail: true}
	f.engine.Store = fs
	d3 := f.putSeed("003", day(7))
	if _, err := f.engine.Process(ctx, d3); err == nil {
		t.Fatal("injected failure not reported")
	}
	fs.fail = false
	if _, err := processAll(ctx, f.engine); err != nil {
		t.Fatal(err)
	}
	// A reply that crashed after being enqueued: the same again.
	d4 := f.putSeed("004", day(7))
	fs.fail = true
	if _, err := f.engine.Process(ctx, d4); err == nil {
		t.Fatal("injected failure not reported")
	}
	fs.fail = false
	if _, err := processAll(ctx, f.engine); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range f.rows() {
		rf, _ := decodeRef(r.Payload)
		got = append(got, fmt.Sprintf("%s:%s:%d", r.Transport, r.Kind, len(rf.Docs)))
	}
	want := []string{"slack:alert:1", "telegram:alert:1", "slack:update:1", "telegram:update:1"}
	if !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v (each document carried once)", got, want)
	}
}

func TestMutedTargets(t *testing.T) {
	dest := Dest{Transport: "slack", Channel: "C1"}
	m := corpus.DocMatch{Rule: "assault", GroupKey: "AF.02", GroupName: "Badghis, Afghanistan", Regions: []string{"western-afghanistan (Qala-i-Naw)"}}
	regions := []corpus.DocRegion{{PlaceID: 1129867, Name: "Qala-i-Naw", Level: "city", Admin1: "AF.02", Country: "AF"}}
	for _, tc := range []struct {
		target string
		want   bool
	}{
		{"rule:assault", true}, {"rule:other", false},
		{"admin1:AF.02", true}, {"admin1:AF.11", false},
		{"country:AF", true}, {"country:PK", false},
		{"place:1129867", true}, {"place:1", false},
		{"region:western-afghanistan", true}, {"region:eastern", false},
		{"Badghis", true}, {"assault", true}, {"Herat", false},
		{"story:12", true}, {"story:1", false}, {"story:120", false},
		{"group:AF.02", true}, {"group:AF", false},
		{"rule:assault&group:AF.02", true}, {"rule:assault&group:AF.11", false}, {"rule:other&group:AF.02", false},
		{"story:12&country:AF", true}, {"story:12&country:PK", false},
	} {
		mutes := []store.Mute{{Transport: "slack", Channel: "C1", Target: tc.target}}
		if got := muteOf(mutes, dest, 12, "assault", m, regions) != nil; got != tc.want {
			t.Errorf("muted by %q = %v, want %v", tc.target, got, tc.want)
		}
		if muteOf(mutes, Dest{Transport: "slack", Channel: "C2"}, 12, "assault", m, regions) != nil {
			t.Errorf("%q muted another channel", tc.target)
		}
	}
}

func mustProcess(t *testing.T, f *engineFixture) {
	t.Helper()
	if _, err := processAll(context.Background(), f.engine); err != nil {
		t.Fatal(err)
	}
}

func mustDeliver(t *testing.T, d *Deliverer) {
	t.Helper()
	if _, _, err := d.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// placeless matches rule "assault" without a place to group by.
type placeless struct{}

func (placeless) Analyze(string) corpus.Analysis {
	return corpus.Analysis{Matches: []corpus.DocMatch{{Rule: "assault", Keywords: []string{"assault"}, GroupKey: "none"}}}
}

func TestEnginePlacelessDocumentsAreStoriesOfTheirOwn(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	f.engine.Analyzer = placeless{}
	f.putSeed("003", day(7))
	f.putSeed("000", day(7))
	f.putSeed("001", day(7)) // a copy of 000: joins its story
	outs, err := processAll(ctx, f.engine)
	if err != nil {
		t.Fatal(err)
	}
	stories := map[string]int64{}
	for _, o := range outs {
		stories[o.Doc.ID] = o.Stories["assault"]
	}
	if stories[f.ids["003"]] == stories[f.ids["000"]] {
		t.Error("two unrelated placeless reports share a story")
	}
	if stories[f.ids["001"]] != stories[f.ids["000"]] {
		t.Error("a copy did not join its original's story")
	}
}
