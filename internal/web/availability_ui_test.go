package web_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// availSite is a site with a signed-in provider on the Availability page.
func availSite(t *testing.T) (*site, *browser, auth.User) {
	t.Helper()
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	return s, b, p
}

// slotStarts returns which of the wall-clock times (New York, 2026) the
// provider's open slots for typeKey start at.
func slotStarts(t *testing.T, s *site, p auth.User, typeKey string, times ...time.Time) map[time.Time]bool {
	t.Helper()
	from, to := at(3, 3, 0, 0), at(3, 21, 0, 0)
	got, err := s.sched.Slots(context.Background(), p.ProviderID, from, to, typeKey)
	if err != nil {
		t.Fatalf("slots: %v", err)
	}
	open := map[time.Time]bool{}
	for _, sl := range got {
		open[sl.Start.UTC()] = true
	}
	out := map[time.Time]bool{}
	for _, x := range times {
		out[x] = open[x.UTC()]
	}
	return out
}

// wantSlots checks which of the times are open.
func wantSlots(t *testing.T, s *site, p auth.User, typeKey string, open, closed []time.Time) {
	t.Helper()
	got := slotStarts(t, s, p, typeKey, append(append([]time.Time{}, open...), closed...)...)
	for _, x := range open {
		if !got[x] {
			t.Errorf("no open slot at %s", x)
		}
	}
	for _, x := range closed {
		if got[x] {
			t.Errorf("an open slot at %s", x)
		}
	}
}

func TestAvailabilityTimeOffForms(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		listed string
		open   []time.Time
		closed []time.Time
	}{{
		name:   "all days",
		form:   url.Values{"section": {"timeoff"}, "from": {"2026-03-09"}, "to": {"2026-03-13"}},
		listed: "Mar 9–13 (all day)",
		open:   []time.Time{at(3, 6, 16, 0), at(3, 16, 9, 0)},
		closed: []time.Time{at(3, 9, 9, 0), at(3, 11, 12, 0), at(3, 13, 16, 30)},
	}, {
		name: "part day",
		form: url.Values{"section": {"timeoff_part"}, "tp_date": {"2026-03-05"}, "tp_start": {"09:00"},
			"tp_end": {"12:00"}, "tp_note": {"Dentist"}},
		listed: "Mar 5, 09:00–12:00",
		open:   []time.Time{at(3, 5, 12, 0), at(3, 5, 14, 0), at(3, 12, 9, 0)},
		closed: []time.Time{at(3, 5, 9, 0), at(3, 5, 10, 30), at(3, 5, 11, 30)},
	}, {
		name: "every week",
		form: url.Values{"section": {"timeoff_weekly"}, "tw_day": {"5"}, "tw_start": {"13:00"},
			"tw_end": {"17:00"}},
		listed: "Every Friday 13:00–17:00",
		open:   []time.Time{at(3, 6, 10, 0), at(3, 13, 12, 0), at(3, 12, 14, 0)},
		closed: []time.Time{at(3, 6, 13, 0), at(3, 6, 15, 30), at(3, 13, 14, 0), at(3, 20, 14, 0)},
	}, {
		name: "every week until a date",
		form: url.Values{"section": {"timeoff_weekly"}, "tw_day": {"5"}, "tw_start": {"13:00"},
			"tw_end": {"17:00"}, "tw_until": {"2026-03-10"}},
		listed: "Every Friday 13:00–17:00 until Mar 10",
		open:   []time.Time{at(3, 6, 10, 0), at(3, 13, 14, 0)},
		closed: []time.Time{at(3, 6, 13, 0), at(3, 6, 16, 0)},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b, p := availSite(t)
			wantSlots(t, s, p, "", tt.closed, nil) // open before the time off
			wantRedirect(t, b.post("/settings/availability", tt.form), "/settings/availability?done=saved")
			want(t, b.get("/settings/availability"), http.StatusOK, tt.listed)
			wantSlots(t, s, p, "", tt.open, tt.closed)
		})
	}
}

func TestAvailabilityWeeklyTimeOffRule(t *testing.T) {
	s, b, p := availSite(t)
	wantRedirect(t, b.post("/settings/availability", url.Values{"section": {"timeoff_weekly"},
		"tw_day": {"1"}, "tw_start": {"08:00"}, "tw_end": {"09:30"}, "tw_until": {"2026-04-27"}}),
		"/settings/availability?done=saved")
	a, err := s.sched.AvailabilityForProvider(context.Background(), p.ProviderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.TimeOff) != 1 {
		t.Fatalf("time off = %+v, want one entry", a.TimeOff)
	}
	e := a.TimeOff[0]
	// Today is Monday 2 March: the first occurrence is today.
	if want := "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260428T035959Z"; e.RRule != want || e.AllDay {
		t.Errorf("rule = %q (all day %v), want %q", e.RRule, e.AllDay, want)
	}
	if !e.Start.Equal(at(3, 2, 8, 0)) || !e.End.Equal(at(3, 2, 9, 30)) {
		t.Errorf("first occurrence = %s–%s", e.Start, e.End)
	}
}

