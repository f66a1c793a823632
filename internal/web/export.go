package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tend-portal/tend/internal/records"
)

// exportRecord downloads a client's full record as JSON or PDF. The
// file is built in memory first so a failure still gets an error page;
// its name carries the client's id, never their name.
func (s *server) exportRecord(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v := visitorFrom(r.Context())
		id := r.PathValue("id")
		rec, err := s.Records.Export(r.Context(), v.actor, id)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		ctype := "application/json"
		if format == "pdf" {
			ctype = "application/pdf"
			err = records.WritePDF(&buf, rec)
		} else {
			err = records.WriteJSON(&buf, rec)
		}
		if err != nil {
			return fmt.Errorf("web: export record as %s: %w", format, err)
		}
		sendFile(w, ctype, "attachment", "client-record-"+id+"."+format, buf.Bytes())
		return nil
	}
}

// sendFile writes a file built in memory, kept by no cache. disposition
// is "attachment" to save it or "inline" to open it in the browser (a
// PDF to print, say); name is made by Tend, never typed by a user.
func sendFile(w http.ResponseWriter, ctype, disposition, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
