package calsync

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestNodeParsesFeed has ical.js, an iCalendar parser no one on this
// project wrote, read feeds with appointments on both sides of DST
// changes, and compares every event with what Tend meant. It needs node
// and `npm install` in testdata/nodecheck (.ci/run does both); without
// them it skips, or fails under TEND_TEST_REQUIRE_ALL=1.
func TestNodeParsesFeed(t *testing.T) {
	dir := filepath.Join("testdata", "nodecheck")
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "ical.js", "package.json"))
	if err != nil || modErr != nil {
		msg := "node or ical.js missing: run `npm install --no-audit --no-fund` in " + dir
		if storetest.RequireAll() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	type nodeEvent struct {
		UID      string `json:"uid"`
		Start    string `json:"start"`
		End      string `json:"end"`
		Summary  string `json:"summary"`
		Sequence int    `json:"sequence"`
		Status   string `json:"status"`
	}
	now := time.Date(2024, 2, 20, 12, 0, 0, 0, time.UTC)
	for _, zone := range []string{"America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"} {
		t.Run(zone, func(t *testing.T) {
			loc := mustZone(t, zone)
			var appts []exportAppt
			// Weekly at 09:30 local for 12 weeks from 1 March (crossing the
			// northern spring and southern autumn changes), and 01:30 local
			// on the northern autumn change days (an ambiguous hour).
			for i := range 12 {
				start := time.Date(2024, 3, 1+7*i, 9, 30, 0, 0, loc)
				a := exportAppt{id: "appt-" + zone + "-" + strconv.Itoa(i), start: start, end: start.Add(50 * time.Minute),
					status: "scheduled", kind: "follow_up", location: "office", sequence: i % 3, initials: "JD"}
				if i == 0 {
					a.kind = "intake"
				}
				if i == 5 {
					a.status = "canceled"
				}
				appts = append(appts, a)
			}
			for _, d := range []time.Time{time.Date(2024, 10, 27, 0, 0, 0, 0, loc), time.Date(2024, 11, 3, 0, 0, 0, 0, loc)} {
				start := d.Add(90 * time.Minute) // 01:30, counted in elapsed time from midnight
				appts = append(appts, exportAppt{id: "late-" + d.Format("0102"), start: start, end: start.Add(time.Hour),
					status: "scheduled", kind: "follow_up", location: "telehealth", initials: "ÅÖ"})
			}
			var buf bytes.Buffer
			err := writeFeed(&buf, feedData{loc: loc, now: now, from: now.Add(-ExportBack), to: now.Add(ExportAhead), appts: appts})
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "feed.ics")
			if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(node, filepath.Join(dir, "parse.js"), file)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node parse.js: %v\n%s", err, stderr.String())
			}
			var got []nodeEvent
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("node output %q: %v", out, err)
			}
			if len(got) != len(appts) {
				t.Fatalf("ical.js read %d events, want %d", len(got), len(appts))
			}
			for i, a := range appts {
				want := nodeEvent{
					UID: a.id + "@tend", Start: a.start.UTC().Format(time.RFC3339), End: a.end.UTC().Format(time.RFC3339),
					Summary: a.initials + " – " + kindLabel(a.kind), Sequence: a.sequence, Status: feedStatus(a.status),
				}
				if got[i] != want {
					t.Errorf("event %d:\nical.js: %+v\nTend:    %+v", i, got[i], want)
				}
			}
		})
	}
}
