package records_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestWritePDF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		rec, err := e.exporter.Export(context.Background(), e.provider, e.client.ClientID)
		if err != nil {
			t.Fatalf("Export: %v", err)
		}
		var buf bytes.Buffer
		if err := records.WritePDF(&buf, rec); err != nil {
			t.Fatalf("WritePDF: %v", err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("PDF starts with %q", pdf[:min(len(pdf), 8)])
		}
		if !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
			t.Fatal("PDF does not end with the end-of-file marker")
		}

		// The page tree's count matches the page objects, and the long
		// note pushed the record past one page.
		pages := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1))
		m := regexp.MustCompile(`/Count (\d+)`).FindSubmatch(pdf)
		if m == nil {
			t.Fatal("PDF has no page count")
		}
		count, _ := strconv.Atoi(string(m[1]))
		if count != pages || count < 2 {
			t.Fatalf("/Count %d, %d page objects; want equal and at least 2", count, pages)
		}

		text := pdfToText(t, pdf)
		if text == "" {
			return
		}
		want := []string{
			"José Álvarez, LCSW", "Zoë Núñez (Zo)", "Date of birth 1988-07-14",
			"Confidential", "Page 1 of " + strconv.Itoa(count),
			"Page " + strconv.Itoa(count) + " of " + strconv.Itoa(count),
			"exported November 4, 2025", "12 Façade Way", "PHQ-9",
			"Continue CBT weekly", "Late entry: client called, doing well.",
			"DRAFT - not signed", "Consent to treatment",
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range want {
			if !strings.Contains(flat, w) {
				t.Errorf("PDF text lacks %q", w)
			}
		}
	})
}

// pdfToText extracts the PDF's text with poppler's pdftotext, or returns
// "" (skipping the text checks) when the tool is not installed.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if storetest.RequireAll() {
			t.Fatal("pdftotext (poppler-utils) is not installed and TEND_TEST_REQUIRE_ALL=1")
		}
		t.Log("pdftotext not installed; text checks skipped")
		return ""
	}
	path := filepath.Join(t.TempDir(), "record.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatalf("write PDF: %v", err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFTextTransliterates(t *testing.T) {
	rec := records.Record{Format: records.FormatVersion,
		Client: records.Client{FirstName: "Łukasz", LastName: "Dvořák-Nguyễn 😀"}}
	var buf bytes.Buffer
	if err := records.WritePDF(&buf, rec); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	text := pdfToText(t, buf.Bytes())
	if text == "" {
		return
	}
	if !strings.Contains(text, "Lukasz Dvorák-Nguyen ?") {
		t.Errorf("PDF text = %q, want the name transliterated", text)
	}
}
