package api

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// list is the shape of every list response. NextCursor is null on the
// last page.
type list[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// itemsOut converts domain values to their JSON form with out. It never
// returns nil, so an empty list is [] rather than null.
func itemsOut[D, J any](in []D, out func(D) J) []J {
	items := make([]J, 0, len(in))
	for _, v := range in {
		items = append(items, out(v))
	}
	return items
}

// listOut is a complete (single-page) list of in, converted by out.
func listOut[D, J any](in []D, out func(D) J) list[J] {
	return list[J]{Items: itemsOut(in, out)}
}

// cursorOut turns a domain cursor ("" on the last page) into JSON.
func cursorOut(c string) *string {
	if c == "" {
		return nil
	}
	return &c
}

// formatTime writes t as RFC 3339 in UTC, the only time format the API
// speaks.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// formatTimePtr is formatTime for optional times: nil stays null.
func formatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// parseTime reads an RFC 3339 time from the named request field.
func parseTime(field, value string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, invalid(field,
			field+" must be an RFC 3339 time such as 2026-03-02T09:00:00Z.")
	}
	return t.UTC(), nil
}

// noContent answers 204.
func noContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// onlyParams refuses query parameters other than the allowed ones, and
// any given twice, so a misspelt filter is an error rather than quietly
// ignored.
func onlyParams(q url.Values, allowed []string) error {
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(allowed, name) {
			e := badRequest("unknown_parameter",
				fmt.Sprintf("Unknown query parameter %q.", name))
			e.Field = name
			return e
		}
		if len(q[name]) > 1 {
			return invalid(name, name+" may be given only once.")
		}
	}
	return nil
}
