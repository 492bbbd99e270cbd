package corpus

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// XML namespaces a feed's own elements may be in. Elements of other
// namespaces (media:title, atom:link in RSS, ...) are not mistaken for them.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsAtom03  = "http://purl.org/atom/ns#"
	nsRSS10   = "http://purl.org/rss/1.0/"
	nsRSS090  = "http://my.netscape.com/rdf/simple/0.9/"
	nsRSS2    = "http://backend.userland.com/rss2"
	nsXML     = "http://www.w3.org/XML/1998/namespace"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
)

// ErrNotFeed is returned (wrapped) when XML is well formed but is not an
// RSS or Atom feed.
var ErrNotFeed = errors.New("not an RSS or Atom feed")

// feed is a parsed feed; text fields are plain text.
type feed struct {
	Title, Link, Language string
	Items                 []feedItem
}

// feedItem is an RSS item or Atom entry; text fields are plain text.
type feedItem struct {
	Title, Link, Summary, Content string
	Published, Updated            string
	ID, Source, Language          string
}

// feedParser walks one feed's tokens. Only the elements it reads are
// decoded; everything else is skipped.
type feedParser struct {
	d *xml.Decoder
	// main holds the namespaces of the feed's own vocabulary.
	main map[string]bool
	feedOptions
}

// feedOptions make a feedParser stream: each item goes to onItem as soon
// as it is read (with what the feed said of itself before it) instead of
// into feed.Items, and an item of more than max bytes is passed over (its
// text is not kept) and reported to tooBig with the line it starts on.
type feedOptions struct {
	max    int64
	onItem func(f *feed, it feedItem) error
	tooBig func(line int, size int64)
}

// item reads an item or entry with fill and hands it on, or reports it
// when it is over the size limit.
func (p *feedParser) item(f *feed, it feedItem, fill func(*feedItem) func(xml.StartElement) error) error {
	start := p.d.InputOffset()
	line, _ := p.d.InputPos()
	handler := fill(&it)
	over := false
	err := p.children(func(el xml.StartElement) error {
		if over {
			return p.d.Skip()
		}
		err := handler(el)
		if p.max > 0 && p.d.InputOffset()-start > p.max {
			over = true
		}
		return err
	})
	if err != nil {
		return err
	}
	if over {
		if p.tooBig != nil {
			p.tooBig(line, p.d.InputOffset()-start)
		}
		return nil
	}
	if p.onItem != nil {
		return p.onItem(f, it)
	}
	f.Items = append(f.Items, it)
	return nil
}

// parseFeed reads an RSS 0.9x, 1.0 (RDF) or 2.0 feed or an Atom 1.0 (or
// 0.3) feed. It tolerates undeclared HTML entities, unclosed elements and
// declared encodings other than UTF-8. Malformed XML gives an error wrapping
// the *xml.SyntaxError; XML that is no feed gives one wrapping ErrNotFeed.
func parseFeed(r io.Reader, opts feedOptions) (*feed, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	var root xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, fmt.Errorf("feed: %w: no root element", ErrNotFeed)
		}
		if err != nil {
			return nil, fmt.Errorf("feed: %w", err)
		}
		if s, ok := tok.(xml.StartElement); ok {
			root = s
			break
		}
	}
	p := &feedParser{d: d, main: map[string]bool{"": true, root.Name.Space: true}, feedOptions: opts}
	f := &feed{}
	var err error
	switch strings.ToLower(root.Name.Local) {
	case "rss", "rdf":
		p.main[nsRSS10], p.main[nsRSS090], p.main[nsRSS2] = true, true, true
		err = p.rss(f)
	case "feed":
		p.main[nsAtom], p.main[nsAtom03] = true, true
		f.Language = attr(root, nsXML, "lang")
		err = p.atom(f)
	default:
		return nil, fmt.Errorf("feed: %w: root element <%s>", ErrNotFeed, root.Name.Local)
	}
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return f, nil
}

// charsetReader decodes a feed that declares an encoding other than UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", label, err)
	}
	return e.NewDecoder().Reader(input), nil
}

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']`)

// declaresUTF8 reports whether an XML document is UTF-8: it declares no
// encoding, or UTF-8.
func declaresUTF8(data []byte) bool {
	m := xmlEncoding.FindSubmatch(data[:min(len(data), 512)])
	if m == nil {
		return true
	}
	e := strings.ToLower(string(m[1]))
	return e == "utf-8" || e == "utf8"
}

