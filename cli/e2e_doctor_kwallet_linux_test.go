package cli

import (
	"os/exec"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/doctor"
)

// TestE2EDoctorKWallet: doctor on a KDE desktop whose Secret Service is
// KWallet, in the three states it meets: right after a pam_kwallet5 login
// (the wallet open, its collection saying Locked=true until some client
// unlocks it: doctor must call it unlocked, and unlock nothing), the
// wallet closed (locked), and no wallet at all.
func TestE2EDoctorKWallet(t *testing.T) {
	for _, state := range []desktoptest.KWalletState{desktoptest.KWalletLoggedIn, desktoptest.KWalletNone} {
		w := newDoctorWorld(t, desktopParts{notify: true, tray: true, desktop: "KDE"})
		if _, err := exec.LookPath("kwalletd5"); err != nil {
			if desktoptest.InCI() {
				t.Fatal("CI is set but kwalletd5 is not installed: run the tests through scripts/test.sh")
			}
			t.Skip("no kwalletd5 here")
		}
		kw := w.bus.StartKWallet("test", state)
		rep, _ := w.doctor(nil)
		if state == desktoptest.KWalletNone {
			expect(t, rep, doctor.PieceSecretService, doctor.Missing, "KWallet has no default collection", "create a wallet in KWallet")
			continue
		}
		f := expect(t, rep, doctor.PieceSecretService, doctor.OK, `KWallet; collection "kdewallet" (the default), unlocked`, "")
		if f.Facts["locked"] != "false" {
			t.Errorf("after a login: facts %v; want locked=false", f.Facts)
		}
		if !w.bus.Locked(desktoptest.KWalletCollection) {
			t.Error("doctor unlocked the collection")
		}
		kw.Close()
		rep, _ = w.doctor(nil)
		f = expect(t, rep, doctor.PieceSecretService, doctor.Warning, `collection "kdewallet" (the default) is locked`, "KDE Wallet Manager")
		if f.Facts["locked"] != "true" {
			t.Errorf("wallet closed: facts %v; want locked=true", f.Facts)
		}
	}
}
