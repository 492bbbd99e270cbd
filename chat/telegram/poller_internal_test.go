package telegram

import (
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

func TestOffsetRoundTrip(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		offset int
		at     time.Time
	}{
		{formatOffset(124, now), 124, now},
		{"124", 124, now.Add(time.Hour)},
		{" 7 2026-03-01T11:00:00Z ", 7, now.Add(-time.Hour)},
		{"x", 0, time.Time{}},
		{"-5 2026-03-01T11:00:00Z", 0, time.Time{}},
		{"", 0, time.Time{}},
	}
	for _, tt := range tests {
		offset, at := parseOffset(tt.in, now.Add(time.Hour))
		if offset != tt.offset || !at.Equal(tt.at) {
			t.Errorf("parseOffset(%q) = %d, %v; want %d, %v", tt.in, offset, at, tt.offset, tt.at)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}
	for i, w := range want {
		if got := backoff(i+1, time.Minute); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestRateLimit(t *testing.T) {
	tr := &Transport{}
	tests := []struct {
		channel string
		every   time.Duration
	}{
		{"123456789", time.Second},
		{"-123456", 3 * time.Second},
		{"-1001234567890", 3 * time.Second},
		{"@wirewatch_alerts", 3 * time.Second},
	}
	for _, tt := range tests {
		// One message every tt.every and no burst beyond one.
		if got := tr.RateLimit(tt.channel); got != (chat.Limit{Every: tt.every}) {
			t.Errorf("RateLimit(%q) = %+v; want one message every %v", tt.channel, got, tt.every)
		}
	}
}

func TestRecent(t *testing.T) {
	r := newRecent(3)
	for _, step := range []struct {
		id  int
		new bool
	}{{1, true}, {2, true}, {1, false}, {3, true}, {4, true}, {1, true}, {3, false}} {
		if got := r.add(step.id); got != step.new {
			t.Errorf("add(%d) = %v, want %v", step.id, got, step.new)
		}
	}
}
