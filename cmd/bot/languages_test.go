package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// languageRules is the sample rule with keywords in Dari, Pashto and
// Russian added (حمله: attack, برید: attack, штурм: storming).
const languageRules = `
channels:
  ops: {console: true}
rules:
  - name: provincial-capital-assault
    keywords:
      any: [assault, offensive, stormed, seized, "all-out assault", captured, حمله, برید, штурм]
    regions: [badghis]
    channels: [ops]
`

// Dari, Pashto and Russian reports of the Qala-i-Naw assault are tagged
// Badghis and Afghanistan, join the seeds' story, and are listed by
// /latest badghis and /latest بادغیس.
func TestReportsInOtherLanguagesJoinTheStory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seeds, _ := filepath.Glob("../../examples/corpus/*.txt")
	others := []string{"fa-badghis.txt", "ps-badghis.txt", "ru-badghis.txt"}
	for _, f := range append(seeds, others...) {
		src := f
		if !strings.Contains(f, "/") {
			src = filepath.Join("..", "..", "rules", "testdata", "languages", f)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rulesFile := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rulesFile, []byte(languageRules), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := testEnv(t, map[string]string{"BOT_RULES": rulesFile, "BOT_CORPUS_DIR": dir})
	code, out, errs := runMain(t, getenv, "scan", "--json")
	if code != 0 {
		t.Fatalf("scan: exit %d: %s", code, errs)
	}
	stories := map[string]int64{}
	titles := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var d scanLine
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		name := filepath.Base(d.Path)
		stories[name], titles[name] = d.Story, d.Title
		var badghis, afghanistan bool
		for _, r := range d.Regions {
			badghis = badghis || r.Level == "admin1" && r.Admin1 == "AF.02"
			afghanistan = afghanistan || r.Level == "country" && r.Country == "AF" && r.Name == "Afghanistan"
		}
		if !badghis || !afghanistan {
			t.Errorf("%s: regions %+v lack Badghis (admin1) or Afghanistan", name, d.Regions)
		}
	}
	seedStory := stories["000_e6838cd641e1a9de.txt"]
	for _, f := range others {
		if stories[f] == 0 || stories[f] != seedStory {
			t.Errorf("%s in story %d, the seeds in %d", f, stories[f], seedStory)
		}
	}
	for _, q := range []string{"badghis", "بادغیس", "Бадгис"} {
		code, out, errs := runMain(t, getenv, "latest", q, "-n", "20")
		if code != 0 {
			t.Fatalf("latest %s: exit %d: %s", q, code, errs)
		}
		for _, f := range others {
			if !strings.Contains(out, titles[f]) {
				t.Errorf("latest %s lacks %s (%q):\n%s", q, f, titles[f], out)
			}
		}
	}
}
