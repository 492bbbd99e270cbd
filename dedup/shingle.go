package dedup

import (
	"slices"

	"github.com/wirewatch/wirewatch/corpus"
)

// Shingles appends to dst[:0] the k-word shingles of text as a sorted set of
// distinct 64-bit hashes and returns it. See ShingleTokens for the rules.
func Shingles(dst []uint64, text string, k int) []uint64 {
	toks := corpus.Tokenize(make([]corpus.Token, 0, len(text)/6+1), text)
	return ShingleTokens(dst, toks, k)
}

// ShingleTokens appends to dst[:0] the k-word shingles of the words toks
// (as returned by corpus.Tokenize) as a sorted set of distinct hashes and
// returns it, so a caller that already tokenized a text need not do it
// again.
//
// Persian connector words (corpus.Connector: i, e, ye) are left out, so
// Qala-i-Naw, Qala-e-Naw and Qala Naw make the same shingles. A text with
// fewer than k remaining words but at least one makes a single shingle of
// all its words, so very short texts still match their exact copies; a text
// without words has no shingles. k is clamped to 1..16.
func ShingleTokens(dst []uint64, toks []corpus.Token, k int) []uint64 {
	var h hashSorter
	return h.shingles(dst, toks, k)
}

// shingles is ShingleTokens with the sorting buffers of h.
func (hs *hashSorter) shingles(dst []uint64, toks []corpus.Token, k int) []uint64 {
	dst = dst[:0]
	k = max(k, 1)
	n := 0
	for _, t := range toks {
		if t.Flags&corpus.Connector == 0 {
			n++
		}
	}
	if n == 0 {
		return dst
	}
	k = min(k, n, maxShingle)
	// ring holds the last k word hashes; the shingle ending at word w
	// starts at ring[(w+1)%k].
	var ring [maxShingle]uint64
	w := 0
	for _, t := range toks {
		if t.Flags&corpus.Connector != 0 {
			continue
		}
		ring[w%k] = t.Hash
		w++
		if w >= k {
			h := uint64(k) * golden
			for j := w; j < w+k; j++ {
				h = mix64(h ^ ring[j%k])
			}
			dst = append(dst, h)
		}
	}
	hs.sort(dst)
	return slices.Compact(dst)
}

// maxShingle is the largest shingle size in words.
const maxShingle = 16

const golden = 0x9e3779b97f4a7c15

// mix64 is the SplitMix64 finaliser: a bijection whose output bits all
// depend on all input bits.
func mix64(x uint64) uint64 {
	x += golden
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Overlap returns the number of hashes in both sorted sets a and b.
func Overlap(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Containment returns |a∩b| / min(|a|, |b|) for sorted sets a and b: the
// share of the smaller set found in the larger. It is 0 when either is
// empty.
func Containment(a, b []uint64) float64 {
	return containment(Overlap(a, b), len(a), len(b))
}

// Jaccard returns |a∩b| / |a∪b| for sorted sets a and b, 0 when both are
// empty.
func Jaccard(a, b []uint64) float64 {
	return jaccard(Overlap(a, b), len(a), len(b))
}

func containment(n, la, lb int) float64 {
	m := min(la, lb)
	if m == 0 {
		return 0
	}
	return float64(n) / float64(m)
}

func jaccard(n, la, lb int) float64 {
	u := la + lb - n
	if u == 0 {
		return 0
	}
	return float64(n) / float64(u)
}
