package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckPassword(t *testing.T) {
	const email = "dana.river@example.org"
	tests := []struct {
		name     string
		password string
		wantErr  bool
	}{
		{"long passphrase", "violet tractor mends seven kites", false},
		{"twelve mixed characters", "Tq8#zLm2!vRp", false},
		{"demo password", "demo-password", false},
		{"too short", "Tq8#zLm2!vR", true},
		{"eleven multibyte runes", strings.Repeat("é", 5) + "abcdef", true},
		{"twelve multibyte runes", "éàüöñçøåßæœx", false},
		{"max length", strings.Repeat("abcd", 32), false},
		{"over max length", strings.Repeat("abcd", 32) + "e", true},
		{"common long", "password1234", true},
		{"common different case", "PassWord1234", true},
		{"common with symbols", "iloveyou2024!!", true},
		{"common digits", "123456789012", true},
		{"keyboard walk", "qwertyuiop123", true},
		{"own email", "Dana.River@example.org", true},
		{"email inside", "x" + email + "x", true},
		{"local part with digits", "dana.river2024", true},
		{"one character repeated", strings.Repeat("z", 16), true},
		{"few distinct characters", "abcabcabcabc", true},
		{"invalid utf8", "abcdefghijk\xff", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.password, email)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckPassword(%q) = %v, want error %v", tt.password, err, tt.wantErr)
			}
			if err == nil {
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "password" || fe.Message == "" {
				t.Fatalf("error = %#v, want *FieldError on password", err)
			}
		})
	}
}

func TestCommonListIsLoaded(t *testing.T) {
	if n := len(commonPasswords); n < 200 {
		t.Fatalf("common password list has %d entries, want at least 200", n)
	}
	if _, ok := commonPasswords["password"]; !ok {
		t.Fatal(`"password" is not on the common list`)
	}
}

func TestHashVerify(t *testing.T) {
	hash, err := hashPassword("violet tractor mends", defaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q, want PHC argon2id with default parameters", hash)
	}
	if strings.Contains(hash, "violet") {
		t.Fatal("hash contains the password")
	}
	other, err := hashPassword("violet tractor mends", defaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if other == hash {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}

	tests := []struct {
		name      string
		password  string
		hash      string
		params    hashParams
		wantOK    bool
		wantStale bool
		wantErr   bool
	}{
		{"right password", "violet tractor mends", hash, defaultParams, true, false, false},
		{"wrong password", "violet tractor mend", hash, defaultParams, false, false, false},
		{"params changed", "violet tractor mends", hash, fastParams, true, true, false},
		{"not argon2id", "x", "$2a$10$abcdefghijklmnopqrstuv", defaultParams, false, false, true},
		{"zero memory", "x", "$argon2id$v=19$m=0,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
			defaultParams, false, false, true},
		{"bad salt", "x", "$argon2id$v=19$m=8,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
			defaultParams, false, false, true},
		{"empty", "x", "", defaultParams, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, stale, err := verifyPassword(tt.password, tt.hash, tt.params)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if ok != tt.wantOK || stale != tt.wantStale {
				t.Fatalf("ok, stale = %v, %v, want %v, %v", ok, stale, tt.wantOK, tt.wantStale)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"  Dana@Example.ORG ", "dana@example.org", false},
		{"a.b+tag@sub.example.com", "a.b+tag@sub.example.com", false},
		{"", "", true},
		{"dana", "", true},
		{"dana@", "", true},
		{"Dana <dana@example.org>", "", true},
		{"dana@example.org, eve@example.org", "", true},
		{strings.Repeat("a", 250) + "@example.org", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeEmail(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q, error %v",
					tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil {
				wantField(t, "NormalizeEmail", err, "email")
			}
		})
	}
}

func TestThrottledErrorMessage(t *testing.T) {
	tests := []struct {
		retry time.Duration
		want  string
	}{
		{12 * time.Minute, "Too many sign-in attempts. Try again in 12 minutes."},
		{11*time.Minute + time.Second, "Too many sign-in attempts. Try again in 12 minutes."},
		{20 * time.Second, "Too many sign-in attempts. Try again in 1 minute."},
	}
	for _, tt := range tests {
		if got := (&ThrottledError{RetryAfter: tt.retry}).Error(); got != tt.want {
			t.Errorf("RetryAfter %v: %q, want %q", tt.retry, got, tt.want)
		}
	}
}
