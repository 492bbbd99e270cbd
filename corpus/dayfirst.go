package corpus

import (
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
)

// datelineDayFirstRe is a dateline whose date puts the day before the
// month, as Russian, Persian, Dari, Pashto and Arabic texts write it:
// "ГЕРАТ, 8 июля —", "هرات (افغانستان)، ۱۷ سرطان —", "КАБУЛ, 8 июля. /ТАСС/.",
// "ГЕРАТ, 7 июля. Боевики...". Groups: place, parenthesis, day, month,
// year, second parenthesis, agency between slashes, a bare full stop (a
// dateline only after a place in capitals).
var datelineDayFirstRe = regexp.MustCompile(`^([\p{Lu}\p{Lo}][\p{L}\p{M}.'’\x{200C}]*(?:[ -][\p{Lu}\p{Lo}][\p{L}\p{M}.'’\x{200C}]*){0,3})` +
	`(?:\s*\(([^()\n]{1,60})\))?` +
	`\s*[,،]\s*(\p{Nd}{1,2})\s+(\p{L}+)(?:\s+(\p{Nd}{4}))?(?:\s*г\.)?` +
	`(?:\s*\(([^()\n]{1,100})\))?` +
	`\s*(?:[—–:]|-{1,2}\s|\.\s*/([^/\n]{1,30})/\.?|(\.)\s)`)

// dayFirstMonth is a month name of a day-first dateline: a month of the
// Gregorian calendar, or of the solar hijri calendar of Afghanistan and
// Iran (solar), whose first month starts on March 21.
type dayFirstMonth struct {
	month int
	solar bool
}

// dayFirstMonths are the month names of day-first datelines, folded:
// Russian (genitive), Persian and Dari, Arabic, and the solar months in
// Dari, Iranian Persian and Pashto. It is built on first use, once the
// fold tables are.
var dayFirstMonths = sync.OnceValue(func() map[string]dayFirstMonth {
	m := map[string]dayFirstMonth{}
	add := func(solar bool, names string) {
		for i, n := range strings.Fields(names) {
			m[Fold(n)] = dayFirstMonth{month: i + 1, solar: solar}
		}
	}
	add(false, "января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
	add(false, "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر")
	add(false, "جنوری فبروری مارچ اپریل می جون جولای اگست سپتمبر اکتوبر نومبر دسمبر")
	add(false, "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر")
	add(true, "حمل ثور جوزا سرطان اسد سنبله میزان عقرب قوس جدی دلو حوت")
	add(true, "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند")
	add(true, "وری غویی غبرگولی چنگاښ زمری وږی تله لړم لیندۍ مرغومی سلواغه کب")
	return m
})

// parseDayFirst is parseDateline for a day-first dateline.
func parseDayFirst(p string) (d *Dateline, outlet, credit string, ok bool) {
	m := datelineDayFirstRe.FindStringSubmatch(p)
	if m == nil {
		return nil, "", "", false
	}
	mo, known := dayFirstMonths()[Fold(m[4])]
	day, year := number(m[3]), number(m[5])
	if !known || day < 1 || day > 31 || m[8] != "" && !allCaps(m[1]) {
		return nil, "", "", false
	}
	d = &Dateline{Place: titleCase(m[1])}
	if mo.solar {
		d.Year, d.Month, d.Day = solarToGregorian(year, mo.month, day)
	} else {
		d.Year, d.Month, d.Day = year, time.Month(mo.month), day
	}
	for _, pr := range []string{m[2], m[6], m[7]} {
		name, _, _ := strings.Cut(pr, " - ")
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if w := wireName(name); w != "" {
			credit = w
		} else if w := cyrillicWires[name]; w != "" {
			credit = w
		} else if pr == m[6] {
			outlet = name
		}
	}
	return d, outlet, credit, true
}

// cyrillicWires are the agencies as Russian texts write them.
var cyrillicWires = map[string]string{"ТАСС": "TASS", "РИА Новости": "RIA Novosti", "Интерфакс": "Interfax"}

// solarToGregorian turns day d of month m of solar hijri year y (0 when
// unknown) into a Gregorian date; the year is 0 when y is. The first month
// starts on March 21, so a date can be a day off around leap years.
func solarToGregorian(y, m, d int) (int, time.Month, int) {
	doy := d - 1
	if m <= 6 {
		doy += (m - 1) * 31
	} else {
		doy += 186 + (m-7)*30
	}
	gy := 2001 // a year with no February 29 after March
	if y > 0 {
		gy = y + 621
	}
	t := time.Date(gy, time.March, 21, 0, 0, 0, 0, time.UTC).AddDate(0, 0, doy)
	if y == 0 {
		return 0, t.Month(), t.Day()
	}
	return t.Year(), t.Month(), t.Day()
}

// number reads a decimal number written in any script's digits ("17",
// "۱۷", "١٧"); 0 when s is empty or too long.
func number(s string) int {
	n := 0
	for _, r := range s {
		v := digitValue(r)
		if v < 0 || n > 1e6 {
			return 0
		}
		n = n*10 + v
	}
	return n
}

// digitValue is the value of the decimal digit r, or -1.
func digitValue(r rune) int {
	if !unicode.IsDigit(r) {
		return -1
	}
	for _, zero := range []rune{'0', '٠', '۰', '߀', '०'} {
		if r >= zero && r <= zero+9 {
			return int(r - zero)
		}
	}
	return -1
}

// datelineEnd returns where the dateline that opens s ends, or 0.
func datelineEnd(s string) int {
	for _, re := range []*regexp.Regexp{datelineRe, datelineDayFirstRe} {
		if m := re.FindStringIndex(s); m != nil {
			return m[1]
		}
	}
	return 0
}
