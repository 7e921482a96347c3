package httpapi

import "testing"

func TestMaskPANs(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"card 4111111111111111 declined", "card 411111******1111 declined"},
		{"card 4111 1111 1111 1111.", "card 411111******1111."},
		{"card 5500-0000-0000-0004", "card 550000******0004"},
		{"amex 378282246310005", "amex 378282*****0005"},
		{"19 digits 6011000990139424123", "19 digits 601100*********4123"},
		{"11 digits 41111111111 stay", "11 digits 41111111111 stay"},
		{"amount 1000000 VND, order 2024-11-21", "amount 1000000 VND, order 2024-11-21"},
		{"no digits at all", "no digits at all"},
	} {
		if got := maskPANs(tt.in); got != tt.want {
			t.Errorf("maskPANs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
