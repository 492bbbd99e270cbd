package apos

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Karbalāʼ":       "Karbalā",
		"Qalʻah-ye Now":  "Qalʻah-ye Now",
		"ʿAlam":          "ʿAlam",
		"Sanʼa ʾ x":      "Sanʼa  x",
		"ʼʼa":            "ʼa",
		"Kabul":          "Kabul",
		"end ʾ\x85 byte": "end \x85 byte",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
