// Command newsgen writes news corpora as .jsonl files for wirewatch's
// ingest benchmarks (docs/benchmarks/ingest.md):
//
//	go run ./internal/synth/newsgen -kind reuters -o reuters.jsonl
//	go run ./internal/synth/newsgen -kind synthetic -n 1000000 -o news-1m.jsonl
//	go run ./internal/synth/newsgen -kind bulletins -n 4000 -o bulletins.jsonl
//
// reuters is every Reuters-21578 story with a body (19,043), as the wire
// dated them. synthetic is a corpus of any size made from Reuters-21578 and
// BBC News: article texts drawn from a word model of both, varied ids and
// dates, and a share of near-copies (light edits of a recent article) and
// exact duplicates, so matching, copy detection and storage all do the work
// they do on real news. bulletins is a run of one-template market reports
// that differ only in their figures. Output is deterministic for a seed.
// The data sets are read from WIREWATCH_DATA or ../shared/data.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "newsgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("newsgen", flag.ContinueOnError)
	kind := fs.String("kind", "synthetic", "reuters, synthetic or bulletins")
	n := fs.Int("n", 1_000_000, "documents to write (synthetic, bulletins)")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("o", "", "output file (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	rw := newRecordWriter(w)
	var err error
	switch *kind {
	case "reuters":
		err = writeReuters(rw)
	case "synthetic":
		err = writeSynthetic(rw, *n, *seed)
	case "bulletins":
		err = writeBulletins(rw, *n, *seed)
	default:
		return fmt.Errorf("unknown -kind %q: want reuters, synthetic or bulletins", *kind)
	}
	if err != nil {
		return err
	}
	if err := rw.flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "newsgen: %d records\n", rw.n)
	return nil
}

func reutersStories() ([]dataset.ReutersStory, error) {
	dir, ok := dataset.Dir("reuters21578")
	if !ok {
		return nil, fmt.Errorf("reuters21578 not found: set WIREWATCH_DATA to the folder holding it")
	}
	return dataset.Reuters(dir)
}

func writeReuters(rw *recordWriter) error {
	stories, err := reutersStories()
	if err != nil {
		return err
	}
	for _, r := range reutersRecords(stories) {
		if err := rw.write(r); err != nil {
			return err
		}
	}
	return nil
}
