package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the OpenAPI 3 description of the whole API. Areas
// that add endpoints add their paths and schemas to openapi.json; the
// tests check every response against it.
//
//go:embed openapi.json
var openAPIDocument []byte

// Document returns a copy of the OpenAPI 3 document (JSON) describing
// the API.
func Document() []byte {
	return append([]byte(nil), openAPIDocument...)
}

// openAPI answers GET /openapi.json. It needs no token.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	// A failed write means the caller went away; there is no one to tell.
	_, _ = w.Write(openAPIDocument)
	return nil
}
