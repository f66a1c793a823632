package calsync

import (
	"encoding/binary"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// zoneSet resolves the TZIDs one feed uses. Its order of preference:
// Go's time zone database by name (also after stripping vendor prefixes
// such as "/mozilla.org/20070129_1/"), then the Windows zone table, then
// the feed's own VTIMEZONE definition, then the fallback zone.
type zoneSet struct {
	defs     map[string]*ics.VTimezone
	cache    map[string]*time.Location
	fallback *time.Location
}

func newZoneSet(cal *ics.Calendar, fallback *time.Location) *zoneSet {
	z := &zoneSet{defs: map[string]*ics.VTimezone{}, cache: map[string]*time.Location{},
		fallback: fallback}
	for _, c := range cal.Components {
		if vt, ok := c.(*ics.VTimezone); ok {
			if p := vt.GetProperty(ics.ComponentPropertyTzid); p != nil {
				z.defs[strings.TrimSpace(p.Value)] = vt
			}
		}
	}
	return z
}

// lookup returns the zone for tzid, never nil.
func (z *zoneSet) lookup(tzid string) *time.Location {
	if loc, ok := z.cache[tzid]; ok {
		return loc
	}
	loc := knownZone(tzid)
	if loc == nil {
		if vt, ok := z.defs[tzid]; ok {
			loc = synthesize(tzid, vt)
		}
	}
	if loc == nil {
		loc = z.fallback
	}
	if len(z.cache) < 1000 {
		z.cache[tzid] = loc
	}
	return loc
}

// knownZone finds tzid in Go's database or the Windows table, or nil.
func knownZone(tzid string) *time.Location {
	name := strings.TrimSpace(strings.Trim(tzid, `"`))
	if name == "" || len(name) > 200 {
		return nil
	}
	if loc := loadIANA(name); loc != nil {
		return loc
	}
	// Vendor prefixes: keep the last one, two or three path segments.
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for n := 3; n >= 1; n-- {
		if len(parts) > n {
			if loc := loadIANA(strings.Join(parts[len(parts)-n:], "/")); loc != nil {
				return loc
			}
		}
	}
	if iana, ok := windowsZones[name]; ok {
		return loadIANA(iana)
	}
	return nil
}

// loadIANA loads an IANA zone name, refusing "Local" (the server's own
// zone means nothing to a feed) and anything that is not a plain name.
func loadIANA(name string) *time.Location {
	if name == "" || name == "Local" || strings.ContainsAny(name, " \\:") {
		return nil
	}
	if strings.EqualFold(name, "UTC") || strings.EqualFold(name, "GMT") || name == "Z" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// transition is one change of offset defined by a VTIMEZONE.
type transition struct {
	at     int64 // Unix seconds
	offset int
	dst    bool
	name   string
}

// synthesize turns a VTIMEZONE definition into a *time.Location by
// listing its transitions (DTSTART, RDATE and yearly RRULE onsets up to
// 2100) and loading them as TZif data. It returns nil when the
// definition has no usable component.
func synthesize(tzid string, vt *ics.VTimezone) *time.Location {
	var list []transition
	for _, c := range vt.Components {
		var base *ics.ComponentBase
		dst := false
		switch sub := c.(type) {
		case *ics.Standard:
			base = &sub.ComponentBase
		case *ics.Daylight:
			base, dst = &sub.ComponentBase, true
		default:
			continue
		}
		list = append(list, onsets(base, dst)...)
		if len(list) > 2000 {
			break
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].at < list[j].at })
	if len(list) == 1 || allSame(list) {
		return time.FixedZone(list[0].name, list[0].offset)
	}
	loc, err := time.LoadLocationFromTZData(tzid, tzif(list))
	if err != nil {
		return nil
	}
	return loc
}

func allSame(list []transition) bool {
	for _, t := range list[1:] {
		if t.offset != list[0].offset {
			return false
		}
	}
	return true
}

// onsets lists the transitions one STANDARD or DAYLIGHT block defines.
func onsets(c *ics.ComponentBase, dst bool) []transition {
	startProp := c.GetProperty(ics.ComponentPropertyDtStart)
	fromProp := c.GetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom))
	toProp := c.GetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto))
	if startProp == nil || toProp == nil {
		return nil
	}
	to, err := parseOffset(toProp.Value)
	if err != nil {
		return nil
	}
	from := to
	if fromProp != nil {
		if f, err := parseOffset(fromProp.Value); err == nil {
			from = f
		}
	}
	start, err := parseICalTime(startProp.Value, nil)
	if err != nil {
		return nil
	}
	name := ""
	if p := c.GetProperty(ics.ComponentProperty(ics.PropertyTzname)); p != nil {
		name = p.Value
	}
	mk := func(w wallclock.Time) transition {
		return transition{at: w.Floating().Unix() - int64(from), offset: to, dst: dst, name: name}
	}
	out := []transition{mk(start.wall)}
	for _, p := range c.GetProperties(ics.ComponentPropertyRdate) {
		for _, v := range strings.Split(p.Value, ",") {
			if t, err := parseICalTime(strings.Split(v, "/")[0], nil); err == nil {
				tr := mk(t.wall)
				if t.utc {
					tr.at = t.wall.Floating().Unix()
				}
				out = append(out, tr)
			}
		}
	}
	if p := c.GetProperty(ics.ComponentPropertyRrule); p != nil {
		out = append(out, ruleOnsets(p.Value, start.wall, mk)...)
	}
	return out
}

