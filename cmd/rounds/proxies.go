package main

import (
	"fmt"
	"net/netip"
	"strings"
)

// proxyRanges is the repeatable --trusted-proxy flag: the address ranges
// of the reverse proxies in front of rounds serve, whose X-Forwarded-For
// names the client.
type proxyRanges []netip.Prefix

func (r *proxyRanges) String() string {
	s := make([]string, len(*r))
	for i, p := range *r {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// Set adds a range, or a single address as a range of one. A range with
// bits set past its length is refused rather than masked: 10.0.0.1/8
// may mean 10.0.0.0/8 or 10.0.0.1/32, and the wrong guess trusts the
// wrong peers.
func (r *proxyRanges) Set(v string) error {
	if a, err := netip.ParseAddr(v); err == nil {
		*r = append(*r, netip.PrefixFrom(a, a.BitLen()))
		return nil
	}
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return fmt.Errorf("want an address range such as 10.0.0.0/8 or an address such as ::1")
	}
	if p.Masked() != p {
		return fmt.Errorf("%s has bits set past /%d: write %s, or the address alone", v, p.Bits(), p.Masked())
	}
	*r = append(*r, p)
	return nil
}
