package dedup

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// seed is one article of testdata/seeds: the five Qala-i-Naw reports.
type seed struct {
	name, text string
}

var datePrefix = regexp.MustCompile(`^\s*date \d{4}-\d{2}-\d{2}\s`)

// readSeeds returns the seed articles in name order with the " date
// YYYY-MM-DD " prefix removed, as the corpus parser stores them.
func readSeeds(t testing.TB) []seed {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "seeds", "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seeds: %d files, %v", len(files), err)
	}
	sort.Strings(files)
	var out []seed
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, seed{
			name: strings.SplitN(filepath.Base(f), "_", 2)[0],
			text: datePrefix.ReplaceAllString(string(b), ""),
		})
	}
	return out
}

func TestSeedsTable(t *testing.T) {
	seeds := readSeeds(t)
	for i := range seeds {
		for j := i + 1; j < len(seeds); j++ {
			a := Shingles(nil, seeds[i].text, DefaultShingle)
			b := Shingles(nil, seeds[j].text, DefaultShingle)
			sa, sb := MinHash(a), MinHash(b)
			t.Logf("%s/%s |A|=%d |B|=%d containment=%.3f jaccard=%.3f est=%.3f", seeds[i].name, seeds[j].name,
				len(a), len(b), Containment(a, b), Jaccard(a, b), sa.Similarity(&sb))
		}
	}
}