// is reports whether el is the feed's own element local.
func (p *feedParser) is(el xml.StartElement, local string) bool {
	return p.main[el.Name.Space] && strings.EqualFold(el.Name.Local, local)
}

// children calls fn for each child element of the element just started;
// fn must consume the child (read it or skip it). It returns at the
// element's end.
func (p *feedParser) children(fn func(el xml.StartElement) error) error {
	for {
		tok, err := p.d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// rss reads the rest of an <rss> or <rdf:RDF> document. RSS 1.0 puts items
// beside the channel rather than in it.
func (p *feedParser) rss(f *feed) error {
	var channel func(el xml.StartElement) error
	channel = func(el xml.StartElement) error {
		var err error
		switch {
		case p.is(el, "channel"):
			return p.children(channel)
		case p.is(el, "item"):
			err = p.item(f, feedItem{}, p.rssItem)
		case p.is(el, "title"):
			f.Title, err = p.text(false)
			f.Title = oneLine(htmlText(f.Title))
		case p.is(el, "link") && f.Link == "":
			f.Link, err = p.text(false)
			f.Link = strings.TrimSpace(f.Link)
		case strings.EqualFold(el.Name.Local, "language") && f.Language == "":
			f.Language, err = p.text(false)
			f.Language = strings.TrimSpace(f.Language)
		default:
			err = p.d.Skip()
		}
		return err
	}
	return p.children(channel)
}

// rssItem returns the child handler that fills an RSS item.
func (p *feedParser) rssItem(it *feedItem) func(el xml.StartElement) error {
	return func(el xml.StartElement) error {
		var (
			s   string
			err error
		)
		switch {
		case p.is(el, "title"):
			s, err = p.text(false)
			it.Title = oneLine(htmlText(s))
		case p.is(el, "link"):
			s, err = p.text(false)
			it.Link = strings.TrimSpace(s)
		case p.is(el, "description"):
			s, err = p.text(false)
			it.Summary = htmlText(s)
		case el.Name.Local == "encoded" && (el.Name.Space == nsContent || !p.main[el.Name.Space]):
			s, err = p.text(false)
			it.Content = htmlText(s)
		case p.is(el, "pubDate") || el.Name.Local == "published" || el.Name.Space == nsDC && el.Name.Local == "date":
			s, err = p.text(false)
			if it.Published == "" {
				it.Published = strings.TrimSpace(s)
			}
		case el.Name.Local == "updated" || el.Name.Space == nsDC && el.Name.Local == "modified":
			s, err = p.text(false)
			it.Updated = strings.TrimSpace(s)
		case p.is(el, "guid"):
			s, err = p.text(false)
			it.ID = strings.TrimSpace(s)
			if attr(el, "", "isPermaLink") != "false" && it.Link == "" && isHTTP(it.ID) {
				it.Link = it.ID
			}
		case p.is(el, "source"):
			s, err = p.text(false)
			it.Source = oneLine(htmlText(s))
		case el.Name.Local == "language" && el.Name.Space == nsDC:
			s, err = p.text(false)
			it.Language = strings.TrimSpace(s)
		default:
			err = p.d.Skip()
		}
		return err
	}
}

// atom reads the rest of an Atom <feed>.
func (p *feedParser) atom(f *feed) error {
	return p.children(func(el xml.StartElement) error {
		var err error
		switch {
		case p.is(el, "entry"):
			it := feedItem{Language: attr(el, nsXML, "lang")}
			if it.Language == "" {
				it.Language = f.Language
			}
			err = p.item(f, it, p.atomEntry)
		case p.is(el, "title"):
			f.Title, err = p.atomText(el)
			f.Title = oneLine(f.Title)
		case p.is(el, "link"):
			if href := attr(el, "", "href"); f.Link == "" && isAlternate(el) {
				f.Link = href
			}
			err = p.d.Skip()
		default:
			err = p.d.Skip()
		}
		return err
	})
}

// atomEntry returns the child handler that fills an Atom entry. The entry's
// link is its first alternate link, else its first link.
func (p *feedParser) atomEntry(it *feedItem) func(el xml.StartElement) error {
	alternate := false
	return func(el xml.StartElement) error {
		var (
			s   string
			err error
		)
		switch {
		case p.is(el, "title"):
			s, err = p.atomText(el)
			it.Title = oneLine(s)
		case p.is(el, "link"):
			if href := strings.TrimSpace(attr(el, "", "href")); href != "" && !alternate && (it.Link == "" || isAlternate(el)) {
				it.Link, alternate = href, isAlternate(el)
			}
			err = p.d.Skip()
		case p.is(el, "summary"):
			it.Summary, err = p.atomText(el)
		case p.is(el, "content"):
			if attr(el, "", "src") != "" {
				return p.d.Skip()
			}
			it.Content, err = p.atomText(el)
		case p.is(el, "published") || p.is(el, "issued") || p.is(el, "created"):
			s, err = p.text(false)
			if it.Published == "" {
				it.Published = strings.TrimSpace(s)
			}
		case p.is(el, "updated") || p.is(el, "modified"):
			s, err = p.text(false)
			it.Updated = strings.TrimSpace(s)
		case p.is(el, "id"):
			s, err = p.text(false)
			it.ID = strings.TrimSpace(s)
		case p.is(el, "source"):
			// An entry copied from another feed: that feed's title.
			err = p.children(func(el xml.StartElement) error {
				if p.is(el, "title") {
					s, err := p.atomText(el)
					it.Source = oneLine(s)
					return err
				}
				return p.d.Skip()
			})
		default:
			err = p.d.Skip()
		}
		return err
	}
}

// atomText reads an Atom text construct as plain text, by its type: text
// (the default), html (escaped markup) or xhtml (inline markup).
func (p *feedParser) atomText(el xml.StartElement) (string, error) {
	switch t := strings.ToLower(attr(el, "", "type")); {
	case t == "html" || t == "text/html":
		s, err := p.text(false)
		return htmlText(s), err
	case t == "xhtml" || strings.HasSuffix(t, "xhtml+xml"):
		s, err := p.text(true)
		return htmlText(s), err
	case t == "" || t == "text" || strings.HasPrefix(t, "text/"):
		s, err := p.text(false)
		return paragraphs(s), err
	default: // base64 media content: no text.
		return "", p.d.Skip()
	}
}

// text reads the content of the element just started as markup for
// htmlText: its character data (escaped when escape is set, as inline XHTML
// needs) and any nested elements as bare tags.
func (p *feedParser) text(escape bool) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := p.d.Token()
		if err != nil {
			return "", err
		}
		// Text past the size limit belongs to an item that is dropped
		// whole: it is not kept.
		full := p.max > 0 && int64(b.Len()) > p.max
		switch t := tok.(type) {
		case xml.CharData:
			if full {
				continue
			}
			if escape {
				b.WriteString(html.EscapeString(string(t)))
			} else {
				b.Write(t)
			}
		case xml.StartElement:
			depth++
			b.WriteString("<" + t.Name.Local + ">")
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
			b.WriteString("</" + t.Name.Local + ">")
		}
	}
}

