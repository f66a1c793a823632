package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
)

// TestRoutesMatchDocument holds the route table and the OpenAPI document
// to each other: a route missing from the document, or a documented
// operation nothing serves, fails.
func TestRoutesMatchDocument(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(Document(), &doc); err != nil {
		t.Fatalf("parse openapi.json: %v", err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(documented)

	// Demo mode registers every route there is.
	start := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	h := New(Deps{
		Config: config.Config{Demo: true}, TestClock: clock.NewFrozen(start),
	}).(*server)
	served := slices.Sorted(slices.Values(h.patterns))
	if !slices.Equal(served, documented) {
		t.Errorf("routes and document differ\nserved:     %q\ndocumented: %q", served, documented)
	}
}

// TestOpenAPIServed checks the document is served as is, without a
// token.
func TestOpenAPIServed(t *testing.T) {
	h := New(Deps{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if rec.Body.String() != string(Document()) {
		t.Error("served document differs from the embedded one")
	}
}

// TestPanicIsJSON500 checks a panicking handler answers like any other
// internal error, with the details in the log only.
func TestPanicIsJSON500(t *testing.T) {
	var logs bytes.Buffer
	s := New(Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).(*server)
	s.handle("GET /boom", s.public(func(http.ResponseWriter, *http.Request) error {
		panic("secret detail")
	}))

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/boom", nil))
	want := `{"error":{"code":"internal","message":"internal error"}}`
	if rec.Code != http.StatusInternalServerError || strings.TrimSpace(rec.Body.String()) != want {
		t.Errorf("got %d %s, want 500 %s", rec.Code, rec.Body, want)
	}
	if !strings.Contains(logs.String(), "secret detail") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
}
