package keystore

import "testing"

// TestProviderFromComm maps the process names the Secret Service providers
// run under (/proc/PID/comm, cut to 15 bytes) to what users know them as.
func TestProviderFromComm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		comm string
		want Provider
	}{
		{"gnome-keyring-d", Provider{Name: ProviderGNOMEKeyring}},
		{"keepassxc", Provider{Name: ProviderKeePassXC, KeepsDeleted: true}},
		{"KeePassXC", Provider{Name: ProviderKeePassXC, KeepsDeleted: true}},
		{"kwalletd5", Provider{Name: ProviderKWallet}},
		{"kwalletd6", Provider{Name: ProviderKWallet}},
		{"ksecretd", Provider{Name: ProviderKWallet}},
		{"secretd", Provider{Name: "secretd"}},
		{"", Provider{}},
	} {
		if got := providerFromComm(tc.comm); got != tc.want {
			t.Errorf("providerFromComm(%q) = %+v, want %+v", tc.comm, got, tc.want)
		}
	}
}
