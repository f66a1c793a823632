package vault

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// The key file is plain text, one key per line:
//
//	<id> <created YYYY-MM-DD> <base64 of 32 random bytes>
//
// Blank lines and lines starting with # are ignored. The last key is the
// primary one. Lines are only ever appended: a removed line makes every
// value sealed under that key unreadable.
const fileHeader = `# Tend encryption key ring. Keep this file secret (mode 0600) and back
# it up with the database: without it, encrypted records cannot be read.
# Never delete a line; old keys open values sealed before a rotation.
# The last key is the primary one. Format: <id> <created> <base64 key>
`

// rotateMu serializes rotations within one process.
var rotateMu sync.Mutex

// LoadOrCreate reads the key ring stored at path. When no file exists it
// creates the directory (mode 0700) and a file (mode 0600) holding one
// new random key. A file that group or others may access is refused, as
// is a file that does not parse.
func LoadOrCreate(path string) (*Ring, error) {
	data, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKeyFile(path); err != nil {
			return nil, err
		}
		data, err = readKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	keys, err := parseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("vault: key file %s: %w", path, err)
	}
	return newRing(keys)
}

// Rotate appends a new random key to the key file at path and makes it
// the primary one; it returns the new key's id. Older keys stay in the
// file so values sealed under them still open. Running processes keep
// their loaded ring until they load the file again (a restart).
func Rotate(path string) (keyID string, err error) {
	rotateMu.Lock()
	defer rotateMu.Unlock()

	data, err := readKeyFile(path)
	if err != nil {
		return "", err
	}
	keys, err := parseKeys(data)
	if err != nil {
		return "", fmt.Errorf("vault: key file %s: %w", path, err)
	}
	taken := make(map[string]bool, len(keys))
	for _, k := range keys {
		taken[k.id] = true
	}
	line, id, err := newKeyLine(taken)
	if err != nil {
		return "", err
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, line...)
	if err := replaceFile(path, data); err != nil {
		return "", err
	}
	return id, nil
}

// readKeyFile returns the file's bytes after checking it is a regular
// file that only its owner can access.
func readKeyFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("vault: key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("vault: key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("vault: key file %s has mode %#o, so group or others "+
			"can access it; restrict it with: chmod 600 %s", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vault: read key file: %w", err)
	}
	return data, nil
}

func createKeyFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("vault: create key directory: %w", err)
	}
	line, _, err := newKeyLine(nil)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // another process created it first; load theirs
	}
	if err != nil {
		return fmt.Errorf("vault: create key file: %w", err)
	}
	if _, err := f.WriteString(fileHeader + line); err != nil {
		f.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	return nil
}

// replaceFile writes data to a temporary file beside path and renames it
// over path, so a crash leaves either the old or the new file whole.
func replaceFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keys-*")
	if err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("vault: replace key file: %w", err)
	}
	return nil
}

// newKeyLine makes a key with a random id not in taken and returns its
// key file line.
func newKeyLine(taken map[string]bool) (line, id string, err error) {
	secret := make([]byte, keySize)
	if _, err := rand.Read(secret); err != nil {
		return "", "", fmt.Errorf("vault: generate key: %w", err)
	}
	for {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", "", fmt.Errorf("vault: generate key id: %w", err)
		}
		id = "k" + hex.EncodeToString(b[:])
		if !taken[id] {
			break
		}
	}
	created := time.Now().UTC().Format(time.DateOnly)
	line = id + " " + created + " " + base64.StdEncoding.EncodeToString(secret) + "\n"
	return line, id, nil
}

func parseKeys(data []byte) ([]*key, error) {
	var keys []*key
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want <id> <created> <key>", n)
		}
		if !validKeyID(f[0]) {
			return nil, fmt.Errorf("line %d: key id %q must be 1-64 letters, "+
				"digits, '-' or '_'", n, f[0])
		}
		if _, err := time.Parse(time.DateOnly, f[1]); err != nil {
			return nil, fmt.Errorf("line %d: created date: %w", n, err)
		}
		secret, err := base64.StdEncoding.DecodeString(f[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: key is not base64: %w", n, err)
		}
		if len(secret) != keySize {
			return nil, fmt.Errorf("line %d: key is %d bytes, want %d",
				n, len(secret), keySize)
		}
		keys = append(keys, &key{id: f[0], created: f[1], secret: secret})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

func validKeyID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
