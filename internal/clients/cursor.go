package clients

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// cursor marks where a page ended: the sort it belongs to, the last
// row's sort key (a sort name, or a time in RFC 3339) and its id.
type cursor struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // three strings always encode
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c cursor) isTime() bool { return !strings.HasSuffix(c.Sort, "name") }

// keyValue returns the key as the query compares it.
func (c cursor) keyValue() any {
	if c.isTime() {
		t, _ := time.Parse(time.RFC3339Nano, c.Key) // checked by decodeCursor
		return t.UTC()
	}
	return c.Key
}

func decodeCursor(s, sort string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, fmt.Errorf("decode cursor: %w", err)
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return cursor{}, fmt.Errorf("decode cursor: %w", err)
	}
	if c.Sort != sort || c.ID == "" {
		return cursor{}, errors.New("cursor belongs to another sort")
	}
	if c.isTime() {
		if _, err := time.Parse(time.RFC3339Nano, c.Key); err != nil {
			return cursor{}, fmt.Errorf("decode cursor: %w", err)
		}
	}
	return c, nil
}

// sortValue scans the sort_key column: text for a name sort, a time
// (which SQLite hands back as text) for an appointment sort.
type sortValue struct {
	s string
}

// Scan implements sql.Scanner.
func (v *sortValue) Scan(src any) error {
	switch src := src.(type) {
	case string:
		v.s = src
	case []byte:
		v.s = string(src)
	case time.Time:
		v.s = src.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Errorf("scan sort key: unsupported type %T", src)
	}
	return nil
}

// key returns the value to put in a cursor for sort.
func (v sortValue) key(sort string) string {
	if strings.HasSuffix(sort, "name") {
		return v.s
	}
	var t nullTime
	if err := t.parse(v.s); err != nil {
		// Already RFC 3339 from a time.Time scan.
		return v.s
	}
	return t.Time.Format(time.RFC3339Nano)
}
