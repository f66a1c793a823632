package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tend-portal/tend/internal/messaging"
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

	limits := s.Messaging.Limits()
	form, err := openUploadForm(w, r, uploadLimit(limits))
	if err != nil {
		return err
	}
	sp, err := s.newUploadSpool()
	if err != nil {
		return err
	}
	defer sp.close()
	if err := spoolFiles(form, sp, limits); err != nil {
		return err
	}

	uploads := make([]messaging.Upload, len(sp.files))
	for i, f := range sp.files {
		rc, err := sp.open(i)
		if err != nil {
			return err
		}
		defer rc.Close()
		uploads[i] = messaging.Upload{Filename: f.name, Reader: rc, DeclaredSize: f.size}
	}
	m, err := s.Messaging.Send(r.Context(), actor, clientID, form.body, uploads)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, messageOut(m))
	return nil
}

// spoolFiles reads every file of form into sp, refusing the message as
// soon as one file too many or one byte too many arrives: the rest of
// the request is never read.
func spoolFiles(form *uploadForm, sp *spool, limits messaging.Limits) error {
	for {
		up, err := form.Next()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		if len(sp.files) == limits.MaxFiles {
			return invalid("attachments",
				"Attach at most "+strconv.Itoa(limits.MaxFiles)+" files to one message.")
		}
		err = sp.add(up.Filename, up.Reader, limits.MaxFileBytes)
		switch {
		case form.err != nil:
			return form.err
		case errors.Is(err, errSpoolTooLarge):
			e := *errAttachmentTooLarge
			e.Message = safeFilename(up.Filename) + " is over the size limit of " +
				strconv.FormatInt(limits.MaxFileBytes, 10) + " bytes."
			return &e
		case err != nil:
			return err
		}
	}
}

// newUploadSpool returns a spool under the data directory (large files
// do not belong in a memory-backed /tmp), or the system's temporary
// directory when there is none.
func (s *server) newUploadSpool() (*spool, error) {
	dir := ""
	if s.Config.DataDir != "" {
		dir = filepath.Join(s.Config.DataDir, "tmp")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("upload spool: %w", err)
		}
	}
	return newSpool(dir)
}

// uploadLimit is the most a multipart message may be: every file at
// its largest, and 1 MiB for the text and the multipart framing.
func uploadLimit(l messaging.Limits) int64 {
	return int64(l.MaxFiles)*l.MaxFileBytes + MaxBodyBytes
}

// classifyMessaging maps the sentinel errors of the messaging area.
func classifyMessaging(err error) *httpError {
	switch {
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