// attr returns the value of el's attribute space:local ("" for none).
func attr(el xml.StartElement, space, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local && (a.Name.Space == space || space == nsXML && a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

// isAlternate reports whether an Atom link points at the entry's page.
func isAlternate(el xml.StartElement) bool {
	rel := attr(el, "", "rel")
	return rel == "" || rel == "alternate"
}

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// documents turns the feed's items into documents. source, when set, names
// the feed; otherwise an item's own source or the feed's title does.
// Relative links are resolved against the feed's link or base.
func (f *feed) documents(source string, base *url.URL) []Document {
	docs := make([]Document, 0, len(f.Items))
	for _, it := range f.Items {
		docs = append(docs, f.document(it, source, base))
	}
	return docs
}

// document turns one item into a document, as documents does.
func (f *feed) document(it feedItem, source string, base *url.URL) Document {
	if f.Link != "" {
		if u, err := resolve(base, f.Link); err == nil {
			base = u
		}
	}
	d := Document{Title: it.Title, Body: it.Content, Language: it.Language, Source: it.Source}
	if strings.TrimSpace(d.Body) == "" {
		d.Body = it.Summary
	}
	if d.Source == "" {
		d.Source = source
	}
	if d.Source == "" {
		d.Source = f.Title
	}
	if d.Language == "" {
		d.Language = f.Language
	}
	if it.Link != "" {
		if u, err := resolve(base, it.Link); err == nil {
			d.URL = u.String()
		}
	}
	for _, v := range []string{it.Published, it.Updated} {
		if t, err := ParseTime(v); err == nil {
			d.Published = t
			break
		}
	}
	return d
}

func resolve(base *url.URL, ref string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, fmt.Errorf("link %q: %w", ref, err)
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u, nil
}

// parseFeedFile reads a feed stored as a file.
func parseFeedFile(data []byte) ([]Document, error) {
	f, err := parseFeed(bytes.NewReader(data), feedOptions{})
	if err != nil {
		return nil, err
	}
	return f.documents("", nil), nil
}
