package dataset

import "testing"

func TestReuters(t *testing.T) {
	dir, ok := Dir("reuters21578")
	if !ok {
		t.Skip("reuters21578 not found (set WIREWATCH_DATA)")
	}
	stories, err := Reuters(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 21578 {
		t.Fatalf("read %d stories, want 21578", len(stories))
	}
	s := stories[0]
	if s.NewID != "1" || s.Title == "" || s.Body == "" || len(s.Places) == 0 || s.Places[0] != "el-salvador" {
		t.Fatalf("first story: %+v", s)
	}
}

func TestBBC(t *testing.T) {
	dir, ok := Dir("bbc-news")
	if !ok {
		t.Skip("bbc-news not found (set WIREWATCH_DATA)")
	}
	arts, err := BBC(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2225 {
		t.Fatalf("read %d articles, want 2225", len(arts))
	}
	invalid := 0
	for _, a := range arts {
		if a.Title == "" {
			invalid++
		}
	}
	if invalid != 1 {
		t.Fatalf("%d articles without a title, want 1 (sport/199.txt is Latin-1)", invalid)
	}
}
