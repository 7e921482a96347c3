package httpapi

import (
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// callback hands a gateway's raw callback to the instance's plugin, through
// the service, and answers what the plugin says.
func (h *handler) callback(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, h.opts.MaxCallbackBytes)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := r.Header.Clone()
	if r.Host != "" {
		header["Host"] = []string{r.Host} // net/http keeps it out of r.Header
	}
	instance := r.PathValue("provider") + "." + r.PathValue("name")
	resp, err := h.svc.HandleCallback(r.Context(), instance, &plugin.HandleCallbackRequest{
		Method:   r.Method,
		Path:     r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery,
		Header:   header,
		Body:     body,
	}, api.WithRequestID(requestOf(r).id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if resp.StatusCode < 200 || resp.StatusCode > 599 {
		h.fail(w, r, api.Errorf(api.CodeProviderError, "", "the %s plugin answered the callback with HTTP status %d", instance, resp.StatusCode))
		return
	}
	writeRaw(w, resp)
}

// computedHeaders are the response headers net/http computes; a plugin's
// values for them are dropped.
var computedHeaders = map[string]bool{"Content-Length": true, "Transfer-Encoding": true, "Connection": true}

// writeRaw answers resp as it is: status, headers and body byte for byte.
func writeRaw(w http.ResponseWriter, resp *plugin.HTTPResponse) {
	hdr := w.Header()
	for k, v := range resp.Header {
		if k = http.CanonicalHeaderKey(k); !computedHeaders[k] {
			hdr[k] = v
		}
	}
	if _, ok := hdr["Content-Type"]; !ok {
		hdr["Content-Type"] = nil // no sniffing: the gateway gets what the plugin wrote
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(resp.Body)
}
