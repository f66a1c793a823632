package api

import (
	"net/http"
	"strconv"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
)

// maxPageSize is the largest limit a list endpoint accepts.
const maxPageSize = 200

// clientListParams are the query parameters GET /clients accepts.
var clientListParams = []string{"status", "q", "sort", "cursor", "limit"}

// clientSorts are the orders GET /clients accepts.
var clientSorts = map[string]bool{
	"name": true, "-name": true,
	"last_appointment": true, "-last_appointment": true,
	"next_appointment": true, "-next_appointment": true,
}

// provider returns the caller when they are a provider, and 403 for
// anyone else: the clients area is a provider's filing cabinet.
func provider(r *http.Request) (access.Actor, error) {
	a := access.From(r.Context())
	if !a.IsProvider() {
		return a, errForbidden
	}
	return a, nil
}

// pathID returns the {id} path value, or 404 when it is not an id.
func pathID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		return "", errNotFound
	}
	return id, nil
}

// providerAndID is the start of most provider handlers: the acting
// provider (403 for anyone else) and the {id} path value (404 when it is
// not an id).
func providerAndID(r *http.Request) (access.Actor, string, error) {
	actor, err := provider(r)
	if err != nil {
		return actor, "", err
	}
	id, err := pathID(r)
	return actor, id, err
}

// listClients answers GET /clients: one page of a tab, searched and
// sorted, with the count of every tab for the same search.
func (s *server) listClients(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	q, err := clientQuery(r)
	if err != nil {
		return err
	}

	page, err := s.Clients.List(r.Context(), actor, q)
	if err != nil {
		return err
	}
	counts, err := s.Clients.Counts(r.Context(), actor, q.Q)
	if err != nil {
		return err
	}
	items := itemsOut(page.Items, clientOut)
	writeJSON(w, http.StatusOK, clientPage{
		Items:      items,
		NextCursor: cursorOut(page.NextCursor),
		Total:      page.Total,
		Counts:     countsJSON(counts),
	})
	return nil
}

// clientQuery reads and checks GET /clients' query parameters.
func clientQuery(r *http.Request) (clients.Query, error) {
	v := r.URL.Query()
	if err := onlyParams(v, clientListParams); err != nil {
		return clients.Query{}, err
	}
	q := clients.Query{
		Tab:    clients.Status(v.Get("status")),
		Q:      v.Get("q"),
		Sort:   v.Get("sort"),
		Cursor: v.Get("cursor"),
	}
	switch q.Tab {
	case "", "active", "needs_follow_up", "scheduled", "archived":
	default:
		return q, invalid("status",
			"status must be active, needs_follow_up, scheduled or archived.")
	}
	if len(q.Q) > 200 {
		return q, invalid("q", "q is too long.")
	}
	if q.Sort != "" && !clientSorts[q.Sort] {
		return q, invalid("sort", "sort must be name, last_appointment or "+
			"next_appointment, with a leading - for descending order.")
	}
	if len(q.Cursor) > 200 {
		return q, invalid("cursor", "Cursor must be a next_cursor from a previous page.")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return q, invalid("limit", "limit must be a whole number from 1 to "+
				strconv.Itoa(maxPageSize)+".")
		}
		q.Limit = n
	}
	return q, nil
}

// createClient answers POST /clients.
func (s *server) createClient(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	var req clientFields
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.Clients.Create(r.Context(), actor, req.input())
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/clients/"+c.ID)
	writeJSON(w, http.StatusCreated, clientOut(c))
	return nil
}

// getClient answers GET /clients/{id}: a provider's own client, or the
// client themselves.
func (s *server) getClient(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.Clients.Get(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientOut(c))
	return nil
}

// updateClient answers PATCH /clients/{id}. The fields sent are merged
// onto the current record (objects field by field, lists whole); fields
// left out keep their values.
func (s *server) updateClient(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	current, err := s.Clients.Get(r.Context(), actor, id)
	if err != nil {
		return err
	}

	merged := fieldsOf(current)
	if err := decodeJSON(w, r, &merged); err != nil {
		return err
	}
	c, err := s.Clients.Update(r.Context(), actor, id, merged.input())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientOut(c))
	return nil
}

// archiveRequest is the body of POST /clients/{id}/archive.
type archiveRequest struct {
	Reason string `json:"reason"`
}

// archiveClient answers POST /clients/{id}/archive.
func (s *server) archiveClient(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req archiveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.Clients.Archive(r.Context(), actor, id, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientOut(c))
	return nil
}

// unarchiveClient answers POST /clients/{id}/unarchive. It takes no
// body.
func (s *server) unarchiveClient(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	c, err := s.Clients.Unarchive(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientOut(c))
	return nil
}
