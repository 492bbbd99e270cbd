package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat"
)

func TestTimesInTheirZones(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	// Answers: BOT_TIMEZONE. The documents are dated 7-9 July without a
	// time, so they stay those dates in every zone.
	f.router.Zone = "America/New_York"
	m := f.cmd("latest", "badghis")
	if m.Zone != "America/New_York" || len(m.Items) != 2 || m.Items[1].When(m.Zone) != "2021-07-07" {
		t.Errorf("/latest: zone %q, items %+v", m.Zone, m.Items)
	}

	// Digests: the subscription's zone, else the digest's, else the file's.
	g := &Digester{Store: f.store, Rules: f.router.Rules, Clock: f.clock, Log: slog.New(slog.DiscardHandler)}
	built, err := g.Build(ctx, "daily")
	if err != nil || built.Zone != "Asia/Kabul" || !strings.Contains(built.Text, "+0430") {
		t.Errorf("digest built by hand: zone %q text %q, %v", built.Zone, built.Text, err)
	}
	job := DigestJob{Digest: "daily", Dest: Dest{Transport: "slack", Channel: "C1"}, At: "08:00", Timezone: "America/New_York"}
	if err := g.EnqueueNow(ctx, job, "x"); err != nil {
		t.Fatal(err)
	}
	row, err := f.store.OutboxRow(ctx, "digest/daily/slack/C1/x")
	if err != nil {
		t.Fatal(err)
	}
	var queued chat.Message
	if err := json.Unmarshal([]byte(row.Payload), &queued); err != nil {
		t.Fatal(err)
	}
	if queued.Zone != "America/New_York" || !strings.Contains(queued.Text, "EDT") {
		t.Errorf("subscribed digest: zone %q text %q", queued.Zone, queued.Text)
	}
}
