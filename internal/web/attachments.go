package web

import (
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
)

// downloadAttachment streams a message attachment to one of the two
// parties of its thread, always as a download: the browser is told the
// type found in the content and not to guess another, and to keep no
// copy. The messaging area audits the download.
func (s *server) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	a, rc, err := s.Messaging.Attachment(ctx, v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	ctype := a.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if a.Size > 0 {
		h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	}
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		// The status is sent; all that is left is to note the cut.
		s.Logger.LogAttrs(ctx, slog.LevelWarn, "attachment download interrupted",
			slog.String("request_id", stateFrom(ctx).id),
			slog.String("error", err.Error()))
	}
	return nil
}
