package dedup

// SignatureSize is the number of MinHash values in a Signature.
const SignatureSize = 128

// Signature is the MinHash signature of a shingle set: for each of
// SignatureSize hash functions, the least hash of any shingle. Two sets
// agree at one position with probability equal to their Jaccard
// similarity. The signature of an empty set is all ones.
type Signature [SignatureSize]uint64

// seedMul and seedAdd define hash function i as s*seedMul[i] + seedAdd[i]
// (mod 2^64) of an already mixed shingle hash s; the multipliers are odd so
// each function is a permutation. They are fixed: stored bands depend on
// them.
var seedMul, seedAdd = func() (m, a [SignatureSize]uint64) {
	x := uint64(0x5eed_d0c5_1a7e_2021)
	for i := range m {
		x += golden
		m[i] = mix64(x) | 1
		x += golden
		a[i] = mix64(x)
	}
	return m, a
}()

// MinHash returns the signature of the shingle set s.
func MinHash(s []uint64) Signature {
	var sig Signature
	minHashInto(&sig, s)
	return sig
}

func minHashInto(sig *Signature, s []uint64) {
	// Four hash functions per pass over the shingles keep their seeds and
	// minima in registers and give the CPU independent work.
	for i := 0; i < SignatureSize; i += 4 {
		m0, m1, m2, m3 := seedMul[i], seedMul[i+1], seedMul[i+2], seedMul[i+3]
		a0, a1, a2, a3 := seedAdd[i], seedAdd[i+1], seedAdd[i+2], seedAdd[i+3]
		h0, h1, h2, h3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		for _, x := range s {
			h0 = min(h0, x*m0+a0)
			h1 = min(h1, x*m1+a1)
			h2 = min(h2, x*m2+a2)
			h3 = min(h3, x*m3+a3)
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = h0, h1, h2, h3
	}
}

// Similarity returns the share of positions where a and b agree, an
// estimate of the Jaccard similarity of their sets.
func (a *Signature) Similarity(b *Signature) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / SignatureSize
}

// Bands appends to dst[:0] one hash per band of rows consecutive values of
// sig and returns it: SignatureSize/rows hashes. Each band hash also mixes
// in the band's index, so equal values in different bands do not collide.
// rows must divide SignatureSize.
func Bands(dst []uint64, sig *Signature, rows int) []uint64 {
	dst = dst[:0]
	for b := 0; b*rows < SignatureSize; b++ {
		h := mix64(uint64(b+1) * golden)
		for _, v := range sig[b*rows : (b+1)*rows] {
			h = mix64(h ^ v)
		}
		dst = append(dst, h)
	}
	return dst
}
