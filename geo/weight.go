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
)

// About is the weight from which a place is one of the main places of a
// text (rules' regions_mode: about).
const About = 0.5

// Weigh returns in dst how central each of places is to text, given tags,
// the text's place mentions (one Tag per mention, as Resolve gives them). A
// mention scores 3 in the headline (the first line, when more follows) or
// as the dateline (a place opening one of the first lines, followed by a
// comma or a parenthesis: "HERAT (Afghanistan), July 8"), 2 in the lead
// (the body's first sentence), 1 elsewhere; a place collects the scores of
// its own mentions and of the places inside it (Qala-i-Naw counts for
// Badghis and Afghanistan). Weights are scaled level by level: the
// heaviest country among places weighs 1, and so do the heaviest admin1
// region and the heaviest city, so that a province is measured against the
// other provinces, not against the country that holds them all. A place
// no mention falls inside weighs 0.
func (g *Gazetteer) Weigh(dst []float64, text string, tags []Tag, places []Place) []float64 {
	dst = dst[:0]
	zones := zonesOf(text)
	var top [LevelCity + 1]float64
	for _, p := range places {
		w := 0.0
		for i := range tags {
			if g.Within(tags[i].Place, p) {
				w += zones.score(text, tags[i])
			}
		}
		dst = append(dst, w)
		if p.Level <= LevelCity {
			top[p.Level] = max(top[p.Level], w)
		}
	}
	for i, p := range places {
		if p.Level <= LevelCity && top[p.Level] > 0 {
			dst[i] /= top[p.Level]
		}
	}
	return dst
}

// zones are the byte offsets where a text's headline and lead end.
type zones struct {
	title, lead, datelines int
}

func zonesOf(text string) zones {
	var z zones
	if i := strings.IndexByte(text, '\n'); i >= 0 && strings.TrimSpace(text[i:]) != "" {
		z.title = i
	}
	body := text[z.title:]
	z.lead = z.title + min(len(body), leadBytes)
	if i := strings.Index(body, ". "); i >= 0 && z.title+i < z.lead {
		z.lead = z.title + i
	}
	z.datelines = z.title
	for n := 0; n < 6 && z.datelines < len(text); n++ {
		i := strings.IndexByte(text[z.datelines+1:], '\n')
		if i < 0 {
			z.datelines = len(text)
			break
		}
		z.datelines += i + 1
	}
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
	if t.Start > 0 {
		c := text[t.Start-1]
		if c != '\n' && !(c == ' ' && strings.LastIndexByte(text[:t.Start], '\n') == t.Start-2) {
			return false
		}
	}
	rest := strings.TrimLeft(text[t.End:], " ")
	return strings.HasPrefix(rest, ",") || strings.HasPrefix(rest, "(")
}
