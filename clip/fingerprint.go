package clip

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
)

// fingerprint stands for a secret in a process that must later recognise
// it on the clipboard but no longer serves it: HMAC-SHA256 of the secret
// under a random key of this process's own. The secret itself can then be
// wiped, and a memory dump shows neither it nor a digest anyone could
// compare a guess against without the key, which dies with the process.
type fingerprint struct {
	key [32]byte
	sum []byte
}

func newFingerprint(secret []byte) fingerprint {
	var f fingerprint
	_, _ = rand.Read(f.key[:]) // crypto/rand.Read never fails (Go 1.24)
	f.sum = f.mac([]byte(secret))
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
