package geo

import (
	"unicode"
	"unicode/utf8"
)

// surname reports whether mention i reads as a person's surname: it follows
// a title ("Mr Lincoln", "Gen. Jackson"), an initial ("Harvey T. Lyon") or
// a capitalised word inside a sentence ("Jesse Jackson", "Whitney Houston")
// that is neither a word that qualifies places ("Northern", "Greater") nor
// part of a country's or region's name ("South Korea Seoul").
func (g *Gazetteer) surname(text string, mentions []Mention, i int) bool {
	start := mentions[i].Start
	j := start
	for j > 0 && text[j-1] == ' ' {
		j--
	}
	if j == start || j == 0 {
		return false
	}
	dot := false
	if text[j-1] == '.' {
		dot = true
		j--
	}
	w, ws := lastWord(text[:j])
	if w == "" {
		return false
	}
	var lb [16]byte
	lw := lowerASCII(lb[:0], w)
	r, size := utf8.DecodeRuneInString(w)
	if titles[string(lw)] || dot && size == len(w) && unicode.IsUpper(r) {
		return true // a title, or an initial ("Harvey T. Lyon")
	}
	if dot || !unicode.IsUpper(r) || qualifiers[string(lw)] || sentenceOpens(text, ws) {
		return false
	}
	for k := i - 1; k >= 0 && mentions[k].End > ws; k-- {
		if mentions[k].Start <= ws && g.valid(text, mentions[k]) && g.regional(mentions[k].Name) {
			return false // the word belongs to a country's or region's name
		}
	}
	return true
}

// regional reports whether name i is a demonym or most likely names a
// country or an admin1 region.
func (g *Gazetteer) regional(i int) bool {
	if g.names[i].Demonym {
		return true
	}
	cs := g.candidates(i)
	return len(cs) > 0 && g.places[cs[0]].Level <= LevelAdmin1
}

// lowerASCII appends w to dst in lower case when w is short ASCII, so that
// looking it up in a set does not allocate; other words come back empty.
func lowerASCII(dst []byte, w string) []byte {
	if len(w) > cap(dst) {
		return dst
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return dst[:0]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// lastWord returns the run of letters that ends s and its start offset.
func lastWord(s string) (string, int) {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	return s[i:], i
}

// sentenceOpens reports whether the word at text[i] opens a sentence or a
// line; a dot after a title or an initial ends no sentence ("Sen. Bob").
func sentenceOpens(text string, i int) bool {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '"' || text[i-1] == '\t') {
		i--
	}
	if i == 0 {
		return true
	}
	switch text[i-1] {
	case '!', '?', ':', '\n', '\r':
		return true
	case '.':
		w, _ := lastWord(text[:i-1])
		var lb [16]byte
		if titles[string(lowerASCII(lb[:0], w))] || len(w) == 1 {
			return false
		}
		return true
	}
	return false
}

// titles are words that put a surname after them.
var titles = setOf("mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "president",
	"senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
	"mayor", "general", "gen", "minister", "premier", "chancellor", "judge", "justice", "coach",
	"captain", "capt", "prof", "professor", "rev", "reverend", "sgt", "sergeant", "lt", "col",
	"colonel", "major", "chairman", "secretary", "ambassador", "king", "queen", "prince", "princess")

// qualifiers are capitalised words that stand before place names.
var qualifiers = setOf("north", "south", "east", "west", "northern", "southern", "eastern",
	"western", "central", "greater", "upper", "lower", "inner", "outer", "old", "new", "downtown",
	"metro", "metropolitan", "suburban", "rural", "urban", "occupied", "provincial", "city",
	"province", "district", "state", "county", "capital", "in", "at", "from", "to", "of", "and",
	"or", "near", "outside", "around", "across", "via", "the", "for", "on", "by", "with", "into",
	"between", "than")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// properPhrase reports whether mention i is followed, after one space, by a
// capitalised word that is not the start of another mention: the mention
// is then a word of a longer proper name ("Mobile PC", "Orange Bowl").
func properPhrase(text string, mentions []Mention, i int) bool {
	end := mentions[i].End
	if end+1 >= len(text) || text[end] != ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[end+1:])
	if !unicode.IsUpper(r) {
		return false
	}
	return i+1 >= len(mentions) || mentions[i+1].Start != end+1
}

// hyphenated reports whether mention i is joined by a hyphen to a
// capitalised word that no other mention covers: a word of a compound name
// ("Coca-Cola", "Kelsey-Hayes"), not a place ("Kabul-based",
// "Tokyo-Osaka").
func hyphenated(text string, mentions []Mention, i int) bool {
	m := mentions[i]
	if m.End+1 < len(text) && text[m.End] == '-' {
		r, _ := utf8.DecodeRuneInString(text[m.End+1:])
		if unicode.IsUpper(r) && (i+1 >= len(mentions) || mentions[i+1].Start != m.End+1) {
			return true
		}
	}
	if m.Start >= 2 && text[m.Start-1] == '-' {
		w, _ := lastWord(text[:m.Start-1])
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) && (i == 0 || mentions[i-1].End != m.Start-1) {
			return true
		}
	}
	return false
}
