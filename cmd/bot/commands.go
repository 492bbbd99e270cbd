package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Check validates rules.yaml: every problem as FILE:LINE:COL: message, and
// exit 1 when there is one.
func (e *Env) Check(args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	path := fs.String("rules", e.Config.Rules, "rules file to check")
	if _, err := parseInterleaved(fs, args); err != nil {
		return errUsage
	}
	cfg, _, err := loadRules(*path)
	if err != nil {
		var list rules.ErrorList
		if errors.As(err, &list) {
			for _, le := range list {
				fmt.Fprintln(e.Stdout, le.Error())
			}
			return &exitError{code: 1, err: fmt.Errorf("%s: %s", *path, english.Plural(len(list), "problem"))}
		}
		return &exitError{code: 1, err: err}
	}
	fmt.Fprintf(e.Stdout, "%s: ok (%s, %s, %s, %s)\n", *path, english.Plural(len(cfg.Rules), "rule"),
		english.Plural(len(cfg.Channels), "channel"), english.Plural(len(cfg.Regions), "region"), english.Plural(len(cfg.Digests), "digest"))
	return nil
}

// scanJSON is one line of `bot scan --json`.
type scanJSON struct {
	ID           string            `json:"id"`
	Path         string            `json:"path,omitempty"`
	Paths        []string          `json:"paths,omitempty"`
	URL          string            `json:"url,omitempty"`
	Source       string            `json:"source"`
	Title        string            `json:"title"`
	Published    time.Time         `json:"published"`
	DateFromFile bool              `json:"date_from_file,omitempty"`
	Regions      []regionJSON      `json:"regions"`
	Matches      []corpus.DocMatch `json:"matches"`
	CopyOf       string            `json:"copy_of,omitempty"`
	Story        int64             `json:"story,omitempty"`
	Stories      map[string]int64  `json:"stories,omitempty"`
}

type regionJSON struct {
	Name       string `json:"name"`
	Level      string `json:"level"`
	Admin1     string `json:"admin1,omitempty"`
	Admin1Name string `json:"admin1_name,omitempty"`
	Country    string `json:"country"`
	Text       string `json:"text,omitempty"`
}

// regionsOf lists a document's places rolled up: each place, then its
// admin1 region and its country, once each.
func regionsOf(a corpus.Analysis, gaz *geo.Gazetteer) []regionJSON {
	out := []regionJSON{}
	seen := map[string]bool{}
	add := func(r regionJSON) {
		k := r.Level + "|" + r.Admin1 + "|" + r.Country
		if r.Level == "city" || r.Level == "admin2" {
			k += "|" + r.Name
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	for _, r := range a.Regions {
		add(regionJSON{Name: r.Name, Level: r.Level, Admin1: r.Admin1, Admin1Name: r.Admin1Name, Country: r.Country, Text: r.Text})
	}
	for _, r := range a.Regions {
		if r.Admin1 != "" && r.Level != "admin1" {
			add(regionJSON{Name: r.Admin1Name, Level: "admin1", Admin1: r.Admin1, Admin1Name: r.Admin1Name, Country: r.Country})
		}
	}
	for _, r := range a.Regions {
		if r.Level != "country" {
			name := r.Country
			if ps := gaz.Lookup(r.Country); len(ps) > 0 && ps[0].Level == geo.LevelCountry && ps[0].Country == r.Country {
				name = ps[0].Name
			}
			add(regionJSON{Name: name, Level: "country", Country: r.Country})
		}
	}
	return out
}

// Scan runs one pass over the corpus (or the paths given). With --dry-run
// it works on a throwaway store and sends nothing; otherwise it stores the
// documents and enqueues their alerts for the next `bot run` to deliver.
func (e *Env) Scan(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	dry := fs.Bool("dry-run", false, "write and send nothing")
	asJSON := fs.Bool("json", false, "print one JSON object per document, in input order")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return errUsage
	}
	cfg, gaz, err := loadRules(e.Config.Rules)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Config.Rules, err)
	}
	dbURL := e.Config.DB
	if *dry {
		dir, err := os.MkdirTemp("", "wirewatch-dry-run-")
		if err != nil {
			return fmt.Errorf("dry run: %w", err)
		}
		defer os.RemoveAll(dir)
		dbURL = filepath.Join(dir, "dry-run.db")
	}
	st, err := openStore(ctx, dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := e.wire(ctx, cfg, gaz, st, nil)
	if err != nil {
		return err
	}
	rw := w.rules()
	rw.engine.DryRun = *dry
	// Input order: the order sources hand documents over.
	var order []string
	record := func(d corpus.Document) { order = append(order, d.ID) }
	var sources []bot.Source
	if len(paths) > 0 {
		sources = []bot.Source{&pathSource{paths: paths, parser: w.parser, record: record}}
	} else {
		ds := bot.NewDirSource(e.Config.CorpusDir, st, w.parser)
		sources = []bot.Source{recordingSource{ds, record}}
		sources = append(sources, rw.feeds...)
	}
	sc := &bot.Scanner{Sources: sources, Engine: rw.engine, Log: e.Log}
	rep, err := sc.Scan(ctx)
	if err != nil {
		return err
	}
	byID := map[string]bot.Outcome{}
	for _, o := range rep.Outcomes {
		byID[o.Doc.ID] = o
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		done := map[string]bool{}
		for _, id := range order {
			if done[id] {
				continue
			}
			done[id] = true
			o, ok := byID[id]
			if !ok {
				// Processed by an earlier scan: what the store recorded.
				var err error
				if o, err = storedOutcome(ctx, st, id); err != nil {
					return err
				}
			}
			doc, err := st.Document(ctx, id)
			if err != nil {
				return fmt.Errorf("reading %s: %w", id, err)
			}
			j := scanJSON{
				ID: doc.ID, Path: doc.Path, URL: doc.URL, Source: doc.Source, Title: doc.Title,
				Published: doc.Published, DateFromFile: doc.DateFromFile,
				Regions: regionsOf(o.Analysis, gaz), Matches: o.Analysis.Matches, CopyOf: o.CopyOf,
			}
			if len(doc.Paths) > 1 {
				j.Paths = doc.Paths
			}
			if j.Matches == nil {
				j.Matches = []corpus.DocMatch{}
			}
			if len(o.Stories) > 0 {
				j.Stories = o.Stories
				for _, m := range o.Analysis.Matches {
					if id, ok := o.Stories[m.Rule]; ok {
						j.Story = id
						break
					}
				}
			}
			if err := enc.Encode(j); err != nil {
				return fmt.Errorf("writing JSON: %w", err)
			}
		}
		return nil
	}
	matched := 0
	for _, o := range rep.Outcomes {
		if len(o.Analysis.Matches) == 0 {
			continue
		}
		matched++
		var rs []string
		for _, m := range o.Analysis.Matches {
			rs = append(rs, m.Rule)
		}
		cp := ""
		if o.CopyOf != "" {
			cp = " (copy of " + o.CopyOf[:8] + ")"
		}
		fmt.Fprintf(e.Stdout, "%s  %s  %s  [%s]%s\n", o.Doc.Published.Format("2006-01-02"), o.Doc.ID[:8], o.Doc.Title, strings.Join(rs, ", "), cp)
	}
	queued := 0
	for _, o := range rep.Outcomes {
		queued += o.Enqueued
	}
	fmt.Fprintf(e.Stdout, "%s, %s, %d matched a rule", english.Plural(rep.New, "new document"),
		english.Plural(rep.Dupes, "duplicate"), matched)
	switch {
	case *dry:
		fmt.Fprintln(e.Stdout, " (dry run: nothing stored or sent)")
	case queued > 0:
		fmt.Fprintf(e.Stdout, "; %s queued for `bot run` to deliver\n", english.Plural(queued, "message"))
	default:
		fmt.Fprintln(e.Stdout, "; nothing to send")
	}
	return nil
}

