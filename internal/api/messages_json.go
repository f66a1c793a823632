package api

import (
	"github.com/tend-portal/tend/internal/messaging"
)

// threadJSON is one message thread as the API shows it.
type threadJSON struct {
	ClientID      string  `json:"client_id"`
	ClientName    string  `json:"client_name,omitempty"`
	UnreadCount   int     `json:"unread_count"`
	LastMessageAt *string `json:"last_message_at"`
	LastLine      string  `json:"last_line,omitempty"`
	Archived      bool    `json:"archived"`
}

// attachmentJSON is a file attached to a message; its content is at
// /attachments/{id}.
type attachmentJSON struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// messageJSON is a message as the API shows it. Body is plain text,
// JSON-escaped like any string and never interpreted as markup.
type messageJSON struct {
	ID          string           `json:"id"`
	ClientID    string           `json:"client_id"`
	Body        string           `json:"body"`
	Sender      string           `json:"sender"`
	SentAt      string           `json:"sent_at"`
	ReadAt      *string          `json:"read_at"`
	RetractedAt *string          `json:"retracted_at"`
	Attachments []attachmentJSON `json:"attachments"`
}

// newMessageRequest is the JSON body of POST /threads/{client_id}/messages.
type newMessageRequest struct {
	Body string `json:"body"`
}

// threadOut shows a thread to the caller. A client's own name and the
// provider-facing preview line are for providers only.
func threadOut(t messaging.Thread, forProvider bool) threadJSON {
	out := threadJSON{
		ClientID:      t.ClientID,
		UnreadCount:   t.UnreadCount,
		LastMessageAt: formatTimePtr(t.LastMessageAt),
		Archived:      t.Archived,
	}
	if forProvider {
		out.ClientName = t.ClientName
		out.LastLine = t.LastLine
	}
	return out
}

func messageOut(m messaging.Message) messageJSON {
	atts := make([]attachmentJSON, 0, len(m.Attachments))
	for _, a := range m.Attachments {
		atts = append(atts, attachmentJSON{
			ID: a.ID, Filename: a.Filename, Size: a.Size, ContentType: a.ContentType,
		})
	}
	return messageJSON{
		ID:          m.ID,
		ClientID:    m.ClientID,
		Body:        m.Body,
		Sender:      m.Sender,
		SentAt:      formatTime(m.SentAt),
		ReadAt:      formatTimePtr(m.ReadAt),
		RetractedAt: formatTimePtr(m.RetractedAt),
		Attachments: atts,
	}
}
