package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/english"
)

// scanJSON is one line of `bot scan --json`.
type scanJSON struct {
	ID           string    `json:"id"`
	Path         string    `json:"path,omitempty"`
	Paths        []string  `json:"paths,omitempty"`
	URL          string    `json:"url,omitempty"`
	Source       string    `json:"source"`
	Title        string    `json:"title"`
	Published    time.Time `json:"published"`
	DateFromFile bool      `json:"date_from_file,omitempty"`
	// Outlets, Credits and Dateline are read from the text (see
	// corpus.Attribute).
	Outlets  []string          `json:"outlets,omitempty"`
	Credits  []string          `json:"credits,omitempty"`
	Dateline *corpus.Dateline  `json:"dateline,omitempty"`
	Regions  []regionJSON      `json:"regions"`
	Matches  []corpus.DocMatch `json:"matches"`
	CopyOf   string            `json:"copy_of,omitempty"`
	Story    int64             `json:"story,omitempty"`
	Stories  map[string]int64  `json:"stories,omitempty"`
}

type regionJSON struct {
	Name       string `json:"name"`
	Level      string `json:"level"`
	Admin1     string `json:"admin1,omitempty"`
	Admin1Name string `json:"admin1_name,omitempty"`
	Country    string `json:"country"`
	Text       string `json:"text,omitempty"`
	// Weight says how central the place is to the document (see
	// corpus.DocRegion.Weight); regions are listed heaviest first.
	Weight float64 `json:"weight"`
}

// writeScanJSON prints the documents of ids as `bot scan --json` does: one
// JSON object per document, in input order, read back from the store.
// places names the countries.
func writeScanJSON(ctx context.Context, w io.Writer, st EngineStore, ids idList, places PlaceLookup) error {
	enc := json.NewEncoder(w)
	return ids.each(func(id string) error {
		o, err := storedOutcome(ctx, st, id)
		if err != nil {
			return err
		}
		doc := o.Doc
		j := scanJSON{
			ID: doc.ID, Path: doc.Path, URL: doc.URL, Source: doc.Source, Title: doc.Title,
			Published: doc.Published, DateFromFile: doc.DateFromFile,
			Regions: regionsOf(o.Analysis, places), Matches: o.Analysis.Matches, CopyOf: o.CopyOf,
		}
		at := corpus.Attribute(doc.Body)
		if at.Outlet != "" {
			j.Outlets = []string{at.Outlet}
		}
		j.Credits, j.Dateline = at.Credits, at.Dateline
		if len(doc.Paths) > 1 {
			j.Paths = doc.Paths
		}
		if j.Matches == nil {
			j.Matches = []corpus.DocMatch{}
		}
		if len(o.Stories) > 0 {
			j.Stories = o.Stories
			for _, m := range o.Analysis.Matches {
				if id, ok := o.Stories[m.Rule]; ok {
					j.Story = id
					break
				}
			}
		}
		if err := enc.Encode(j); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	})
}

// summary prints the documents of a pass that matched a rule as they are
// processed, then a count of what the pass read.
type summary struct {
	w               io.Writer
	matched, queued int
	err             error
}

func (s *summary) add(o Outcome) {
	s.queued += o.Enqueued
	if len(o.Analysis.Matches) == 0 || s.err != nil {
		return
	}
	s.matched++
	var rs []string
	for _, m := range o.Analysis.Matches {
		rs = append(rs, m.Rule)
	}
	cp := ""
	if o.CopyOf != "" {
		cp = " (copy of " + o.CopyOf[:min(8, len(o.CopyOf))] + ")"
	}
	_, s.err = fmt.Fprintf(s.w, "%s  %s  %s  [%s]%s\n", o.Doc.Published.Format("2006-01-02"), o.Doc.ID[:min(8, len(o.Doc.ID))],
		o.Doc.Title, strings.Join(rs, ", "), cp)
}

// finish prints the count. dryRun says nothing was stored.
func (s *summary) finish(rep ScanReport, dryRun bool) error {
	if s.err != nil {
		return s.err
	}
	fmt.Fprintf(s.w, "%s, %s, %d matched a rule", english.Plural(rep.New, "new document"),
		english.Plural(rep.Dupes, "duplicate"), s.matched)
	if sum := rep.SkipSummary(); sum != "" {
		fmt.Fprintf(s.w, "; %s", sum)
	}
	var err error
	switch {
	case dryRun:
		_, err = fmt.Fprintln(s.w, " (dry run: nothing stored or sent)")
	case s.queued > 0:
		// Counted per report placed in a message (an alert, a reply
		// gathering many, an edit): 50,000 reports of one story are two
		// messages, not 50,000.
		_, err = fmt.Fprintf(s.w, "; %s queued for `bot run` to deliver\n", english.Plural(s.queued, "report"))
	default:
		_, err = fmt.Fprintln(s.w, "; nothing to send")
	}
	return err
}

// regionsOf lists a document's places rolled up: each place, then its
// admin1 region and its country, once each.
func regionsOf(a corpus.Analysis, places PlaceLookup) []regionJSON {
	out := []regionJSON{}
	seen := map[string]bool{}
	add := func(r regionJSON) {
		k := r.Level + "|" + r.Admin1 + "|" + r.Country
		if r.Level == "city" || r.Level == "admin2" {
			k += "|" + r.Name
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, r := range a.Regions {
		add(regionJSON{Name: r.Name, Level: r.Level, Admin1: r.Admin1, Admin1Name: r.Admin1Name, Country: r.Country,
			Text: r.Text, Weight: r.Weight})
	}
	for _, r := range a.Regions {
		if r.Admin1 != "" && r.Level != "admin1" {
			add(regionJSON{Name: r.Admin1Name, Level: "admin1", Admin1: r.Admin1, Admin1Name: r.Admin1Name,
				Country: r.Country, Weight: r.Admin1Weight})
		}
	}
	for _, r := range a.Regions {
		if r.Level != "country" {
			name := r.CountryName
			if name == "" {
				name = r.Country
				if ps := places.Lookup(r.Country); len(ps) > 0 && ps[0].Level == geo.LevelCountry && ps[0].Country == r.Country {
					name = ps[0].Name
				}
			}
			add(regionJSON{Name: name, Level: "country", Country: r.Country, Weight: r.CountryWeight})
		}
	}
	// Heaviest first; a tie keeps places before the regions that hold them.
	slices.SortStableFunc(out, func(x, y regionJSON) int { return cmp.Compare(y.Weight, x.Weight) })
	return out
}
