package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// hostileFormValues fill every field of a form at once.
var hostileFormValues = []string{"", "-1", "abc", "2026-02-30", "25:61", "99999999999999999999",
	"<script>alert(1)</script>", "' OR 1=1 --", "a\x00b", "\xff\xfe", strings.Repeat("é", 300)}

// hostileFieldValues replace one field of a filled-in form at a time.
var hostileFieldValues = []string{"a\x00b", "\xff\xfe", "2026-02-30", "-1", strings.Repeat("é", 300)}

// hostilePathParts stand in for ids, slugs and tokens in paths.
var hostilePathParts = []string{"not-an-id", "%00", "%FF", strings.Repeat("7", 300)}

// sweepSkipped are routes the sweep leaves alone: signing out would end
// its sessions, and first-run setup is done.
var sweepSkipped = []string{"POST /logout", "POST /logout/all", "POST /setup"}

// sweepLast are the routes that count failed sign-ins per address: they
// run last, signed out, so their throttling cannot lock the sweep out.
var sweepLast = []string{"POST /login", "POST /login/mfa", "POST /login/link", "POST /forgot",
	"POST /reset/{token}", "POST /login/link/{token}"}

// TestNoPageFailsOnHostileInput sends every route of the site hostile
// input: ids that are not ids or are another provider's, and forms with
// every field the site's pages use set to one hostile value at a time,
// as the provider, their client and a visitor. No answer may be a 5xx
// or show a stack trace: nothing a browser can send may break a page.
func TestNoPageFailsOnHostileInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := schedSite(t, db)
		ctx := context.Background()
		pro := s.provider("sweep@example.org")
		portal := s.client("portal@example.org", pro.ProviderID)
		c := portal.ClientID
		other := s.provider("other@example.org")
		foreign := s.newClient(other, clients.Input{FirstName: "Ola", LastName: "Nordmann",
			Email: "ola@example.org"})
		appt := s.book(pro, scheduling.NewAppointment{ClientID: c, Start: at(3, 10, 10, 0)})[0]
		note, err := s.notes.Create(ctx, providerActor(pro), c, "soap", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		form, err := s.forms.Assign(ctx, providerActor(pro), c, s.templateID(pro, "PHQ-9"))
		if err != nil {
			t.Fatal(err)
		}
		av, err := s.sched.Availability(ctx, providerActor(pro))
		if err != nil {
			t.Fatal(err)
		}

		// The real value of each path parameter, by the path it is in.
		realPart := func(path, param string) string {
			switch {
			case param == "client_id":
				return c
			case param == "slug":
				return av.Slug
			case param != "id":
				return "x"
			case strings.HasPrefix(path, "/clients/"):
				return c
			case strings.HasPrefix(path, "/appointments/"):
				return appt.ID
			case strings.HasPrefix(path, "/notes/"):
				return note.ID
			case strings.Contains(path, "/forms/"):
				return form.ID
			}
			return store.NewID()
		}
		param := regexp.MustCompile(`\{([a-z_]+)(?:\.\.\.)?\}`)
		fill := func(path string, value func(param string) string) string {
			return param.ReplaceAllStringFunc(path, func(m string) string {
				return value(param.FindStringSubmatch(m)[1])
			})
		}

		routes := siteRoutes(t)
		proBrowser, clientBrowser, visitor := s.browser(), s.browser(), s.browser()
		proBrowser.signIn("sweep@example.org", "/dashboard")
		clientBrowser.signIn("portal@example.org", "/portal")
		signedIn := []struct {
			b     *browser
			email string
			home  string
		}{{proBrowser, "sweep@example.org", "/dashboard"}, {clientBrowser, "portal@example.org", "/portal"}}

		// Every form on the site's pages, as a browser would submit it,
		// and the union of their field names.
		var pageForms []siteForm
		seen := map[string]bool{}
		fields := map[string]bool{}
		for _, r := range routes {
			method, path, _ := strings.Cut(r, " ")
			if method != http.MethodGet {
				continue
			}
			for i, sb := range signedIn {
				page := sb.b.get(fill(path, func(p string) string { return realPart(path, p) }))
				for _, f := range formsIn(t, page.body) {
					key := fmt.Sprint(i, f.action, slices.Sorted(maps.Keys(f.fields)))
					if seen[key] {
						continue
					}
					seen[key] = true
					f.as = i
					pageForms = append(pageForms, f)
					for name := range f.fields {
						fields[name] = true
					}
				}
			}
		}
		if len(pageForms) < 20 {
			t.Fatalf("found only %d forms on the site's pages", len(pageForms))
		}
		forms := []url.Values{{}}
		for _, v := range hostileFormValues {
			f := url.Values{}
			for name := range fields {
				f.Set(name, v)
			}
			forms = append(forms, f)
		}

		check := func(b *browser, method, path string, form url.Values) {
			t.Helper()
			var p page
			if method == http.MethodGet {
				p = b.get(path)
			} else {
				p = b.post(path, form)
			}
			if p.StatusCode >= 500 || strings.Contains(p.body, "goroutine ") {
				t.Errorf("%s %s answered %d (form %.120s):\n%.400s", method, path,
					p.StatusCode, form.Encode(), p.body)
			}
		}
		run := func(route string, browsers []*browser) {
			method, path, _ := strings.Cut(route, " ")
			paths := []string{fill(path, func(p string) string { return realPart(path, p) })}
			if strings.Contains(path, "{") {
				for _, part := range append(slices.Clone(hostilePathParts), store.NewID(), foreign.ID) {
					paths = append(paths, fill(path, func(string) string { return part }))
				}
			}
			for _, b := range browsers {
				for i, p := range paths {
					switch {
					case method == http.MethodGet:
						check(b, method, p, nil)
						check(b, method, p+"?q=%00&from=2026-02-30&page=-1", nil)
					case i == 0:
						// The real path gets every hostile form.
						for _, f := range forms {
							check(b, method, p, f)
						}
					default:
						check(b, method, p, forms[len(forms)-1])
					}
				}
			}
		}

		for _, route := range routes {
			if slices.Contains(sweepSkipped, route) || slices.Contains(sweepLast, route) {
				continue
			}
			run(route, []*browser{proBrowser, clientBrowser, visitor})
			// A route that ended a session (a password change, say) is
			// followed by signing in again.
			for _, sb := range signedIn {
				if home := sb.b.get(sb.home); home.StatusCode != http.StatusOK {
					sb.b.signIn(sb.email, sb.home)
				}
			}
		}
		// Each form as its page fills it in, with one field at a time
		// made hostile; forms that end or remove something go last.
		slices.SortStableFunc(pageForms, func(a, b siteForm) int {
			return cmpBool(final(a.action), final(b.action))
		})
		for _, f := range pageForms {
			if slices.Contains(sweepSkipped, "POST "+f.action) {
				continue
			}
			sb := signedIn[f.as]
			check(sb.b, http.MethodPost, f.action, f.fields)
			for _, name := range slices.Sorted(maps.Keys(f.fields)) {
				for _, v := range hostileFieldValues {
					mutated := cloneValues(f.fields)
					mutated.Set(name, v)
					check(sb.b, http.MethodPost, f.action, mutated)
				}
			}
			if home := sb.b.get(sb.home); home.StatusCode != http.StatusOK {
				sb.b.signIn(sb.email, sb.home)
			}
		}

		for _, route := range sweepLast {
			run(route, []*browser{visitor})
		}
	})
}

