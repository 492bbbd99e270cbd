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
// without words has no shingles. k < 1 is taken as 1.
func ShingleTokens(dst []uint64, toks []corpus.Token, k int) []uint64 {
	dst = dst[:0]
	if k < 1 {
		k = 1
	}
	words := make([]uint64, 0, len(toks))
	for _, t := range toks {
		if t.Flags&corpus.Connector == 0 {
			words = append(words, t.Hash)
		}
	}
	if len(words) == 0 {
		return dst
	}
	if len(words) < k {
		k = len(words)
	}
	for i := 0; i+k <= len(words); i++ {
		dst = append(dst, shingleHash(words[i:i+k]))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// shingleHash combines the word hashes of one shingle into one well mixed
// 64-bit value; the order of the words matters.
func shingleHash(words []uint64) uint64 {
	h := uint64(len(words)) * golden
	for _, w := range words {
		h = mix64(h ^ w)
	}
	return h
}

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
