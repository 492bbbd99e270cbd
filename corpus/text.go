package corpus

import (
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Token is one word of text after normalisation. Words are runs of letters
// and digits; everything else separates them, except an apostrophe inside a
// word, which is dropped ("Qal'ah" is "qalah"), and a possessive "'s", which
// is dropped with its s ("Taliban's" is "taliban").
type Token struct {
	// Start and End are byte offsets of the word in the original text.
	Start, End int32
	// Hash is the 64-bit FNV-1a hash of the folded word: lower case, with
	// diacritics removed. Equal folded words have equal hashes.
	Hash uint64
	// Flags describe the word as written.
	Flags TokenFlags
}

// TokenFlags describe how a word was written.
type TokenFlags uint8

const (
	// Capitalised: the first letter is upper case.
	Capitalised TokenFlags = 1 << iota
	// AllCaps: every letter is upper case and there are at least two.
	AllCaps
	// SentenceStart: the word opens the text, a line or a sentence.
	SentenceStart
	// Connector: the folded word is a Persian ezafe connector (i, e, ye),
	// which place names may carry or drop (Qala-i-Naw, Qala Naw).
	Connector
	// Cyrillic: the word has a Cyrillic letter.
	Cyrillic
	// Arabic: the word has a letter of the Arabic script (Arabic, Persian,
	// Dari, Pashto, Urdu).
	Arabic
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// HashWord returns the hash a Token would have for the already folded word w.
func HashWord(w string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= fnvPrime
	}
	return h
}

var (
	hashI  = HashWord("i")
	hashE  = HashWord("e")
	hashYe = HashWord("ye")
)

// isApostrophe reports whether r is one of the marks used as an apostrophe
// or as the transliteration of ayn and hamza (Qal‘ah, Qal'ah, Qalʼah).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02BC', '\u02BB', '\u02BF', '\u02BE', '`', '\u00B4':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || isJoiner(r)
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	return t
}()

// Classes of ASCII bytes, for Tokenize's fast path.
const (
	clsSep   = iota // separates words
	clsEnd          // separates words and ends a sentence: . ! ? : newline
	clsApos         // an apostrophe: inside a word, the general scanner decides
	clsLower        // a-z
	clsDigit        // 0-9
	clsUpper        // A-Z
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for _, c := range ".!?:\n" {
		t[c] = clsEnd
	}
	t['\''], t['`'] = clsApos, clsApos
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clsLower
		t[c-'a'+'A'] = clsUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	return t
}()

// asciiFold maps an ASCII letter or digit to its folded byte and every
// other byte to 0.
var asciiFold = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	return t
}()

