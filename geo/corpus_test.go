package geo

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

var (
	reutersOnce      sync.Once
	reutersStories   []dataset.ReutersStory
	reutersDatelines map[string]string
	reutersErr       error
)

// reuters returns the Reuters-21578 stories, skipping the test when the
// data set is absent.
func reuters(t testing.TB) []dataset.ReutersStory {
	t.Helper()
	dir, ok := dataset.Dir("reuters21578")
	if !ok {
		t.Skip("Reuters-21578 not found (set WIREWATCH_DATA)")
	}
	reutersOnce.Do(func() {
		reutersStories, reutersErr = dataset.Reuters(dir)
		if reutersErr == nil {
			reutersDatelines, reutersErr = datelines(dir)
		}
	})
	if reutersErr != nil {
		t.Fatal(reutersErr)
	}
	return reutersStories
}

var reDateline = regexp.MustCompile(`(?s)NEWID="(\d+)".*?<DATELINE>(.*?)</DATELINE>.*?</REUTERS>`)

// datelines reads the DATELINE of every story ("NEW YORK, March 3 - "),
// which the wire printed at the head of the body and the data set keeps
// apart; by NEWID.
func datelines(dir string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "reut2-*.sgm"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range reDateline.FindAllSubmatch(b, -1) {
			out[string(m[1])] = strings.TrimSpace(string(m[2]))
		}
	}
	return out, nil
}

func bbc(t testing.TB) []dataset.BBCArticle {
	t.Helper()
	dir, ok := dataset.Dir("bbc-news")
	if !ok {
		t.Skip("BBC News not found (set WIREWATCH_DATA)")
	}
	arts, err := dataset.BBC(dir)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// storyText is a story as the wire sent it: headline, then the dateline
// and the body.
func storyText(s dataset.ReutersStory) string {
	return s.Title + "\n" + reutersDatelines[s.NewID] + " " + s.Body
}

// A story that names Tokyo and no country is still tagged Japan: Tokyo
// rolls up.
func TestReutersTokyoRollsUpToJapan(t *testing.T) {
	m := defaultMatcher()
	for _, s := range reuters(t) {
		text := storyText(s)
		if !strings.Contains(text, "Tokyo") {
			continue
		}
		tags := m.tags(text)
		var tokyo *Tag
		countries := 0
		for i, tag := range tags {
			if tag.Place.Level == LevelCountry {
				countries++
			}
			if FoldName(tag.Text) == "tokyo" {
				tokyo = &tags[i]
			}
		}
		if tokyo == nil || countries > 0 {
			continue
		}
		c, ok := m.g.CountryOf(tokyo.Place)
		if !ok || c.Country != "JP" {
			t.Fatalf("story %s: Tokyo rolls up to %+v, %v", s.NewID, c, ok)
		}
		if !containsString(s.Places, "japan") {
			t.Errorf("story %s is not labelled japan: %v", s.NewID, s.Places)
		}
		t.Logf("story %s %q: Tokyo -> %s, %s", s.NewID, s.Title, c.Name, c.Country)
		return
	}
	t.Fatal("no story names Tokyo without naming a country")
}

// Real texts about mobile phones never tag Mobile, Alabama (4076598).
func TestMobilePhonesAreNotAlabama(t *testing.T) {
	m := defaultMatcher()
	found := 0
	check := func(src, text string) {
		if !strings.Contains(text, "mobile phones") {
			return
		}
		found++
		for _, tag := range m.tags(text) {
			if tag.Place.ID == 4076598 {
				t.Errorf("%s: %q tagged %s, %s", src, tag.Text, tag.Place.Name, tag.Place.Admin1)
			}
		}
	}
	for _, a := range bbc(t) {
		check("bbc/"+a.Path, a.Title+"\n"+a.Body)
	}
	for _, s := range reuters(t) {
		check("reuters/"+s.NewID, storyText(s))
	}
	if found < 10 {
		t.Fatalf("only %d texts mention mobile phones", found)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
