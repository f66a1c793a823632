package calsync

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// blockedPrefixes are ranges a feed may not reach beyond what netip's
// own predicates catch (loopback, private, link-local, multicast,
// unspecified): carrier-grade NAT, "this network", IETF protocol
// assignments, benchmarking, reserved and broadcast, and the IPv6
// discard and NAT64 local-use prefixes.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// blocked reports whether a feed must not be fetched from ip.
func blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	if ip.Is6() && ip.Zone() != "" {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	// NAT64 (64:ff9b::/96) carries an IPv4 address: judge that one.
	if nat64 := netip.MustParsePrefix("64:ff9b::/96"); nat64.Contains(ip) {
		b := ip.As16()
		return blocked(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	}
	return false
}

// dialContext resolves addr's host, refuses it when any of its addresses
// is blocked (unless private addresses are allowed), and connects to the
// first checked address itself, so the address checked is the address
// dialed: a second DNS answer cannot slip in between.
func (f *fetcher) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("calsync: dial: %w", err)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = f.resolve(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("calsync: look up the calendar's server: %w", err)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("calsync: the calendar's server has no address")
	}
	if !f.allowPrivate {
		for _, ip := range ips {
			if blocked(ip) {
				return nil, ErrBlockedAddress
			}
		}
	}
	var lastErr error
	for _, ip := range ips {
		conn, err := f.dial(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("calsync: connect to the calendar's server: %w", lastErr)
}

// systemResolve looks host up with the system resolver.
func systemResolve(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
