package x12

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realFiles returns the names of the copied 837P and 835 files.
func realFiles(t testing.TB) []string {
	t.Helper()
	var names []string
	for _, dir := range []string{"837P", "835"} {
		found, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil || len(found) == 0 {
			t.Fatalf("no files in testdata/%s: %v", dir, err)
		}
		names = append(names, found...)
	}
	return names
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseRealFilesRoundTrip(t *testing.T) {
	for _, name := range realFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data := readFile(t, name)
			ix, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if ix.Control() != "000000907" || ix.Sender() != "000000005" ||
				ix.Production() {
				t.Errorf("header: control %q sender %q production %v",
					ix.Control(), ix.Sender(), ix.Production())
			}
			if len(ix.Groups) != 1 || len(ix.Groups[0].Transactions) == 0 {
				t.Fatalf("groups: %+v", ix.Groups)
			}
			out, err := Marshal(ix)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			want := bytes.TrimRight(data, "\n")
			if got := bytes.TrimRight(out, "\n"); !bytes.Equal(got, want) {
				t.Errorf("round trip differs:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// fileWith returns a small valid 837 interchange with edit applied to
// its text, for tests that break one thing at a time.
func fileWith(edit func(string) string) []byte {
	isa := "ISA*00*          *00*          *ZZ*TEND           " +
		"*ZZ*CLEARING       *261204*0930*^*00501*000000042*0*T*:~"
	body := isa + "\nGS*HC*TEND*CLEARING*20261204*0930*42*X*005010X222A1~" +
		"\nST*837*0001*005010X222A1~\nBHT*0019*00*B1*20261204*0930*CH~" +
		"\nSE*3*0001~\nGE*1*42~\nIEA*1*000000042~\n"
	return []byte(edit(body))
}

func TestParseRefusesBrokenEnvelopes(t *testing.T) {
	same := func(s string) string { return s }
	if _, err := Parse(fileWith(same)); err != nil {
		t.Fatalf("the unbroken file: %v", err)
	}
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"empty", func(string) string { return "" }, "does not start with an ISA"},
		{"not x12", func(string) string { return strings.Repeat("<html>", 30) },
			"does not start with an ISA"},
		{"short sender", func(s string) string {
			return strings.Replace(s, "TEND           *", "TEND          **", 1)
		}, "ISA"},
		{"letters in control number", func(s string) string {
			return strings.Replace(s, "000000042*0", "00000004X*0", 1)
		}, "ISA13"},
		{"separator used twice", func(s string) string {
			return strings.Replace(s, "*T*:~", "*T*~~", 1)
		}, "used twice"},
		{"SE miscounts", func(s string) string {
			return strings.Replace(s, "SE*3*", "SE*4*", 1)
		}, "counts 4, the file has 3"},
		{"SE control differs", func(s string) string {
			return strings.Replace(s, "SE*3*0001", "SE*3*0002", 1)
		}, "does not match"},
		{"GE miscounts", func(s string) string {
			return strings.Replace(s, "GE*1*42", "GE*2*42", 1)
		}, "GE"},
		{"IEA control differs", func(s string) string {
			return strings.Replace(s, "IEA*1*000000042", "IEA*1*000000043", 1)
		}, "does not match"},
		{"no IEA", func(s string) string {
			return strings.Replace(s, "IEA*1*000000042~\n", "", 1)
		}, "ends before IEA"},
		{"data after IEA", func(s string) string { return s + "GS*HC~" }, "after IEA"},
		{"no SE", func(s string) string {
			return strings.Replace(s, "SE*3*0001~\n", "", 1)
		}, "expected SE"},
		{"segment without id", func(s string) string {
			return strings.Replace(s, "BHT", "", 1)
		}, "no id"},
		{"stray segment in group", func(s string) string {
			return strings.Replace(s, "GE*1*42", "NM1*41~\nGE*1*42", 1)
		}, "expected ST or GE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(fileWith(tt.edit))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParseReportsTheSegment(t *testing.T) {
	_, err := Parse(fileWith(func(s string) string {
		return strings.Replace(s, "SE*3*", "SE*9*", 1)
	}))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Segment != 5 || se.ID != "SE" {
		t.Fatalf("err = %#v, want segment 5 (SE)", err)
	}
}

func TestMarshalRefusesSeparatorsInData(t *testing.T) {
	ix, err := Parse(fileWith(func(s string) string { return s }))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"A*B", "A~B", "A\nB"} {
		tx := &ix.Groups[0].Transactions[0]
		tx.Body = []Segment{{"NM1", "41", "2", bad}}
		if _, err := Marshal(ix); err == nil {
			t.Errorf("Marshal accepted %q inside an element", bad)
		}
	}
	// A composite element is fine.
	ix.Groups[0].Transactions[0].Body = []Segment{{"SV1", "HC:90837:95"}}
	if _, err := Marshal(ix); err != nil {
		t.Errorf("composite element: %v", err)
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "150", want: 15000},
		{in: "150.00", want: 15000},
		{in: "40.5", want: 4050},
		{in: "-1.27", want: -127},
		{in: ".5", want: 50},
		{in: "0", want: 0},
		{in: "1.2300", want: 123},
		{in: "", bad: true},
		{in: "-", bad: true},
		{in: ".", bad: true},
		{in: "1.234", bad: true},
		{in: "1,000", bad: true},
		{in: "1e3", bad: true},
		{in: "--1", bad: true},
		{in: "9999999999999999", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseAmount(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for cents, want := range map[int64]string{
		0: "0", 10000: "100", 4050: "40.5", 4025: "40.25", -127: "-1.27", 7: "0.07",
	} {
		if got := FormatAmount(cents); got != want {
			t.Errorf("FormatAmount(%d) = %q, want %q", cents, got, want)
		}
		if back, _ := ParseAmount(want); back != cents {
			t.Errorf("ParseAmount(FormatAmount(%d)) = %d", cents, back)
		}
	}
}
