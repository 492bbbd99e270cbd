package corpus

import "testing"

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"<P CLASS=x>One</P>\n\n\n<DIV>Two</DIV>", "One\n\nTwo"},
		{"line one<br>line two<br/>line three", "line one\nline two\nline three"},
		{"a &amp; b &lt;c&gt; &quot;d&quot; &#8212; &mdash; caf&eacute; &nbsp;x", `a & b <c> "d" — — café x`},
		{"AT&T and R&D", "AT&T and R&D"},
		{`<a href="https://x.example/?a=1&amp;b=2" title="a > b">link</a> text`, "link text"},
		{"before<script>var x = '<p>';</script>after", "beforeafter"},
		{"before<STYLE type=text/css>p { color: red }</STYLE>after", "beforeafter"},
		{"before<!-- <p>hidden</p> -->after", "beforeafter"},
		{"a < b and c > d", "a < b and c > d"},
		{"1<2", "1<2"},
		{"unclosed <b tag", "unclosed <b tag"},
		{"words\nacross\r\nlines   and   spaces", "words across lines and spaces"},
		{"<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"},
		{"<![CDATA[<b>raw</b> & more]]>", "<b>raw</b> & more"},
		{"<img src='x.jpg' alt=\"it's\"/>caption", "caption"},
		{"<!DOCTYPE html><html><body><h1>T</h1>text</body></html>", "T\n\ntext"},
		{"", ""},
		{"   ", ""},
		{"<script>never closed", ""},
	} {
		if got := htmlText(tc.in); got != tc.want {
			t.Errorf("htmlText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
