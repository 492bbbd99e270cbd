package corpus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned (wrapped) when a feed, or a redirect from
// it, leads to an address feeds may not reach by default: loopback,
// private, link-local (cloud metadata services live there), shared,
// reserved or multicast.
var ErrPrivateAddress = errors.New("not a public address")

// maxFeedRedirects is how many redirects a feed fetch follows.
const maxFeedRedirects = 5

// NewFeedClient returns the HTTP client feeds are fetched with. It follows
// at most 5 redirects, and unless allowPrivate it connects only to public
// addresses: the check is made on the address actually dialled, after DNS
// resolution, for the feed and for every redirect, so neither a name that
// resolves to 127.0.0.1 nor a redirect to http://169.254.169.254/ gets
// through. Proxies from the environment (HTTPS_PROXY, HTTP_PROXY) are used;
// the proxy itself may be on a private network, and the feed's host name is
// then checked by resolving it before the request goes to the proxy.
func NewFeedClient(allowPrivate bool) *http.Client {
	if allowPrivate {
		return newFeedClient(nil, http.ProxyFromEnvironment)
	}
	return newFeedClient(notPublic, http.ProxyFromEnvironment)
}

// newFeedClient makes the client of NewFeedClient with refuse saying why
// an address may not be reached ("" when it may; nil allows every one),
// and proxy choosing the proxy of a request.
func newFeedClient(refuse func(netip.Addr) string, proxy func(*http.Request) (*url.URL, error)) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = proxy
	client := &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > maxFeedRedirects {
			return fmt.Errorf("stopped after %d redirects", maxFeedRedirects)
		}
		return nil
	}}
	if refuse == nil {
		return client
	}
	guarded := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error { return checkDial(address, refuse) }}
	plain := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	proxies := &proxyAddrs{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if proxies.has(addr) {
			return plain.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	if proxy == nil {
		return client
	}
	tr.Proxy = func(req *http.Request) (*url.URL, error) {
		u, err := proxy(req)
		if err != nil || u == nil {
			return u, err
		}
		proxies.add(hostPort(u))
		if err := resolvePublic(req.Context(), req.URL.Hostname(), refuse); err != nil {
			return nil, err
		}
		return u, nil
	}
	return client
}

// checkDial refuses to connect to address (an IP and port, after DNS
// resolution) when refuse gives a reason.
func checkDial(address string, refuse func(netip.Addr) string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if why := refuse(ap.Addr()); why != "" {
		return fmt.Errorf("refusing to connect to %s, %s: %w", address, why, ErrPrivateAddress)
	}
	return nil
}

// resolvePublic resolves host and checks every address it has.
func resolvePublic(ctx context.Context, host string, refuse func(netip.Addr) string) error {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", host, err)
	}
	for _, a := range addrs {
		if why := refuse(a); why != "" {
			return fmt.Errorf("refusing %s (%s), %s: %w", host, a, why, ErrPrivateAddress)
		}
	}
	return nil
}

// reserved are ranges that are not public beyond what netip's predicates
// name: "this network", shared address space (carrier-grade NAT; Alibaba
// Cloud's metadata service is 100.100.100.200), IETF assignments,
// documentation, benchmarking, the reserved class E, broadcast, and their
// IPv6 counterparts.
var reserved = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a \"this network\" address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT) address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved or broadcast address"},
	{netip.MustParsePrefix("100::/64"), "a discard address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
}

// notPublic says why a is not a public address, or returns "".
func notPublic(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case !a.IsValid():
		return "not an address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "a private address"
	case a.IsLinkLocalUnicast():
		return "a link-local address (where cloud metadata services answer)"
	case a.IsUnspecified():
		return "an unspecified address"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, r := range reserved {
		if r.prefix.Contains(a) {
			return r.why
		}
	}
	// IPv6 addresses that carry an IPv4 one: NAT64 and 6to4.
	if a.Is6() {
		b := a.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(a):
			v4 = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		case sixToFour.Contains(a):
			v4 = netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
		}
		if v4.IsValid() {
			if why := notPublic(v4); why != "" {
				return why + " (inside an IPv6 address)"
			}
		}
	}
	return ""
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// proxyAddrs are the host:port of the proxies requests went through, which
// may be dialled whatever their address.
type proxyAddrs struct {
	mu sync.Mutex
	m  map[string]bool
}

func (p *proxyAddrs) add(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]bool{}
	}
	p.m[addr] = true
}

func (p *proxyAddrs) has(addr string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[addr]
}

// hostPort is u's host and port, the port defaulted from the scheme.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// Shared clients of the FeedSources that set no Client of their own.
var (
	publicClientOnce, privateClientOnce sync.Once
	publicClient, privateClient         *http.Client
)

// defaultFeedClient returns the shared client for public feeds, or for
// feeds allowed on private networks.
func defaultFeedClient(allowPrivate bool) *http.Client {
	if allowPrivate {
		privateClientOnce.Do(func() { privateClient = NewFeedClient(true) })
		return privateClient
	}
	publicClientOnce.Do(func() { publicClient = NewFeedClient(false) })
	return publicClient
}
