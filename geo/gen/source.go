package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/geo/internal/apos"
)

// Where a spelling comes from, the most trusted first.
const (
	srcPress   = iota // press.tsv
	srcPrimary        // the GeoNames name
	srcASCII          // the GeoNames ASCII name
	srcCLDR           // a CLDR country name in another language
	srcAlt            // a GeoNames alternate name
)

// place is a gazetteer place with what the generator needs to rank it.
type place struct {
	geo.Place
	// seat ranks a city as a seat of government: 0 national capital, 1
	// admin1 seat, 2 other.
	seat int
	// weight orders places of one name: the population, or for an admin1
	// region or a district the population of its cities.
	weight int64
}

// capital reports whether p is a national capital.
func (p *place) capital() bool { return p.Level == geo.LevelCity && p.seat == 0 }

// spelling is one name of one place (or of none: a blocker).
type spelling struct {
	text  string
	place int64 // 0 for a blocker
	src   int
	flags string // press.tsv flags
}

// source is everything read from the GeoNames files.
type source struct {
	places map[int64]*place
	codes  map[string]int64 // "AF", "AF.02", "AF.02.1901" -> id
	names  []spelling
}

// The GeoNames files read, in this order.
var geonamesFiles = []string{"countryInfo.txt", "admin1CodesASCII.txt", "admin2Codes.txt",
	"cities15000.txt", "AF_cities500.txt"}

func readGeoNames(dir string) (*source, error) {
	s := &source{places: map[int64]*place{}, codes: map[string]int64{}}
	if err := eachRow(filepath.Join(dir, "countryInfo.txt"), 17, s.country); err != nil {
		return nil, err
	}
	if err := eachRow(filepath.Join(dir, "admin1CodesASCII.txt"), 4, s.admin1); err != nil {
		return nil, err
	}
	if err := eachRow(filepath.Join(dir, "admin2Codes.txt"), 4, s.admin2); err != nil {
		return nil, err
	}
	for _, f := range geonamesFiles[3:] {
		if err := eachRow(filepath.Join(dir, f), 19, s.city); err != nil {
			return nil, err
		}
	}
	for _, p := range s.places {
		if p.Level != geo.LevelCity {
			continue
		}
		for _, code := range []string{p.Admin1, p.Admin2} {
			if a, ok := s.codes[code]; ok && code != "" {
				s.places[a].weight += p.Population
			}
		}
	}
	return s, nil
}

// eachRow calls fn with the tab-separated fields of every row of file that
// is not a comment, checking that it has at least n fields.
func eachRow(file string, n int, fn func(f []string) error) error {
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < n {
			return fmt.Errorf("gen: %s:%d: %d fields, want %d", file, line, len(f), n)
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("gen: %s:%d: %w", file, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("gen: %s: %w", file, err)
	}
	return nil
}

func (s *source) add(p *place, code string) error {
	if old, ok := s.places[p.ID]; ok {
		return fmt.Errorf("geonameid %d is both %q and %q", p.ID, old.Name, p.Name)
	}
	s.places[p.ID] = p
	if code != "" {
		s.codes[code] = p.ID
	}
	return nil
}

// spell adds GeoNames names of place id; names of fewer than three letters
// ("Ho", "Pa") are left out as they are for alternate names: press.tsv
// lists the short names worth keeping (US, UK).
func (s *source) spell(id int64, src int, texts ...string) {
	for _, t := range texts {
		if t = strings.TrimSpace(apos.Clean(t)); letterCount(t) >= 3 {
			s.names = append(s.names, spelling{text: t, place: id, src: src})
		}
	}
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// country reads a row of countryInfo.txt.
func (s *source) country(f []string) error {
	id, err := strconv.ParseInt(f[16], 10, 64)
	if err != nil {
		return err
	}
	pop, _ := strconv.ParseInt(f[7], 10, 64)
	p := &place{Place: geo.Place{ID: id, Name: f[4], Level: geo.LevelCountry, Country: f[0], Population: pop}, weight: pop}
	if err := s.add(p, f[0]); err != nil {
		return err
	}
	s.spell(id, srcPrimary, f[4])
	return nil
}

// admin1 reads a row of admin1CodesASCII.txt.
func (s *source) admin1(f []string) error {
	id, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return err
	}
	cc, _, _ := strings.Cut(f[0], ".")
	p := &place{Place: geo.Place{ID: id, Name: f[1], Level: geo.LevelAdmin1, Country: cc, Admin1: f[0]}}
	if err := s.add(p, f[0]); err != nil {
		return err
	}
	s.spell(id, srcPrimary, f[1])
	s.spell(id, srcASCII, f[2])
	return nil
}

// admin2 reads a row of admin2Codes.txt; only Afghan districts are kept.
func (s *source) admin2(f []string) error {
	if !strings.HasPrefix(f[0], "AF.") {
		return nil
	}
	id, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return err
	}
	a1 := f[0][:strings.LastIndexByte(f[0], '.')]
	p := &place{Place: geo.Place{ID: id, Name: f[1], Level: geo.LevelAdmin2, Country: "AF", Admin1: a1, Admin2: f[0]}}
	if err := s.add(p, f[0]); err != nil {
		return err
	}
	s.spell(id, srcPrimary, f[1])
	s.spell(id, srcASCII, f[2])
	return nil
}

// city reads a row of cities15000.txt or AF_cities500.txt. A city read
// twice keeps its first row's data and gains the second row's names.
func (s *source) city(f []string) error {
	id, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return err
	}
	cc := f[8]
	if _, ok := s.places[id]; !ok {
		pop, _ := strconv.ParseInt(f[14], 10, 64)
		p := &place{Place: geo.Place{ID: id, Name: f[1], Level: geo.LevelCity, Country: cc, Population: pop}, weight: pop, seat: 2}
		switch f[7] {
		case "PPLC":
			p.seat = 0
		case "PPLA":
			p.seat = 1
		}
		if a1 := cc + "." + f[10]; f[10] != "" {
			if _, ok := s.codes[a1]; ok {
				p.Admin1 = a1
				if a2 := a1 + "." + f[11]; f[11] != "" {
					if _, ok := s.codes[a2]; ok {
						p.Admin2 = a2
					}
				}
			}
		}
		if err := s.add(p, ""); err != nil {
			return err
		}
	}
	s.spell(id, srcPrimary, f[1])
	s.spell(id, srcASCII, f[2])
	for _, a := range strings.Split(f[3], ",") {
		if keepAlternate(a) {
			s.spell(id, srcAlt, a)
		}
	}
	return nil
}
