// Package corpus defines the news document model, the sources that produce
// documents (directories of files, RSS/Atom feeds) and the text normalisation
// every other package matches on.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Document is one article read from a source.
type Document struct {
	// ID identifies the document's content: the hex SHA-256 prefix of its
	// normalised title and body. Exact duplicates share an ID.
	ID string `json:"id"`
	// Source names where the document came from: the outlet when known,
	// otherwise the source (a directory or feed) that read it.
	Source string `json:"source"`
	// Path is the file that held the document ("" for feeds). A document
	// with several paths lists them all in Paths; Path is the first.
	Path  string   `json:"path,omitempty"`
	Paths []string `json:"paths,omitempty"`
	// URL links to the article when known.
	URL   string `json:"url,omitempty"`
	Title string `json:"title"`
	// Published is when the article was published. When the document
	// carried no date, it is the file's modification time (or the time the
	// feed was read) and DateFromFile is true.
	Published    time.Time `json:"published"`
	DateFromFile bool      `json:"date_from_file,omitempty"`
	// TitleDerived is true when the title was made from the first words of
	// the body because the document had no headline.
	TitleDerived bool   `json:"title_derived,omitempty"`
	Body         string `json:"body"`
	Language     string `json:"language,omitempty"`
}

// Text is the text that rules match against: the title, a newline, the body.
// Match offsets are byte offsets into this string.
func (d *Document) Text() string {
	if d.Title == "" || d.TitleDerived {
		return d.Body
	}
	return d.Title + "\n" + d.Body
}

// ContentID returns the ID of a document whose Text is text: the first 16
// bytes, hex, of the SHA-256 of the normalised text. Whitespace, case,
// punctuation and diacritics do not change it, so exact copies share it.
func ContentID(text string) string {
	sum := sha256.Sum256(AppendFolded(make([]byte, 0, len(text)), text))
	return hex.EncodeToString(sum[:16])
}
