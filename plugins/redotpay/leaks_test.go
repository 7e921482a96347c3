package redotpay

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cvcPattern finds the test CVC as a number of its own.
var cvcPattern = regexp.MustCompile(`\b` + testCVC + `\b`)

// TestNoSecretsInOutput runs the conformance suites in a child test
// process with -v, so that everything lands in its output: the host's
// go-plugin log, the real plugin binary's log at trace level, the
// in-memory provider's log, the suite's own messages. It then searches
// that output for the configured credentials (keys, PEM lines), the test
// card numbers and the CVC.
func TestNoSecretsInOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the conformance suites again in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestConformance(InMemory|Binary)$", "-test.v", "-test.count=1")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("the conformance run failed: %v\n%s", err, text[max(0, len(text)-4000):])
	}
	// The output must hold the logs it is searched in: the plugin
	// binary's (forwarded by go-plugin) and the in-memory provider's, for
	// payments, cards and callbacks.
	for _, want := range []string{
		"payhost-provider-redotpay.payhost-provider-redotpay: order created",
		"provider: order created",
		"card transaction: call=\"authorize card\"",
		"payment webhook",
		"order callback",
		"[TRACE]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the output has no %q: the search would miss those logs", want)
		}
	}
	e := &emu{url: "http://127.0.0.1:1"}
	secrets := slices.Concat(secretsOf(e.connect(t, nil)), secretsOf(e.seed(nil)),
		[]string{testCard, testCardDeclined, testCardNoFunds})
	if len(secrets) < 10 {
		t.Fatalf("only %d secrets to search for", len(secrets))
	}
	assertNoSecrets(t, "the conformance output", text, secrets...)
	if cvcPattern.MatchString(text) {
		t.Error("the conformance output holds the CVC")
	}
}

// TestLeakSearchFinds plants each kind of secret in text and checks the
// search finds it, so that TestNoSecretsInOutput can fail.
func TestLeakSearchFinds(t *testing.T) {
	e := &emu{url: "http://127.0.0.1:1"}
	secrets := slices.Concat(secretsOf(e.connect(t, nil)), secretsOf(e.seed(nil)), []string{testCard})
	pemLine := strings.Split(readFile(t, testPrivateKeyFile), "\n")[5]
	for _, planted := range []string{testMerchantKey, testSecretKey, pemLine, testCard} {
		text := "log line: value=" + planted + " end"
		if len(findLeaks(text, secrets)) == 0 {
			t.Errorf("a planted secret starting %q was not found", planted[:4])
		}
	}
	if len(findLeaks("order created: attempt=att_X card=411111******1111 signature=REDACTED", secrets)) != 0 {
		t.Error("a clean line was taken for a leak")
	}
	if !cvcPattern.MatchString("cvc="+testCVC+",") || cvcPattern.MatchString("port 39713") {
		t.Error("the CVC pattern finds the wrong things")
	}
}
