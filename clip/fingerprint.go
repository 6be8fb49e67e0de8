package clip

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// fingerprint stands for a secret in a process that must later recognise
// it on the clipboard but does not serve it: HMAC-SHA256 of the secret
// under a random key made for this one copy. The clearing helper gets
// only this, never the secret, so a process that merely waits to clear
// holds no copy of the key; and the sum alone, without its key, lets
// nobody check a guess.
type fingerprint struct {
	key [32]byte
	sum []byte
}

func newFingerprint(secret []byte) fingerprint {
	var f fingerprint
	_, _ = rand.Read(f.key[:]) // crypto/rand.Read never fails (Go 1.24)
	f.sum = f.mac(secret)
	return f
}

func (f fingerprint) mac(b []byte) []byte {
	m := hmac.New(sha256.New, f.key[:])
	m.Write(b)
	return m.Sum(nil)
}

// matches reports whether s is the secret.
func (f fingerprint) matches(s string) bool {
	return hmac.Equal(f.mac([]byte(s)), f.sum)
}

// fingerprintTag starts a fingerprint on the helper's stdin:
// "anykey-fingerprint-v1 KEY SUM", both in hex.
const fingerprintTag = "anykey-fingerprint-v1 "

// encode is what the helper reads on stdin.
func (f fingerprint) encode() []byte {
	return []byte(fingerprintTag + hex.EncodeToString(f.key[:]) + " " + hex.EncodeToString(f.sum))
}

// decodeFingerprint reads the helper's stdin: a fingerprint, or the
// secret itself, as earlier builds sent it (a tray started before
// an upgrade hands its copies to the new binary's helper).
func decodeFingerprint(b []byte) fingerprint {
	if rest, ok := bytes.CutPrefix(b, []byte(fingerprintTag)); ok {
		k, s, _ := bytes.Cut(rest, []byte(" "))
		var f fingerprint
		n, err1 := hex.Decode(f.key[:], k)
		sum, err2 := hex.DecodeString(string(s))
		if err1 == nil && err2 == nil && n == len(f.key) && len(sum) == sha256.Size {
			f.sum = sum
			return f
		}
	}
	return newFingerprint(b)
}
