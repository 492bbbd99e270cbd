package corpus

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"time"
)

// DefaultMaxSize is the largest file, in bytes, that is read when
// Parser.MaxSize is zero.
const DefaultMaxSize = 5 << 20

// Format is a kind of file the parser reads.
type Format string

// Formats, by file extension.
const (
	// FormatText is .txt: an optional " date YYYY-MM-DD " prefix, an
	// optional headline line, then the body.
	FormatText Format = "text"
	// FormatMarkdown is .md: as FormatText, and a "# Title" first line is
	// the headline.
	FormatMarkdown Format = "markdown"
	// FormatJSON is .json: one article object or an array of them.
	FormatJSON Format = "json"
	// FormatJSONL is .jsonl (or .ndjson): one article object per line.
	FormatJSONL Format = "jsonl"
	// FormatFeed is .xml, .rss or .atom: an RSS 0.9x/1.0/2.0 or Atom feed.
	FormatFeed Format = "feed"
)

var formats = map[string]Format{
	".txt":    FormatText,
	".md":     FormatMarkdown,
	".json":   FormatJSON,
	".jsonl":  FormatJSONL,
	".ndjson": FormatJSONL,
	".xml":    FormatFeed,
	".rss":    FormatFeed,
	".atom":   FormatFeed,
}

// FormatOf returns the format of a file by its extension (case does not
// matter) and false when the parser does not read such files.
func FormatOf(path string) (Format, bool) {
	f, ok := formats[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

// Parser turns files into documents. The zero value is ready to use; a
// Parser is safe for concurrent use once configured.
type Parser struct {
	// MaxSize is the largest file read, in bytes (DefaultMaxSize when zero).
	MaxSize int64
	// Logger receives one line per skipped file or record
	// (slog.Default() when nil).
	Logger *slog.Logger
}

func (p *Parser) maxSize() int64 {
	if p == nil || p.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return p.MaxSize
}

func (p *Parser) logger() *slog.Logger {
	if p == nil || p.Logger == nil {
		return slog.Default()
	}
	return p.Logger
}

// Parse reads the documents of a file with the default Parser. See
// Parser.Parse.
func Parse(path string, data []byte, modTime time.Time) ([]Document, error) {
	var p Parser
	return p.Parse(path, data, modTime)
}

// Parse returns the documents that the file at path, holding data, contains.
// The format follows the extension (see FormatOf). Every document has its
// ID (ContentID of its Text), Path, Source, Title and a UTC Published time:
// a document without a date gets modTime and DateFromFile. Source is the
// document's own source (a "source" field, the feed's title) or else the
// name of the directory holding the file ("file" when there is none).
//
// A document dated more than MaxFutureSkew after modTime gets modTime
// instead, with a log line.
//
// A file that cannot be read as documents (empty, over MaxSize, binary,
// not UTF-8, of an unsupported type, malformed, without text) gives a
// *SkipError and no documents. In .json arrays and .jsonl files a bad
// record is logged (file:line) and skipped and the others are kept.
func (p *Parser) Parse(path string, data []byte, modTime time.Time) ([]Document, error) {
	return p.parse(path, data, modTime, modTime)
}

// parse is Parse with the date of undated documents (fallback: the file's
// time, or what its folder's manifest records) apart from the time the
// file was written (modTime), after which no date may lie too far.
func (p *Parser) parse(path string, data []byte, fallback, modTime time.Time) ([]Document, error) {
	format, ok := FormatOf(path)
	if !ok {
		return nil, skip(path, ReasonUnsupported, nil)
	}
	if format == FormatJSONL {
		// The size limit applies to each line, not to the file.
		var docs []Document
		_, err := p.readJSONL(path, bytes.NewReader(data), fallback, modTime, func(d Document) error {
			docs = append(docs, d)
			return nil
		})
		return docs, err
	}
	data, enc, err := decodeFile(data, format == FormatFeed)
	if err != nil {
		return nil, skip(path, ReasonMalformed, err)
	}
	if enc != EncodingUTF8 {
		p.logger().Info("corpus: file is not UTF-8; decoded", "path", path, "encoding", enc)
	}
	if reason := checkText(data, p.maxSize()); reason != "" {
		return nil, skip(path, reason, nil)
	}
	var docs []Document
	switch format {
	case FormatText, FormatMarkdown:
		var d Document
		if d, ok = parsePlain(string(data), format == FormatMarkdown); ok {
			attribute(&d, modTime)
			docs = []Document{d}
		}
	case FormatJSON:
		docs, err = p.parseJSON(path, data)
	case FormatFeed:
		docs, err = parseFeedFile(data)
	}
	if err != nil {
		return nil, skip(path, ReasonMalformed, err)
	}
	docs = finish(docs, path, sourceFromPath(path), fallback)
	if len(docs) == 0 {
		return nil, skip(path, ReasonNoText, nil)
	}
	clampFuture(docs, modTime, func(d Document, claimed time.Time) {
		p.logger().Warn("corpus: publication date is in the future; using the file's time instead",
			"path", path, "title", d.Title, "date", claimed, "file_time", d.Published)
	})
	return docs, nil
}

// attribute applies what a plain-text article says of itself (Attribute):
// its outlet becomes its Source, and an undated article takes its
// dateline's date, the year from the file's time when the dateline gives
// none.
func attribute(d *Document, modTime time.Time) {
	a := Attribute(d.Body)
	if a.Outlet != "" {
		d.Source = a.Outlet
	}
	if d.Published.IsZero() {
		if t, ok := a.Dateline.Date(modTime); ok {
			d.Published = t
		}
	}
}

// sourceFromPath is the Source of a document that names none: the base name
// of the directory that holds the file.
func sourceFromPath(path string) string {
	dir := filepath.Base(filepath.Dir(path))
	if dir == "." || dir == ".." || dir == string(filepath.Separator) || dir == "" {
		return "file"
	}
	return dir
}

// finish completes parsed documents in place: it cleans the text, derives
// missing titles, fills Path, Source, dates and ID, and drops documents
// without text (not a single letter or digit). A zero Published becomes fallback with DateFromFile.
func finish(docs []Document, path, source string, fallback time.Time) []Document {
	out := docs[:0]
	for _, d := range docs {
		d.Body = paragraphs(cleanText(d.Body))
		d.Title = oneLine(cleanText(d.Title))
		if d.Title == "" {
			d.Title, d.TitleDerived = deriveTitle(d.Body), true
		}
		if !hasWord(d.Text()) {
			continue
		}
		d.Path = path
		if d.Source = oneLine(cleanText(d.Source)); d.Source == "" {
			d.Source = source
		}
		d.URL = strings.TrimSpace(cleanText(d.URL))
		d.Language = strings.TrimSpace(cleanText(d.Language))
		if d.Published.IsZero() {
			d.Published, d.DateFromFile = fallback, true
		}
		d.Published = d.Published.UTC()
		d.ID = ContentID(d.Text())
		out = append(out, d)
	}
	return out
}
