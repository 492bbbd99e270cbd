package slack

import (
	"net/http"
	"testing"

	"github.com/wirewatch/wirewatch/chat"
)

func BenchmarkRenderAlert(b *testing.B) {
	m := alertMsg()
	for b.Loop() {
		render(m)
	}
}

func BenchmarkRenderDigest120(b *testing.B) {
	m := chat.Message{Kind: chat.KindDigest, Heading: "afghanistan-daily", Text: "120 reports.", Items: manyItems(120)}
	for b.Loop() {
		render(m)
	}
}

func BenchmarkVerifySignature(b *testing.B) {
	h := http.Header{}
	h.Set("X-Slack-Signature", exampleSignature)
	h.Set("X-Slack-Request-Timestamp", exampleTimestamp)
	body := []byte(exampleBody)
	for b.Loop() {
		if err := VerifySignature(exampleSecret, h, body, exampleTime); err != nil {
			b.Fatal(err)
		}
	}
}