// siteRoutes reads the site's route patterns from its route table, so
// a new route is swept without being listed here. The JSON API, static
// files and the probes are left out: the API has a sweep of its own.
func siteRoutes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("routes*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("route files: %v", err)
	}
	pattern := regexp.MustCompile(`m\.Handle(?:Func)?\("((?:GET|POST|PUT|PATCH|DELETE) /[^"]*)"`)
	var out []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(src), -1) {
			route := m[1]
			_, path, _ := strings.Cut(route, " ")
			if strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/api/") ||
				path == "/healthz" || path == "/readyz" || path == "/metrics" {
				continue
			}
			out = append(out, strings.TrimSuffix(route, "{$}"))
		}
	}
	if len(out) < 50 {
		t.Fatalf("read only %d routes from %v", len(out), files)
	}
	return out
}

// siteForm is a POST form found on a page: where it posts and the
// values a browser would send unchanged. as is the index of the signed-in
// browser whose page held it.
type siteForm struct {
	action string
	fields url.Values
	as     int
}

// formsIn parses the POST forms of an HTML page: inputs with their
// values (checkboxes and radios only when checked), textareas with
// their text and selects with their selected or first option.
func formsIn(t *testing.T, body string) []siteForm {
	t.Helper()
	var (
		out      []siteForm
		cur      *siteForm
		textarea string // name of the textarea being read
		sel      string // name of the select being read
		selSet   bool   // whether the select has its value
	)
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if cur != nil && textarea != "" {
				cur.fields.Set(textarea, cur.fields.Get(textarea)+string(z.Text()))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "form":
				if cur != nil {
					out = append(out, *cur)
				}
				cur = nil
			case "textarea":
				textarea = ""
			case "select":
				sel = ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch string(name) {
			case "form":
				cur = nil
				if strings.EqualFold(attrs["method"], "post") && strings.HasPrefix(attrs["action"], "/") {
					cur = &siteForm{action: attrs["action"], fields: url.Values{}}
				}
			case "input":
				if cur == nil || attrs["name"] == "" {
					continue
				}
				switch attrs["type"] {
				case "checkbox", "radio":
					if _, on := attrs["checked"]; on {
						cur.fields.Add(attrs["name"], valueOr(attrs, "on"))
					}
				case "file", "submit", "button", "image":
				default:
					cur.fields.Add(attrs["name"], attrs["value"])
				}
			case "textarea":
				if cur != nil && attrs["name"] != "" {
					textarea = attrs["name"]
					cur.fields.Set(textarea, "")
				}
			case "select":
				if cur != nil && attrs["name"] != "" {
					sel, selSet = attrs["name"], false
				}
			case "option":
				if cur == nil || sel == "" {
					continue
				}
				if _, chosen := attrs["selected"]; chosen || !selSet {
					cur.fields.Set(sel, attrs["value"])
					selSet = true
				}
			}
		}
	}
}

func valueOr(attrs map[string]string, def string) string {
	if v, ok := attrs["value"]; ok {
		return v
	}
	return def
}

// final reports whether posting to action ends or removes something, so
// the forms after it would find nothing left to work on.
func final(action string) bool {
	for _, word := range []string{"archive", "cancel", "delete", "sign", "remove", "retract",
		"revoke", "no-show", "dismiss", "logout", "disable", "reset"} {
		if strings.Contains(action, word) {
			return true
		}
	}
	return false
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
