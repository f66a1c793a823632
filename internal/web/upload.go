package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
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

// messageForm is a message form read from its multipart body.
type messageForm struct {
	body string
	form ui.Form // the text to show again and problems found while reading
}

// readMessageForm reads a message form posted as multipart/form-data
// part by part: the "body" text and any number of "attachments" files,
// each streamed into draft as it arrives and stopped at the size limit.
// A file over the limit is *fileTooLargeError; a file refused for
// another reason (one too many, its type) is a problem on the form, and
// reading stops there.
func (s *server) readMessageForm(w http.ResponseWriter, r *http.Request, draft *messaging.Draft) (*messageForm, error) {
	lim := s.Messaging.Limits()
	// The whole body may hold every file at its limit, their part
	// headers and the text; past that, reading stops with 413.
	r.Body = http.MaxBytesReader(w, r.Body,
		int64(lim.MaxFiles)*(lim.MaxFileBytes+(16<<10))+maxTextBytes+(1<<20))
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errBadRequest
	}
	mf := &messageForm{form: ui.Form{Values: map[string]string{}}}
	if err := mf.read(r.Context(), mr, draft, lim); err != nil {
		return nil, err
	}
	return mf, nil
}

// read takes the parts of the form in order.
func (m *messageForm) read(ctx context.Context, mr *multipart.Reader, draft *messaging.Draft, lim messaging.Limits) error {
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
			rd := &partReader{r: part}
			err := draft.Attach(ctx, messaging.Upload{Filename: part.FileName(), Reader: rd,
				DeclaredSize: -1})
			switch {
			case err == nil:
			case rd.err != nil:
				return bodyError(rd.err) // the request broke off or passed its limit
			case errors.Is(err, messaging.ErrFileTooLarge):
				return &fileTooLargeError{limit: lim.MaxFileBytes}
			case messageProblems(&m.form, err):
				return nil
			default:
				return err
			}
		}
	}
}

// partReader reads a file part and keeps the error that ended reading
// early, so a broken or oversized request is told apart from a refusal
// of the file itself.
type partReader struct {
	r   io.Reader
	err error
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) && p.err == nil {
		p.err = err
	}
	return n, err
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
