package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Field names read from article objects, case-insensitively, each in order
// of preference: the first present and non-empty wins.
var (
	titleFields     = []string{"title", "headline"}
	bodyFields      = []string{"body", "text", "content", "description"}
	publishedFields = []string{"published", "published_at", "publishedat", "date", "pubdate"}
	urlFields       = []string{"url", "link"}
	sourceFields    = []string{"source"}
	languageFields  = []string{"language", "lang"}
)

// parseJSON reads a .json file: one article object or an array of them. A
// bad element of an array is logged and skipped.
func (p *Parser) parseJSON(path string, data []byte) ([]Document, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, jsonError(err)
		}
		docs := make([]Document, 0, len(items))
		for i, raw := range items {
			at := fmt.Sprintf("%s[%d]", path, i)
			d, err := decodeArticle(raw, p.warnDate(at))
			if err != nil {
				p.logger().Warn("corpus: skipped bad record", "at", at, "err", err)
				continue
			}
			docs = append(docs, d)
		}
		if len(docs) == 0 && len(items) > 0 {
			return nil, errors.New("json: no valid article in the array")
		}
		return docs, nil
	}
	d, err := decodeArticle(data, p.warnDate(path))
	if err != nil {
		return nil, err
	}
	return []Document{d}, nil
}

// warnDate returns a function that logs an unreadable date of the record at.
func (p *Parser) warnDate(at string) func(error) {
	return func(err error) {
		p.logger().Warn("corpus: unreadable date, using the file's time", "at", at, "err", err)
	}
}

// decodeArticle reads one article object. Field names match without regard
// to case; fields it does not know are ignored; a body in HTML is turned
// into plain text. A publication time it cannot read is passed to warn and
// left zero.
func decodeArticle(raw []byte, warn func(error)) (Document, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Document{}, jsonError(err)
	}
	if obj == nil {
		return Document{}, errors.New("json: not an object")
	}
	fields := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		// "title" wins over "Title" when both are present.
		lk := strings.ToLower(k)
		if _, dup := fields[lk]; !dup || k == lk {
			fields[lk] = v
		}
	}
	var d Document
	var err error
	str := func(names []string) string {
		for _, name := range names {
			v, ok := fields[name]
			if !ok || err != nil {
				continue
			}
			var s string
			if s, err = jsonString(name, v); s != "" {
				return s
			}
		}
		return ""
	}
	d.Title = str(titleFields)
	if d.Body = str(bodyFields); looksLikeHTML(d.Body) {
		d.Body = htmlText(d.Body)
	}
	d.URL = str(urlFields)
	d.Language = str(languageFields)
	if err != nil {
		return Document{}, err
	}
	if strings.TrimSpace(d.Title) == "" && strings.TrimSpace(d.Body) == "" {
		return Document{}, errors.New("no title and no body or text")
	}
	if d.Source, err = jsonSource(fields); err != nil {
		return Document{}, err
	}
	if d.Published, err = jsonTime(fields); err != nil {
		// The article is still worth reading: it gets the file's date.
		warn(err)
	}
	return d, nil
}

// jsonString decodes a string field; null is "".
func jsonString(name string, v json.RawMessage) (string, error) {
	var s *string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("field %q: want a string: %w", name, err)
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// jsonSource reads "source" as a string or as an object with a "name"
// (the NewsAPI form).
func jsonSource(fields map[string]json.RawMessage) (string, error) {
	for _, name := range sourceFields {
		v, ok := fields[name]
		if !ok {
			continue
		}
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '{' {
			var src struct {
				Name string `json:"name"`
			}
			if err := json.Unmarshal(t, &src); err != nil {
				return "", fmt.Errorf("field %q: %w", name, err)
			}
			return src.Name, nil
		}
		return jsonString(name, v)
	}
	return "", nil
}

// jsonTime reads the publication time: a string ParseTime reads, or a
// number of seconds since 1970. A missing or null field gives the zero
// time; a value it cannot read is an error.
func jsonTime(fields map[string]json.RawMessage) (time.Time, error) {
	for _, name := range publishedFields {
		v, ok := fields[name]
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		if string(v) == "null" {
			continue
		}
		if len(v) > 0 && v[0] != '"' {
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil || f < 0 || f > math.MaxInt32*4 {
				return time.Time{}, fmt.Errorf("field %q: want a date or seconds since 1970, got %s", name, v)
			}
			sec, frac := math.Modf(f)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
		}
		s, err := jsonString(name, v)
		if err != nil {
			return time.Time{}, err
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		t, err := ParseTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("field %q: %w", name, err)
		}
		return t, nil
	}
	return time.Time{}, nil
}

// htmlMarks are the tags that give away a body written in HTML.
var htmlMarks = []string{"<p>", "<p ", "</p>", "<br", "</div>", "</a>", "</li>"}

// looksLikeHTML reports whether s holds common HTML tags.
func looksLikeHTML(s string) bool {
	if !strings.Contains(s, "<") {
		return false
	}
	l := strings.ToLower(s)
	for _, m := range htmlMarks {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// jsonError says once that err is about JSON: some of encoding/json's
// messages start with "json: " and some do not.
func jsonError(err error) error {
	if strings.HasPrefix(err.Error(), "json: ") {
		return err
	}
	return fmt.Errorf("json: %w", err)
}
