package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// readPress adds the curated spellings of press.tsv to s. Each line is
//
//	REF <tab> spelling; spelling; ... [<tab> flags]
//
// where REF is an ISO country code ("AF"), an admin1 or admin2 code
// ("AF.02", "AF.02.1901"), a geonameid, or "-" for blockers: phrases that
// name no place but hide a shorter name inside them ("Latin America").
// A spelling written "=Name" also becomes the place's display name. flags
// is a space-separated list of upper (counts only in capitals), demonym
// (a nationality word) and common (an ordinary word too).
func readPress(file string, s *source) error {
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		if err := s.pressLine(sc.Text()); err != nil {
			return fmt.Errorf("gen: %s:%d: %w", file, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("gen: %s: %w", file, err)
	}
	return nil
}

func (s *source) pressLine(l string) error {
	if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
		return nil
	}
	f := strings.Split(l, "\t")
	if len(f) < 2 || len(f) > 3 {
		return fmt.Errorf("want REF<tab>spellings[<tab>flags], got %d fields", len(f))
	}
	var id int64
	if ref := f[0]; ref != "-" {
		var err error
		if id, err = s.ref(ref); err != nil {
			return err
		}
	}
	flags := ""
	if len(f) == 3 {
		for _, fl := range strings.Fields(f[2]) {
			switch fl {
			case "upper", "demonym", "common":
				flags += fl[:1]
			default:
				return fmt.Errorf("unknown flag %q", fl)
			}
		}
	}
	for _, t := range strings.Split(f[1], ";") {
		t = strings.TrimSpace(t)
		if d, ok := strings.CutPrefix(t, "="); ok {
			if id == 0 {
				return fmt.Errorf("a blocker has no display name: %q", t)
			}
			t = d
			s.places[id].Name = d
		}
		if t == "" || strings.ContainsAny(t, ",\t") {
			return fmt.Errorf("bad spelling %q", t)
		}
		s.names = append(s.names, spelling{text: t, place: id, src: srcPress, flags: flags})
	}
	return nil
}

// ref finds the place a press.tsv reference names.
func (s *source) ref(ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if _, ok := s.places[id]; !ok {
			return 0, fmt.Errorf("no place with geonameid %d", id)
		}
		return id, nil
	}
	id, ok := s.codes[ref]
	if !ok {
		return 0, fmt.Errorf("no place with code %q", ref)
	}
	return id, nil
}

// readCommon reads the hand list of names that are ordinary words: one name
// a line, folded with geo.FoldName by the caller; a line "!name" says the
// name is never Common whatever the corpus statistics say.
func readCommon(file string) (common, never []string, err error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("gen: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		if n, ok := strings.CutPrefix(l, "!"); ok {
			never = append(never, n)
		} else {
			common = append(common, l)
		}
	}
	return common, never, nil
}
