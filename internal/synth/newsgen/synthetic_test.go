package main

import (
	"testing"
	"time"
)

// TestStreamTimeKeepsGoing checks that the stream's clock moves forward at
// perDay articles a day through a corpus of a million articles and more.
func TestStreamTimeKeepsGoing(t *testing.T) {
	prev := streamTime(0)
	if !prev.Equal(streamStart) {
		t.Fatalf("first article at %v, want %v", prev, streamStart)
	}
	for i := 1; i <= 2_000_000; i++ {
		at := streamTime(i)
		if !at.After(prev) {
			t.Fatalf("article %d at %v, not after article %d at %v", i, at, i-1, prev)
		}
		prev = at
	}
	if want := streamStart.Add(2_000_000 / perDay * 24 * time.Hour); !prev.Equal(want) {
		t.Errorf("article 2,000,000 at %v, want %v", prev, want)
	}
}
