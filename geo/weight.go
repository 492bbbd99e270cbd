package geo

import "strings"

// Scores of a mention by where it stands in the text: its first line when
// more follows (the headline), the dateline, the lead (the first sentence of
// the body, at most leadBytes after the headline), the rest.
const (
	scoreTitle    = 3
	scoreDateline = 3
	scoreLead     = 2
	scoreBody     = 1
	leadBytes     = 400
	// maxTitle bounds a headline; datelineBytes is how far after it a
	// dateline may open a line.
	maxTitle      = 400
	datelineBytes = 600
)

// About is the weight from which a place is one of the main places of a
// text (rules' regions_mode: about).
const About = 0.5

// Weight is how central a place is to a text, and its admin1 region and
// its country (0 when it has none), each in [0, 1].
type Weight struct {
	Place, Admin1, Country float32
}

// Weigh sets the Weight of each of tags, given mentions, the text's place
// mentions (one Tag per mention, as Resolve
// gives them). A mention scores 3 in the headline (the first line, when
// more follows) or as the dateline (a place opening one of the first
// lines, followed by a comma or a parenthesis: "HERAT (Afghanistan), July
// 8"), 2 in the lead (the body's first sentence), 1 elsewhere; a place
// collects the scores of its own mentions and of the places inside it
// (Qala-i-Naw counts for Badghis and Afghanistan). Weights are scaled level
// by level: the heaviest country among places weighs 1, and so do the
// heaviest admin1 region and the heaviest city, so that a province is
// measured against the other provinces, not against the country that holds
// them all.
func (g *Gazetteer) Weigh(text string, mentions, tags []Tag) {
	if len(tags) == 1 {
		// One place: it, its admin1 region and its country are each the
		// heaviest of their level.
		w := Weight{}
		if pi := g.indexOf(&tags[0]); pi >= 0 {
			w.Place = 1
			if g.up[pi].admin1 >= 0 {
				w.Admin1 = 1
			}
			if g.up[pi].country >= 0 {
				w.Country = 1
			}
		}
		tags[0].Weight = w
		return
	}
	var buf [32]placeScore
	acc := buf[:0]
	add := func(place int32, s float64) {
		if place < 0 {
			return
		}
		for i := range acc {
			if acc[i].place == place {
				acc[i].s += s
				return
			}
		}
		acc = append(acc, placeScore{place, s})
	}
	zones := zonesOf(text)
	for i := range mentions {
		pi := g.indexOf(&mentions[i])
		if pi < 0 {
			continue
		}
		s := zones.score(text, mentions[i])
		add(pi, s)
		up := g.up[pi]
		if up.admin1 != pi {
			add(up.admin1, s)
		}
		if up.country != pi && up.country != up.admin1 {
			add(up.country, s)
		}
		if p := &g.places[pi]; p.Level > LevelAdmin2 && p.Admin2 != "" {
			if a2, ok := g.admin2[p.Admin2]; ok {
				add(a2, s)
			}
		}
	}
	var top [LevelCity + 1]float64
	for _, a := range acc {
		if l := g.places[a.place].Level; l <= LevelCity {
			top[l] = max(top[l], a.s)
		}
	}
	get := func(place int32) float32 {
		if place < 0 {
			return 0
		}
		for _, a := range acc {
			if a.place == place {
				return float32(a.s / top[g.places[place].Level])
			}
		}
		return 0
	}
	for i := range tags {
		var w Weight
		if pi := g.indexOf(&tags[i]); pi >= 0 {
			up := g.up[pi]
			w = Weight{Place: get(pi), Admin1: get(up.admin1), Country: get(up.country)}
		}
		tags[i].Weight = w
	}
}

type placeScore struct {
	place int32
	s     float64
}

// indexOf returns the index of t's place, -1 when the gazetteer lacks it.
func (g *Gazetteer) indexOf(t *Tag) int32 {
	if i := t.index - 1; i >= 0 && int(i) < len(g.places) && g.places[i].ID == t.Place.ID {
		return i
	}
	if i, ok := g.byID[t.Place.ID]; ok {
		return i
	}
	return -1
}

// zones are the byte offsets where a text's headline and lead end, and
// before which a dateline may stand.
type zones struct {
	title, lead, datelines int
}

func zonesOf(text string) zones {
	var z zones
	if i := strings.IndexByte(text[:min(len(text), maxTitle)], '\n'); i >= 0 && i+1 < len(text) {
		z.title = i
	}
	body := text[z.title:]
	body = body[:min(len(body), leadBytes)]
	z.lead = z.title + len(body)
	for off := 0; ; {
		i := strings.IndexByte(body[off:], '.')
		if i < 0 {
			break
		}
		if off += i + 1; off == len(body) || body[off] == ' ' || body[off] == '\n' {
			z.lead = z.title + off - 1
			break
		}
	}
	z.datelines = z.title + datelineBytes
	return z
}

// score is what mention t scores in text.
func (z zones) score(text string, t Tag) float64 {
	switch {
	case t.Start < z.title:
		return scoreTitle
	case t.Start < z.datelines && opensLine(text, t):
		return scoreDateline
	case t.Start < z.lead:
		return scoreLead
	}
	return scoreBody
}

// opensLine reports whether mention t opens a line (or the text after the
// headline) and is followed by a comma or a parenthesis.
func opensLine(text string, t Tag) bool {
	switch {
	case t.Start == 0, text[t.Start-1] == '\n':
	case t.Start >= 2 && text[t.Start-1] == ' ' && text[t.Start-2] == '\n':
	default:
		return false
	}
	rest := text[t.End:]
	for rest != "" && rest[0] == ' ' {
		rest = rest[1:]
	}
	return rest != "" && (rest[0] == ',' || rest[0] == '(')
}
