package notes_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

func TestTemplates(t *testing.T) {
	want := map[string]int{"intake": 10, "soap": 4, "dap": 3, "birp": 4, "free": 1}
	got := notes.Templates()
	if len(got) != len(want) {
		t.Fatalf("got %d templates, want %d", len(got), len(want))
	}
	for _, def := range got {
		if len(def.Sections) != want[def.Name] {
			t.Errorf("%s: %d sections, want %d", def.Name, len(def.Sections), want[def.Name])
		}
		if def.Title == "" {
			t.Errorf("%s: no title", def.Name)
		}
	}
	got[0].Sections[0].Key = "changed"
	if def, _ := notes.LookupTemplate(got[0].Name); def.Sections[0].Key == "changed" {
		t.Error("Templates returned the package's own slice")
	}
}

func TestCreateValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		mine := addAppointment(t, db, f.me.ProviderID, f.client)
		theirs := addAppointment(t, db, f.other.ProviderID, f.otherCl)
		long := strings.Repeat("é", notes.MaxFieldChars+1)

		tests := []struct {
			name        string
			template    string
			appointment string
			fields      map[string]string
			wantField   string // "" = valid
		}{
			{"valid soap", "soap", "", map[string]string{"subjective": "ok"}, ""},
			{"valid with appointment", "dap", mine, map[string]string{"data": "ok"}, ""},
			{"longest section", "free", "", map[string]string{"note": long[:len(long)-2]}, ""},
			{"unknown template", "progress", "", nil, "template"},
			{"section of another template", "soap", "", map[string]string{"data": "x"}, "fields.data"},
			{"too long", "free", "", map[string]string{"note": long}, "fields.note"},
			{"invalid utf-8", "free", "", map[string]string{"note": "a\xffb"}, "fields.note"},
			{"another client's appointment", "soap", theirs, nil, "appointment_id"},
			{"malformed appointment", "soap", "nope", nil, "appointment_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count(t, db, "notes")
				n, err := f.svc.Create(context.Background(), f.me, f.client,
					tt.template, tt.appointment, tt.fields)
				if tt.wantField == "" {
					if err != nil {
						t.Fatalf("Create: %v", err)
					}
					if n.Status != notes.StatusDraft || n.Version != 1 ||
						n.AppointmentID != tt.appointment || !n.CreatedAt.Equal(start) {
						t.Errorf("note = %+v", n)
					}
					return
				}
				errs, ok := validation.From(err)
				if !ok || errs.For(tt.wantField) == "" {
					t.Fatalf("err = %v, want a problem with %s", err, tt.wantField)
				}
				if after := count(t, db, "notes"); after != before {
					t.Errorf("notes went from %d to %d on a refused create", before, after)
				}
			})
		}
	})
}

func TestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		n := f.soap(t, "Slept badly.\r\nWorried about work.")
		if n.Fields["subjective"] != "Slept badly.\nWorried about work." {
			t.Errorf("line ends not normalized: %q", n.Fields["subjective"])
		}
		if n.Fields["objective"] != "" || len(n.Fields) != 4 {
			t.Errorf("fields = %v, want all four sections", n.Fields)
		}

		f.clk.Advance(time.Minute)
		n, err := f.svc.SaveDraft(ctx, f.me, n.ID, map[string]string{
			"subjective": "Slept better.", "assessment": "Improving."})
		if err != nil {
			t.Fatalf("SaveDraft: %v", err)
		}
		if n.Version != 2 || n.Fields["plan"] != "" || !n.UpdatedAt.Equal(start.Add(time.Minute)) {
			t.Errorf("after save: version %d, plan %q, updated %v", n.Version, n.Fields["plan"], n.UpdatedAt)
		}

		f.clk.Advance(time.Minute)
		signed, err := f.svc.Sign(ctx, f.me, n.ID)
		if err != nil {
			t.Fatalf("Sign: %v", err)
		}
		if signed.Status != notes.StatusSigned || signed.SignedBy != f.me.UserID ||
			signed.SignedAt == nil || !signed.SignedAt.Equal(start.Add(2*time.Minute)) ||
			signed.ContentHash != notes.ContentHash(signed) {
			t.Fatalf("signed note = %+v", signed)
		}

		got, err := f.svc.Get(ctx, f.me, n.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Fields["subjective"] != "Slept better." || got.ContentHash != signed.ContentHash ||
			!got.SignedAt.Equal(*signed.SignedAt) || got.Status != notes.StatusSigned {
			t.Errorf("Get = %+v", got)
		}

		// Locked for good.
		_, err = f.svc.SaveDraft(ctx, f.me, n.ID, map[string]string{"subjective": "x"})
		wantErr(t, err, notes.ErrLocked)
		_, err = f.svc.SaveDraftVersion(ctx, f.me, n.ID, got.Version, nil)
		wantErr(t, err, notes.ErrLocked)
		_, err = f.svc.Sign(ctx, f.me, n.ID)
		wantErr(t, err, notes.ErrLocked)
		wantErr(t, f.svc.DeleteDraft(ctx, f.me, n.ID), notes.ErrLocked)
		if again, _ := f.svc.Get(ctx, f.me, n.ID); again.Fields["subjective"] != "Slept better." {
			t.Errorf("a refused edit changed the note: %v", again.Fields)
		}

		want := []string{"notes.note.create", "notes.note.update", "notes.note.sign",
			"notes.note.read", "notes.note.read"}
		if got := actions(t, db, n.ID); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("audit = %v, want %v", got, want)
		}
	})
}

func TestSaveDraftVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		n := f.soap(t, "first")

		// Two tabs read version 1; the first saves, the second is stale.
		tab1, err := f.svc.SaveDraftVersion(ctx, f.me, n.ID, 1, map[string]string{"subjective": "tab one"})
		if err != nil {
			t.Fatalf("first save: %v", err)
		}
		_, err = f.svc.SaveDraftVersion(ctx, f.me, n.ID, 1, map[string]string{"subjective": "tab two"})
		wantErr(t, err, store.ErrConflict)
		_, err = f.svc.SignVersion(ctx, f.me, n.ID, 1)
		wantErr(t, err, store.ErrConflict)

		// Saving what is already stored writes nothing.
		same, err := f.svc.SaveDraftVersion(ctx, f.me, n.ID, tab1.Version, tab1.Fields)
		if err != nil || same.Version != tab1.Version {
			t.Fatalf("unchanged save: version %d, err %v; want %d", same.Version, err, tab1.Version)
		}
		got, _ := f.svc.Get(ctx, f.me, n.ID)
		if got.Fields["subjective"] != "tab one" {
			t.Errorf("stale save overwrote the draft: %q", got.Fields["subjective"])
		}
		if _, err := f.svc.SignVersion(ctx, f.me, n.ID, tab1.Version); err != nil {
			t.Fatalf("SignVersion with the current version: %v", err)
		}
	})
}

func TestSignEmptyNote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n, err := f.svc.Create(context.Background(), f.me, f.client, "birp", "",
			map[string]string{"behavior": "  \n "})
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		_, err = f.svc.Sign(context.Background(), f.me, n.ID)
		if errs, ok := validation.From(err); !ok || errs.For("fields") == "" {
			t.Fatalf("Sign of a blank note: err = %v, want a validation error", err)
		}
	})
}

func TestAddenda(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)

		draft := f.soap(t, "draft")
		_, err := f.svc.AddAddendum(ctx, f.me, draft.ID, "too early")
		wantErr(t, err, notes.ErrNotSigned)
		if errs, ok := validation.From(err); !ok || errs.For("text") == "" {
			t.Errorf("addendum on a draft: err = %v, want a validation error on text", err)
		}

		n := f.signed(t, "signed")
		for _, text := range []string{"", "   ", strings.Repeat("x", notes.MaxAddendumChars+1)} {
			_, err := f.svc.AddAddendum(ctx, f.me, n.ID, text)
			if errs, ok := validation.From(err); !ok || errs.For("text") == "" {
				t.Errorf("addendum of %d chars: err = %v, want a validation error", len(text), err)
			}
		}

		f.clk.Advance(24 * time.Hour)
		got, err := f.svc.AddAddendum(ctx, f.me, n.ID, "Client called to add: sleep improved.")
		if err != nil {
			t.Fatalf("AddAddendum: %v", err)
		}
		f.clk.Advance(time.Hour)
		got, err = f.svc.AddAddendum(ctx, f.me, n.ID, "Second addendum.")
		if err != nil {
			t.Fatalf("AddAddendum: %v", err)
		}
		if len(got.Addenda) != 2 || got.Addenda[0].Text != "Client called to add: sleep improved." ||
			!got.Addenda[0].CreatedAt.Equal(start.Add(24*time.Hour)) ||
			got.Addenda[1].AuthorID != f.me.UserID || got.ContentHash != n.ContentHash {
			t.Fatalf("addenda = %+v", got.Addenda)
		}

		// The database itself refuses to change or remove what is signed.
		id := got.Addenda[0].ID
		refused := []string{
			`UPDATE note_addenda SET created_at = created_at + INTERVAL '1 day' WHERE id = $1`,
			`UPDATE note_addenda SET author_id = 'someone' WHERE id = $1`,
			`DELETE FROM note_addenda WHERE id = $1`,
		}
		if db.Dialect() == store.SQLite {
			refused[0] = `UPDATE note_addenda SET created_at = '2000-01-01' WHERE id = $1`
		}
		for _, q := range refused {
			if _, err := db.Writer().ExecContext(ctx, q, id); err == nil {
				t.Errorf("%s: the database allowed it", q)
			}
		}
		for _, q := range []string{
			`UPDATE notes SET content_hash = 'x' WHERE id = $1`,
			`UPDATE notes SET status = 'draft', signed_at = NULL WHERE id = $1`,
			`DELETE FROM notes WHERE id = $1`,
		} {
			if _, err := db.Writer().ExecContext(ctx, q, n.ID); err == nil {
				t.Errorf("%s: the database allowed it", q)
			}
		}
		final, err := f.svc.Get(ctx, f.me, n.ID)
		if err != nil || len(final.Addenda) != 2 || final.Status != notes.StatusSigned {
			t.Errorf("after refused changes: %+v, %v", final, err)
		}
	})
}

func TestDeleteDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		n := f.soap(t, "to delete")
		if err := f.svc.DeleteDraft(ctx, f.me, n.ID); err != nil {
			t.Fatalf("DeleteDraft: %v", err)
		}
		_, err := f.svc.Get(ctx, f.me, n.ID)
		wantErr(t, err, store.ErrNotFound)
		got := actions(t, db, n.ID)
		if len(got) != 2 || got[1] != "notes.note.delete" {
			t.Errorf("audit = %v, want create then delete", got)
		}
		wantErr(t, f.svc.DeleteDraft(ctx, f.me, n.ID), store.ErrNotFound)
	})
}

func TestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		first := f.signed(t, "first")
		if _, err := f.svc.AddAddendum(ctx, f.me, first.ID, "late thought"); err != nil {
			t.Fatalf("AddAddendum: %v", err)
		}
		f.clk.Advance(time.Hour)
		second := f.soap(t, "second")
		if _, err := f.svc.Create(ctx, f.other, f.otherCl, "free", "",
			map[string]string{"note": "someone else's"}); err != nil {
			t.Fatalf("Create for the other provider: %v", err)
		}

		list, err := f.svc.List(ctx, f.me, f.client)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
			t.Fatalf("List = %d notes, want second then first", len(list))
		}
		if len(list[1].Addenda) != 1 || list[1].Addenda[0].Text != "late thought" ||
			len(list[0].Addenda) != 0 || list[0].Fields["subjective"] != "second" {
			t.Errorf("List content = %+v", list)
		}
		if got := actions(t, db, f.client); len(got) != 1 || got[0] != "notes.note.list" {
			t.Errorf("audit for the client = %v, want one notes.note.list", got)
		}
	})
}

// TestScoping holds every call to the owning provider: another
// provider, the client, an administrator and malformed ids all get
// store.ErrNotFound, and nothing changes.
func TestScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		draft := f.soap(t, "draft")
		signed := f.signed(t, "signed")

		outsiders := map[string]access.Actor{
			"other provider":                 f.other,
			"client":                         {UserID: store.NewID(), Role: access.RoleClient, ClientID: f.client},
			"admin":                          {UserID: store.NewID(), Role: access.RoleAdmin},
			"provider role without provider": {UserID: f.me.UserID, Role: access.RoleProvider},
		}
		fields := map[string]string{"subjective": "intruder"}
		for name, a := range outsiders {
			t.Run(name, func(t *testing.T) {
				calls := map[string]error{}
				_, calls["Create"] = f.svc.Create(ctx, a, f.client, "soap", "", fields)
				_, calls["Get"] = f.svc.Get(ctx, a, draft.ID)
				_, calls["List"] = f.svc.List(ctx, a, f.client)
				_, calls["SaveDraft"] = f.svc.SaveDraft(ctx, a, draft.ID, fields)
				_, calls["SaveDraftVersion"] = f.svc.SaveDraftVersion(ctx, a, draft.ID, 1, fields)
				_, calls["Sign"] = f.svc.Sign(ctx, a, draft.ID)
				_, calls["SignVersion"] = f.svc.SignVersion(ctx, a, draft.ID, 1)
				_, calls["AddAddendum"] = f.svc.AddAddendum(ctx, a, signed.ID, "x")
				calls["DeleteDraft"] = f.svc.DeleteDraft(ctx, a, draft.ID)
				for call, err := range calls {
					if !isNotFound(err) {
						t.Errorf("%s: err = %v, want store.ErrNotFound", call, err)
					}
				}
			})
		}

		// Malformed ids, even for the owner.
		for _, id := range []string{"", "x", "'; DROP TABLE notes; --", draft.ID + "0"} {
			if _, err := f.svc.Get(ctx, f.me, id); !isNotFound(err) {
				t.Errorf("Get(%q): err = %v, want store.ErrNotFound", id, err)
			}
			if _, err := f.svc.List(ctx, f.me, id); !isNotFound(err) {
				t.Errorf("List(%q): err = %v, want store.ErrNotFound", id, err)
			}
		}

		got, err := f.svc.Get(ctx, f.me, draft.ID)
		if err != nil || got.Fields["subjective"] != "draft" || got.Version != 1 {
			t.Errorf("draft after outsiders: %+v, %v", got.Fields, err)
		}
		if n := count(t, db, "notes"); n != 2 {
			t.Errorf("%d notes, want 2", n)
		}
	})
}
