package x12

import (
	"testing"
)

// FuzzReaders feeds the readers arbitrary bytes, seeded with the real
// files: whatever an uploaded file holds, they return an error or a
// result, never a panic, and whatever Parse accepts Marshal writes back.
func FuzzReaders(f *testing.F) {
	for _, name := range realFiles(f) {
		f.Add(readFile(f, name))
	}
	f.Add(fileWith(func(s string) string { return s }))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadRemittances(data)
		_, _ = ReadClaims(data)
		ix, err := Parse(data)
		if err != nil {
			return
		}
		out, err := Marshal(ix)
		if err != nil {
			return // a separator inside an element the reader split on
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Marshal wrote what Parse refuses: %v\n%s", err, out)
		}
		if len(again.Groups) != len(ix.Groups) {
			t.Fatalf("groups %d, then %d", len(ix.Groups), len(again.Groups))
		}
	})
}
