package redotpay

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// connectHandler serves a Connect call for the authenticated app.
type connectHandler func(w http.ResponseWriter, r *http.Request, app *App, body []byte)

// connectAuth authenticates a Connect request (GATEWAYS.md §1.3, §4.2)
// before next sees it: a known X-R-AK, a registered X-R-Key-Version, an
// X-R-Ts within the allowed skew of the emulator's clock, and an
// X-R-Signature that verifies over the raw request.
func (s *Server) connectAuth(next connectHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		if err != nil {
			writeConnectError(w, err)
			return
		}
		app, err := s.verifyConnect(r, body)
		if err != nil {
			s.kit.Logger.Warn("connect request rejected", "path", r.URL.Path, "error", err)
			writeConnectError(w, err)
			return
		}
		next(w, r, app, body)
	})
}

// verifyConnect checks the Connect auth headers of r with its raw body.
func (s *Server) verifyConnect(r *http.Request, body []byte) (*App, error) {
	appKey := r.Header.Get("X-R-AK")
	app, ok := s.apps[appKey]
	if !ok {
		return nil, &kindError{errUnauthorized, "X-R-AK: unknown appKey"}
	}
	versionText := r.Header.Get("X-R-Key-Version")
	if versionText == "" {
		return nil, fmt.Errorf("%w: header is required", errKeyVersion)
	}
	version, err := strconv.Atoi(versionText)
	if err != nil || version < 1 {
		return nil, fmt.Errorf("%w: must be a key version number such as 1", errKeyVersion)
	}
	key, ok := app.PublicKeys[version]
	if !ok {
		return nil, fmt.Errorf("%w: no public key version %d is registered for this appKey", errKeyVersion, version)
	}
	ts := r.Header.Get("X-R-Ts")
	if err := s.checkTimestamp(ts); err != nil {
		return nil, err
	}
	sig := r.Header.Get("X-R-Signature")
	if sig == "" && s.cfg.SignatureOptional {
		return app, nil
	}
	msg := requestStringToSign(r.Method, r.URL.EscapedPath(), appKey, ts, body)
	if err := verifyRSA(key, msg, sig); err != nil {
		return nil, err
	}
	return app, nil
}

// checkTimestamp requires X-R-Ts in epoch milliseconds within the skew.
func (s *Server) checkTimestamp(ts string) error {
	if ts == "" {
		return fmt.Errorf("%w: header is required", errTimestamp)
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: must be epoch milliseconds", errTimestamp)
	}
	skew := s.now().Sub(time.UnixMilli(ms))
	if skew < -s.cfg.TimestampSkew || skew > s.cfg.TimestampSkew {
		return fmt.Errorf("%w: is %s away from the gateway clock (allowed ±%s)", errTimestamp, skew.Round(time.Second), s.cfg.TimestampSkew)
	}
	return nil
}
