package dedup

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestShingles(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		k    int
		// want is the expected number of shingles of a and whether a and
		// b have equal sets.
		want  int
		equal bool
	}{
		{"five words one shingle", "one two three four five", "", 5, 1, false},
		{"seven words three shingles", "one two three four five six seven", "", 5, 3, false},
		{"repeats counted once", "a b a b a b a b", "", 2, 2, false},
		{"case punctuation and diacritics fold", "Kabul, KĀBUL; kabul!", "kabul kabul kabul", 2, 1, true},
		{"connectors dropped", "Qala-i-Naw fell to the Taliban", "Qala-e-Naw fell to the Taliban", 3, 4, true},
		{"connector ye dropped", "Qal'ah-ye Now is the capital", "Qalah Now is the capital", 2, 4, true},
		{"short text one shingle", "Taliban seize city", "Taliban seize city", 5, 1, true},
		{"short text order matters", "Taliban seize city", "city seize Taliban", 5, 1, false},
		{"no words", " ... — !", "", 5, 0, true},
		{"k below one", "a b c", "", 0, 3, false},
		{"k above the maximum", "w w w w w w w w w w w w w w w w w w x", "", 99, 2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := Shingles(nil, tc.a, tc.k)
			if len(a) != tc.want {
				t.Errorf("%d shingles, want %d", len(a), tc.want)
			}
			if !slices.IsSorted(a) || len(slices.Compact(slices.Clone(a))) != len(a) {
				t.Errorf("not a sorted set: %x", a)
			}
			if b := Shingles(nil, tc.b, tc.k); slices.Equal(a, b) != tc.equal {
				t.Errorf("equal(%q, %q) = %v, want %v", tc.a, tc.b, !tc.equal, tc.equal)
			}
		})
	}
}

func TestSetMeasures(t *testing.T) {
	cases := []struct {
		a, b          []uint64
		overlap       int
		contain, jacc float64
	}{
		{nil, nil, 0, 0, 0},
		{[]uint64{1, 2, 3}, nil, 0, 0, 0},
		{[]uint64{1, 2, 3}, []uint64{1, 2, 3}, 3, 1, 1},
		{[]uint64{1, 2}, []uint64{1, 2, 3, 4}, 2, 1, 0.5},
		{[]uint64{1, 5, 9, 10}, []uint64{2, 5, 10, 11, 12}, 2, 0.5, 2.0 / 7},
		{[]uint64{7}, []uint64{8}, 0, 0, 0},
	}
	for _, tc := range cases {
		for _, swap := range []bool{false, true} {
			a, b := tc.a, tc.b
			if swap {
				a, b = b, a
			}
			if got := Overlap(a, b); got != tc.overlap {
				t.Errorf("Overlap(%v, %v) = %d, want %d", a, b, got, tc.overlap)
			}
			if got := Containment(a, b); got != tc.contain {
				t.Errorf("Containment(%v, %v) = %g, want %g", a, b, got, tc.contain)
			}
			if got := Jaccard(a, b); math.Abs(got-tc.jacc) > 1e-12 {
				t.Errorf("Jaccard(%v, %v) = %g, want %g", a, b, got, tc.jacc)
			}
		}
	}
}

func TestHashSorter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h hashSorter
	gens := map[string]func() uint64{
		"uniform":    r.Uint64,
		"low bits":   func() uint64 { return r.Uint64() & 0xffff },
		"few values": func() uint64 { return uint64(r.IntN(3)) << 62 },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 31, 32, 33, 100, 1000, 5000} {
			s := make([]uint64, n)
			for i := range s {
				s[i] = gen()
			}
			want := slices.Clone(s)
			slices.Sort(want)
			h.sort(s)
			if !slices.Equal(s, want) {
				t.Fatalf("%s n=%d: not sorted", name, n)
			}
		}
	}
}

// TestMinHashEstimate checks that signature agreement estimates Jaccard
// similarity without bias: over many set pairs of known similarity, the
// mean estimate is within a few standard errors of the truth.
func TestMinHashEstimate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, j := range []float64{0.1, 0.3, 0.5, 0.8} {
		const pairs, size = 200, 300
		sum := 0.0
		for range pairs {
			// a and b share common elements out of size each: J = c/(2size-c).
			c := int(math.Round(2 * size * j / (1 + j)))
			a := make([]uint64, 0, size)
			b := make([]uint64, 0, size)
			for i := 0; i < size; i++ {
				x := mix64(r.Uint64())
				a = append(a, x)
				if i < c {
					b = append(b, x)
				} else {
					b = append(b, mix64(r.Uint64()))
				}
			}
			slices.Sort(a)
			slices.Sort(b)
			sa, sb := MinHash(a), MinHash(b)
			sum += sa.Similarity(&sb)
		}
		truth := float64(int(math.Round(2*size*j/(1+j)))) / float64(2*size-int(math.Round(2*size*j/(1+j))))
		mean := sum / pairs
		se := math.Sqrt(truth*(1-truth)/SignatureSize) / math.Sqrt(pairs)
		if math.Abs(mean-truth) > 4*se {
			t.Errorf("J=%.3f: mean estimate %.4f, off by more than 4 standard errors (%.4f)", truth, mean, se)
		}
	}
}

func TestBands(t *testing.T) {
	a := MinHash(Shingles(nil, "the quick brown fox jumps over the lazy dog again and again", 3))
	for _, rows := range []int{1, 2, 4, 8, 128} {
		bands := Bands(nil, &a, rows)
		if len(bands) != SignatureSize/rows {
			t.Errorf("rows %d: %d bands", rows, len(bands))
		}
		if len(slices.Compact(slices.Sorted(slices.Values(bands)))) != len(bands) {
			t.Errorf("rows %d: band hashes repeat", rows)
		}
	}
	// Equal values in two bands still give different band hashes.
	var same Signature
	bands := Bands(nil, &same, 2)
	if bands[0] == bands[1] {
		t.Error("band index not mixed in")
	}
	b := a
	b[5] ^= 1 // band 2 of 2-row bands changes, the others do not
	ba, bb := Bands(nil, &a, 2), Bands(nil, &b, 2)
	for i := range ba {
		if (ba[i] == bb[i]) != (i != 2) {
			t.Errorf("band %d: equal=%v", i, ba[i] == bb[i])
		}
	}
}
