package main

import (
	"context"
	"os"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// lookupEnv expands ${VAR} in rules.yaml.
func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

// withAliases returns the gazetteer rules.yaml's aliases extend.
func withAliases(g *geo.Gazetteer, _ *rules.Config) (*geo.Gazetteer, error) { return g, nil }

// analyzer adapts the compiled rules to the engine.
type analyzer struct{ m *rules.Matcher }

func (a analyzer) Analyze(text string) store.Analysis { return a.m.Analysis(a.m.Match(text)) }

// copyDetector adapts the near-duplicate detector to the engine.
type copyDetector struct{ d *dedup.Detector }

func (c copyDetector) Check(ctx context.Context, id, text string) (string, error) {
	v, err := c.d.Check(ctx, id, text)
	return v.CopyOf, err
}

func newFeedSource(f rules.Feed, st store.Store) bot.Source {
	return bot.NewFeedSource(f.Name, f.URL, time.Duration(f.Interval), st, bot.SystemClock{})
}
