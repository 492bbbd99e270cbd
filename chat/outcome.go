package chat

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"syscall"
)

// MaybePosted reports whether err, returned by an HTTP client for a
// request that would post a message, leaves open whether the platform
// posted it: the request may have been written and no answer was read (a
// timeout, a connection reset or closed while waiting). Errors before the
// request could be written (no route, DNS, refused connection, a TLS
// handshake) and a cancellation by the caller report false. Transports
// use it to mark such errors with OutcomeUnknown.
func MaybePosted(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	if errors.As(err, &dns) || errors.As(err, &rec) || errors.As(err, &cert) || errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}