type recordingSource struct {
	bot.Source
	record func(corpus.Document)
}

func (r recordingSource) Scan(ctx context.Context, fn corpus.Handler) error {
	return r.Source.Scan(ctx, func(ctx context.Context, d corpus.Document) error {
		r.record(d)
		return fn(ctx, d)
	})
}

// pathSource reads explicit paths with no seen-state.
type pathSource struct {
	paths  []string
	parser corpus.Parser
	record func(corpus.Document)
}

func (p *pathSource) Name() string { return "paths" }

func (p *pathSource) Scan(ctx context.Context, fn corpus.Handler) error {
	_, err := corpus.ReadPaths(ctx, &p.parser, p.paths, func(ctx context.Context, d corpus.Document) error {
		p.record(d)
		return fn(ctx, d)
	})
	return err
}

// Latest prints the newest documents about a place or words.
func (e *Env) Latest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("latest", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	n := fs.Int("n", bot.DefaultResults, "how many")
	q, err := parseInterleaved(fs, args)
	if err != nil || len(q) == 0 {
		fmt.Fprintln(e.Stderr, "usage: bot latest QUERY [-n N]")
		return errUsage
	}
	w, closeStore, err := e.openSynced(ctx, true)
	if err != nil {
		return err
	}
	defer closeStore()
	reply := w.HandleCommand(ctx, chat.Command{Transport: "console", Channel: "console", Name: "latest",
		Args: fmt.Sprintf("%s %d", strings.Join(q, " "), min(max(*n, 1), bot.MaxResults))})
	c := console.New(e.Stdout)
	c.Location = location(e.Config.Timezone)
	_, err = c.Send(ctx, reply)
	return err
}

func location(tz string) *time.Location {
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}

// storedOutcome rebuilds what the engine decided for a document processed
// earlier: its analysis, the original it copies and its stories.
func storedOutcome(ctx context.Context, st store.Store, id string) (bot.Outcome, error) {
	o := bot.Outcome{Stories: map[string]int64{}}
	var err error
	if o.Analysis, err = st.Analysis(ctx, id); err != nil {
		return o, fmt.Errorf("analysis of %s: %w", id, err)
	}
	if o.CopyOf, err = st.CopyOf(ctx, id); err != nil {
		return o, fmt.Errorf("copy of %s: %w", id, err)
	}
	stories, err := st.StoriesOf(ctx, id)
	if err != nil {
		return o, fmt.Errorf("stories of %s: %w", id, err)
	}
	for _, s := range stories {
		o.Stories[s.Rule] = s.ID
	}
	return o, nil
}

// openSynced loads the rules, opens the store and wires the bot for a
// one-off command; with sync, it first scans the corpus so the command
// answers from what is on disk (the alerts found are queued for `bot run`).
func (e *Env) openSynced(ctx context.Context, sync bool) (*wiring, func(), error) {
	cfg, gaz, err := loadRules(e.Config.Rules)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", e.Config.Rules, err)
	}
	st, err := openStore(ctx, e.Config.DB)
	if err != nil {
		return nil, nil, err
	}
	w, err := e.wire(ctx, cfg, gaz, st, nil)
	if err == nil && sync {
		err = w.syncCorpus(ctx)
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return w, func() { st.Close() }, nil
}
