package corpus

import "time"

// MaxFutureSkew is how far after the moment an article was read (its
// file's time, or the time its feed was fetched) its publication date may
// lie. A date beyond it cannot be right (a typo, a wrong zone, a broken
// feed) and would keep the article at the top of /latest and of digests.
const MaxFutureSkew = 24 * time.Hour

// clampFuture gives every document dated more than MaxFutureSkew after at
// the date at instead, marked DateFromFile, and calls report with each such
// document (already changed) and the date it claimed.
func clampFuture(docs []Document, at time.Time, report func(d Document, claimed time.Time)) {
	limit := at.Add(MaxFutureSkew)
	for i := range docs {
		d := &docs[i]
		if d.DateFromFile || !d.Published.After(limit) {
			continue
		}
		claimed := d.Published
		d.Published, d.DateFromFile = at.UTC(), true
		report(*d, claimed)
	}
}
