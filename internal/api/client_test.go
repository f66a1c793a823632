package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/tend-portal/tend/internal/api"
)

// The OpenAPI document, loaded and checked once per test binary.
var (
	specOnce   sync.Once
	spec       *openapi3.T
	specRouter routers.Router
	specErr    error
)

// openAPI returns the API's own document and a router over it.
func openAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		spec, specErr = loader.LoadFromData(api.Document())
		if specErr != nil {
			return
		}
		if specErr = spec.Validate(loader.Context); specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(spec)
	})
	if specErr != nil {
		t.Fatalf("OpenAPI document: %v", specErr)
	}
	return spec, specRouter
}

// TestDocumentIsValid loads the OpenAPI document with kin-openapi and
// checks it against the OpenAPI 3 rules.
func TestDocumentIsValid(t *testing.T) {
	doc, _ := openAPI(t)
	if doc.Components.Schemas["Error"] == nil {
		t.Error("the document has no Error schema")
	}
}

// call is one request to the API under test.
type call struct {
	method string
	path   string // below /api/v1, with any query
	token  string // sent as a bearer token when set
	body   any    // sent as JSON when set
	raw    []byte // sent as is when set (takes precedence over body)
	ctype  string // Content-Type; application/json when a body is sent
	// broken marks a request that breaks the document on purpose (bad
	// input tests): it is not validated, only the response is.
	broken bool
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends c to the server and holds the request and the response
// against the OpenAPI document: an undocumented status, a missing
// header or a body that drifts from its schema fails the test.
func (e *env) do(t *testing.T, c call) response {
	t.Helper()
	payload := c.raw
	if payload == nil && c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			t.Fatalf("marshal request: %v", err)
		}
	}
	ctype := c.ctype
	if ctype == "" && payload != nil {
		ctype = "application/json"
	}
	header := http.Header{}
	if ctype != "" {
		header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		header.Set("Authorization", "Bearer "+c.token)
	}

	req, err := http.NewRequest(c.method, e.srv.URL+api.Prefix+c.path,
		bytes.NewReader(payload))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header = header.Clone()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: body}

	vreq := httptest.NewRequest(c.method, api.Prefix+c.path, bytes.NewReader(payload))
	vreq.Header = header.Clone()
	checkAgainstDocument(t, c, vreq, out)
	return out
}

// checkAgainstDocument validates one exchange with kin-openapi.
func checkAgainstDocument(t *testing.T, c call, req *http.Request, res response) {
	t.Helper()
	doc, router := openAPI(t)
	if strings.Contains(string(res.body), "goroutine ") {
		t.Errorf("%s %s: response looks like a stack trace: %s", c.method, c.path, res.body)
	}
	// JSON throughout, but for downloads, which the document must list
	// for the operation (ValidateResponse checks that below).
	if res.status != http.StatusNoContent {
		ct := res.header.Get("Content-Type")
		download := res.status == http.StatusOK &&
			(ct == "application/pdf" || strings.HasPrefix(c.path, "/attachments/"))
		if ct != "application/json" && !download {
			t.Errorf("%s %s: Content-Type %q, want application/json", c.method, c.path, ct)
		}
	}

	route, params, err := router.FindRoute(req)
	if err != nil {
		// No documented operation (unknown route, wrong method): the
		// answer must still be an error in the documented shape.
		if res.status < 400 {
			t.Errorf("%s %s: undocumented operation answered %d", c.method, c.path, res.status)
		}
		var v any
		if err := json.Unmarshal(res.body, &v); err != nil {
			t.Fatalf("%s %s: error body is not JSON: %v", c.method, c.path, err)
		}
		if err := doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
			t.Errorf("%s %s: error body drifts from the Error schema: %v", c.method, c.path, err)
		}
		return
	}

	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route, Options: opts,
	}
	ctx := context.Background()
	if !c.broken {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%s %s: request drifts from the document: %v", c.method, c.path, err)
		}
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 res.status,
		Header:                 res.header,
		Body:                   io.NopCloser(bytes.NewReader(res.body)),
		Options:                opts,
	})
	if err != nil {
		t.Errorf("%s %s: %d response drifts from the document: %v\nbody: %s",
			c.method, c.path, res.status, err, res.body)
	}
}

// apiError is the decoded error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// decode unmarshals a response body into a T.
func decode[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, res.body, err)
	}
	return v
}

// wantStatus fails the test unless res has the status.
func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d; body: %s", res.status, status, res.body)
	}
}

// wantError fails the test unless res is an error with status and code
// (and field, when field is not "").
func wantError(t *testing.T, res response, status int, code, field string) apiError {
	t.Helper()
	wantStatus(t, res, status)
	e := decode[apiError](t, res)
	if e.Error.Code != code {
		t.Errorf("error code %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if field != "" && e.Error.Field != field {
		t.Errorf("error field %q, want %q", e.Error.Field, field)
	}
	if e.Error.Message == "" {
		t.Error("error without a message")
	}
	return e
}

// tokenBody is the response to POST /auth/token.
type tokenBody struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// issue asks for a token with email, password and an optional code.
func (e *env) issue(t *testing.T, email, pass, code string) response {
	t.Helper()
	body := map[string]string{"email": email, "password": pass}
	if code != "" {
		body["totp_code"] = code
	}
	return e.do(t, call{method: http.MethodPost, path: "/auth/token", body: body})
}

// signIn returns a bearer token for email (with the test password).
func (e *env) signIn(t *testing.T, email string) string {
	t.Helper()
	res := e.issue(t, email, password, "")
	wantStatus(t, res, http.StatusCreated)
	return decode[tokenBody](t, res).Token
}
