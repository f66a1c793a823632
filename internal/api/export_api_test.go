package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func init() {
	// PDF downloads are checked against the document like any response;
	// kin-openapi needs to be told how to read their bodies.
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
}

func TestExportClientRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		c := e.createClient(t, p.token, map[string]any{"first_name": "Noa", "last_name": "Park",
			"email": "noa@example.test", "date_of_birth": "1985-07-01",
			"diagnoses": []map[string]any{{"code": "F32.1",
				"description": "Major depressive disorder, single episode, moderate"}}})
		noa := e.portalToken(t, "noa@example.test", c.ID)
		form := e.assign(t, p.token, c.ID, e.templateFor(t, p.token, "phq9").ID)
		res := e.do(t, call{method: http.MethodPost, path: "/forms/" + form.ID + "/sign", token: noa,
			body: map[string]any{"answers": phq9Answers("0"), "signed_name": "Noa Park"}})
		wantStatus(t, res, http.StatusOK)
		n := e.newNote(t, p.token, c.ID, map[string]any{"template": "soap",
			"fields": map[string]string{"assessment": "Mood improving."}})
		res = e.do(t, call{method: http.MethodPost, path: "/notes/" + n.ID + "/sign", token: p.token})
		wantStatus(t, res, http.StatusOK)

		// JSON (the default format).
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/export", token: p.token})
		wantStatus(t, res, http.StatusOK)
		if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition %q", cd)
		}
		var rec struct {
			Format string `json:"format"`
			Client struct {
				ID        string `json:"id"`
				FirstName string `json:"first_name"`
			} `json:"client"`
			Forms    []struct{ ID string } `json:"forms"`
			Measures []struct{ Total int } `json:"measures"`
			Notes    []struct {
				ID       string `json:"id"`
				Sections []struct{ Key, Text string }
			} `json:"notes"`
		}
		if err := json.Unmarshal(res.body, &rec); err != nil {
			t.Fatalf("decode export: %v", err)
		}
		if rec.Client.ID != c.ID || rec.Client.FirstName != "Noa" || len(rec.Forms) != 1 ||
			len(rec.Measures) != 1 || rec.Measures[0].Total != 8 || len(rec.Notes) != 1 {
			t.Errorf("export %+v", rec)
		}

		// PDF.
		res = e.do(t, call{method: http.MethodGet, token: p.token,
			path: "/clients/" + c.ID + "/export?format=pdf"})
		wantStatus(t, res, http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, ".pdf") ||
			!strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !bytes.HasPrefix(res.body, []byte("%PDF-")) || len(res.body) < 1000 {
			t.Errorf("not a PDF: %d bytes starting %q", len(res.body), res.body[:min(len(res.body), 16)])
		}
		if n := e.countWhere(t, "audit_log", "action = $1", "records.client.export"); n != 2 {
			t.Errorf("%d export audit entries, want 2", n)
		}

		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/export?format=docx",
			token: p.token, broken: true})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "format")
	})
}
