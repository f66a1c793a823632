package records

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes rec as indented JSON in the shape documented on
// Record (see the package comment), ending with a newline.
func WriteJSON(w io.Writer, rec Record) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("records: write JSON: %w", err)
	}
	return nil
}

// ReadJSON reads a record WriteJSON wrote, refusing other formats.
func ReadJSON(r io.Reader) (Record, error) {
	var rec Record
	if err := json.NewDecoder(r).Decode(&rec); err != nil {
		return Record{}, fmt.Errorf("records: read JSON: %w", err)
	}
	if rec.Format != FormatVersion {
		return Record{}, fmt.Errorf("records: read JSON: format %q is not %q",
			rec.Format, FormatVersion)
	}
	return rec, nil
}
