package web

import (
	"errors"
	"net/http"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// setupForm shows the first-run page while no administrator exists;
// afterwards /setup does not exist.
func (s *server) setupForm(w http.ResponseWriter, r *http.Request) error {
	if s.setupDone.Load() {
		return store.ErrNotFound
	}
	s.render(w, r, http.StatusOK, ui.Setup(s.pageFor(r, "Set up Tend"), ui.Form{}))
	return nil
}

// setupSubmit creates the first administrator and signs them in.
func (s *server) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.setupDone.Load() {
		return store.ErrNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	name, email := formValue(r, "display_name"), formValue(r, "email")
	password, confirm := secretValue(r, "password"), secretValue(r, "confirm")
	f := ui.Form{Values: map[string]string{"display_name": name, "email": email}}
	page := s.pageFor(r, "Set up Tend")
	if name == "" {
		f.SetError("display_name", "Enter your name.")
	}
	if password != confirm {
		f.SetError("confirm", "The two passwords do not match.")
	}
	if f.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, ui.Setup(page, f))
		return nil
	}

	u, err := s.Auth.CreateFirstAdmin(r.Context(), email, password, name, clientIP(r), r.UserAgent())
	switch {
	case errors.Is(err, auth.ErrAlreadySetUp):
		s.setupDone.Store(true)
		return store.ErrNotFound
	case fieldError(&f, err, nil):
		s.render(w, r, http.StatusUnprocessableEntity, ui.Setup(page, f))
		return nil
	case err != nil:
		return err
	}
	s.setupDone.Store(true)
	return s.signIn(w, r, u, "")
}
