package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// The JSON columns have the store's own shapes, with stable names, so that
// what is stored does not change when a plugin type gains a field tag.

type customerJSON struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
	IP    string `json:"ip,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type nextActionJSON struct {
	Type      plugin.NextActionType `json:"type"`
	URL       string                `json:"url,omitempty"`
	QRCode    string                `json:"qr_code,omitempty"`
	DeepLink  string                `json:"deep_link,omitempty"`
	ExpiresAt *time.Time            `json:"expires_at,omitempty"`
}

// jsonArg encodes v for a JSON column; a nil v is SQL NULL.
func jsonArg[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// decodeJSON decodes a JSON column; NULL (nil b) leaves *v nil.
func decodeJSON[T any](b []byte, v **T) error {
	if b == nil {
		*v = nil
		return nil
	}
	*v = new(T)
	return json.Unmarshal(b, *v)
}

func customerArg(c *plugin.Customer) (any, error) {
	if c == nil {
		return nil, nil
	}
	return jsonArg(&customerJSON{ID: c.ID, Email: c.Email, Name: c.Name, IP: c.IP, Phone: c.Phone})
}

func decodeCustomer(b []byte) (*plugin.Customer, error) {
	var c *customerJSON
	if err := decodeJSON(b, &c); err != nil || c == nil {
		return nil, err
	}
	return &plugin.Customer{ID: c.ID, Email: c.Email, Name: c.Name, IP: c.IP, Phone: c.Phone}, nil
}

func nextActionArg(a *plugin.NextAction) (any, error) {
	if a == nil {
		return nil, nil
	}
	j := nextActionJSON{Type: a.Type, URL: a.URL, QRCode: a.QRCode, DeepLink: a.DeepLink}
	if !a.ExpiresAt.IsZero() {
		t := a.ExpiresAt.UTC()
		j.ExpiresAt = &t
	}
	return jsonArg(&j)
}

func decodeNextAction(b []byte) (*plugin.NextAction, error) {
	var j *nextActionJSON
	if err := decodeJSON(b, &j); err != nil || j == nil {
		return nil, err
	}
	a := &plugin.NextAction{Type: j.Type, URL: j.URL, QRCode: j.QRCode, DeepLink: j.DeepLink}
	if j.ExpiresAt != nil {
		a.ExpiresAt = j.ExpiresAt.UTC()
	}
	return a, nil
}

// metadataArg encodes metadata; an empty map is SQL NULL.
func metadataArg(m map[string]string) (any, error) {
	if len(m) == 0 {
		return nil, nil
	}
	return jsonArg(&m)
}

func decodeMetadata(b []byte) (map[string]string, error) {
	var m *map[string]string
	if err := decodeJSON(b, &m); err != nil || m == nil {
		return nil, err
	}
	return *m, nil
}

// card holds the card columns: what may be kept of a card.
type card struct {
	first6, last4, brand string
	expMonth, expYear    int
}

func cardOf(c *plugin.CardInfo) card {
	if c == nil {
		return card{}
	}
	return card{first6: c.First6, last4: c.Last4, brand: c.Brand, expMonth: c.ExpMonth, expYear: c.ExpYear}
}

// info returns the card, nil when none was kept. HolderName is never kept.
func (c card) info() *plugin.CardInfo {
	if c == (card{}) {
		return nil
	}
	return &plugin.CardInfo{First6: c.first6, Last4: c.last4, Brand: c.brand, ExpMonth: c.expMonth, ExpYear: c.expYear}
}

// keptCard is what the store keeps of a card: no holder name.
func keptCard(c *plugin.CardInfo) *plugin.CardInfo { return cardOf(c).info() }

// keptNextAction is a next action as it reads back: its expiry in UTC.
func keptNextAction(a *plugin.NextAction) *plugin.NextAction {
	if a == nil {
		return nil
	}
	k := *a
	if !k.ExpiresAt.IsZero() {
		k.ExpiresAt = k.ExpiresAt.UTC()
	}
	return &k
}

// keptMetadata is metadata as it reads back: nil when empty.
func keptMetadata(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// timeArg is t for a nullable time column: NULL when zero.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.Timestamp(t)
}

// timeOf reads a nullable time column in the store's form (UTC).
func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// scanner is what *sql.Row and *sql.Rows both do.
type scanner interface {
	Scan(dest ...any) error
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, c *conn, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := c.q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
