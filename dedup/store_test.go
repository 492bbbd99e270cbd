package dedup

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

func TestLRU(t *testing.T) {
	c := newLRU(2)
	c.put("a", []uint64{1})
	c.put("b", []uint64{2})
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put("c", []uint64{3}) // evicts b
	for id, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok := c.get(id); ok != want {
			t.Errorf("get(%q) present=%v, want %v", id, ok, want)
		}
	}
	set := []uint64{7, 8}
	c.put("a", set)
	set[0] = 99 // the cache holds a copy
	if got, _ := c.get("a"); !slices.Equal(got, []uint64{7, 8}) {
		t.Errorf("a = %v", got)
	}
	off := newLRU(0)
	off.put("a", []uint64{1})
	if _, ok := off.get("a"); ok {
		t.Error("a cache of size 0 kept an entry")
	}
}

func TestCommonSketch(t *testing.T) {
	s := newCommonSketch()
	footer := Shingles(nil, "Follow us on Instagram, Twitter and Facebook for the latest news.", DefaultShingle)
	for i := range 40 {
		doc := Shingles(nil, fmt.Sprintf("story number %d about thing %d in place %d", i, i*7, i*13), DefaultShingle)
		s.add(doc)
		s.add(footer)
	}
	for _, x := range footer {
		if n := s.count(x); n != 40 {
			t.Errorf("footer shingle counted %d times, want 40", n)
		}
	}
	if n := s.count(Shingles(nil, "story number 3 about thing", DefaultShingle)[0]); n != 1 {
		t.Errorf("story shingle counted %d times, want 1", n)
	}
	if n := s.count(12345); n != 0 {
		t.Errorf("unseen shingle counted %d times", n)
	}
}

// TestDetectorBoilerplate checks that a footer shared by many short items
// does not make them copies of one another, and does not stop a short copy
// carrying it from being found.
func TestDetectorBoilerplate(t *testing.T) {
	const footer = " Copyright 2021 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."
	for _, common := range []int{-1, 0} {
		d, m := newTestDetector(t, Options{Common: common})
		ctx := context.Background()
		falseCopies := 0
		for i := range 60 {
			id := fmt.Sprintf("item%02d", i)
			text := fmt.Sprintf("Company %d said its quarterly profit rose %d percent on sales of widgets.", i, i+3) + footer
			m.texts[id] = text
			v, err := d.Check(ctx, id, text)
			if err != nil {
				t.Fatal(err)
			}
			// The footer counts as boilerplate once DefaultCommon items
			// carried it.
			if v.CopyOf != "" && i > DefaultCommon {
				falseCopies++
			}
		}
		orig := "Officials in the northern province said heavy rain had flooded several villages and cut the main road to the capital for two days."
		m.texts["orig"] = orig + " A relief convoy was expected on Monday."
		if _, err := d.Check(ctx, "orig", m.texts["orig"]); err != nil {
			t.Fatal(err)
		}
		v, err := d.Check(ctx, "copy", orig+footer)
		if err != nil {
			t.Fatal(err)
		}
		if common < 0 {
			// Plain containment: the footer makes the items copies.
			if falseCopies == 0 {
				t.Error("plain containment: expected the shared footer to make copies")
			}
			continue
		}
		if falseCopies != 0 {
			t.Errorf("%d items reported as copies through their footer", falseCopies)
		}
		if v.CopyOf != "orig" || v.Containment < 0.8 {
			t.Errorf("short copy with footer: %+v", v)
		}
	}
}
