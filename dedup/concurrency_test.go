package dedup

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestDetectorConcurrent checks documents from several goroutines: every
// check is counted, and of each pair of identical texts exactly one is
// reported as the other's copy, whichever comes first.
func TestDetectorConcurrent(t *testing.T) {
	seeds := readSeeds(t)
	texts := map[string]string{}
	for w := range 4 {
		for i, s := range seeds {
			texts[fmt.Sprintf("w%d-%d", w, i)] = fmt.Sprintf("Worker %d edition. ", w) + s.text
		}
	}
	var mu sync.Mutex
	text := func(_ context.Context, id string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		return texts[id], nil
	}
	d, err := NewDetector(text, Options{CacheSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	copies := make([]int, 4)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range seeds {
				id := fmt.Sprintf("w%d-%d", w, i)
				v, err := d.Check(context.Background(), id, texts[id])
				if err != nil {
					t.Error(err)
					return
				}
				if v.CopyOf != "" {
					copies[w]++
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, c := range copies {
		total += c
	}
	// The copy groups are the 8 editions of 000 and 001 (7 copies) and
	// the 4 editions of each of 002, 003 and 004 (3 copies each): 16
	// copies, whatever the interleaving.
	if want := 7 + 3*3; total != want {
		t.Errorf("%d copies, want %d", total, want)
	}
	if st := d.Stats(); st.Checks != 20 {
		t.Errorf("stats %+v", st)
	}
}
