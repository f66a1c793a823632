package messaging

import (
	"fmt"
	"time"
)

// nullTime scans a nullable time from either database, including the
// text SQLite returns for expressions such as MAX(sent_at).
type nullTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the ways SQLite text can spell a time; the
// first is how the driver writes time.Time values.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
}

// Scan implements sql.Scanner.
func (n *nullTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*n = nullTime{}
		return nil
	case time.Time:
		*n = nullTime{Time: v.UTC(), Valid: true}
		return nil
	case []byte:
		return n.parse(string(v))
	case string:
		return n.parse(v)
	default:
		return fmt.Errorf("messaging: cannot scan %T as a time", v)
	}
}

func (n *nullTime) parse(s string) error {
	for _, layout := range sqliteTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			*n = nullTime{Time: t.UTC(), Valid: true}
			return nil
		}
	}
	return fmt.Errorf("messaging: cannot parse time %q", s)
}

// ptr returns the time or nil.
func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time
	return &t
}

// messageRow is a messages row as stored.
type messageRow struct {
	Message
	sealed string
}

// messageColumns matches scanMessage.
const messageColumns = `id, provider_id, client_id, sender, body_sealed, sent_at, read_at, retracted_at`

type scanner interface{ Scan(dest ...any) error }

func scanMessage(sc scanner) (messageRow, error) {
	var r messageRow
	var sent, read, retracted nullTime
	err := sc.Scan(&r.ID, &r.ProviderID, &r.ClientID, &r.Sender, &r.sealed, &sent, &read, &retracted)
	if err != nil {
		return r, err
	}
	r.SentAt, r.ReadAt, r.RetractedAt = sent.Time, read.ptr(), retracted.ptr()
	return r, nil
}

// open decrypts the row's body into Message.Body ("" when retracted).
func (s *Service) open(r *messageRow) error {
	if r.RetractedAt != nil || r.sealed == "" {
		r.Body = ""
		return nil
	}
	body, err := s.ring.OpenString(r.sealed, bodyAssociated(r.ID))
	if err != nil {
		return fmt.Errorf("open message %s: %w", r.ID, err)
	}
	r.Body = body
	return nil
}
