package corpus

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestNotPublic(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
	}{
		{"127.0.0.1", false},
		{"127.9.9.9", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // AWS, GCP, Azure, Oracle metadata
		{"fd00:ec2::254", false},   // AWS metadata over IPv6
		{"100.100.100.200", false}, // Alibaba Cloud metadata
		{"fe80::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"64:ff9b::7f00:1", false},  // NAT64 of 127.0.0.1
		{"2002:a9fe:a9fe::", false}, // 6to4 of 169.254.169.254
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"255.255.255.255", false},
		{"198.18.0.1", false},
		{"192.0.2.1", false},
		{"2001:db8::1", false},
		{"8.8.8.8", true},
		{"93.184.215.14", true},
		{"2606:4700:4700::1111", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"::ffff:8.8.8.8", true},
	} {
		why := notPublic(netip.MustParseAddr(tc.addr))
		if (why == "") != tc.public {
			t.Errorf("notPublic(%s) = %q, want public %v", tc.addr, why, tc.public)
		}
	}
}

func rssServer(t *testing.T) *httptest.Server {
	t.Helper()
	rss, err := os.ReadFile("testdata/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rss) //nolint:errcheck // the test reads what arrives
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestFeedOnLoopbackRefused fetches a feed on 127.0.0.1, by address and by
// a name that resolves there: refused unless the feed allows private
// addresses.
func TestFeedOnLoopbackRefused(t *testing.T) {
	ts := rssServer(t)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	for _, u := range []string{ts.URL, "http://localhost:" + port + "/"} {
		docs, err := (&FeedSource{URL: u}).Fetch(context.Background())
		if !errors.Is(err, ErrPrivateAddress) || len(docs) != 0 {
			t.Errorf("%s without AllowPrivate: %d docs, err %v; want ErrPrivateAddress", u, len(docs), err)
		}
		docs, err = (&FeedSource{URL: u, AllowPrivate: true}).Fetch(context.Background())
		if err != nil || len(docs) == 0 {
			t.Errorf("%s with AllowPrivate: %d docs, err %v", u, len(docs), err)
		}
	}
}

// TestRedirectToForbiddenAddressRefused serves a feed on 127.0.0.1 that
// redirects to 127.0.0.2, with a policy that allows the first and refuses
// the second: the redirect is refused when its connection is dialled.
func TestRedirectToForbiddenAddressRefused(t *testing.T) {
	target := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the forbidden address was reached")
	}))
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	target.Listener = ln
	target.Start()
	defer target.Close()
	redirect := httptest.NewServer(http.RedirectHandler(target.URL+"/rss", http.StatusFound))
	defer redirect.Close()
	refuse := func(a netip.Addr) string {
		if a == netip.MustParseAddr("127.0.0.2") {
			return "forbidden in this test"
		}
		return ""
	}
	src := &FeedSource{URL: redirect.URL, Client: newFeedClient(refuse, nil)}
	_, err = src.Fetch(context.Background())
	if !errors.Is(err, ErrPrivateAddress) || !strings.Contains(err.Error(), "127.0.0.2") {
		t.Errorf("err %v; want ErrPrivateAddress naming 127.0.0.2", err)
	}
}

// TestFeedThroughProxy sends feeds through a proxy on 127.0.0.1, which may
// be dialled: a feed whose host is public goes through, one whose host
// resolves to loopback is refused before the proxy sees it.
func TestFeedThroughProxy(t *testing.T) {
	rss, err := os.ReadFile("testdata/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.String()) // a proxy gets the absolute URL
		mu.Unlock()
		w.Write(rss) //nolint:errcheck // the test reads what arrives
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	client := newFeedClient(notPublic, http.ProxyURL(pu))
	docs, err := (&FeedSource{URL: "http://93.184.215.14/rss", Client: client}).Fetch(context.Background())
	if err != nil || len(docs) == 0 {
		t.Fatalf("public feed through the proxy: %d docs, %v", len(docs), err)
	}
	_, err = (&FeedSource{URL: "http://localhost/rss", Client: client}).Fetch(context.Background())
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("loopback feed through the proxy: %v; want ErrPrivateAddress", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 1 || asked[0] != "http://93.184.215.14/rss" {
		t.Errorf("the proxy was asked for %v", asked)
	}
}
