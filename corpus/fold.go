package corpus

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldEntry is the folded form of one rune; set is false for a rune that
// folds to unicode.ToLower of itself.
type foldEntry struct {
	s   string
	set bool
}

// foldLow holds the folded forms of runes below 0x800 (Latin, Greek,
// Cyrillic, Arabic script); foldHigh those of the few higher ranges folded
// (Latin Extended Additional, Greek Extended, Arabic presentation forms).
var (
	foldLow  [0x800]foldEntry
	foldHigh = map[rune]string{}
)

// letterVariant maps letters that different languages, keyboards and
// spelling habits write for one sound onto one of them, after diacritics
// are gone. Arabic script: the yeh of Arabic, Persian, Pashto and Urdu
// (ي ى ی ې ۍ ێ ے, and ئ through its decomposition), the kaf (ك ک ڪ), the heh
// and teh marbuta (ه ة ۃ ە ہ ھ), the alef (ٱ; أ إ آ decompose to ا), Pashto
// and Urdu letters that Dari and Arabic spellings of the same names write
// without their ring or small tah (ګ ټ ٹ ډ ڈ ړ ڑ ڼ ں ښ ږ), tatweel
// (a joiner, see isJoiner), and Arabic-Indic and Persian digits (read as 0-9). Greek:
// final sigma.
var letterVariant = map[rune]string{
	'ي': "ی", 'ى': "ی", 'ې': "ی", 'ۍ': "ی", 'ێ': "ی", 'ے': "ی",
	'ك': "ک", 'ڪ': "ک",
	'ة': "ه", 'ۃ': "ه", 'ە': "ه", 'ہ': "ه", 'ھ': "ه",
	'ٱ': "ا", 'ٲ': "ا", 'ٳ': "ا",
	'ګ': "گ", 'ټ': "ت", 'ٹ': "ت", 'ډ': "د", 'ڈ': "د", 'ړ': "ر", 'ڑ': "ر",
	'ڼ': "ن", 'ں': "ن", 'ښ': "ش", 'ږ': "ژ",
	'ς': "σ",
}

func init() {
	for i := range 10 {
		letterVariant[rune(0x0660+i)] = string(rune('0' + i))
		letterVariant[rune(0x06F0+i)] = string(rune('0' + i))
	}
	decomposed := func(lo, hi rune, form norm.Form) {
		for r := lo; r <= hi; r++ {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				continue
			}
			s := foldDecomposed(form.String(string(r)))
			if r == 'й' || r == 'Й' {
				s = "й" // a letter of its own in Russian, not и with a breve
			}
			if s == string(r) || strings.ContainsRune(s, ' ') {
				continue // unchanged, or a ligature of several words (ﷺ)
			}
			if r < 0x800 {
				foldLow[r] = foldEntry{s: s, set: true}
			} else {
				foldHigh[r] = s
			}
		}
	}
	decomposed(0x00C0, 0x024F, norm.NFD)  // Latin-1 Supplement, Latin Extended-A and -B
	decomposed(0x0370, 0x03FF, norm.NFD)  // Greek with tonos
	decomposed(0x0400, 0x052F, norm.NFD)  // Cyrillic ё, ї, ў; Tajik ӣ, ӯ
	decomposed(0x0600, 0x06FF, norm.NFD)  // Arabic script
	decomposed(0x0750, 0x077F, norm.NFD)  // Arabic Supplement
	decomposed(0x08A0, 0x08FF, norm.NFD)  // Arabic Extended-A
	decomposed(0x1E00, 0x1EFF, norm.NFD)  // Latin Extended Additional (ḏ, ṯ, ẓ ...)
	decomposed(0x1F00, 0x1FFF, norm.NFD)  // Greek Extended
	decomposed(0xFB50, 0xFDFF, norm.NFKC) // Arabic Presentation Forms-A
	decomposed(0xFE70, 0xFEFF, norm.NFKC) // Arabic Presentation Forms-B
	for r, s := range map[rune]string{
		'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
		'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
		'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i", 'ħ': "h",
		'Ħ': "h", 'ŧ': "t", 'Ŧ': "t", 'ŀ': "l", 'Ŀ': "l",
	} {
		if r < 0x800 {
			foldLow[r] = foldEntry{s: s, set: true}
		} else {
			foldHigh[r] = s
		}
	}
}

// foldDecomposed lower-cases a decomposed rune, drops its marks and maps
// letter variants.
func foldDecomposed(d string) string {
	var b strings.Builder
	for _, c := range d {
		if isJoiner(c) {
			continue
		}
		if v, ok := letterVariant[c]; ok {
			b.WriteString(v)
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// foldRune returns the folded form of the non-ASCII rune r, and false when
// it is simply unicode.ToLower(r).
func foldRune(r rune) (string, bool) {
	if r < 0x800 {
		e := &foldLow[r]
		return e.s, e.set
	}
	if r < 0x1E00 {
		return "", false
	}
	s, ok := foldHigh[r]
	return s, ok
}

// isJoiner reports whether r continues a word without being a letter of
// it, and folds to nothing: a combining mark (diacritics, Arabic harakat),
// the zero-width non-joiner and joiner that Persian writes inside words
// (می‌شود), the soft hyphen, and the tatweel that stretches Arabic letters.
func isJoiner(r rune) bool {
	switch r {
	case '\u200C', '\u200D', '\u00AD', '\u0640':
		return true
	}
	return r >= 0x300 && unicode.Is(unicode.Mn, r)
}

// Scripts whose words inflect, as TokenFlags: the matcher tries a word of
// these scripts with its inflection taken off (see Variants).
func scriptOf(r rune) TokenFlags {
	switch {
	case r >= 0x0400 && r <= 0x052F:
		return Cyrillic
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		return Arabic
	}
	return 0
}

// sentenceEnd reports whether the non-ASCII rune r ends a sentence: the
// paragraph and line separators, the ideographic full stop, the Arabic
// question mark and the Urdu full stop.
func sentenceEnd(r rune) bool {
	switch r {
	case '\u2029', '\u2028', '。', '؟', '۔':
		return true
	}
	return false
}
