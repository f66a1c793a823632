package records_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/pdftext/pdftest"
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

		// The long note pushed the record past one page.
		count := pdftest.Pages(t, pdf)
		if count < 2 {
			t.Fatalf("%d pages, want at least 2", count)
		}

		text := pdftest.Text(t, pdf)
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

func TestPDFTextTransliterates(t *testing.T) {
	rec := records.Record{Format: records.FormatVersion,
		Client: records.Client{FirstName: "Łukasz", LastName: "Dvořák-Nguyễn 😀"}}
	var buf bytes.Buffer
	if err := records.WritePDF(&buf, rec); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	text := pdftest.Text(t, buf.Bytes())
	if !strings.Contains(text, "Lukasz Dvorák-Nguyen ?") {
		t.Errorf("PDF text = %q, want the name transliterated", text)
	}
}
