package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// messageNotices are the notices a redirect asks for with ?done=.
var messageNotices = map[string]string{
	"sent":      "Your message has been sent.",
	"retracted": "The message has been retracted.",
}

// maxQuery bounds a search.
const maxQuery = 200

// searchQuery is the trimmed ?q= of a page.
func searchQuery(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	return q
}

// messagesPage lists the provider's threads, newest activity first, and
// with ?q= the messages of every thread that match.
func (s *server) messagesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	threads, err := s.Messaging.Threads(ctx, v.actor)
	if err != nil {
		return err
	}
	slices.SortStableFunc(threads, func(a, b messaging.Thread) int {
		return lastAt(b).Compare(lastAt(a))
	})
	loc, now := s.zoneFor(ctx, v), s.Clock.Now()
	view := ui.MessagesView{Query: searchQuery(r), Notice: messageNotices[r.URL.Query().Get("done")]}
	names := map[string]string{}
	for _, t := range threads {
		names[t.ClientID] = t.ClientName
		if t.LastMessageAt == nil {
			continue
		}
		row := ui.ThreadRow{ClientID: t.ClientID, Name: t.ClientName, LastLine: t.LastLine,
			When: messageTime(*t.LastMessageAt, now, loc), Unread: t.UnreadCount, Archived: t.Archived}
		if row.LastLine == "" {
			row.LastLine = "Message retracted"
		}
		view.Threads = append(view.Threads, row)
	}
	if view.Query != "" {
		found, err := s.Messaging.Search(ctx, v.actor, view.Query, "")
		if err != nil {
			return err
		}
		for _, m := range found {
			f := rowFor{side: messaging.SenderProvider, other: names[m.ClientID], now: now, loc: loc}
			view.Hits = append(view.Hits, f.hit(m, names[m.ClientID], "/messages/"+m.ClientID))
		}
	}
	s.render(w, r, http.StatusOK, ui.MessagesPage(s.shellFor(r, "Messages", "/messages"), view))
	return nil
}

// composePage picks the client to write to; with ?client= it opens
// that client's thread.
func (s *server) composePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	f := ui.Form{Values: map[string]string{}}
	status := http.StatusOK
	if id := r.URL.Query().Get("client"); r.URL.Query().Has("client") {
		f.Values["client"] = id
		c, err := s.Clients.Get(ctx, v.actor, id)
		switch {
		case err == nil && c.Status == clients.StatusArchived:
			f.SetError("client", "This client is archived. Unarchive them from their page to write to them.")
		case err == nil:
			return redirect(w, r, "/messages/"+url.PathEscape(c.ID))
		default:
			f.SetError("client", "Choose a client.")
		}
		status = http.StatusUnprocessableEntity
	}
	page, err := s.Clients.List(ctx, v.actor, clients.Query{Tab: clients.StatusActive, Limit: clients.MaxLimit})
	if err != nil {
		return err
	}
	view := ui.ComposeView{Form: f}
	for _, c := range page.Items {
		view.Clients = append(view.Clients, ui.Option{Value: c.ID, Label: clientListName(c)})
	}
	s.render(w, r, status, ui.ComposePage(s.shellFor(r, "Compose message", "/messages"), view))
	return nil
}

// replyFor is the message form of a thread.
func (s *server) replyFor(action string, f ui.Form) ui.ReplyForm {
	lim := s.Messaging.Limits()
	return ui.ReplyForm{Action: action, Form: f, MaxFiles: lim.MaxFiles, MaxSize: limitSize(lim.MaxFileBytes),
		Types: messaging.AllowedTypesText, Submit: "Send message"}
}

