package audit

import (
	"testing"
	"time"
)

func sampleRecord() Record {
	return Record{
		ID:         "0190a1b2-0000-7000-8000-000000000001",
		Seq:        1,
		At:         time.Date(2026, 3, 2, 9, 0, 0, 1000, time.UTC),
		ActorID:    "u-pa",
		ActorRole:  "provider",
		Action:     "clients.client.read",
		ObjectType: "client",
		ObjectID:   "c-1",
		ProviderID: "p-a",
		ClientID:   "c-1",
		IP:         "192.0.2.7",
		UserAgent:  "Mozilla/5.0 ✓",
		Detail:     "field=status",
	}
}

// TestChainHashEncoding pins the documented encoding: the expected value
// was computed outside Go from the description on chainHash.
func TestChainHashEncoding(t *testing.T) {
	const want = "a082f144db0e55f92912f3de3c90c09cb8f40f451f351eb10d490e1fdf68d2dd"
	if got := chainHash(genesisHash, sampleRecord()); got != want {
		t.Errorf("chainHash = %s, want %s", got, want)
	}
}

func TestChainHashCoversEveryField(t *testing.T) {
	base := chainHash(genesisHash, sampleRecord())
	tests := []struct {
		name   string
		change func(r *Record)
		prev   string
	}{
		{"id", func(r *Record) { r.ID += "x" }, genesisHash},
		{"seq", func(r *Record) { r.Seq++ }, genesisHash},
		{"at", func(r *Record) { r.At = r.At.Add(time.Microsecond) }, genesisHash},
		{"actor_id", func(r *Record) { r.ActorID = "u-pb" }, genesisHash},
		{"actor_role", func(r *Record) { r.ActorRole = "admin" }, genesisHash},
		{"action", func(r *Record) { r.Action = "clients.client.update" }, genesisHash},
		{"object_type", func(r *Record) { r.ObjectType = "note" }, genesisHash},
		{"object_id", func(r *Record) { r.ObjectID = "c-2" }, genesisHash},
		{"provider_id", func(r *Record) { r.ProviderID = "p-b" }, genesisHash},
		{"client_id", func(r *Record) { r.ClientID = "" }, genesisHash},
		{"ip", func(r *Record) { r.IP = "192.0.2.8" }, genesisHash},
		{"user_agent", func(r *Record) { r.UserAgent = "curl" }, genesisHash},
		{"detail", func(r *Record) { r.Detail = "" }, genesisHash},
		{"prev_hash", func(r *Record) {}, "1" + genesisHash[1:]},
		// Moving bytes from one field to the next must not collide.
		{"field boundary", func(r *Record) {
			r.ObjectType, r.ObjectID = "clientc", "-1"
		}, genesisHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleRecord()
			tt.change(&r)
			if chainHash(tt.prev, r) == base {
				t.Errorf("changing %s left the hash unchanged", tt.name)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "abc", 10, "abc"},
		{"nul removed", "a\x00b", 10, "ab"},
		{"invalid utf-8", "a\xffb", 10, "a\uFFFDb"},
		{"cut", "abcdef", 3, "abc"},
		{"cut on rune boundary", "ab✓", 4, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in, tt.max); got != tt.want {
				t.Errorf("clean(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, seq := range []int64{1, 42, 1 << 40} {
		got, err := decodeCursor(encodeCursor(seq))
		if err != nil || got != seq {
			t.Errorf("cursor for %d decoded to %d, %v", seq, got, err)
		}
	}
}
