package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// customer plays the customer's browser on a gateway's hosted payment
// page: it opens the page, types what the page asks for, presses a
// button and follows the redirects back to the shop, as a browser does.
// (The real-browser version of this, with Chromium, is the test in
// internal/e2e.)
type customer struct {
	client *http.Client
}

func newCustomer() *customer {
	jar, _ := cookiejar.New(nil)
	return &customer{client: &http.Client{Jar: jar}}
}

// hostedPage is what the customer reads on a payment page.
type hostedPage struct {
	title, amount string
	action        *url.URL   // where the form goes
	values        url.Values // hidden fields and pre-filled inputs
	inputs        []string   // names of the inputs the customer sees
	buttons       map[string][2]string
}

// open fetches the hosted page at pageURL and reads its payment form.
func (c *customer) open(ctx context.Context, pageURL string) (*hostedPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return nil, fmt.Errorf("the payment page answered %s (%s)", resp.Status, resp.Header.Get("Content-Type"))
	}
	doc, err := html.Parse(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	page := &hostedPage{values: url.Values{}, buttons: map[string][2]string{}}
	var form *html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch {
		case n.Data == "h1" && page.title == "":
			page.title = text(n)
		case attr(n, "id") == "amount":
			page.amount = text(n)
		case n.Data == "form" && form == nil:
			form = n
		}
	}
	if form == nil {
		return nil, fmt.Errorf("the payment page has no form")
	}
	if page.action, err = resp.Request.URL.Parse(attr(form, "action")); err != nil {
		return nil, fmt.Errorf("the form's action: %w", err)
	}
	for n := range form.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "input":
			name := attr(n, "name")
			if v := attr(n, "value"); v != "" || attr(n, "type") == "hidden" {
				page.values.Set(name, v)
			}
			if attr(n, "type") != "hidden" {
				page.inputs = append(page.inputs, name)
			}
		case "button":
			page.buttons[attr(n, "id")] = [2]string{attr(n, "name"), attr(n, "value")}
		}
	}
	return page, nil
}

// press types typed into the page's inputs, presses the button with id
// button and follows the redirects. It returns the URL the browser ends
// on, and an error when that page is not a 200.
func (c *customer) press(ctx context.Context, page *hostedPage, button string, typed map[string]string) (*url.URL, error) {
	b, ok := page.buttons[button]
	if !ok {
		return nil, fmt.Errorf("the payment page has no %q button", button)
	}
	form := url.Values{}
	for k, v := range page.values {
		form[k] = v
	}
	for _, name := range page.inputs {
		if v, ok := typed[name]; ok {
			form.Set(name, v)
		} else if form.Get(name) == "" {
			return nil, fmt.Errorf("the payment page asks for %q, which the customer does not know", name)
		}
	}
	form.Set(b[0], b[1])
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, page.action.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.client.Do(req) // follows the 302/303 back to the shop
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.Request.URL, fmt.Errorf("the browser ended on %s with %s", resp.Request.URL, resp.Status)
	}
	return resp.Request.URL, nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is the text inside n, its spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