// threadView gathers a provider's thread with one client. With
// markRead, the client's unread messages are marked read after they
// were read for the page, so they still show as new this once.
func (s *server) threadView(r *http.Request, clientID string, f ui.Form, markRead bool) (ui.ThreadView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	c, err := s.Clients.Get(ctx, v.actor, clientID)
	if err != nil {
		return ui.ThreadView{}, err
	}
	msgs, err := s.Messaging.Messages(ctx, v.actor, c.ID)
	if err != nil {
		return ui.ThreadView{}, err
	}
	unread := unreadTo(msgs, messaging.SenderProvider)
	if markRead && len(unread) > 0 {
		if err := s.Messaging.MarkThreadRead(ctx, v.actor, c.ID); err != nil {
			return ui.ThreadView{}, err
		}
	}
	loc, now := s.zoneFor(ctx, v), s.Clock.Now()
	base := "/messages/" + url.PathEscape(c.ID)
	view := ui.ThreadView{ClientID: c.ID, ClientName: fullName(c), Reply: s.replyFor(base, f),
		ClientHref: "/clients/" + url.PathEscape(c.ID), FollowUp: s.followUpHref(c.ID),
		Query: searchQuery(r), Notice: messageNotices[r.URL.Query().Get("done")]}
	if c.Status == clients.StatusArchived {
		view.Reply.Closed = "This client is archived, so no new messages can be sent. " +
			"Unarchive the client from their record to write to them again."
	}
	rows := rowFor{side: messaging.SenderProvider, other: c.DisplayName(), now: now, loc: loc,
		retractBase: base + "/", unread: unread}
	for _, m := range msgs {
		view.Messages = append(view.Messages, rows.row(m))
	}
	if view.Query != "" {
		view.Searched = true
		found, err := s.Messaging.Search(ctx, v.actor, view.Query, c.ID)
		if err != nil {
			return ui.ThreadView{}, err
		}
		for _, m := range found {
			view.Hits = append(view.Hits, rows.hit(m, view.ClientName, base))
		}
	}
	return view, nil
}

// followUpHref is where the thread's "Schedule a follow-up" leads: the
// client page's follow-up form when scheduling is on, else a new
// appointment for the client.
func (s *server) followUpHref(clientID string) string {
	if s.Scheduling != nil {
		return "/clients/" + url.PathEscape(clientID) + "#follow-up"
	}
	return "/appointments/new?client=" + url.QueryEscape(clientID)
}

// threadPage shows a thread and marks the client's messages read.
func (s *server) threadPage(w http.ResponseWriter, r *http.Request) error {
	view, err := s.threadView(r, r.PathValue("client_id"), ui.Form{Values: map[string]string{}}, true)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.ThreadPage(s.shellFor(r, view.ClientName, "/messages"), view))
	return nil
}

// sendMessage sends the provider's message with its attachments.
func (s *server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	clientID := r.PathValue("client_id")
	// Scope first: another provider's client is a 404 before anything is read.
	if _, err := s.Clients.Get(ctx, v.actor, clientID); err != nil {
		return err
	}
	f, err := s.send(w, r, clientID)
	if err != nil || f == nil {
		return err
	}
	view, err := s.threadView(r, clientID, *f, false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusUnprocessableEntity, ui.ThreadPage(s.shellFor(r, view.ClientName, "/messages"), view))
	return nil
}

// send reads a message form and sends it into clientID's thread. On
// success it redirects back to the thread and returns a nil form; a
// problem the sender can fix comes back on the form; anything else is
// the error.
func (s *server) send(w http.ResponseWriter, r *http.Request, clientID string) (*ui.Form, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	draft, err := s.Messaging.NewDraft(ctx, v.actor, clientID)
	if err != nil {
		return nil, err
	}
	defer draft.Discard(ctx)
	mf, err := s.readMessageForm(w, r, draft)
	if err != nil {
		return nil, err
	}
	if mf.form.HasErrors() {
		return &mf.form, nil
	}
	m, err := draft.Send(ctx, mf.body)
	if err != nil {
		if !messageProblems(&mf.form, err) {
			return nil, err
		}
		return &mf.form, nil
	}
	to := "/messages/" + url.PathEscape(clientID)
	if v.actor.IsClient() {
		to = "/portal/messages"
	}
	return nil, redirect(w, r, to+"?done=sent#message-"+url.PathEscape(m.ID))
}

// messageProblems puts messaging's validation problems next to the
// text or the file input. It reports whether err was one.
func messageProblems(f *ui.Form, err error) bool {
	errs, ok := validation.From(err)
	if !ok || len(errs) == 0 {
		return false
	}
	for _, e := range errs {
		field := "attachments"
		if e.Field == "body" || e.Field == "" {
			field = "body"
		}
		if f.Error(field) == "" {
			f.SetError(field, e.Message)
		}
	}
	return true
}

// retractMessage retracts one of the provider's own messages.
func (s *server) retractMessage(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Messaging.Retract(r.Context(), v.actor, r.PathValue("message_id")); err != nil {
		return err
	}
	return redirect(w, r, "/messages/"+url.PathEscape(r.PathValue("client_id"))+"?done=retracted")
}

// lastAt is a thread's last activity, zero when none.
func lastAt(t messaging.Thread) time.Time {
	if t.LastMessageAt == nil {
		return time.Time{}
	}
	return *t.LastMessageAt
}
