package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An edit changes a copy the way an outlet changes a wire story. apply
// reports whether it changed anything.
type edit struct {
	name  string
	p     float64
	apply func(r *rand.Rand, a *Article) bool
}

// edits are the changes a copy may get, each with its probability; every
// copy gets at least two.
var edits = []edit{
	// Changes to the story first, then the outlet's wrapping.
	{"trim", 0.4, trimTail},
	{"drop-lead", 0.3, dropLead},
	{"reorder", 0.3, reorder},
	{"edit-sentences", 0.5, editSentences},
	{"respell", 0.4, respell},
	{"house-style", 0.2, houseStyle},
	{"header", 0.6, addHeader},
	{"footer", 0.6, addFooter},
	{"headline", 0.4, changeHeadline},
}

// EditNames lists the names of the edits a copy may record, in order.
func EditNames() []string {
	out := make([]string, len(edits))
	for i, e := range edits {
		out[i] = e.name
	}
	return out
}

var (
	outlets = []string{"AFP", "Reuters", "AP", "The Daily Star", "Khaama Press", "Gulf News",
		"The Express Tribune", "Dawn", "The Hindu", "Arab News", "France 24", "Deutsche Welle"}
	cities = []string{"KABUL", "LONDON", "NEW YORK", "ISLAMABAD", "PARIS", "TOKYO", "DUBAI",
		"WASHINGTON", "HERAT", "BRUSSELS"}
	months  = []string{"Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"}
	names   = []string{"Jane Doe", "Abdul Qadir Sediqi", "Mike Collett-White", "Hamid Shalizi", "Anna Ringstrom", "Rupam Jain"}
	footers = []string{
		"Follow us on Instagram, Twitter and Facebook for the latest news.",
		"(Reporting by %s; Editing by %s)",
		"© 2021 AFP",
		"Copyright 2021 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
		"Read more: the latest on this story and others at our website.",
		"Subscribe to our newsletter to get the top stories in your inbox every morning.",
		"This story has not been edited by our staff and is published from a syndicated feed.",
	}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func addHeader(r *rand.Rand, a *Article) bool {
	if len(a.Paragraphs) == 0 {
		return false
	}
	switch r.IntN(3) {
	case 0: // dateline
		a.Paragraphs[0] = pick(r, cities) + ", " + pick(r, months) + " " + strconv.Itoa(1+r.IntN(28)) +
			" (" + pick(r, outlets) + ") - " + a.Paragraphs[0]
	case 1: // byline paragraph
		a.Paragraphs = slices.Insert(a.Paragraphs, 0, "By "+pick(r, names)+" | "+pick(r, outlets)+
			" | Published "+strconv.Itoa(1+r.IntN(28))+" "+pick(r, months)+" 2021")
	default: // staff report
		a.Paragraphs = slices.Insert(a.Paragraphs, 0, pick(r, outlets)+" Staff Report")
	}
	return true
}

func addFooter(r *rand.Rand, a *Article) bool {
	for n := 1 + r.IntN(2); n > 0; n-- {
		f := pick(r, footers)
		if strings.Contains(f, "%s") {
			f = strings.Replace(strings.Replace(f, "%s", pick(r, names), 1), "%s", pick(r, names), 1)
		}
		a.Paragraphs = append(a.Paragraphs, f)
	}
	return true
}

func changeHeadline(r *rand.Rand, a *Article) bool {
	switch r.IntN(3) {
	case 0:
		a.Title = "UPDATE " + strconv.Itoa(1+r.IntN(3)) + "-" + a.Title
	case 1:
		a.Title = strings.ToUpper(a.Title)
	default:
		a.Title = ""
	}
	return true
}

// trimTail keeps the leading sentences that make up 40% to 90% of the
// words (at least one sentence), dropping the rest.
func trimTail(r *rand.Rand, a *Article) bool {
	total := 0
	for _, p := range a.Paragraphs {
		total += len(strings.Fields(p))
	}
	limit := int((0.4 + 0.5*r.Float64()) * float64(total))
	n := 0
	for i, p := range a.Paragraphs {
		s := sentences(p)
		for j, x := range s {
			if n > 0 && n+len(strings.Fields(x)) > limit {
				if j > 0 {
					a.Paragraphs[i] = strings.Join(s[:j], " ")
					i++
				}
				a.Paragraphs = a.Paragraphs[:i]
				return true
			}
			n += len(strings.Fields(x))
		}
	}
	return false
}

// reorder swaps two paragraphs after the first, or two sentences when
// there are fewer than three paragraphs.
func reorder(r *rand.Rand, a *Article) bool {
	if len(a.Paragraphs) >= 3 {
		i := 1 + r.IntN(len(a.Paragraphs)-1)
		j := 1 + r.IntN(len(a.Paragraphs)-1)
		if i == j {
			j = 1 + (i % (len(a.Paragraphs) - 1))
		}
		a.Paragraphs[i], a.Paragraphs[j] = a.Paragraphs[j], a.Paragraphs[i]
		return i != j
	}
	s := sentences(strings.Join(a.Paragraphs, " "))
	if len(s) < 3 {
		return false
	}
	i := 1 + r.IntN(len(s)-2)
	s[i], s[i+1] = s[i+1], s[i]
	a.Paragraphs = []string{strings.Join(s, " ")}
	return true
}

var fillers = []string{"also", "reportedly", "on Thursday", "meanwhile", "however", "officially"}

// editSentences changes one word in each of one to three sentences: a word
// dropped, replaced or added.
func editSentences(r *rand.Rand, a *Article) bool {
	changed := false
	for n := 1 + r.IntN(3); n > 0; n-- {
		if len(a.Paragraphs) == 0 {
			break
		}
		p := r.IntN(len(a.Paragraphs))
		s := sentences(a.Paragraphs[p])
		k := r.IntN(len(s))
		words := strings.Fields(s[k])
		if len(words) < 4 {
			continue
		}
		w := 1 + r.IntN(len(words)-2)
		switch r.IntN(3) {
		case 0:
			words = slices.Delete(words, w, w+1)
		case 1:
			words[w] = pick(r, fillers)
		default:
			words = slices.Insert(words, w, pick(r, fillers))
		}
		s[k] = strings.Join(words, " ")
		a.Paragraphs[p] = strings.Join(s, " ")
		changed = true
	}
	return changed
}

// respell changes the spelling of up to two names (capitalised words that
// do not open a sentence) everywhere they occur: a vowel changed
// (Badghis -> Badghes), a diacritic added (Kabul -> Kābul) or an ezafe
// connector changed (Qala-i-Naw -> Qala-e-Naw).
func respell(r *rand.Rand, a *Article) bool {
	text := strings.Join(a.Paragraphs, "\n")
	var cands []string
	for _, s := range sentences(text) {
		f := strings.Fields(s)
		for _, w := range f[min(1, len(f)):] {
			w = strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) && c != '-' })
			if utf8.RuneCountInString(w) >= 4 && unicode.IsUpper([]rune(w)[0]) && !isAllCaps(w) {
				cands = append(cands, w)
			}
		}
	}
	if len(cands) == 0 {
		return false
	}
	changed := false
	for n := 1 + r.IntN(2); n > 0; n-- {
		w := pick(r, cands)
		v := respellWord(r, w)
		if v == w {
			continue
		}
		for i, p := range a.Paragraphs {
			a.Paragraphs[i] = replaceWord(p, w, v)
		}
		changed = true
	}
	return changed
}

