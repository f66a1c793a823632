// Reads an iCalendar file with ical.js and prints its events as JSON:
// [{uid, start, end, summary, sequence, status}], start and end in UTC
// (RFC 3339). ical.js knows no time zone by name: it converts local
// times only through the VTIMEZONE blocks the file itself carries, so
// this checks Tend's VTIMEZONE output as much as its events.
// Usage: node parse.js feed.ics
'use strict';
const fs = require('fs');
const ICAL = require('ical.js');

const text = fs.readFileSync(process.argv[2], 'utf8');
const root = new ICAL.Component(ICAL.parse(text));
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const iso = (t) => new Date(t.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z');
const events = root.getAllSubcomponents('vevent').map((c) => {
  const ev = new ICAL.Event(c);
  return {
    uid: ev.uid,
    start: iso(ev.startDate),
    end: iso(ev.endDate),
    summary: ev.summary,
    sequence: ev.sequence,
    status: c.getFirstPropertyValue('status'),
  };
});
process.stdout.write(JSON.stringify(events));