// Tokenize appends the words of text to dst and returns it. It allocates
// only when dst must grow. Runs of plain ASCII words take a fast path
// (asciiWords); any other byte in a word hands the word to the general
// scanner.
func Tokenize(dst []Token, text string) []Token {
	sentence := true
	i, n := 0, len(text)
	for i < n {
		if len(dst) == cap(dst) {
			dst = slices.Grow(dst, 16+len(dst)/4)
		}
		dst, i, sentence = asciiWords(dst, text, i, sentence)
		if i >= n || len(dst) == cap(dst) {
			continue
		}
		// text[i] is a non-ASCII byte or starts a word that is not plain
		// ASCII to its end.
		if text[i] < utf8.RuneSelf {
			tok, next := scanWord(text, i)
			if next <= i {
				i++
				continue
			}
			dst = appendToken(dst, tok, &sentence)
			i = next
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		// Modifier-letter apostrophes (ʼ ʻ) are letters to Go; outside a
		// word they separate, like the ASCII ones. A combining mark or a
		// zero-width joiner continues a word but never starts one.
		if isApostrophe(r) || !isWordRune(r) || isJoiner(r) {
			if sentenceEnd(r) {
				sentence = true
			}
			i += size
			continue
		}
		tok, next := scanWord(text, i)
		if next <= i {
			i += size // never stall, whatever scanWord made of it
			continue
		}
		dst = appendToken(dst, tok, &sentence)
		i = next
	}
	return dst
}

// asciiWords appends to dst, without growing it, the plain ASCII words of
// text from byte i, and returns dst, where it stopped and whether a
// sentence starts there. It stops at the end of text, when dst is full, at
// a non-ASCII byte outside a word, or at the start of a word that is not
// plain ASCII to its end. Its loop calls nothing, so its state stays in registers, and it
// reads a word eight bytes at a time: the bytes that belong to the word,
// their case and the hash of every prefix are computed without a branch,
// and the hash of the word's length taken, so a word's length costs no
// mispredicted branch.
func asciiWords(dst []Token, text string, i int, sentence bool) ([]Token, int, bool) {
	n := len(text)
	for i < n && len(dst) < cap(dst) {
		c := text[i]
		if c >= utf8.RuneSelf {
			break
		}
		cls := asciiClass[c]
		if cls <= clsApos {
			if cls == clsEnd {
				sentence = true
			}
			i++
			continue
		}
		// An ASCII word: fold and hash it in place.
		start := i
		h := uint64(fnvOffset)
		var upper, letters int
		for i+8 <= n {
			// Eight bytes at once: which open the word (k), which are
			// capitals and small letters, and the hash after each.
			x := load64(text, i)
			x7 := x &^ highs
			ascii := ^x & highs
			caps := between(x7, 'A', 'Z') & ascii
			alpha := between(x7|0x2020202020202020, 'a', 'z') & ascii
			word := alpha | between(x7, '0', '9')&ascii
			k := bits.TrailingZeros64(^word&highs) >> 3
			in := uint64(1)<<(uint(k)*8) - 1 // all bits for k == 8: the shift gives 0
			upper += bits.OnesCount64(caps & in)
			letters += bits.OnesCount64(alpha & in)
			lw := x | caps>>2
			var st [9]uint64 // st[j]: the hash after j bytes
			st[0] = h
			h = (h ^ lw&0xff) * fnvPrime
			st[1] = h
			h = (h ^ lw>>8&0xff) * fnvPrime
			st[2] = h
			h = (h ^ lw>>16&0xff) * fnvPrime
			st[3] = h
			h = (h ^ lw>>24&0xff) * fnvPrime
			st[4] = h
			h = (h ^ lw>>32&0xff) * fnvPrime
			st[5] = h
			h = (h ^ lw>>40&0xff) * fnvPrime
			st[6] = h
			h = (h ^ lw>>48&0xff) * fnvPrime
			st[7] = h
			h = (h ^ lw>>56) * fnvPrime
			st[8] = h
			h = st[k&15]
			i += k
			if k < 8 {
				break
			}
		}
		if i+8 > n {
			i, h, upper, letters = asciiTail(text, i, h, upper, letters)
		}
		if i < n && wordGoesOn[text[i]] {
			return dst, start, sentence // for the general scanner
		}
		flags := caseFlags(cls, upper, letters)
		if sentence {
			flags |= SentenceStart
			sentence = false
		}
		if h == hashI || h == hashE || h == hashYe {
			flags |= Connector
		}
		dst = dst[:len(dst)+1]
		dst[len(dst)-1] = Token{Start: int32(start), End: int32(i), Hash: h, Flags: flags}
	}
	return dst, i, sentence
}

// caseFlags are the flags of an ASCII word whose first byte is of class
// cls and that has upper capitals of its letters.
func caseFlags(cls uint8, upper, letters int) TokenFlags {
	var flags TokenFlags
	if cls == clsUpper {
		flags = Capitalised
	}
	if upper >= 2 && upper == letters {
		flags |= AllCaps
	}
	return flags
}

// asciiTail continues, one byte at a time, the word that asciiWords reads
// at text[i] within eight bytes of the end of text.
func asciiTail(text string, i int, h uint64, upper, letters int) (int, uint64, int, int) {
	for ; i < len(text); i++ {
		c := text[i]
		f := asciiFold[c]
		if f == 0 {
			break
		}
		if c > '9' {
			letters++
			if c <= 'Z' {
				upper++
			}
		}
		h = (h ^ uint64(f)) * fnvPrime
	}
	return i, h, upper, letters
}

// wordGoesOn marks the bytes after a run of ASCII letters and digits that
// may continue the word: an apostrophe or the first byte of a non-ASCII
// character.
var wordGoesOn = func() (t [256]bool) {
	t['\''], t['`'] = true, true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// load64 reads text[i:i+8] as a little-endian word.
func load64(text string, i int) uint64 {
	s := text[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// between returns, for each byte of x (each below 0x80), 0x80 when the
// byte is in [lo, hi] and 0 otherwise.
func between(x uint64, lo, hi byte) uint64 {
	return (x + (0x80-uint64(lo))*ones) &^ (x + (0x7f-uint64(hi))*ones) & highs
}

// appendToken sets the flags that depend on context and appends tok.
func appendToken(dst []Token, tok Token, sentence *bool) []Token {
	if *sentence {
		tok.Flags |= SentenceStart
		*sentence = false
	}
	if tok.Hash == hashI || tok.Hash == hashE || tok.Hash == hashYe {
		tok.Flags |= Connector
	}
	return append(dst, tok)
}

// scanWord reads the word starting at text[start] and returns it with the
// offset just past it.
func scanWord(text string, start int) (Token, int) {
	h := uint64(fnvOffset)
	upper, letters := 0, 0
	var flags TokenFlags
	i, end, n := start, start, len(text)
	first := true
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				if c >= 'a' {
					letters++
				}
				h = (h ^ uint64(c)) * fnvPrime
			case c >= 'A' && c <= 'Z':
				if first {
					flags |= Capitalised
				}
				upper++
				letters++
				h = (h ^ uint64(c+'a'-'A')) * fnvPrime
			case c == '\'' || c == '`':
				if skip, ok := apostropheInWord(text, start, i, 1); ok {
					i += skip
					continue
				}
				goto done
			default:
				goto done
			}
			first = false
			i++
			end = i
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isApostrophe(r) {
			if skip, ok := apostropheInWord(text, start, i, size); ok {
				i += skip
				continue
			}
			break
		}
		if !isWordRune(r) {
			break
		}
		if unicode.IsUpper(r) {
			if first {
				flags |= Capitalised
			}
			upper++
		}
		if unicode.IsLetter(r) {
			letters++
			flags |= scriptOf(r)
		}
		h = hashFolded(h, r)
		first = false
		i += size
		end = i
	}
done:
	if upper >= 2 && upper == letters {
		flags |= AllCaps
	}
	next := end
	if next < i {
		next = i
	}
	return Token{Start: int32(start), End: int32(end), Hash: h, Flags: flags}, next
}

// hashFolded adds the folded form of a non-ASCII rune r to the FNV-1a
// hash h: its fold-table spelling, or its lower case (joiners add nothing).
func hashFolded(h uint64, r rune) uint64 {
	if f, ok := foldRune(r); ok {
		for j := 0; j < len(f); j++ {
			h = (h ^ uint64(f[j])) * fnvPrime
		}
		return h
	}
	if isJoiner(r) {
		return h
	}
	var buf [utf8.UTFMax]byte
	l := utf8.EncodeRune(buf[:], unicode.ToLower(r))
	for j := 0; j < l; j++ {
		h = (h ^ uint64(buf[j])) * fnvPrime
	}
	return h
}

// apostropheInWord decides what an apostrophe of size bytes at text[i] does
// inside the word that starts at text[start]: it returns how many bytes to
// skip and true when the word goes on (Qal'ah) or the possessive 's is
// consumed (Taliban's), and false when the apostrophe ends the word, as it
// does after a French or Italian elided article or pronoun (l'Afghanistan,
// d'Herat, dell'Iran).
func apostropheInWord(text string, start, i, size int) (int, bool) {
	j := i + size
	if j >= len(text) {
		return 0, false
	}
	r, rs := utf8.DecodeRuneInString(text[j:])
	if !isWordRune(r) || elision(text[start:i]) {
		return 0, false
	}
	if (r == 's' || r == 'S') && !continuesWord(text[j+rs:]) {
		// Possessive: drop "'s" but keep the word's end where it was.
		return size + rs, true
	}
	return size, true
}

// elision reports whether w, before an apostrophe, is an elided French or
// Italian word that the apostrophe joins to the next one (l', d', qu',
// dell'): the next word is a word of its own.
func elision(w string) bool {
	if len(w) > 7 {
		return false
	}
	switch w {
	case "l", "d", "j", "m", "n", "s", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu",
		"L", "D", "J", "M", "N", "S", "C", "Qu", "QU", "Lorsqu", "Puisqu", "Jusqu",
		"dell", "nell", "all", "dall", "sull", "Dell", "Nell", "All", "Dall", "Sull":
		return true
	}
	return false
}

// continuesWord reports whether a word goes on with text: a letter, digit
// or mark, or an apostrophe and then one ("Qal'ah").
func continuesWord(text string) bool {
	if text == "" {
		return false
	}
	r, size := utf8.DecodeRuneInString(text)
	if isApostrophe(r) {
		r, _ = utf8.DecodeRuneInString(text[size:])
	}
	return isWordRune(r) && !isApostrophe(r)
}

// AppendFolded appends the folded form of text to dst: its words, lower case
// and without diacritics, separated by single spaces.
func AppendFolded(dst []byte, text string) []byte {
	bufp := tokenPool.Get().(*[]Token)
	toks := Tokenize((*bufp)[:0], text)
	start := len(dst)
	for _, t := range toks {
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		dst = appendFoldedWord(dst, text[t.Start:t.End])
	}
	if cap(toks) <= 1<<16 { // a huge text's buffer is not worth keeping
		*bufp = toks[:0]
		tokenPool.Put(bufp)
	}
	return dst
}

// tokenPool recycles token buffers for AppendFolded.
var tokenPool = sync.Pool{New: func() any { b := make([]Token, 0, 512); return &b }}

// Fold returns the folded form of s: its words, lower case, without
// diacritics, apostrophes or possessive 's, separated by single spaces,
// with the letter variants of the Arabic script made one (see
// letterVariant), tatweel and zero-width joiners dropped and Arabic-Indic
// digits read as digits; Cyrillic ё is е.
func Fold(s string) string { return string(AppendFolded(nil, s)) }

func appendFoldedWord(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			case asciiWord[c]:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		switch {
		case isApostrophe(r):
			// Dropped: a possessive 's is already outside the word.
		case isJoiner(r):
		default:
			if f, ok := foldRune(r); ok {
				dst = append(dst, f...)
			} else {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
		}
	}
	return dst
}

// FoldedWord returns the folded form of the word text[t.Start:t.End].
func FoldedWord(text string, t Token) string {
	return string(appendFoldedWord(nil, text[t.Start:t.End]))
}
