// Package synth generates a labelled near-duplicate test set from real news
// articles: originals, copies of them made the way outlets syndicate a wire
// story, same-story rewrites that are not copies, and unrelated articles.
// Generation is deterministic for a given seed and input.
package synth

import (
	"strings"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

// Article is a source article split into paragraphs.
type Article struct {
	// ID names the article in its corpus: "reuters/123", "bbc/tech/004.txt".
	ID    string
	Title string
	// Paragraphs hold the body, one paragraph each, lines joined.
	Paragraphs []string
	// Labels are the corpus's own labels: Reuters places, the BBC topic.
	// Articles sharing a label are about related things.
	Labels []string
}

// Text returns the article as a document text: the title, a newline, the
// paragraphs separated by blank lines.
func (a *Article) Text() string {
	var b strings.Builder
	if a.Title != "" {
		b.WriteString(a.Title)
		b.WriteString("\n")
	}
	for i, p := range a.Paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	return b.String()
}

// Words returns the number of space-separated words in the body.
func (a *Article) Words() int {
	n := 0
	for _, p := range a.Paragraphs {
		n += len(strings.Fields(p))
	}
	return n
}

// FromReuters converts Reuters stories with a body; a paragraph starts at
// each indented line.
func FromReuters(stories []dataset.ReutersStory) []Article {
	var out []Article
	for _, s := range stories {
		if s.Body == "" {
			continue
		}
		var paras []string
		for _, p := range strings.Split(s.Body, "\n    ") {
			if p = strings.Join(strings.Fields(p), " "); p != "" {
				paras = append(paras, p)
			}
		}
		out = append(out, Article{
			ID:         "reuters/" + s.NewID,
			Title:      titleCase(s.Title),
			Paragraphs: paras,
			Labels:     prefixed("place:", s.Places),
		})
	}
	return out
}

// FromBBC converts BBC articles; paragraphs are separated by blank lines.
// Articles that are not valid UTF-8 (empty Title and Body) are skipped.
func FromBBC(arts []dataset.BBCArticle) []Article {
	var out []Article
	for _, a := range arts {
		if a.Body == "" {
			continue
		}
		var paras []string
		for _, p := range strings.Split(a.Body, "\n\n") {
			if p = strings.Join(strings.Fields(p), " "); p != "" {
				paras = append(paras, p)
			}
		}
		topic, _, _ := strings.Cut(a.Path, "/")
		out = append(out, Article{
			ID:         "bbc/" + a.Path,
			Title:      a.Title,
			Paragraphs: paras,
			Labels:     []string{"topic:" + topic},
		})
	}
	return out
}

func prefixed(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}

// titleCase turns an all-caps Reuters headline into title case.
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
