package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/tend-portal/tend/internal/messaging"
)

// errAttachmentTooLarge answers an upload over the size limits; nothing
// past the limit is read.
var errAttachmentTooLarge = &httpError{
	Status:  http.StatusRequestEntityTooLarge,
	Code:    "attachment_too_large",
	Message: "An attachment is over the size limit.",
	Field:   "attachments",
}

// uploadForm reads a multipart/form-data message as a stream: the body
// field first, then one file per "attachments" part, each read from the
// connection as its consumer reads it and never held whole in memory.
type uploadForm struct {
	mr   *multipart.Reader
	body string
	// next is the first file part, met while looking for the body.
	next *multipart.Part
	done bool
	err  error // why the stream stopped early, for the handler
}

// isMultipart reports whether r's body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// openUploadForm starts reading r's multipart body, at most limit bytes
// of it, up to the first file part, and returns the form with the
// message body read.
func openUploadForm(w http.ResponseWriter, r *http.Request, limit int64) (*uploadForm, error) {
	if r.ContentLength > limit {
		return nil, errAttachmentTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("malformed_multipart",
			"The request body is not valid multipart/form-data.")
	}
	f := &uploadForm{mr: mr}
	seenBody := false
	for {
		part, err := f.nextPart()
		if err != nil {
			return nil, err
		}
		if part == nil {
			f.done = true
			return f, nil
		}
		switch part.FormName() {
		case "body":
			if seenBody {
				return nil, invalid("body", "body may be given only once.")
			}
			seenBody = true
			if f.body, err = readField(part); err != nil {
				return nil, err
			}
		case "attachments":
			f.next = part
			return f, nil
		default:
			e := badRequest("unknown_field",
				fmt.Sprintf("Unknown field %q.", part.FormName()))
			e.Field = part.FormName()
			return nil, e
		}
	}
}

// nextPart returns the next part, nil at the end, skipping empty file
// inputs (a browser sends one with no file name when nothing was
// picked).
func (f *uploadForm) nextPart() (*multipart.Part, error) {
	for {
		part, err := f.mr.NextPart()
		switch {
		case errors.Is(err, io.EOF):
			return nil, nil
		case isTooLarge(err):
			return nil, errAttachmentTooLarge
		case err != nil:
			return nil, badRequest("malformed_multipart",
				"The request body is not valid multipart/form-data.")
		}
		if part.FormName() == "attachments" && part.FileName() == "" {
			if _, err := io.Copy(io.Discard, io.LimitReader(part, 1)); err != nil {
				return nil, f.readError(err)
			}
			continue
		}
		return part, nil
	}
}

// readField reads a text field of at most MaxBodyBytes.
func readField(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, MaxBodyBytes+1))
	switch {
	case isTooLarge(err):
		return "", errAttachmentTooLarge
	case err != nil:
		return "", badRequest("malformed_multipart",
			"The request body is not valid multipart/form-data.")
	case len(b) > MaxBodyBytes:
		return "", errTooLarge
	}
	return string(b), nil
}

// readError maps a failure reading the stream.
func (f *uploadForm) readError(err error) error {
	if isTooLarge(err) {
		return errAttachmentTooLarge
	}
	return badRequest("malformed_multipart",
		"The request body is not valid multipart/form-data.")
}

// Next returns the next file as an upload to stream, or io.EOF after
// the last. A field after the first file is refused: the body must come
// first, since the files are consumed as they arrive.
func (f *uploadForm) Next() (messaging.Upload, error) {
	if f.done {
		return messaging.Upload{}, io.EOF
	}
	part := f.next
	f.next = nil
	if part == nil {
		var err error
		if part, err = f.nextPart(); err != nil {
			f.err = err
			return messaging.Upload{}, err
		}
	}
	if part == nil {
		f.done = true
		return messaging.Upload{}, io.EOF
	}
	if part.FormName() != "attachments" {
		f.err = invalid(part.FormName(),
			"Send the body field before the attachments, and no other fields.")
		return messaging.Upload{}, f.err
	}
	return messaging.Upload{
		Filename: part.FileName(), Reader: &partReader{part: part, form: f}, DeclaredSize: -1,
	}, nil
}

// partReader reads one file part and remembers why reading failed (the
// request over its limit, a broken stream), so the handler can answer
// that rather than whatever the consumer made of it.
type partReader struct {
	part *multipart.Part
	form *uploadForm
}

// Read reads from the part.
func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.part.Read(b)
	if err != nil && !errors.Is(err, io.EOF) && p.form.err == nil {
		p.form.err = p.form.readError(err)
	}
	return n, err
}
