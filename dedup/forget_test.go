package dedup

import (
	"context"
	"strings"
	"testing"
)

// TestDetectorForget: a document forgotten (deleted from the store) is no
// longer a candidate, neither from the index nor from the cache, so a
// later copy of it is checked without loading its text; the others stay.
func TestDetectorForget(t *testing.T) {
	ctx := context.Background()
	d, m := newTestDetector(t, Options{})
	base := strings.Repeat("the ministry said on tuesday that grain exports would rise sharply next season ", 8)
	other := strings.Repeat("flooding closed the northern highway for a third day as rivers kept rising ", 8)
	m.texts["a"], m.texts["b"] = base, other
	for _, id := range []string{"a", "b"} {
		if _, err := d.Check(ctx, id, m.texts[id]); err != nil {
			t.Fatal(err)
		}
	}
	if n := d.Forget([]string{"a", "unknown"}); n != 1 {
		t.Errorf("Forget removed %d entries, want 1", n)
	}
	delete(m.texts, "a")
	v, err := d.Check(ctx, "a2", base+"more")
	if err != nil {
		t.Fatalf("checking a copy of a forgotten document: %v", err)
	}
	if v.CopyOf != "" || v.Candidates != 0 {
		t.Errorf("copy of a forgotten document: %+v, want no candidate", v)
	}
	v, err = d.Check(ctx, "b2", other+"more")
	if err != nil || v.CopyOf != "b" {
		t.Errorf("copy of a document kept: %+v, %v; want a copy of b", v, err)
	}
	if docs, _ := d.IndexSize(); docs != 4 {
		t.Errorf("index holds %d entries, want 4 (forgotten ones until their generation goes)", docs)
	}
}
