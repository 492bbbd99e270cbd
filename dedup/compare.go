package dedup

// markRare sets d.rare[i] for the shingles of a that occurred in fewer than
// Options.Common recent documents and returns how many did; -1 when
// boilerplate is not tracked.
func (d *Detector) markRare(a []uint64) int {
	if d.common == nil {
		return -1
	}
	d.rare = append(d.rare[:0], make([]bool, len(a))...)
	n := 0
	for i, x := range a {
		if d.common.count(x) < d.opts.Common {
			d.rare[i] = true
			n++
		}
	}
	return n
}

// compare returns the containment and Jaccard similarity of the shingle
// sets a (the document checked, of which rare shingles were counted by
// markRare) and b (a candidate).
//
// Containment sets boilerplate aside: it counts only shingles seen in
// fewer than Options.Common recent documents, so that two short items
// sharing an outlet's footer are not copies, and a short copy is not
// diluted by the footer it gained. When boilerplate makes up more than
// three quarters of either set, which is also what a story copied by many
// outlets looks like, all shingles count. Jaccard similarity always counts
// all shingles.
func (d *Detector) compare(a []uint64, rareA int, b []uint64) (containmentAB, jaccardAB float64) {
	n, rareN, rareB := 0, 0, 0
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			if rareA >= 0 && d.common.count(b[j]) < d.opts.Common {
				rareB++
			}
			j++
		default:
			n++
			if rareA >= 0 && d.rare[i] {
				rareN++
				rareB++
			}
			i++
			j++
		}
	}
	if rareA >= 0 {
		for _, x := range b[j:] {
			if d.common.count(x) < d.opts.Common {
				rareB++
			}
		}
	}
	jaccardAB = jaccard(n, len(a), len(b))
	if m := min(rareA, rareB); rareA >= 0 && m > 0 && 4*m >= min(len(a), len(b)) {
		return float64(rareN) / float64(m), jaccardAB
	}
	return containment(n, len(a), len(b)), jaccardAB
}
