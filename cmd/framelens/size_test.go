package main

import "testing"

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"52428800": 52428800, "8MB": 8 << 20, "8 MiB": 8 << 20, "200mb": 200 << 20, "1GB": 1 << 30, "64K": 64 << 10, "100B": 100,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-3", "0", "MB", "1.5GB", "8TB", "9999999999GB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}
