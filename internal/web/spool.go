package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// errFileTooLarge is an uploaded file over the size limit; reading
// stopped at the limit.
var errFileTooLarge = errors.New("web: uploaded file is over the size limit")

// spool keeps the files of one upload request while the rest of the
// request arrives: a multipart body can only be read in order, and a
// message is sent with all its files at once. Each file goes straight
// from the request to disk, encrypted with AES-CTR under a key that
// exists only in this request's memory, so the spool never holds a file
// in memory and leaves nothing readable behind. Close removes it all.
type spool struct {
	dir   string
	block cipher.Block
	files []*spooledFile
}

// spooledFile is one file in the spool.
type spooledFile struct {
	name string // the name the browser sent
	path string
	iv   []byte
	size int64
	open *os.File // set while it is being read back
}

// newSpool makes an empty spool in a fresh directory under base.
func newSpool(base string) (*spool, error) {
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil, fmt.Errorf("web: upload spool: %w", err)
	}
	dir, err := os.MkdirTemp(base, "upload-")
	if err != nil {
		return nil, fmt.Errorf("web: upload spool: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("web: upload spool key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("web: upload spool cipher: %w", err)
	}
	return &spool{dir: dir, block: block}, nil
}

// add streams r into the spool as the file name. It reads at most
// max+1 bytes: a file over max is errFileTooLarge, without reading the
// rest of it.
func (sp *spool) add(name string, r io.Reader, max int64) (int64, error) {
	sf := &spooledFile{name: name, path: filepath.Join(sp.dir, fmt.Sprintf("%03d.bin", len(sp.files))),
		iv: make([]byte, aes.BlockSize)}
	if _, err := rand.Read(sf.iv); err != nil {
		return 0, fmt.Errorf("web: upload spool iv: %w", err)
	}
	f, err := os.OpenFile(sf.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("web: upload spool file: %w", err)
	}
	w := cipher.StreamWriter{S: cipher.NewCTR(sp.block, sf.iv), W: f}
	n, err := io.Copy(w, io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("web: upload spool write: %w", err)
	}
	sp.files = append(sp.files, sf)
	sf.size = n
	if n > max {
		return n, errFileTooLarge
	}
	return n, nil
}

// spooledReader is a spooled file read back, decrypted.
type spooledReader struct {
	Name string
	Size int64
	R    io.Reader
}

// readers opens every spooled file for reading, in the order added.
// Close closes them.
func (sp *spool) readers() ([]spooledReader, error) {
	out := make([]spooledReader, 0, len(sp.files))
	for _, sf := range sp.files {
		f, err := os.Open(sf.path)
		if err != nil {
			return nil, fmt.Errorf("web: upload spool read: %w", err)
		}
		sf.open = f
		out = append(out, spooledReader{Name: sf.name, Size: sf.size,
			R: cipher.StreamReader{S: cipher.NewCTR(sp.block, sf.iv), R: f}})
	}
	return out, nil
}

// Close closes and removes every spooled file.
func (sp *spool) Close() error {
	for _, sf := range sp.files {
		if sf.open != nil {
			_ = sf.open.Close()
		}
	}
	if err := os.RemoveAll(sp.dir); err != nil {
		return fmt.Errorf("web: remove upload spool: %w", err)
	}
	return nil
}
