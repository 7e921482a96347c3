package redotpay

import (
	"strings"
	"testing"
)

func TestParseFixed(t *testing.T) {
	tests := []struct {
		in      string
		maxInt  int
		scale   int
		want    int64
		wantErr string
	}{
		{"1", 12, 6, 1_000_000, ""},
		{"0.99", 12, 6, 990_000, ""},
		{"123456789012.123456", 12, 6, 123456789012123456, ""},
		{"100.00", 12, 2, 10000, ""},
		{"100", 12, 2, 10000, ""},
		{"0", 12, 2, 0, ""},
		{"300000", 15, 0, 300000, ""},
		{"1234567890123", 12, 6, 0, "at most 12 integer digits"},
		{"0.1234567", 12, 6, 0, "at most 6 decimal places"},
		{"1.5", 12, 0, 0, "whole number"},
		{"-1", 12, 6, 0, "must not be negative"},
		{"1e2", 12, 6, 0, "plain decimal"},
		{".5", 12, 6, 0, "plain decimal"},
		{"5.", 12, 6, 0, "plain decimal"},
		{"", 12, 6, 0, "plain decimal"},
		{"1,5", 12, 6, 0, "plain decimal"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseFixed(tt.in, tt.maxInt, tt.scale)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFixed(%q) error = %v, want it to mention %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseFixed(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatFixed(t *testing.T) {
	tests := []struct {
		v     int64
		scale int
		trim  bool
		want  string
	}{
		{1_000_000, 6, true, "1"},
		{990_000, 6, true, "0.99"},
		{5, 6, true, "0.000005"},
		{10000, 2, false, "100.00"},
		{5, 2, false, "0.05"},
		{1234, 0, false, "1234"},
		{1500, 3, true, "1.5"},
	}
	for _, tt := range tests {
		if got := formatFixed(tt.v, tt.scale, tt.trim); got != tt.want {
			t.Errorf("formatFixed(%d, %d, %v) = %q, want %q", tt.v, tt.scale, tt.trim, got, tt.want)
		}
	}
}

func TestMagicTail(t *testing.T) {
	tests := []struct {
		a    amount
		want int64
	}{
		{amount{10_510_000, 6}, 51},
		{amount{10_515_000, 6}, 51},
		{amount{1051, 0}, 51},
		{amount{10051, 2}, 51},
		{amount{1_000_000, 6}, 0},
	}
	for _, tt := range tests {
		if got := tt.a.magicTail(); got != tt.want {
			t.Errorf("%v.magicTail() = %d, want %d", tt.a, got, tt.want)
		}
	}
}
