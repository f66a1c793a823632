package notes

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"

	"github.com/tend-portal/tend/internal/vault"
)

// ContentHash returns the lowercase hex SHA-256 of n's canonical
// encoding: each of these values written as its byte length (uint64,
// big endian) followed by its bytes — "tend-note-v1", the note id, the
// client id, the appointment id, the template name, and then, for each
// of the template's sections in order, the section key and its text.
// Sections the template lacks are not part of the hash; the same content
// always gives the same hash, and any change to a section changes it.
func ContentHash(n Note) string {
	h := sha256.New()
	put(h, "tend-note-v1")
	put(h, n.ID)
	put(h, n.ClientID)
	put(h, n.AppointmentID)
	put(h, n.Template)
	if def, ok := LookupTemplate(n.Template); ok {
		for _, s := range def.Sections {
			put(h, s.Key)
			put(h, n.Fields[s.Key])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func put(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

// sealFields encrypts a note's sections for the content column, bound
// to the note's row.
func (s *Service) sealFields(id string, fields map[string]string) (string, error) {
	plain, err := json.Marshal(fields)
	if err != nil {
		return "", fmt.Errorf("notes: encode content: %w", err)
	}
	sealed, err := s.ring.SealString(string(plain), contentAD(id))
	if err != nil {
		return "", fmt.Errorf("notes: seal content: %w", err)
	}
	return sealed, nil
}

// openFields decrypts what sealFields made.
func (s *Service) openFields(id, sealed string) (map[string]string, error) {
	plain, err := s.ring.OpenString(sealed, contentAD(id))
	if err != nil {
		return nil, fmt.Errorf("notes: open content of note %s: %w", id, err)
	}
	var fields map[string]string
	if err := json.Unmarshal([]byte(plain), &fields); err != nil {
		return nil, fmt.Errorf("notes: decode content of note %s: %w", id, err)
	}
	return fields, nil
}

func contentAD(noteID string) string { return vault.Bind("notes", "content", noteID) }

func addendumAD(addendumID string) string {
	return vault.Bind("note_addenda", "text", addendumID)
}