func respellWord(r *rand.Rand, w string) string {
	for _, c := range []struct{ from, to string }{{"-i-", "-e-"}, {"-e-", "-i-"}, {"-ye-", "-e-"}} {
		if strings.Contains(w, c.from) {
			return strings.Replace(w, c.from, c.to, 1)
		}
	}
	rs := []rune(w)
	var vowels []int
	for i := 1; i < len(rs); i++ {
		if strings.ContainsRune("aeiou", rs[i]) {
			vowels = append(vowels, i)
		}
	}
	if len(vowels) == 0 {
		return w
	}
	i := pick(r, vowels)
	if r.IntN(2) == 0 {
		rs[i] = map[rune]rune{'a': 'ā', 'e': 'é', 'i': 'ī', 'o': 'ō', 'u': 'ū'}[rs[i]]
	} else {
		rs[i] = map[rune]rune{'a': 'e', 'e': 'i', 'i': 'e', 'o': 'u', 'u': 'o'}[rs[i]]
	}
	return string(rs)
}

// dropLead removes the first sentence, or the first paragraph when it has
// only one sentence and others follow.
func dropLead(_ *rand.Rand, a *Article) bool {
	if len(a.Paragraphs) == 0 {
		return false
	}
	s := sentences(a.Paragraphs[0])
	switch {
	case len(s) >= 2:
		a.Paragraphs[0] = strings.Join(s[1:], " ")
	case len(a.Paragraphs) >= 2:
		a.Paragraphs = a.Paragraphs[1:]
	default:
		return false
	}
	return true
}

var houseStyles = [][2]string{{"pct", "percent"}, {"mln", "million"}, {"dlrs", "dollars"},
	{"billion", "bn"}, {"U.S.", "US"}, {"per cent", "percent"}, {"said", "says"}}

// houseStyle applies one or two of an outlet's spelling habits everywhere.
func houseStyle(r *rand.Rand, a *Article) bool {
	changed := false
	for n := 1 + r.IntN(2); n > 0; n-- {
		hs := pick(r, houseStyles)
		for i, p := range a.Paragraphs {
			if q := replaceWord(p, hs[0], hs[1]); q != p {
				a.Paragraphs[i] = q
				changed = true
			}
		}
	}
	return changed
}

// replaceWord replaces whole-word occurrences of old in s with new.
func replaceWord(s, old, new string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + len(old)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		b.WriteString(s[:i])
		if i > 0 && isWordRune(before) || j < len(s) && isWordRune(after) {
			b.WriteString(old)
		} else {
			b.WriteString(new)
		}
		s = s[j:]
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isAllCaps(w string) bool { return strings.ToUpper(w) == w }

// sentences splits text after '.', '!' or '?' followed by a space and an
// upper-case letter or a quote. It never returns an empty slice for
// non-empty text.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(text); i++ {
		c := text[i]
		if (c == '.' || c == '!' || c == '?') && text[i+1] == ' ' {
			n, _ := utf8.DecodeRuneInString(text[i+2:])
			if unicode.IsUpper(n) || n == '"' || n == '“' {
				out = append(out, text[start:i+1])
				start = i + 2
			}
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	if len(out) == 0 {
		out = append(out, text)
	}
	return out
}
