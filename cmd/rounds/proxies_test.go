package main

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestTrustedProxyFlag: --trusted-proxy takes an address range or a
// single address, repeated; anything else is refused by flag name with
// exit code 2.
func TestTrustedProxyFlag(t *testing.T) {
	t.Run("repeated ranges and addresses", func(t *testing.T) {
		var r proxyRanges
		for _, v := range []string{"10.0.0.0/8", "::1", "2001:db8::/32", "192.0.2.7"} {
			if err := r.Set(v); err != nil {
				t.Fatalf("Set(%q): %v", v, err)
			}
		}
		want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"),
			netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("192.0.2.7/32")}
		if !slices.Equal(r, want) {
			t.Fatalf("ranges %v, want %v", r, want)
		}
		if got := r.String(); got != "10.0.0.0/8,::1/128,2001:db8::/32,192.0.2.7/32" {
			t.Errorf("String() = %q", got)
		}
	})
	for _, tc := range []struct{ name, value, reason string }{
		{"not an address", "proxy.local", "want an address range"},
		{"prefix too long", "10.0.0.0/33", "want an address range"},
		{"host bits set", "10.0.0.1/8", "10.0.0.0/8"},
		{"empty", "", "want an address range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "serve", "--redis", "", "--trusted-proxy", tc.value)
			if code != exitUsage || !strings.Contains(errOut, "trusted-proxy") || !strings.Contains(errOut, tc.reason) {
				t.Fatalf("--trusted-proxy %q: exit %d, %q; want %d naming the flag and %q", tc.value, code, errOut, exitUsage, tc.reason)
			}
		})
	}
}
