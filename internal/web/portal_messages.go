package web

import (
	"net/http"

	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/web/ui"
)

// portalMessagesView gathers the client's inbox. With markRead, the
// provider's unread messages are marked read once the page has them.
func (s *server) portalMessagesView(r *http.Request, f ui.Form, markRead bool) (ui.PortalMessagesView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	clientID := v.user.ClientID
	name, loc, err := s.clientProvider(ctx, clientID)
	if err != nil {
		return ui.PortalMessagesView{}, err
	}
	msgs, err := s.Messaging.Messages(ctx, v.actor, clientID)
	if err != nil {
		return ui.PortalMessagesView{}, err
	}
	unread := unreadTo(msgs, messaging.SenderClient)
	if markRead && len(unread) > 0 {
		if err := s.Messaging.MarkThreadRead(ctx, v.actor, clientID); err != nil {
			return ui.PortalMessagesView{}, err
		}
	}
	view := ui.PortalMessagesView{ProviderName: name, Unread: len(unread),
		Reply: s.replyFor("/portal/messages", f), Notice: messageNotices[r.URL.Query().Get("done")]}
	view.Reply.Submit = "Send to " + name
	threads, err := s.Messaging.Threads(ctx, v.actor)
	if err != nil {
		return ui.PortalMessagesView{}, err
	}
	for _, t := range threads {
		if t.ClientID == clientID && t.Archived {
			view.Reply.Closed = msgPortalClosed
		}
	}
	rows := rowFor{side: messaging.SenderClient, other: name, now: s.Clock.Now(), loc: loc,
		retractBase: "/portal/messages/", unread: unread}
	for _, m := range msgs {
		view.Messages = append(view.Messages, rows.row(m))
	}
	return view, nil
}

// msgPortalClosed tells a client whose record is archived why they
// cannot write.
const msgPortalClosed = "Messaging is not available for your account at the moment. " +
	"Please contact your provider's office."

// portalMessages is the client's inbox.
func (s *server) portalMessages(w http.ResponseWriter, r *http.Request) error {
	view, err := s.portalMessagesView(r, ui.Form{Values: map[string]string{}}, true)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.PortalMessagesPage(s.shellFor(r, "Messages", "/portal/messages"), view))
	return nil
}

// portalSend sends the client's message to their provider.
func (s *server) portalSend(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	f, err := s.send(w, r, v.user.ClientID)
	if err != nil || f == nil {
		return err
	}
	view, err := s.portalMessagesView(r, *f, false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusUnprocessableEntity,
		ui.PortalMessagesPage(s.shellFor(r, "Messages", "/portal/messages"), view))
	return nil
}

// portalRetract retracts one of the client's own messages.
func (s *server) portalRetract(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Messaging.Retract(r.Context(), v.actor, r.PathValue("message_id")); err != nil {
		return err
	}
	return redirect(w, r, "/portal/messages?done=retracted")
}
