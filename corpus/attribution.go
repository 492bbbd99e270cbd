package corpus

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Attribution is what the opening of an article says about where it comes
// from, read by Attribute.
type Attribution struct {
	// Outlet is the publication that credits itself: a leading "Islam
	// Times - ", or the non-wire name in a dateline's parenthesis
	// ("UrduPoint / Pakistan Point News"). "" when the text names none.
	Outlet string `json:"outlet,omitempty"`
	// Credits are the news agencies credited for the text or its pictures
	// (AFP, Reuters, AP, Xinhua, TASS, Anadolu...), each once, in order.
	Credits []string `json:"credits,omitempty"`
	// Dateline is where (and when) the article was filed, nil when it
	// has none.
	Dateline *Dateline `json:"dateline,omitempty"`
	// Lead is the byte offset in the body where the article proper starts:
	// after photo captions, social handles, "Follow us" lines and a
	// leading outlet credit.
	Lead int `json:"-"`
}

// Dateline is the place, and the date when given, that opens a wire story:
// "HERAT (Afghanistan), July 8 —", "KABUL (Reuters) -".
type Dateline struct {
	// Place is as the text writes it, capitals made title case: "Herat".
	Place string `json:"place"`
	// Month and Day are the date written (0 when none); Year is 0 when the
	// dateline gives none.
	Year  int        `json:"year,omitempty"`
	Month time.Month `json:"month,omitempty"`
	Day   int        `json:"day,omitempty"`
}

// Date returns the dateline's date at UTC midnight in the year written or,
// when it gives none, in the year that puts it on or before ref and less
// than a year before it (a dateline never dates an article in the future).
// ok is false when the dateline has no date or ref is zero without a year.
func (d *Dateline) Date(ref time.Time) (time.Time, bool) {
	if d == nil || d.Month == 0 || d.Day == 0 {
		return time.Time{}, false
	}
	y := d.Year
	if y == 0 {
		if ref.IsZero() {
			return time.Time{}, false
		}
		ref = ref.UTC()
		y = ref.Year()
		if time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC).After(ref) {
			y--
		}
	}
	// ParseTime gives a calendar date (IsDateOnly) and refuses February 30th.
	t, err := ParseTime(fmt.Sprintf("%s %d, %d", d.Month, d.Day, y))
	return t, err == nil
}

// wires are the news agencies recognised as credits, as they are written.
var wires = []string{"AFP", "Reuters", "AP", "Associated Press", "Xinhua", "TASS", "Anadolu", "ANI", "PTI",
	"IRNA", "dpa", "EFE", "ANSA", "Kyodo", "Yonhap", "Bernama", "APP", "Pajhwok", "RIA Novosti", "Interfax",
	"IANS", "UNI", "WAM", "SPA", "QNA", "KUNA", "MENA", "Sputnik", "ISNA", "Tasnim", "Fars"}

// wireName returns the agency s names ("AFP", "Reuters"), ignoring case for
// names longer than four letters, or "".
func wireName(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range wires {
		if s == w || len(w) > 4 && strings.EqualFold(s, w) {
			return w
		}
	}
	return ""
}