// ruleOnsets expands a VTIMEZONE RRULE (normally yearly) up to 2100.
func ruleOnsets(rule string, start wallclock.Time, mk func(wallclock.Time) transition) []transition {
	opt, err := rrule.StrToROptionInLocation(strings.TrimPrefix(rule, "RRULE:"), time.UTC)
	if err != nil || opt.Freq > rrule.MONTHLY {
		return nil
	}
	opt.Dtstart = start.Floating()
	limit := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	if opt.Until.IsZero() || opt.Until.After(limit) {
		opt.Until = limit
	}
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil
	}
	var out []transition
	next := r.Iterator()
	for i := 0; i < 1000; i++ {
		f, ok := next()
		if !ok {
			break
		}
		out = append(out, mk(wallclock.Of(f)))
	}
	return out
}

// tzif encodes transitions as TZif version 2 data (RFC 8536): an empty
// version 1 block, then 64-bit transition times, one local time type per
// distinct (offset, dst, name), and an empty footer.
func tzif(list []transition) []byte {
	type ttype struct {
		offset int
		dst    bool
		name   string
	}
	var types []ttype
	var chars []byte
	abbr := map[string]int{}
	index := func(t transition) byte {
		name := cleanAbbrev(t.name, t.offset)
		for i, ty := range types {
			if ty.offset == t.offset && ty.dst == t.dst && ty.name == name {
				return byte(i)
			}
		}
		if _, ok := abbr[name]; !ok {
			abbr[name] = len(chars)
			chars = append(append(chars, name...), 0)
		}
		types = append(types, ttype{t.offset, t.dst, name})
		return byte(len(types) - 1)
	}
	var times []int64
	var idx []byte
	for _, t := range list {
		if len(types) >= 16 || len(chars) > 200 {
			break
		}
		if len(times) > 0 && times[len(times)-1] == t.at {
			continue
		}
		idx = append(idx, index(t))
		times = append(times, t.at)
	}

	header := func(b []byte, n [6]uint32) []byte {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, v := range n {
			b = binary.BigEndian.AppendUint32(b, v)
		}
		return b
	}
	b := header(nil, [6]uint32{})
	b = header(b, [6]uint32{0, 0, 0, uint32(len(times)), uint32(len(types)), uint32(len(chars))})
	for _, t := range times {
		b = binary.BigEndian.AppendUint64(b, uint64(t))
	}
	b = append(b, idx...)
	for _, ty := range types {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(ty.offset)))
		isDST := byte(0)
		if ty.dst {
			isDST = 1
		}
		b = append(b, isDST, byte(abbr[ty.name]))
	}
	b = append(b, chars...)
	return append(b, '\n', '\n')
}

// cleanAbbrev keeps a TZNAME usable as a TZif abbreviation, or makes one
// from the offset.
func cleanAbbrev(name string, offset int) string {
	var sb strings.Builder
	for _, r := range name {
		if (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') ||
			r == '+' || r == '-' {
			sb.WriteRune(r)
		}
		if sb.Len() >= 10 {
			break
		}
	}
	if sb.Len() >= 3 {
		return sb.String()
	}
	return time.Unix(0, 0).In(time.FixedZone("", offset)).Format("-0700")
}
