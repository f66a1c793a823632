package api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/validation"
)

// sendMessage answers POST /threads/{client_id}/messages. A JSON body
// carries text only; multipart/form-data carries the text and files.
func (s *server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	actor, clientID, err := threadClient(r)
	if err != nil {
		return err
	}
	if !isMultipart(r) {
		var req newMessageRequest
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
		m, err := s.Messaging.Send(r.Context(), actor, clientID, req.Body, nil)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, messageOut(m))
		return nil
	}

	form, err := openUploadForm(w, r, uploadLimit(s.Messaging.Limits()))
	if err != nil {
		return err
	}
	draft, err := s.Messaging.NewDraft(r.Context(), actor, clientID)
	if err != nil {
		return err
	}
	defer draft.Discard(r.Context())
	// Each file goes from the request into the sealed store as it
	// arrives; the first one refused ends the request unread.
	for {
		up, err := form.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := draft.Attach(r.Context(), up); err != nil {
			if form.err != nil {
				return form.err // the request broke off or passed its limit
			}
			return err
		}
	}
	m, err := draft.Send(r.Context(), form.body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, messageOut(m))
	return nil
}

// uploadLimit is the most a multipart message may be: every file at
// its largest, and 1 MiB for the text and the multipart framing.
func uploadLimit(l messaging.Limits) int64 {
	return int64(l.MaxFiles)*l.MaxFileBytes + MaxBodyBytes
}

// classifyMessaging maps the sentinel errors of the messaging area.
func classifyMessaging(err error) *httpError {
	switch {
	case errors.Is(err, messaging.ErrFileTooLarge):
		e := *errAttachmentTooLarge
		if problems, ok := validation.From(err); ok && len(problems) > 0 {
			e.Message = problems[0].Message
		}
		return &e
	case errors.Is(err, messaging.ErrNotRecipient):
		return &httpError{
			Status:  http.StatusForbidden,
			Code:    "not_recipient",
			Message: "Only the recipient of a message can mark it read.",
		}
	case errors.Is(err, messaging.ErrRetract):
		msg := "This message can no longer be retracted."
		if _, why, ok := strings.Cut(err.Error(), messaging.ErrRetract.Error()+": "); ok {
			msg = "This message cannot be retracted: " + why + "."
		}
		return &httpError{Status: http.StatusConflict, Code: "cannot_retract", Message: msg}
	}
	return nil
}
