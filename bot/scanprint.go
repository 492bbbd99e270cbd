package bot

import (
	"cmp"
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

// WriteJSON prints the documents of a scan as `bot scan --json` does: one
// JSON object per document, in input order. places names the countries.
func (l ScanList) WriteJSON(w io.Writer, places PlaceLookup) error {
	enc := json.NewEncoder(w)
	for _, o := range l.Docs {
		doc := o.Doc
		j := scanJSON{
			ID: doc.ID, Path: doc.Path, URL: doc.URL, Source: doc.Source, Title: doc.Title,
			Published: doc.Published, DateFromFile: doc.DateFromFile,
			Regions: regionsOf(o.Analysis, places), Matches: o.Analysis.Matches, CopyOf: o.CopyOf,
		}
		if len(doc.Paths) > 1 {
			j.Paths = doc.Paths
		}
		at := corpus.Attribute(doc.Body)
		if at.Outlet != "" {
			j.Outlets = []string{at.Outlet}
		}
		j.Credits, j.Dateline = at.Credits, at.Dateline
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
	}
	return nil
}

// WriteSummary prints the documents of the pass that matched a rule and a
// count of what it read. dryRun says nothing was stored.
func (l ScanList) WriteSummary(w io.Writer, dryRun bool) error {
	matched, queued := 0, 0
	for _, o := range l.Report.Outcomes {
		queued += o.Enqueued
		if len(o.Analysis.Matches) == 0 {
			continue
		}
		matched++
		var rs []string
		for _, m := range o.Analysis.Matches {
			rs = append(rs, m.Rule)
		}
		cp := ""
		if o.CopyOf != "" {
			cp = " (copy of " + o.CopyOf[:8] + ")"
		}
		fmt.Fprintf(w, "%s  %s  %s  [%s]%s\n", o.Doc.Published.Format("2006-01-02"), o.Doc.ID[:8], o.Doc.Title, strings.Join(rs, ", "), cp)
	}
	rep := l.Report
	fmt.Fprintf(w, "%s, %s, %d matched a rule", english.Plural(rep.New, "new document"),
		english.Plural(rep.Dupes, "duplicate"), matched)
	if sum := rep.SkipSummary(); sum != "" {
		fmt.Fprintf(w, "; %s", sum)
	}
	var err error
	switch {
	case dryRun:
		_, err = fmt.Fprintln(w, " (dry run: nothing stored or sent)")
	case queued > 0:
		_, err = fmt.Fprintf(w, "; %s queued for `bot run` to deliver\n", english.Plural(queued, "message"))
	default:
		_, err = fmt.Fprintln(w, "; nothing to send")
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
