package main

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// bulletinStart is the time of the first bulletin; one follows every hour.
var bulletinStart = time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)

// writeBulletins writes n market reports made from one template, differing
// only in their figures: the case where every report is a near-copy
// candidate of every earlier one.
func writeBulletins(rw *recordWriter, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0xb0b))
	index := 7000.0
	for i := range n {
		at := bulletinStart.Add(time.Duration(i) * time.Hour)
		move := (r.Float64() - 0.5) * 80
		index += move
		dir := "up"
		if move < 0 {
			dir = "down"
		}
		body := fmt.Sprintf("The FTSE 100 index closed at %.1f points on %s, %s %.1f points or %.2f percent "+
			"from the previous close. Turnover was %d million shares in %d trades. Gainers outnumbered "+
			"losers by %d to %d, with %d stocks unchanged.\n\n"+
			"Sterling traded at %.4f dollars and %.4f euros at the close. The ten-year gilt yield stood at "+
			"%.3f percent. Brent crude was quoted at %.2f dollars a barrel, gold at %.2f dollars an ounce.\n\n"+
			"The most actively traded stock was %s, with %d million shares changing hands.",
			index, at.Weekday(), dir, abs(move), 100*abs(move)/index, 400+r.IntN(900), 20000+r.IntN(90000),
			r.IntN(100), r.IntN(100), r.IntN(20), 1.2+r.Float64()/10, 1.1+r.Float64()/10,
			3+r.Float64(), 70+r.Float64()*20, 1900+r.Float64()*200, tickers[r.IntN(len(tickers))], 5+r.IntN(60))
		rec := Record{
			Title:     fmt.Sprintf("FTSE 100 closes %s at %.1f", dir, index),
			Body:      body,
			Published: at.Format(time.RFC3339),
			Source:    "Market Wire",
			URL:       fmt.Sprintf("https://markets.example/ftse/%d", i+1),
		}
		if err := rw.write(rec); err != nil {
			return err
		}
	}
	return nil
}

var tickers = []string{"Vodafone", "BP", "HSBC", "Lloyds", "Barclays", "Shell", "Glencore", "Tesco",
	"Rolls-Royce", "BT Group", "Unilever", "AstraZeneca"}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
