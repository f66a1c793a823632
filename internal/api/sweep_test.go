package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// Hostile values the sweep puts where a route expects something else.
var (
	// hostilePathValues stand in for ids and slugs.
	hostilePathValues = []string{"not-an-id", "%00", "..%2F..%2Fetc", strings.Repeat("7", 300),
		"%27%20OR%201%3D1%20--"}
	// hostileQueryValues are sent for one query parameter at a time.
	hostileQueryValues = []string{"", "-1", "abc", "\x00", "2026-02-30", "2026-03-01T25:00:00Z",
		"99999999999999999999", strings.Repeat("z", 3000)}
	// hostileJSONValues replace one property of an otherwise plausible
	// body at a time.
	hostileJSONValues = []any{nil, 12345, -1, 1e300, true, "x\u0000y", "2026-02-30",
		strings.Repeat("é", 20000), []any{"x"}, map[string]any{"a": []any{1}}}
)

// TestNoRouteFailsOnHostileInput sends every documented operation
// hostile input (ids that are not ids or are someone else's, query
// values of the wrong kind, bodies with one property of the wrong type
// or size) as the provider, their client and nobody. Every answer must
// be a documented one, in JSON, and never a 5xx: nothing a caller sends
// may break a handler.
func TestNoRouteFailsOnHostileInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "sweep@example.test")
		portal := e.portalToken(t, "ada-sweep@example.test", p.client.ID)
		appt := e.book(t, p, local(2026, 3, 4, 10, 0), nil)[0]
		note := e.newNote(t, p.token, p.client.ID, map[string]any{"template": "soap"})
		form := e.assign(t, p.token, p.client.ID, e.templateFor(t, p.token, "phq9").ID)
		other := e.newSchedPractice(t, "other@example.test")

		// Real ids, so a hostile body gets past the lookup of its path.
		real := map[string]string{
			"/appointments/{id}": appt.ID, "/clients/{id}": p.client.ID,
			"/notes/{id}": note.ID, "/forms/{id}": form.ID,
			"/threads/{client_id}": p.client.ID, "/public/providers/{slug}": p.slug,
		}
		pathWith := func(tmpl, value string) string {
			out := tmpl
			for _, param := range []string{"{id}", "{client_id}", "{slug}"} {
				out = strings.ReplaceAll(out, param, value)
			}
			return out
		}
		realPath := func(tmpl string) string {
			for prefix, id := range real {
				if strings.HasPrefix(tmpl, prefix) {
					return pathWith(tmpl, id)
				}
			}
			return pathWith(tmpl, store.NewID())
		}

		statusCount := map[int]int{}
		defer func() { t.Logf("statuses: %v", statusCount) }()
		doc, _ := openAPI(t)
		paths := doc.Paths.Map()
		for _, tmpl := range slices.Sorted(maps.Keys(paths)) {
			if strings.HasPrefix(tmpl, "/demo/") {
				continue // served in demo mode only
			}
			for method, op := range paths[tmpl].Operations() {
				if method == http.MethodDelete && tmpl == "/auth/token" {
					continue // would sign the sweep out
				}
				var calls []call
				// Ids that are not ids, not there, or another provider's.
				if strings.Contains(tmpl, "{") {
					for _, v := range append(slices.Clone(hostilePathValues), store.NewID(), other.client.ID) {
						for _, token := range []string{p.token, portal, ""} {
							calls = append(calls, call{method: method, path: pathWith(tmpl, v),
								token: token, body: plausibleBody(op), broken: true})
						}
					}
				}
				for _, name := range queryParams(op) {
					for _, v := range hostileQueryValues {
						calls = append(calls, call{method: method, path: realPath(tmpl) + "?" +
							url.Values{name: {v}}.Encode(), token: p.token, broken: true})
					}
				}
				for _, body := range hostileBodies(op) {
					for _, token := range []string{p.token, portal} {
						calls = append(calls, call{method: method, path: realPath(tmpl),
							token: token, body: body, broken: true})
					}
				}
				for _, c := range calls {
					res := e.do(t, c)
					statusCount[res.status]++
					if res.status >= 500 {
						body, _ := json.Marshal(c.body)
						t.Errorf("%s %s answered %d: %s\nbody sent: %.300s\nlog: %s", c.method, c.path,
							res.status, res.body, body, lastFailure(e.logs.String()))
					}
				}
			}
		}
	})
}

// queryParams names the operation's query parameters.
func queryParams(op *openapi3.Operation) []string {
	var out []string
	for _, ref := range op.Parameters {
		if ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery {
			out = append(out, ref.Value.Name)
		}
	}
	return out
}

// bodySchema is the operation's JSON request body schema, or nil.
func bodySchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// plausibleBody fills every property of the body schema with a value
// of its type, so that one hostile property gets as far as it can.
func plausibleBody(op *openapi3.Operation) map[string]any {
	s := bodySchema(op)
	if s == nil {
		return nil
	}
	out := map[string]any{}
	for name, ref := range s.Properties {
		out[name] = plausible(ref.Value)
	}
	return out
}

func plausible(s *openapi3.Schema) any {
	switch {
	case s == nil || s.Type == nil:
		return "x"
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Type.Is("integer"), s.Type.Is("number"):
		return 1
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("array"):
		return []any{}
	case s.Type.Is("object"):
		return map[string]any{}
	}
	switch s.Format {
	case "date":
		return "2026-03-10"
	case "date-time":
		return time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC).Format(time.RFC3339)
	case "email":
		return "someone@example.test"
	}
	return "x"
}

// hostileBodies are the plausible body with one property at a time
// replaced by each hostile value, plus an empty and a null body.
func hostileBodies(op *openapi3.Operation) []any {
	base := plausibleBody(op)
	if base == nil {
		return nil
	}
	out := []any{base, map[string]any{}, []any{nil}}
	for _, name := range slices.Sorted(maps.Keys(base)) {
		for _, v := range hostileJSONValues {
			b := make(map[string]any, len(base))
			for k, bv := range base {
				b[k] = bv
			}
			b[name] = v
			out = append(out, b)
		}
	}
	return out
}

// lastFailure is the last "api request failed" line of the log.
func lastFailure(log string) string {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "api request failed") {
			return lines[i]
		}
	}
	return ""
}
