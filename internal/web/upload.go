package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/web/ui"
)

// maxTextBytes bounds the text of a message as read from a form: the
// area's character limit, at up to four bytes a character.
const maxTextBytes = messaging.MaxBodyChars * 4

// fileTooLargeError is an attachment over the size limit, found while
// the form was read. fail answers it with a 413 page.
type fileTooLargeError struct {
	limit int64
}

func (e *fileTooLargeError) Error() string {
	return fmt.Sprintf("web: attachment over the limit of %d bytes", e.limit)
}

// message explains the refusal to the sender.
func (e *fileTooLargeError) message() string {
	return "An attachment is larger than " + limitSize(e.limit) + ", the most Tend accepts for one file. " +
		"Nothing was sent: go back and attach a smaller file, or split it."
}

// messageForm is a message form read from its multipart body. Close
// removes the spooled attachments.
type messageForm struct {
	body  string
	spool *spool
	form  ui.Form // the text to show again and problems found while reading
}

// Close removes the spooled files.
func (m *messageForm) Close() error { return m.spool.Close() }

// uploads are the spooled files, ready for messaging.Send.
func (m *messageForm) uploads() ([]messaging.Upload, error) {
	rs, err := m.spool.readers()
	if err != nil {
		return nil, err
	}
	out := make([]messaging.Upload, 0, len(rs))
	for _, sr := range rs {
		out = append(out, messaging.Upload{Filename: sr.Name, Reader: sr.R, DeclaredSize: sr.Size})
	}
	return out, nil
}

// spoolDir is where uploads wait while their request is read.
func (s *server) spoolDir() string {
	if s.Config.DataDir == "" {
		return filepath.Join(os.TempDir(), "tend-uploads")
	}
	return filepath.Join(s.Config.DataDir, "tmp", "uploads")
}

// readMessageForm reads a message form posted as multipart/form-data
// part by part: the "body" text and any number of "attachments" files,
// each streamed to the spool and stopped at the size limit. A file over
// the limit is *fileTooLargeError; more files than allowed is a problem
// on the form. The caller closes the result.
func (s *server) readMessageForm(w http.ResponseWriter, r *http.Request) (*messageForm, error) {
	lim := s.Messaging.Limits()
	// The whole body may hold every file at its limit, their part
	// headers and the text; past that, reading stops with 413.
	r.Body = http.MaxBytesReader(w, r.Body,
		int64(lim.MaxFiles)*(lim.MaxFileBytes+(16<<10))+maxTextBytes+(1<<20))
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errBadRequest
	}
	sp, err := newSpool(s.spoolDir())
	if err != nil {
		return nil, err
	}
	mf := &messageForm{spool: sp, form: ui.Form{Values: map[string]string{}}}
	if err := mf.read(mr, lim); err != nil {
		_ = mf.Close()
		return nil, err
	}
	return mf, nil
}

// read takes the parts of the form in order.
func (m *messageForm) read(mr *multipart.Reader, lim messaging.Limits) error {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return bodyError(err)
		}
		switch part.FormName() {
		case "body":
			b, err := io.ReadAll(io.LimitReader(part, maxTextBytes+1))
			if err != nil {
				return bodyError(err)
			}
			m.body = strings.ReplaceAll(string(b), "\r\n", "\n")
			if len(b) > maxTextBytes {
				m.form.SetError("body", "The message is too long: write at most "+
					strconv.Itoa(messaging.MaxBodyChars)+" characters.")
			}
			m.form.Values["body"] = m.body
		case "attachments":
			if part.FileName() == "" {
				continue // the empty part of a file input with no file chosen
			}
			if len(m.spool.files) >= lim.MaxFiles {
				m.form.SetError("attachments", "Attach at most "+strconv.Itoa(lim.MaxFiles)+
					" files to one message.")
				return nil
			}
			if _, err := m.spool.add(part.FileName(), part, lim.MaxFileBytes); err != nil {
				if errors.Is(err, errFileTooLarge) {
					return &fileTooLargeError{limit: lim.MaxFileBytes}
				}
				return bodyError(err)
			}
		}
	}
}

// bodyError keeps a body over the overall limit a 413 and makes any
// other unreadable body a bad request.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return errBadRequest
}
