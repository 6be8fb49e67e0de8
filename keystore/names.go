package keystore

import "path/filepath"

// IndexNames returns the key names in dir's keys.json, sorted, reading
// only that file: never the keychain, never a secret. Shell completion uses
// it. A missing keys.json gives no names and no error.
func IndexNames(dir string) ([]string, error) {
	entries, err := readIndex(filepath.Join(dir, indexName))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name)
	}
	return names, nil
}
