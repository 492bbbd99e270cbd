package dedup

// Forget removes documents from the index and the cache, so that they are
// never candidates again: documents deleted from the store (retention),
// whose text could no longer be loaded. It scans the whole index, so it
// is meant for a batch of IDs at a time, not one per document. It returns
// how many entries of the index it removed.
func (d *Detector) Forget(ids []string) int {
	if len(ids) == 0 {
		return 0
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range set {
		d.cache.remove(id)
	}
	return d.index.Forget(set)
}

// Forget blanks the entries of the documents in ids: their slots stay
// until their generation is dropped, but Candidates passes over them. It
// returns how many entries it blanked.
func (x *Index) Forget(ids map[string]bool) int {
	n := 0
	for _, g := range x.gens {
		for i, id := range g.ids {
			if id != "" && ids[id] {
				g.ids[i] = ""
				n++
			}
		}
	}
	return n
}