func TestAvailabilityOverrideRanges(t *testing.T) {
	s, b, p := availSite(t)
	form := url.Values{"section": {"override"}, "date": {"2026-03-10"},
		"ov_start": {"08:00"}, "ov_end": {"10:00"}, "ov_mode": {"telehealth"},
		"ov1_start": {"15:00"}, "ov1_end": {"16:30"}, "ov1_mode": {"telehealth"}}
	wantRedirect(t, b.post("/settings/availability", form), "/settings/availability?done=saved")
	want(t, b.get("/settings/availability"), http.StatusOK, "2026-03-10: 08:00–10:00, 15:00–16:30",
		`id="ov2-start"`)
	wantSlots(t, s, p, "",
		[]time.Time{at(3, 10, 8, 0), at(3, 10, 9, 30), at(3, 10, 15, 0), at(3, 10, 16, 0), at(3, 11, 12, 0)},
		[]time.Time{at(3, 10, 10, 0), at(3, 10, 12, 0), at(3, 10, 14, 30), at(3, 10, 16, 30)})

	overlap := url.Values{"section": {"override"}, "date": {"2026-03-11"},
		"ov_start": {"08:00"}, "ov_end": {"10:00"}, "ov_mode": {"telehealth"},
		"ov2_start": {"09:00"}, "ov2_end": {"11:00"}, "ov2_mode": {"telehealth"}}
	want(t, b.post("/settings/availability", overlap), http.StatusUnprocessableEntity, `id="ov-start-error"`)
}

func TestAvailabilityAddType(t *testing.T) {
	s, b, p := availSite(t)
	add := url.Values{"section": {"type_add"}, "nt_name": {"Couples, 80 minutes"}, "nt_minutes": {"80"},
		"nt_cpt": {"90847"}, "nt_kind": {"follow_up"}}
	wantRedirect(t, b.post("/settings/availability", add), "/settings/availability?done=saved")
	wantRedirect(t, b.post("/settings/availability", add), "/settings/availability?done=saved")
	want(t, b.get("/settings/availability"), http.StatusOK, `name="type_couples_80_minutes_name"`,
		`name="type_couples_80_minutes_2_name"`, `value="Couples, 80 minutes"`, `value="80"`)
	a, err := s.sched.AvailabilityForProvider(context.Background(), p.ProviderID)
	if err != nil {
		t.Fatal(err)
	}
	last := a.Types[len(a.Types)-1]
	if want := (scheduling.AppointmentType{Key: "couples_80_minutes_2", Name: "Couples, 80 minutes",
		Minutes: 80, CPT: "90847", Kind: "follow_up"}); last != want {
		t.Errorf("added type = %+v, want %+v", last, want)
	}
	// An 80-minute session fits from 15:30, not from 16:00, on a 9–17 day.
	wantSlots(t, s, p, "couples_80_minutes", []time.Time{at(3, 4, 15, 30)}, []time.Time{at(3, 4, 16, 0)})
}

func TestAvailabilityFormProblemsChangeNothing(t *testing.T) {
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"part day ends before it starts", url.Values{"section": {"timeoff_part"}, "tp_date": {"2026-03-05"},
			"tp_start": {"12:00"}, "tp_end": {"09:00"}}, `id="tp-end-error"`},
		{"part day without a date", url.Values{"section": {"timeoff_part"}, "tp_start": {"09:00"},
			"tp_end": {"12:00"}}, `id="tp-date-error"`},
		{"weekly ends before it starts", url.Values{"section": {"timeoff_weekly"}, "tw_day": {"5"},
			"tw_start": {"17:00"}, "tw_end": {"13:00"}}, `id="tw-end-error"`},
		{"weekly malformed time", url.Values{"section": {"timeoff_weekly"}, "tw_day": {"5"},
			"tw_start": {"1pm"}, "tw_end": {"17:00"}}, `id="tw-start-error"`},
		{"weekly until in the past", url.Values{"section": {"timeoff_weekly"}, "tw_day": {"5"},
			"tw_start": {"13:00"}, "tw_end": {"17:00"}, "tw_until": {"2026-03-01"}}, `id="tw-until-error"`},
		{"weekly without a day", url.Values{"section": {"timeoff_weekly"}, "tw_start": {"13:00"},
			"tw_end": {"17:00"}}, `id="tw-day-error"`},
		{"override range ends before it starts", url.Values{"section": {"override"}, "date": {"2026-03-10"},
			"ov_start": {"08:00"}, "ov_end": {"10:00"}, "ov_mode": {"telehealth"},
			"ov1_start": {"16:00"}, "ov1_end": {"15:00"}, "ov1_mode": {"telehealth"}}, `id="ov1-start-error"`},
		{"type too short", url.Values{"section": {"type_add"}, "nt_name": {"Check-in"}, "nt_minutes": {"3"},
			"nt_cpt": {"90832"}, "nt_kind": {"follow_up"}}, `id="nt-minutes-error"`},
		{"type with a bad CPT code", url.Values{"section": {"type_add"}, "nt_name": {"Check-in"},
			"nt_minutes": {"20"}, "nt_cpt": {"9083"}, "nt_kind": {"follow_up"}}, `id="nt-cpt-error"`},
		{"type with a bad kind", url.Values{"section": {"type_add"}, "nt_name": {"Check-in"},
			"nt_minutes": {"20"}, "nt_cpt": {"90832"}, "nt_kind": {"group"}}, `id="nt-kind-error"`},
		{"type without a name", url.Values{"section": {"type_add"}, "nt_name": {"  "},
			"nt_minutes": {"20"}, "nt_cpt": {"90832"}, "nt_kind": {"intake"}}, `id="nt-name-error"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b, p := availSite(t)
			before, err := s.sched.AvailabilityForProvider(context.Background(), p.ProviderID)
			if err != nil {
				t.Fatal(err)
			}
			want(t, b.post("/settings/availability", tt.form), http.StatusUnprocessableEntity, tt.field)
			after, err := s.sched.AvailabilityForProvider(context.Background(), p.ProviderID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the settings changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}
