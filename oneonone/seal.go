package oneonone

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// notesCipher derives the AES-256 key for note bodies from PULSE_NOTES_KEY,
// so the configured string may be any length of 32 or more.
func notesCipher(key []byte) cipher.AEAD {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("pulse one-on-one notes v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return gcm
}

// noteContext binds a sealed body to its meeting and author, so a body
// copied onto another row does not open.
func noteContext(n Note) []byte {
	return fmt.Appendf(nil, "one-on-one note %d/%d", n.MeetingID, n.AuthorID)
}

// seal turns n.Body into what the database keeps, when a key is configured.
func (s *Service) seal(n *Note) error {
	n.Encrypted = s.notes != nil
	if s.notes == nil {
		return nil
	}
	nonce := make([]byte, s.notes.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	out := s.notes.Seal(nonce, nonce, []byte(n.Body), noteContext(*n))
	n.Body = base64.RawStdEncoding.EncodeToString(out)
	return nil
}

// open turns a stored body back into text. A sealed body that the current
// key cannot open is marked Locked rather than failing the whole meeting.
func (s *Service) open(n *Note) {
	if !n.Encrypted {
		return
	}
	plain, err := s.openBody(*n)
	if err != nil {
		n.Body, n.Locked = "", true
		return
	}
	n.Body = plain
}

func (s *Service) openBody(n Note) (string, error) {
	if s.notes == nil {
		return "", errors.New("no notes key")
	}
	raw, err := base64.RawStdEncoding.DecodeString(n.Body)
	if err != nil || len(raw) < s.notes.NonceSize() {
		return "", errors.New("sealed note is malformed")
	}
	size := s.notes.NonceSize()
	plain, err := s.notes.Open(nil, raw[:size], raw[size:], noteContext(n))
	return string(plain), err
}
