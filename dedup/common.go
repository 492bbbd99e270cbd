package dedup

// commonSketch estimates in how many of the recent documents each shingle
// occurred, in fixed memory: a count-min sketch of two rows of saturating
// 8-bit counters with conservative update, halved every decayEvery
// documents so that old boilerplate fades. Estimates never undercount
// (before a halving).
type commonSketch struct {
	rows [2][]uint8
	docs int
}

const (
	sketchBits = 20
	sketchMask = 1<<sketchBits - 1
	decayEvery = 50000
)

func newCommonSketch() *commonSketch {
	return &commonSketch{rows: [2][]uint8{make([]uint8, 1<<sketchBits), make([]uint8, 1<<sketchBits)}}
}

// cells returns the two counter indexes of a (well mixed) shingle hash.
func cells(x uint64) (int, int) {
	return int(x & sketchMask), int(x >> 40 & sketchMask)
}

// count returns the estimated number of documents holding x.
func (s *commonSketch) count(x uint64) int {
	i, j := cells(x)
	return int(min(s.rows[0][i], s.rows[1][j]))
}

// add counts one document with the distinct shingles set.
func (s *commonSketch) add(set []uint64) {
	r0, r1 := s.rows[0], s.rows[1]
	for _, x := range set {
		i, j := cells(x)
		m := min(r0[i], r1[j])
		if m == 255 {
			continue
		}
		if r0[i] == m {
			r0[i]++
		}
		if r1[j] == m {
			r1[j]++
		}
	}
	s.docs++
	if s.docs%decayEvery == 0 {
		for _, r := range s.rows {
			for k := range r {
				r[k] >>= 1
			}
		}
	}
}
