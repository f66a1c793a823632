package records_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestExportJSON(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		rec, err := e.exporter.Export(context.Background(), e.provider, e.client.ClientID)
		if err != nil {
			t.Fatalf("Export: %v", err)
		}

		var buf bytes.Buffer
		if err := records.WriteJSON(&buf, rec); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		first := buf.String()
		back, err := records.ReadJSON(strings.NewReader(first))
		if err != nil {
			t.Fatalf("ReadJSON: %v", err)
		}
		buf.Reset()
		if err := records.WriteJSON(&buf, back); err != nil {
			t.Fatalf("WriteJSON again: %v", err)
		}
		if buf.String() != first {
			t.Fatal("JSON did not survive a round trip unchanged")
		}

		// What the record holds, read back from the JSON.
		if back.Client.FirstName != "Zoë" || back.Client.DateOfBirth != "1988-07-14" ||
			back.Practice.ProviderName != "José Álvarez, LCSW" ||
			!back.ExportedAt.Equal(e.clk.Now().Truncate(1e9)) {
			t.Errorf("header = %+v %+v", back.Client, back.Practice)
		}
		if len(back.Forms) != 2 || len(back.Measures) != 1 || len(back.Notes) != 2 {
			t.Fatalf("forms %d, measures %d, notes %d; want 2, 1, 2",
				len(back.Forms), len(back.Measures), len(back.Notes))
		}
		phq := back.Forms[1]
		if phq.Instrument != "phq9" || phq.Status != "signed" || phq.SignedName != "Zoë Núñez" ||
			phq.Score == nil || phq.Score.Total != 8 || len(phq.Answers) != 9 ||
			!strings.HasSuffix(phq.Answers[0].Answer, "(2)") {
			t.Errorf("PHQ-9 = %+v", phq)
		}
		if consent := back.Forms[0]; consent.Status != "assigned" || len(consent.Answers) != 0 {
			t.Errorf("unsigned form = %+v", consent)
		}
		if m := back.Measures[0]; m.Total != 8 || m.Band != "mild" || m.FormID != phq.ID {
			t.Errorf("measure = %+v", m)
		}
		draft, signed := back.Notes[0], back.Notes[1]
		if signed.ID != e.signed.ID || signed.Status != "signed" ||
			signed.ContentHash != e.signed.ContentHash || len(signed.Sections) != 4 ||
			!strings.HasPrefix(signed.Sections[0].Text, "Zoë reports less worry") ||
			len(signed.Addenda) != 1 || signed.Addenda[0].Text != "Late entry: client called, doing well." {
			t.Errorf("signed note = %+v", signed)
		}
		if draft.ID != e.draft.ID || draft.Status != "draft" || draft.SignedAt != nil ||
			draft.TemplateTitle != "DAP note" {
			t.Errorf("draft note = %+v", draft)
		}

		// snake_case keys, lists never null.
		var raw map[string]any
		if err := json.Unmarshal([]byte(first), &raw); err != nil {
			t.Fatalf("decode: %v", err)
		}
		client := raw["client"].(map[string]any)
		for _, key := range []string{"first_name", "date_of_birth", "emergency_contact", "diagnoses", "archived_at"} {
			if _, ok := client[key]; !ok {
				t.Errorf("client has no %q key", key)
			}
		}
		note := raw["notes"].([]any)[0].(map[string]any)
		for _, key := range []string{"content_hash", "signed_at", "sections", "addenda"} {
			if _, ok := note[key]; !ok {
				t.Errorf("note has no %q key", key)
			}
		}
		if note["addenda"] == nil {
			t.Error("a note without addenda has addenda: null, want []")
		}

		got := exports(t, db)
		if len(got) != 1 || got[0] != "forms=2 measures=1 notes=2" {
			t.Errorf("export audit details = %v", got)
		}
	})
}

func TestExportScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		outsiders := map[string]access.Actor{
			"other provider": e.other,
			"the client":     e.client,
			"admin":          {UserID: store.NewID(), Role: access.RoleAdmin},
		}
		for name, a := range outsiders {
			if _, err := e.exporter.Export(context.Background(), a, e.client.ClientID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: err = %v, want store.ErrNotFound", name, err)
			}
		}
		if _, err := e.exporter.Export(context.Background(), e.provider, "not-an-id"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("malformed id: err = %v, want store.ErrNotFound", err)
		}
		if got := exports(t, db); len(got) != 0 {
			t.Errorf("refused exports were audited as exports: %v", got)
		}
	})
}
