package store

import "github.com/google/uuid"

// NewID returns a new random, time-ordered id (UUIDv7) as a string. Ids
// are never sequential integers, so one id says nothing about another.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// ValidID reports whether s looks like an id NewID made. Handlers use it
// to answer 404 for malformed ids without asking the database.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
