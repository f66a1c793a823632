// Package pdftest checks the PDFs Tend writes, for tests: that a file is
// framed as a PDF with a page tree that adds up, and what text a reader
// finds on its pages.
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var (
	pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)
	pageCount  = regexp.MustCompile(`/Count (\d+)`)
)

// Pages checks that pdf starts and ends as a PDF and that its page
// tree's count matches the page objects it holds, and returns the count.
func Pages(tb testing.TB, pdf []byte) int {
	tb.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		tb.Fatalf("PDF starts with %q", pdf[:min(len(pdf), 8)])
	}
	if !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		tb.Fatal("PDF does not end with the end-of-file marker")
	}
	m := pageCount.FindSubmatch(pdf)
	if m == nil {
		tb.Fatal("PDF has no page count")
	}
	count, _ := strconv.Atoi(string(m[1]))
	if pages := len(pageObject.FindAll(pdf, -1)); count != pages {
		tb.Fatalf("/Count %d, %d page objects", count, pages)
	}
	return count
}

// Text extracts the text of pdf with poppler's pdftotext, run with
// flags such as "-layout" or "-raw" (none: reading order). Without the tool it skips the rest of the test,
// or fails it when TEND_TEST_REQUIRE_ALL=1, as CI sets.
func Text(tb testing.TB, pdf []byte, flags ...string) string {
	tb.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("TEND_TEST_REQUIRE_ALL") == "1" {
			tb.Fatal("pdftotext (poppler-utils) is not installed and TEND_TEST_REQUIRE_ALL=1")
		}
		tb.Skip("pdftotext not installed; text checks skipped")
	}
	path := filepath.Join(tb.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		tb.Fatalf("write PDF: %v", err)
	}
	args := append(flags, "-enc", "UTF-8", path, "-")
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
