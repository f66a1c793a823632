package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	s := &server{Deps: Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))}}
	h := requestID(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom in handler")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Something went wrong") || !strings.Contains(body, rec.Header().Get("X-Request-Id")) {
		t.Errorf("500 page lacks its message or request id:\n%s", body)
	}
	for _, leak := range []string{"boom", "goroutine", "recover_internal_test.go"} {
		if strings.Contains(body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if !strings.Contains(logs.String(), "boom in handler") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("panic not logged with its stack:\n%s", logs.String())
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct {
		next, want string
	}{
		{"/dashboard", "/dashboard"},
		{"/a?b=c#d", "/a?b=c#d"},
		{"", ""},
		{"dashboard", ""},
		{"//evil.example", ""},
		{"/\\evil.example", ""},
		{"https://evil.example", ""},
		{"/ok\x00", ""},
		{"/a\\b", ""},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
