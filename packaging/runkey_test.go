package packaging

import (
	"bytes"
	"errors"
	"testing"
)

// fakeRegistry is HKCU as a map of "key\name" to a string or []byte.
type fakeRegistry struct {
	values map[string]any
	fail   error // returned by every call when set
}

var _ regValues = (*fakeRegistry)(nil)

func newFakeRegistry() *fakeRegistry { return &fakeRegistry{values: map[string]any{}} }

func (f *fakeRegistry) get(key, name string) (any, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	v, ok := f.values[key+`\`+name]
	if !ok {
		return nil, errNoValue
	}
	return v, nil
}

func (f *fakeRegistry) getString(key, name string) (string, error) {
	v, err := f.get(key, name)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", errors.New("wrong value type")
	}
	return s, nil
}

func (f *fakeRegistry) getBinary(key, name string) ([]byte, error) {
	v, err := f.get(key, name)
	if err != nil {
		return nil, err
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, errors.New("wrong value type")
	}
	return b, nil
}

func (f *fakeRegistry) setString(key, name, value string) error {
	if f.fail != nil {
		return f.fail
	}
	f.values[key+`\`+name] = value
	return nil
}

func (f *fakeRegistry) setBinary(key, name string, value []byte) error {
	if f.fail != nil {
		return f.fail
	}
	f.values[key+`\`+name] = bytes.Clone(value)
	return nil
}

func (f *fakeRegistry) deleteValue(key, name string) error {
	if f.fail != nil {
		return f.fail
	}
	if _, ok := f.values[key+`\`+name]; !ok {
		return errNoValue
	}
	delete(f.values, key+`\`+name)
	return nil
}

// Task Manager's "disabled" values: 03 or 07, then a FILETIME.
var (
	approvedOff3 = []byte{0x03, 0, 0, 0, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0xd9, 0x01}
	approvedOff7 = []byte{0x07, 0, 0, 0, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0xd9, 0x01}
	approvedOn6  = []byte{0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
)

const testExe = `C:\Program Files\anykey\anykey.exe`

func TestRunEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		run      bool
		approved []byte
		want     bool
	}{
		{"nothing", false, nil, false},
		{"run only", true, nil, true},
		{"approved 02", true, approvedOn, true},
		{"approved 06", true, approvedOn6, true},
		{"disabled in Task Manager 03", true, approvedOff3, false},
		{"disabled in Task Manager 07", true, approvedOff7, false},
		{"approved without run", false, approvedOn, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newFakeRegistry()
			if tt.run {
				r.values[runKey+`\anykey`] = runCommand(testExe)
			}
			if tt.approved != nil {
				r.values[approvedKey+`\anykey`] = tt.approved
			}
			got, err := runEnabled(r)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("enabled = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunEnable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		approved     []byte // before
		wantApproved []byte // after; nil means absent
	}{
		{"fresh", nil, nil},
		{"re-enable after Task Manager disabled it", approvedOff3, approvedOn},
		{"re-enable from 07", approvedOff7, approvedOn},
		{"already approved stays untouched", approvedOn6, approvedOn6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newFakeRegistry()
			r.values[runKey+`\anykey`] = `"C:\old\anykey.exe" tray`
			if tt.approved != nil {
				r.values[approvedKey+`\anykey`] = tt.approved
			}
			if err := runEnable(r, testExe); err != nil {
				t.Fatal(err)
			}
			if got := r.values[runKey+`\anykey`]; got != `"C:\Program Files\anykey\anykey.exe" tray` {
				t.Errorf("Run value = %v", got)
			}
			got, ok := r.values[approvedKey+`\anykey`]
			switch {
			case tt.wantApproved == nil && ok:
				t.Errorf("StartupApproved written: % x", got)
			case tt.wantApproved != nil && !bytes.Equal(got.([]byte), tt.wantApproved):
				t.Errorf("StartupApproved = % x, want % x", got, tt.wantApproved)
			}
			if on, err := runEnabled(r); err != nil || !on {
				t.Errorf("after enable: enabled = %v, %v", on, err)
			}
		})
	}
}

func TestRunDisable(t *testing.T) {
	t.Parallel()
	for _, approved := range [][]byte{nil, approvedOn, approvedOff3} {
		r := newFakeRegistry()
		r.values[runKey+`\anykey`] = runCommand(testExe)
		r.values[runKey+`\other`] = `"C:\other.exe"`
		if approved != nil {
			r.values[approvedKey+`\anykey`] = approved
		}
		if err := runDisable(r); err != nil {
			t.Fatal(err)
		}
		if on, err := runEnabled(r); err != nil || on {
			t.Errorf("approved % x: after disable enabled = %v, %v", approved, on, err)
		}
		if len(r.values) != 1 {
			t.Errorf("approved % x: left %v, want only the other program's value", approved, r.values)
		}
		if err := runDisable(r); err != nil {
			t.Errorf("second disable: %v", err)
		}
	}
}

func TestRunErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	boom := errors.New("access denied")
	r := newFakeRegistry()
	r.fail = boom
	if _, err := runEnabled(r); !errors.Is(err, boom) {
		t.Errorf("enabled: %v", err)
	}
	if err := runEnable(r, testExe); !errors.Is(err, boom) {
		t.Errorf("enable: %v", err)
	}
	if err := runDisable(r); !errors.Is(err, boom) {
		t.Errorf("disable: %v", err)
	}
}
