// Command gen builds wirewatch's embedded gazetteer, geo/data/gazetteer.tsv.gz,
// from GeoNames extracts, CLDR's country names in every language, the curated
// press spellings in press.tsv and scripts.tsv (Dari, Pashto, Russian, Urdu
// and the neighbours' official scripts), and word
// statistics of the Reuters-21578 and BBC News corpora (which names are
// also ordinary words). The output is the same bytes for the same inputs.
//
//	go run ./geo/gen [-geonames DIR] [-reuters DIR] [-bbc DIR] [-out FILE]
//
// The data folders default to ../shared/data/{geonames,reuters21578,bbc-news}
// relative to the repository (or $WIREWATCH_DATA).
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.geonames, "geonames", defaultDir("geonames"), "folder of the GeoNames extracts")
	flag.StringVar(&cfg.reuters, "reuters", defaultDir("reuters21578"), "folder of Reuters-21578 (reut2-*.sgm)")
	flag.StringVar(&cfg.bbc, "bbc", defaultDir("bbc-news"), "folder of the BBC News data set (holding bbc/)")
	flag.StringVar(&cfg.press, "press", filepath.Join(srcDir(), "press.tsv"), "curated press spellings")
	flag.StringVar(&cfg.scripts, "scripts", filepath.Join(srcDir(), "scripts.tsv"), "curated names in Arabic script and Cyrillic")
	flag.StringVar(&cfg.common, "common", filepath.Join(srcDir(), "common.txt"), "names that are ordinary words, by hand")
	flag.StringVar(&cfg.out, "out", filepath.Join(srcDir(), "..", "data", "gazetteer.tsv.gz"), "output file")
	flag.BoolVar(&cfg.report, "report", false, "print the names marked Common and why, on stderr")
	flag.Parse()
	if err := run(cfg); err != nil {
		slog.Error("gen failed", "err", err)
		os.Exit(1)
	}
}

type config struct {
	geonames, reuters, bbc string
	press, scripts, common string
	out                    string
	report                 bool
}

func run(cfg config) error {
	f, err := os.CreateTemp(filepath.Dir(cfg.out), ".gazetteer-*")
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer os.Remove(f.Name())
	st, err := generate(cfg, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), cfg.out); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	slog.Info("gazetteer written", "file", cfg.out, "places", st.places, "names", st.names,
		"common", st.common, "bytes", st.bytes)
	return nil
}

// defaultDir finds a data folder the way the tests do; it returns a path
// that does not exist when the folder cannot be found, so that the error
// names where it was looked for.
func defaultDir(name string) string {
	if d, ok := dataset.Dir(name); ok {
		return d
	}
	return filepath.Join("..", "shared", "data", name)
}

// srcDir is this command's folder, geo/gen under the repository root found
// above the working directory (the working directory when there is none).
func srcDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "geo", "gen")
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}
