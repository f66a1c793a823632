package web

import (
	"net/http/httptest"
	"testing"
)

func TestUploadRoute(t *testing.T) {
	tests := []struct {
		method, path string
		want         bool
	}{
		{"POST", "/messages/0190c3c2-aaaa-7bbb-8ccc-0123456789ab", true},
		{"POST", "/portal/messages", true},
		{"POST", "/api/v1/threads/0190c3c2-aaaa-7bbb-8ccc-0123456789ab/messages", true},
		{"GET", "/messages/0190c3c2-aaaa-7bbb-8ccc-0123456789ab", false},
		{"POST", "/messages/new", false},
		{"POST", "/messages/", false},
		{"POST", "/messages/a/b/retract", false},
		{"POST", "/portal/messages/abc/retract", false},
		{"POST", "/api/v1/threads//messages", false},
		{"POST", "/api/v1/threads/abc/messages/x", false},
		{"POST", "/api/v1/messages/abc/read", false},
		{"POST", "/settings/notifications", false},
		{"POST", "/clients", false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			if got := uploadRoute(r); got != tt.want {
				t.Fatalf("uploadRoute = %v, want %v", got, tt.want)
			}
		})
	}
}
