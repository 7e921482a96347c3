package redotpay

import (
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"errors"
	"fmt"
)

// The published RedotPay test key pair (GATEWAYS.md §1.3, vectors R-1 and
// By default it is both the merchant's request-signing key and the
// platform's webhook-signing key.
var (
	//go:embed keys/redotpay_test_private.pem
	testPrivateKeyPEM []byte
	//go:embed keys/redotpay_test_public.pem
	testPublicKeyPEM []byte
)

// TestKeyPEM returns copies of the embedded RedotPay test key pair in PEM
// form: the private key (PKCS#8) that merchants sign requests with and the
// emulator signs webhooks with, and its public key (PKIX).
func TestKeyPEM() (private, public []byte) {
	return append([]byte(nil), testPrivateKeyPEM...), append([]byte(nil), testPublicKeyPEM...)
}

// ParsePrivateKeyPEM decodes an RSA private key in PKCS#8 ("PRIVATE KEY")
// or PKCS#1 ("RSA PRIVATE KEY") PEM form.
func ParsePrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		rsaKey, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("PEM holds a %T, not an RSA key", key)
		}
		return rsaKey, nil
	default:
		return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
	}
}

// ParsePublicKeyPEM decodes an RSA public key in PKIX ("PUBLIC KEY") or
// PKCS#1 ("RSA PUBLIC KEY") PEM form.
func ParsePublicKeyPEM(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	switch block.Type {
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	case "PUBLIC KEY":
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		rsaKey, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("PEM holds a %T, not an RSA key", key)
		}
		return rsaKey, nil
	default:
		return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
	}
}

// testKeys parses the embedded key pair. The PEMs are part of the binary,
// so a failure is a build defect and panics.
func testKeys() (*rsa.PrivateKey, *rsa.PublicKey) {
	priv, err := ParsePrivateKeyPEM(testPrivateKeyPEM)
	if err != nil {
		panic("redotpay: embedded test private key: " + err.Error())
	}
	pub, err := ParsePublicKeyPEM(testPublicKeyPEM)
	if err != nil {
		panic("redotpay: embedded test public key: " + err.Error())
	}
	return priv, pub
}