var (
	wireAlt = func() string {
		alt := make([]string, len(wires))
		for i, w := range wires {
			alt[i] = regexp.QuoteMeta(w)
		}
		return strings.Join(alt, "|")
	}()
	// creditRe finds agency credits: "— AFP pic", "(AFP)", "/AFP", "AFP
	// photo", "obtained by AFP", a line that is only "— Reuters".
	creditRe = regexp.MustCompile(`(?m)(?:(?:[—–-][ \t]*|\(|/|^)(` + wireAlt + `)(?:\s+(?:pic|photo|picture|video)\b|\)|[ \t]*$|\s*/)|obtained by (` + wireAlt + `)\b)`)
	// datelineRe is a dateline at the start of a paragraph: a place of one
	// to four words, then optionally "(Country)" or "(Agency)", ", Country",
	// ", Month Day[, Year]", "(Outlet ...)", and a dash or colon.
	datelineRe = regexp.MustCompile(`^([\p{Lu}\p{Lo}][\p{L}.'’]*(?:[ -][\p{Lu}\p{Lo}][\p{L}.'’]*){0,3})` +
		`(?:\s*\(([^()\n]{1,60})\))?` +
		`(?:\s*[,،]\s*(\p{Lu}[\p{L}.]*(?: \p{Lu}[\p{L}.]*){0,2}))?` +
		`(?:\s*,\s*` + monthAlt + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?)?` +
		`(?:\s*\(([^()\n]{1,100})\))?` +
		`\s*(?:[—–:]|-{1,2}\s)`)
	// outletRe is a leading "Outlet - " credit: one to five capitalised
	// words, not all in capitals, and a dash.
	outletRe = regexp.MustCompile(`^(\p{Lu}[\p{L}.&'’]*(?: \p{Lu}[\p{L}.&'’]*){0,4})\s+[-–—]\s`)
	monthAlt = `(January|February|March|April|May|June|July|August|September|October|November|December|` +
		`Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)`
)

// maxAttributionParagraphs is how many opening paragraphs Attribute reads.
const maxAttributionParagraphs = 4

// Attribute reads the outlet, the agency credits and the dateline from the
// opening of a plain-text article body.
func Attribute(body string) Attribution {
	var a Attribution
	leadSet := false
	off := 0
	for n := 0; n < maxAttributionParagraphs && off < len(body); n++ {
		para, next := nextParagraph(body, off)
		start := off + len(para) - len(strings.TrimLeftFunc(para, unicode.IsSpace))
		p := strings.TrimSpace(para)
		off = next
		if p == "" {
			n--
			continue
		}
		if boilerplate(p) {
			continue
		}
		if d, outlet, credit, ok := parseDateline(p); ok && a.Dateline == nil {
			a.Dateline = d
			a.addCredit(credit)
			if a.Outlet == "" {
				a.Outlet = outlet
			}
		} else if m := outletRe.FindStringSubmatch(p); m != nil && a.Dateline == nil && !allCaps(m[1]) {
			if w := wireName(m[1]); w != "" {
				a.addCredit(w)
			} else if a.Outlet == "" {
				a.Outlet = m[1]
			}
			if !leadSet {
				a.Lead, leadSet = start+len(m[0]), true
			}
			continue
		}
		if caption(p) {
			a.addCredits(p)
			continue
		}
		if !leadSet {
			a.Lead, leadSet = start, true
		}
	}
	a.addCredits(head(body, 4096))
	if !leadSet {
		a.Lead = 0
	}
	return a
}

func (a *Attribution) addCredit(w string) {
	if w != "" && !slices.Contains(a.Credits, w) {
		a.Credits = append(a.Credits, w)
	}
}

// addCredits adds the agencies credited in text.
func (a *Attribution) addCredits(text string) {
	for _, m := range creditRe.FindAllStringSubmatch(text, -1) {
		a.addCredit(wireName(m[1] + m[2]))
	}
}

// parseDateline reads a dateline at the start of paragraph p. It needs a
// sign that the opening words are a place: a date, a parenthesis, a
// country after a comma, or capitals ("KABUL -"). A date written day
// first, in Cyrillic or Arabic script, is read by parseDayFirst.
func parseDateline(p string) (d *Dateline, outlet, credit string, ok bool) {
	m := datelineRe.FindStringSubmatch(p)
	if m == nil {
		return parseDayFirst(p)
	}
	place, paren, country, month, day, year, paren2 := m[1], m[2], m[3], m[4], m[5], m[6], m[7]
	if month == "" && paren == "" && country == "" && paren2 == "" && !allCaps(place) {
		return nil, "", "", false
	}
	d = &Dateline{Place: titleCase(place)}
	if month != "" {
		if t, err := time.Parse("January 2", fullMonth(month)+" "+day); err == nil {
			d.Month, d.Day = t.Month(), t.Day()
		}
		if year != "" {
			d.Year = atoi(year)
		}
	}
	for _, pr := range []string{paren, paren2} {
		name, _, _ := strings.Cut(pr, " - ")
		name = strings.TrimSpace(name)
		if name == "" || strings.HasPrefix(name, "@") {
			continue
		}
		if w := wireName(name); w != "" {
			credit = w
		} else if pr == paren2 || strings.Contains(name, "/") {
			outlet = name // (UrduPoint / Pakistan Point News - 7th Jul, 2021)
		}
	}
	return d, outlet, credit, true
}

// boilerplate reports whether paragraph p is a site's furniture rather than
// the article: a social handle alone, or an invitation to follow, share or
// subscribe.
func boilerplate(p string) bool {
	if strings.HasPrefix(p, "(@") && strings.HasSuffix(p, ")") && !strings.Contains(p, " ") {
		return true
	}
	low := strings.ToLower(p)
	for _, s := range []string{"follow us on", "subscribe to our", "sign up for", "click here", "share this",
		"join our telegram", "download our app", "read more:", "also read:"} {
		if strings.HasPrefix(low, s) {
			return true
		}
	}
	return false
}

// caption reports whether paragraph p is a photo caption: a line ending
// with an agency's picture credit ("— AFP pic", "(Reuters photo)").
func caption(p string) bool {
	low := strings.ToLower(strings.TrimRight(p, ".) "))
	return strings.HasSuffix(low, " pic") || strings.HasSuffix(low, " photo") ||
		strings.HasSuffix(low, " picture")
}

// nextParagraph returns the paragraph (a line) of body that starts at off
// and the offset after it.
func nextParagraph(body string, off int) (string, int) {
	end := strings.IndexByte(body[off:], '\n')
	if end < 0 {
		return body[off:], len(body)
	}
	return body[off : off+end], off + end + 1
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func allCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 2
}

// titleCase turns a dateline's capitals into title case ("HERAT" ->
// "Herat", "MAZAR-I-SHARIF" -> "Mazar-I-Sharif"); mixed case is kept.
func titleCase(s string) string {
	if !allCaps(s) {
		return s
	}
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		if unicode.IsLetter(prev) || prev == '\'' || prev == '’' {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func fullMonth(m string) string {
	for _, full := range []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"} {
		if strings.HasPrefix(full, m) || m == "Sept" && full == "September" {
			return full
		}
	}
	return m
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
