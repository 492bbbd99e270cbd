package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// lookupEnv expands ${VAR} in rules.yaml.
func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

// withAliases returns the gazetteer extended with rules.yaml's aliases, for
// lookups (/latest, /mute); rules.Compile applies them to matching itself.
func withAliases(g *geo.Gazetteer, cfg *rules.Config) (*geo.Gazetteer, error) {
	if len(cfg.Aliases) == 0 {
		return g, nil
	}
	ag, err := g.WithAliases(cfg.Aliases)
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	return ag, nil
}

// analyzer adapts the compiled rules to the engine.
type analyzer struct{ m *rules.Matcher }

func (a analyzer) Analyze(text string) corpus.Analysis { return a.m.Analysis(a.m.Match(text)) }

// copyDetector adapts the near-duplicate detector to the engine.
type copyDetector struct{ d *dedup.Detector }

func (c copyDetector) Check(ctx context.Context, id, text string) (string, error) {
	v, err := c.d.Check(ctx, id, text)
	return v.CopyOf, err
}

func newFeedSource(f rules.Feed, st store.State) bot.Source {
	return bot.NewFeedSource(f.Name, f.URL, time.Duration(f.Interval), st, bot.SystemClock{})
}
