package web

import (
	"net/http"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// notificationsView gathers the notification settings; a provider's
// welcome message comes with them.
func (s *server) notificationsView(r *http.Request) (ui.NotificationsView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	prefs, err := s.Messaging.NotificationPrefs(ctx, v.actor)
	if err != nil {
		return ui.NotificationsView{}, err
	}
	view := ui.NotificationsView{Email: prefs.EmailMessages, Provider: v.user.Role == access.RoleProvider}
	if r.URL.Query().Get("saved") == "1" {
		view.Notice = "Your notification settings have been saved."
	}
	if view.Provider {
		wl, err := s.Messaging.Welcome(ctx, v.actor)
		if err != nil {
			return ui.NotificationsView{}, err
		}
		view.WelcomeEnabled, view.WelcomeTemplate = wl.Enabled, wl.Template
	}
	return view, nil
}

// settingsNotifications shows the notification settings.
func (s *server) settingsNotifications(w http.ResponseWriter, r *http.Request) error {
	view, err := s.notificationsView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.SettingsNotifications(s.settingsShell(r, "Notifications"), view))
	return nil
}

// saveNotifications saves the notification settings and, for a
// provider, the welcome message.
func (s *server) saveNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	email := r.PostFormValue("email_messages") == "1"
	if v.user.Role == access.RoleProvider {
		enabled := r.PostFormValue("welcome_enabled") == "1"
		text := r.PostFormValue("welcome_template")
		if len(text) > maxTextBytes {
			text = text[:maxTextBytes]
		}
		if err := s.Messaging.SetWelcome(ctx, v.actor, enabled, text); err != nil {
			errs, ok := validation.From(err)
			if !ok {
				return err
			}
			view := ui.NotificationsView{Email: email, Provider: true, WelcomeEnabled: enabled, WelcomeTemplate: text}
			for _, e := range errs {
				view.Form.SetError("welcome_template", e.Message)
			}
			s.render(w, r, http.StatusUnprocessableEntity,
				ui.SettingsNotifications(s.settingsShell(r, "Notifications"), view))
			return nil
		}
	}
	if err := s.Messaging.SetNotificationPrefs(ctx, v.actor, messaging.Prefs{EmailMessages: email}); err != nil {
		return err
	}
	return redirect(w, r, "/settings/notifications?saved=1")
}
