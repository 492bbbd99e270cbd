package dotenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := `# wirewatch settings
BOT_DB=./data/wirewatch.db
export LOG_LEVEL=debug
  SLACK_BOT_TOKEN = xoxb-123   # the bot's token
QUOTED="a \"b\"\tc\\d # not a comment"
SINGLE='$HOME \n stays'
EMPTY=
URL=https://example.org/feed?token=abc#frag
`
	got, err := Parse(strings.NewReader(in), ".env")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"BOT_DB":          "./data/wirewatch.db",
		"LOG_LEVEL":       "debug",
		"SLACK_BOT_TOKEN": "xoxb-123",
		"QUOTED":          "a \"b\"\tc\\d # not a comment",
		"SINGLE":          `$HOME \n stays`,
		"EMPTY":           "",
		"URL":             "https://example.org/feed?token=abc#frag",
	}
	if len(got) != len(want) {
		t.Errorf("got %d variables, want %d: %q", len(got), len(want), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	in := "GOOD=1\nno equals sign\n1BAD=x\nOPEN=\"never closed\nALSO_GOOD=2\n"
	got, err := Parse(strings.NewReader(in), "my.env")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"my.env:2: want KEY=VALUE", "my.env:3: want KEY=VALUE", "my.env:4: OPEN: the quote is not closed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if got["GOOD"] != "1" || got["ALSO_GOOD"] != "2" {
		t.Errorf("the good lines were lost: %q", got)
	}
}

func TestLoadAndLookupEnvironmentWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte("BOT_DB=from-file\nLOG_LEVEL=debug\nBOT_TIMEZONE=Asia/Kabul\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"BOT_DB": "from-env", "LOG_LEVEL": ""}
	lookup := Lookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, vars)
	for k, want := range map[string]string{"BOT_DB": "from-env", "LOG_LEVEL": "", "BOT_TIMEZONE": "Asia/Kabul"} {
		if v, ok := lookup(k); !ok || v != want {
			t.Errorf("%s = %q, %v; want %q", k, v, ok, want)
		}
	}
	if _, ok := lookup("UNSET"); ok {
		t.Error("a variable in neither is set")
	}
	if vars, err := Load(filepath.Join(t.TempDir(), "missing.env")); err != nil || len(vars) != 0 {
		t.Errorf("missing file: %q, %v; want nothing and no error", vars, err)
	}
}
