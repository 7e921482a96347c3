package redotpay

import (
	"crypto/rsa"
	"os"
	"testing"
)

// The RedotPay test key pair of specs/vectors (vectors ): the
// merchant's signing key and, in these tests, the platform's.
const (
	testPrivateKeyFile = "testdata/redotpay_test_private.pem"
	testPublicKeyFile  = "testdata/redotpay_test_public.pem"
)

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testPrivateKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	key, err := parsePrivateKey(readFile(t, testPrivateKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func testPublicKey(t testing.TB) *rsa.PublicKey {
	t.Helper()
	key, err := parsePublicKey(readFile(t, testPublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return key
}
