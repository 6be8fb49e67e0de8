package keystore

import (
	"fmt"

	ss "github.com/zalando/go-keyring/secret_service"
)

// passwordContentType is the content type a secret is stored with: the
// one libsecret's password API reads back (libsecret secret-value.c,
// is_password_value: "text/plain" exactly, or none or
// application/octet-stream holding valid UTF-8).
//
// go-keyring v0.2.8 stores "text/plain; charset=utf8" (its master, after
// zalando/go-keyring#144, "text/plain; charset=utf-8"). gnome-keyring and
// KeePassXC hand any stored type back as "text/plain", but KWallet
// (kwalletd5, KF 5.103) hands back what it was given, so
// `secret-tool lookup service anykey username NAME`, and every libsecret
// client, answered "secret does not contain a textual password" for a key
// anykey saved. Keys are API tokens, always valid UTF-8 (checkEntry
// refuses control characters; names are validated apart).
const passwordContentType = "text/plain"

// platformSet is go-keyring's Set (keyring_unix.go, v0.2.8) step for step
// — session, the "login" collection or the "default" alias, Unlock with
// its prompt, CreateItem replacing the item of the same attributes, the
// same label — through go-keyring's own Secret Service client
// (go-keyring/secret_service), with [passwordContentType] instead of
// go-keyring's content type. Reads and deletes stay go-keyring's.
func platformSet(service, user, secret string) error {
	svc, err := ss.NewSecretService()
	if err != nil {
		return err
	}
	session, err := svc.OpenSession()
	if err != nil {
		return err
	}
	defer svc.Close(session)

	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return err
	}
	return svc.CreateItem(collection,
		fmt.Sprintf("Password for '%s' on '%s'", user, service),
		map[string]string{"username": user, "service": service},
		ss.Secret{Session: session.Path(), Parameters: []byte{}, Value: []byte(secret), ContentType: passwordContentType})
}
