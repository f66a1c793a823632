package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

const invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n" +
	"BEGIN:VEVENT\r\nUID:secret-uid@tend\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// mixedParts returns the content type and decoded body of each leaf
// part of a multipart/mixed message, keyed by media type (attachments
// by file name).
func mixedParts(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || media != "multipart/mixed" {
		t.Fatalf("Content-Type = %q (%v), want multipart/mixed", media, err)
	}
	out := map[string]string{}
	var walk func(r io.Reader, boundary string)
	walk = func(r io.Reader, boundary string) {
		parts := multipart.NewReader(r, boundary)
		for {
			part, err := parts.NextPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatalf("read part: %v", err)
			}
			ct := part.Header.Get("Content-Type")
			pm, pp, _ := mime.ParseMediaType(ct)
			if strings.HasPrefix(pm, "multipart/") {
				walk(part, pp["boundary"])
				continue
			}
			body, err := io.ReadAll(part) // multipart decodes quoted-printable
			if err != nil {
				t.Fatalf("read part body: %v", err)
			}
			if cte := part.Header.Get("Content-Transfer-Encoding"); strings.EqualFold(cte, "base64") {
				body = decodeBase64(t, body)
			}
			key := pm
			if name := part.FileName(); name != "" {
				key = name
				out[name+":type"] = ct
			}
			out[key] = string(body)
		}
	}
	walk(msg.Body, params["boundary"])
	return out
}

func TestAttachmentDeliveredAndSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t, "127.0.0.1:0", "", "")
		h := newHarness(t, db, config.Config{SMTPURL: "smtp://" + srv.addr})
		m := resetMessage()
		m.Attachments = []mail.Attachment{{Filename: "invite.ics",
			ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: []byte(invite)}}
		h.enqueue(t, m)

		for _, args := range jobArgs(t, db) {
			if strings.Contains(args, "secret-uid") || strings.Contains(args, "invite.ics") {
				t.Errorf("river_job.args shows the attachment: %s", args)
			}
		}
		queued, err := mail.Queued(context.Background(), db, h.ring)
		if err != nil || len(queued) != 1 || len(queued[0].Attachments) != 1 ||
			string(queued[0].Attachments[0].Data) != invite {
			t.Fatalf("Queued = %+v (%v), want the message with its attachment", queued, err)
		}

		h.runDue(t)
		msgs := srv.messages()
		if len(msgs) != 1 {
			t.Fatalf("server received %d messages, want 1", len(msgs))
		}
		parts := mixedParts(t, msgs[0].Data)
		if got := parts["invite.ics"]; got != invite {
			t.Errorf("attachment body = %q, want %q", got, invite)
		}
		media, params, _ := mime.ParseMediaType(parts["invite.ics:type"])
		if media != "text/calendar" || params["method"] != "REQUEST" {
			t.Errorf("attachment type = %q, want text/calendar with method=REQUEST",
				parts["invite.ics:type"])
		}
		if !strings.Contains(parts["text/plain"], resetLink) || !strings.Contains(parts["text/html"], resetLink) {
			t.Errorf("the text and html parts are missing: %v", parts)
		}
	})
}

func TestEnqueueRejectsBadAttachments(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t), config.Config{})
	tests := []struct {
		name string
		att  mail.Attachment
		want string
	}{
		{"no name", mail.Attachment{ContentType: "text/plain", Data: []byte("x")}, "file name"},
		{"path", mail.Attachment{Filename: "../x.ics", ContentType: "text/plain"}, "file name"},
		{"bad type", mail.Attachment{Filename: "x.ics", ContentType: "not a type;;"}, "MIME type"},
		{"too big", mail.Attachment{Filename: "x.bin", ContentType: "application/octet-stream",
			Data: make([]byte, mail.MaxAttachmentBytes+1)}, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := resetMessage()
			m.Attachments = []mail.Attachment{tt.att}
			err := h.outbox.Enqueue(context.Background(), nil, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Enqueue error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if depth, err := h.queue.Depth(context.Background()); err != nil || depth != 0 {
		t.Errorf("depth = %d (%v), want nothing queued", depth, err)
	}
}

func decodeBase64(t *testing.T, body []byte) []byte {
	t.Helper()
	clean := strings.Join(strings.Fields(string(body)), "")
	out, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		t.Fatalf("decode base64 part: %v", err)
	}
	return out
}
