package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
)

// MaxBodyBytes is the largest request body the API reads (1 MiB).
const MaxBodyBytes = 1 << 20

// decodeJSON reads r's body into dst, which must be a pointer to a
// struct. It insists on an application/json body of at most MaxBodyBytes
// holding exactly one JSON object with only known fields, and answers
// anything else with a 4xx httpError.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &httpError{
			Status:  http.StatusUnsupportedMediaType,
			Code:    "unsupported_media_type",
			Message: "Send the request body as application/json.",
		}
	}

	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}

	// Exactly one value: anything after it but white space is refused.
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		if field, ok := nulField(reflect.ValueOf(dst), ""); ok {
			return invalid(field, "Remove the NUL character (\\u0000): Tend does not store it.")
		}
		return nil
	case isTooLarge(err):
		return errTooLarge
	default:
		return badRequest("trailing_data",
			"The request body must hold a single JSON object.")
	}
}

var errTooLarge = &httpError{
	Status:  http.StatusRequestEntityTooLarge,
	Code:    "body_too_large",
	Message: fmt.Sprintf("The request body is over %d bytes.", MaxBodyBytes),
}

func badRequest(code, message string) *httpError {
	return &httpError{Status: http.StatusBadRequest, Code: code, Message: message}
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// decodeError explains why a body did not decode.
func decodeError(err error) *httpError {
	var (
		syntax   *json.SyntaxError
		wrongTyp *json.UnmarshalTypeError
	)
	switch {
	case isTooLarge(err):
		return errTooLarge
	case errors.Is(err, io.EOF):
		return badRequest("empty_body", "The request body is empty.")
	case errors.As(err, &syntax):
		return badRequest("malformed_json", fmt.Sprintf(
			"The request body is not valid JSON (at byte %d).", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed_json",
			"The request body is not valid JSON (it ends too soon).")
	case errors.As(err, &wrongTyp):
		if wrongTyp.Field == "" {
			return badRequest("malformed_json",
				"The request body must be a JSON object.")
		}
		return invalid(wrongTyp.Field,
			fmt.Sprintf("%s must be a JSON %s.", wrongTyp.Field,
				jsonKind(wrongTyp.Type.Kind().String())))
	}
	if name, ok := unknownField(err); ok {
		e := badRequest("unknown_field",
			fmt.Sprintf("Unknown field %q.", name))
		e.Field = name
		return e
	}
	return badRequest("malformed_json", "The request body is not valid JSON.")
}

// unknownField extracts the name from encoding/json's unknown-field
// error, which has no type of its own.
func unknownField(err error) (string, bool) {
	rest, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	return strings.Trim(rest, `"`), true
}

// jsonKind names a Go kind the way a JSON author would.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "string"
	case kind == "bool":
		return "boolean"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"),
		strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "slice", kind == "array":
		return "array"
	}
	return "object"
}

// writeJSON writes v as a JSON response with the given status. API
// responses may carry secrets (tokens), so none is cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nulField finds a string holding a NUL character anywhere in a decoded
// request and returns its JSON path ("insurance.member_id",
// "answers.q1"). The decoder has already replaced invalid UTF-8, so NUL
// is the one character left that the database would refuse.
func nulField(v reflect.Value, path string) (string, bool) {
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nulField(v.Elem(), path)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			return path, true
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if f, ok := nulField(v.Index(i), path); ok {
				return f, true
			}
		}
	case reflect.Map:
		for iter := v.MapRange(); iter.Next(); {
			key := fmt.Sprint(iter.Key().Interface())
			if strings.ContainsRune(key, 0) {
				return path, true
			}
			if f, ok := nulField(iter.Value(), join(key)); ok {
				return f, true
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if sf.Anonymous && sf.Tag.Get("json") == "" {
				name = path // an embedded struct's fields are the outer's
			} else {
				name = join(name)
			}
			if f, ok := nulField(v.Field(i), name); ok {
				return f, true
			}
		}
	}
	return "", false
}
