package recurrence

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, in, want string // want is the canonical String()
	}{
		{"weekly", "FREQ=WEEKLY;COUNT=10", "FREQ=WEEKLY;COUNT=10"},
		{"prefix and lower case", "RRULE:freq=weekly;interval=2;count=3",
			"FREQ=WEEKLY;INTERVAL=2;COUNT=3"},
		{"second tuesday", "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
			"FREQ=MONTHLY;COUNT=6;BYDAY=2TU"},
		{"last tuesday with plus sign", "FREQ=MONTHLY;BYDAY=-1TU,+1MO",
			"FREQ=MONTHLY;BYDAY=-1TU,1MO"},
		{"until utc", "FREQ=DAILY;UNTIL=20240630T235959Z",
			"FREQ=DAILY;UNTIL=20240630T235959Z"},
		{"until local", "FREQ=DAILY;UNTIL=20240630T090000",
			"FREQ=DAILY;UNTIL=20240630T090000"},
		{"until date", "FREQ=DAILY;UNTIL=20240630",
			"FREQ=DAILY;UNTIL=20240630"},
		{"setpos and wkst",
			"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU",
			"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU"},
		{"month days", "FREQ=MONTHLY;BYMONTHDAY=1,-1",
			"FREQ=MONTHLY;BYMONTHDAY=1,-1"},
		{"yearly ordinal", "FREQ=YEARLY;BYDAY=20MO",
			"FREQ=YEARLY;BYDAY=20MO"},
		{"trailing semicolon", "FREQ=WEEKLY;BYDAY=MO;", "FREQ=WEEKLY;BYDAY=MO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			again, err := Parse(r.String())
			if err != nil || again.String() != tt.want {
				t.Errorf("round trip: %q, %v", again.String(), err)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in, wantMsg string
	}{
		{"empty", "", "empty rule"},
		{"no freq", "COUNT=3", "FREQ is required"},
		{"hourly", "FREQ=HOURLY;COUNT=3", "FREQ=HOURLY is not supported"},
		{"secondly", "FREQ=SECONDLY", "FREQ=SECONDLY is not supported"},
		{"minutely", "FREQ=MINUTELY", "FREQ=MINUTELY is not supported"},
		{"unknown freq", "FREQ=FORTNIGHTLY", "unknown FREQ"},
		{"byhour", "FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported"},
		{"byminute", "FREQ=DAILY;BYMINUTE=30", "BYMINUTE is not supported"},
		{"byweekno", "FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not supported"},
		{"byyearday", "FREQ=YEARLY;BYYEARDAY=100",
			"BYYEARDAY is not supported"},
		{"bymonth", "FREQ=YEARLY;BYMONTH=3", "BYMONTH is not supported"},
		{"unknown part", "FREQ=DAILY;X-FOO=1", "unknown rule part X-FOO"},
		{"count and until", "FREQ=DAILY;COUNT=2;UNTIL=20240101T000000Z",
			"COUNT and UNTIL"},
		{"zero interval", "FREQ=DAILY;INTERVAL=0", "INTERVAL must be"},
		{"negative count", "FREQ=DAILY;COUNT=-1", "COUNT must be"},
		{"twice", "FREQ=DAILY;FREQ=WEEKLY", "FREQ given twice"},
		{"no value", "FREQ=DAILY;COUNT", "not NAME=VALUE"},
		{"bad weekday", "FREQ=WEEKLY;BYDAY=XX", "bad weekday"},
		{"ordinal with weekly", "FREQ=WEEKLY;BYDAY=2TU", "BYDAY ordinals"},
		{"sixth tuesday", "FREQ=MONTHLY;BYDAY=6TU", "at most five"},
		{"monthday zero", "FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY value"},
		{"monthday 32", "FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY value"},
		{"monthday weekly", "FREQ=WEEKLY;BYMONTHDAY=1", "FREQ=WEEKLY"},
		{"setpos alone", "FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs"},
		{"setpos never matches", "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=8",
			"can never match"},
		{"bad until", "FREQ=DAILY;UNTIL=tomorrow", "UNTIL"},
		{"wkst ordinal", "FREQ=WEEKLY;WKST=1MO", "WKST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) error = %v, want ErrInvalid", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}
