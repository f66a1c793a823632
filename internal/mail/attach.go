package mail

import (
	"errors"
	"fmt"
	"mime"
	"strings"
)

// MaxAttachmentBytes bounds the attachments of one message together.
// Mail jobs hold their attachments sealed in the job row, so they stay
// small: a calendar invitation is a few kilobytes.
const MaxAttachmentBytes = 1 << 20

// checkAttachments rejects attachments a mail client could not show or
// that would bloat the job table: a missing or path-like file name, a
// content type that is not a MIME type, or more than MaxAttachmentBytes
// in all.
func checkAttachments(list []Attachment) error {
	total := 0
	for _, a := range list {
		if a.Filename == "" || strings.ContainsAny(a.Filename, "/\\\r\n\x00\"") {
			return errors.New("mail: attachment needs a plain file name")
		}
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return fmt.Errorf("mail: attachment %s: content type is not a MIME type", a.Filename)
		}
		total += len(a.Data)
	}
	if total > MaxAttachmentBytes {
		return fmt.Errorf("mail: attachments hold %d bytes, more than %d", total, MaxAttachmentBytes)
	}
	return nil
}
