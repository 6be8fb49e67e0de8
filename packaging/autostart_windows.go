package packaging

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// hkcu is the real [regValues] over HKEY_CURRENT_USER; each call opens the
// key it needs, so nothing stays open between menu builds.
type hkcu struct{}

var _ regValues = hkcu{}

func notFound(err error) error {
	if errors.Is(err, registry.ErrNotExist) {
		return errNoValue
	}
	return err
}

func (hkcu) getString(key, name string) (string, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if err != nil {
		return "", notFound(err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	return v, notFound(err)
}

func (hkcu) getBinary(key, name string) ([]byte, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if err != nil {
		return nil, notFound(err)
	}
	defer k.Close()
	v, _, err := k.GetBinaryValue(name)
	return v, notFound(err)
}

func (hkcu) setString(key, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(name, value)
}

func (hkcu) setBinary(key, name string, value []byte) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetBinaryValue(name, value)
}

func (hkcu) deleteValue(key, name string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return notFound(err)
	}
	defer k.Close()
	return notFound(k.DeleteValue(name))
}

func autostartPath() (string, error) { return `HKCU\` + runKey + `\` + runName, nil }

func autostartEnabled() (bool, error) { return runEnabled(hkcu{}) }

func enableAutostart(exe string) error { return runEnable(hkcu{}, exe) }

func disableAutostart() error { return runDisable(hkcu{}) }
