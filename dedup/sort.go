package dedup

import "math/bits"

// hashSorter sorts slices of well mixed hashes in expected linear time,
// reusing its buffers. The zero value is ready to use.
type hashSorter struct {
	tmp   []uint64
	count []int32
}

// sort sorts s: a counting pass on the top bits spreads the values into
// about len(s) buckets in order, and an insertion sort finishes the few
// values out of order within a bucket. Any input is sorted correctly; only
// the speed relies on the bits being uniform.
func (h *hashSorter) sort(s []uint64) {
	n := len(s)
	if n < 32 {
		insertionSort(s)
		return
	}
	b := min(bits.Len(uint(n)), 20)
	shift := 64 - b
	if cap(h.count) < 1<<b+1 {
		h.count = make([]int32, 1<<b+1)
	}
	count := h.count[:1<<b+1]
	clear(count)
	for _, x := range s {
		count[x>>shift+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	h.tmp = append(h.tmp[:0], s...)
	for _, x := range h.tmp {
		k := x >> shift
		s[count[k]] = x
		count[k]++
	}
	insertionSort(s)
}

func insertionSort(s []uint64) {
	for i := 1; i < len(s); i++ {
		x := s[i]
		j := i
		for ; j > 0 && s[j-1] > x; j-- {
			s[j] = s[j-1]
		}
		s[j] = x
	}
}
