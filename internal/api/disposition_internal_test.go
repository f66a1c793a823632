package api

import (
	"mime"
	"strings"
	"testing"
)

// TestContentDisposition holds file names uploaders chose to a header
// that names a plain download and cannot be broken out of.
func TestContentDisposition(t *testing.T) {
	tests := []struct {
		name, ascii, utf8 string
	}{
		{"report.pdf", "report.pdf", "report.pdf"},
		{"../../etc/passwd", "passwd", "passwd"},
		{`C:\Users\sam\scan.png`, "scan.png", "scan.png"},
		{"a\r\nSet-Cookie: x=1.txt", "aSet-Cookie_ x=1.txt", "aSet-Cookie_%20x%3D1.txt"},
		{"\u202Efdp.exe", "fdp.exe", "fdp.exe"},
		{`say "hi"; filename=evil.pdf`, "say _hi_; filename=evil.pdf",
			"say%20_hi_%3B%20filename%3Devil.pdf"},
		{"résumé 100%.docx", "r_sum_ 100_.docx", "r%C3%A9sum%C3%A9%20100%25.docx"},
		{"...", "attachment", "attachment"},
		{"", "attachment", "attachment"},
	}
	for _, tc := range tests {
		got := contentDisposition(tc.name)
		want := `attachment; filename="` + tc.ascii + `"; filename*=UTF-8''` + tc.utf8
		if got != want {
			t.Errorf("contentDisposition(%q)\n got %s\nwant %s", tc.name, got, want)
			continue
		}
		if strings.ContainsAny(got, "\r\n") {
			t.Errorf("%q: line break in the header", tc.name)
		}
		// A standard parser reads it back as an attachment whose name has
		// no path in it.
		disp, params, err := mime.ParseMediaType(got)
		if err != nil || disp != "attachment" || strings.ContainsAny(params["filename"], `/\`) {
			t.Errorf("%q: parsed as %q %v (%v)", tc.name, disp, params, err)
		}
	}
}
