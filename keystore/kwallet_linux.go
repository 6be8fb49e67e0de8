package keystore

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// KWallet's own D-Bus API, beside its Secret Service: kwalletd5 (KDE
// Frameworks 5) serves org.kde.KWallet as org.kde.kwalletd5 at
// /modules/kwalletd5; KF 6 as org.kde.kwalletd6 at /modules/kwalletd6
// (kwallet's src/runtime/kwalletd/main.cpp). Only kwalletd5 was tried
// (Debian 12, KF 5.103).
func kwalletdOf(comm string) (name string, path dbus.ObjectPath, ok bool) {
	switch comm {
	case "kwalletd5":
		return "org.kde.kwalletd5", "/modules/kwalletd5", true
	case "kwalletd6", "ksecretd":
		return "org.kde.kwalletd6", "/modules/kwalletd6", true
	}
	return "", "", false
}

// kwalletOpen asks kwalletd itself whether the wallet behind the Secret
// Service collection coll is open (org.kde.KWallet.isOpen(wallet), which
// never prompts). The collection's Locked property is not the truth: after
// a pam_kwallet5 login the wallet is open, yet its collection says
// Locked=true until some client calls Unlock, which then completes at once
// without a prompt (kwalletfreedesktopcollection.cpp keeps its own flag,
// set only by its Unlock). The wallet's name is the collection's Label.
// ok is false when the owner is no kwalletd.
func kwalletOpen(ctx context.Context, conn *dbus.Conn, comm string, coll dbus.ObjectPath) (open, ok bool, err error) {
	name, path, ok := kwalletdOf(comm)
	if !ok {
		return false, false, nil
	}
	var label string
	if err := storeProp(conn.Object(ssName, coll).GoWithContext(ctx, propsGet, 0, nil, ssCollection, "Label"), &label); err != nil {
		return false, true, fmt.Errorf("reading the wallet name of %s: %w", coll, err)
	}
	if err := conn.Object(name, path).CallWithContext(ctx, "org.kde.KWallet.isOpen", 0, label).Store(&open); err != nil {
		return false, true, fmt.Errorf("asking %s whether wallet %q is open: %w", name, label, err)
	}
	return open, true, nil
}

// OpenDespiteLocked reports whether the provider itself says that the
// Secret Service collection at coll on conn, whose Locked property says
// true, is open and reads without a prompt: KWallet's own isOpen, after a
// pam_kwallet5 login (see [kwalletOpen]). It never prompts, and answers
// false when the provider is not KWallet or cannot tell. For doctor, which
// probes on a connection of its own; [Keyring.Locked] answers the same
// on go-keyring's.
func OpenDespiteLocked(ctx context.Context, conn *dbus.Conn, coll dbus.ObjectPath) bool {
	return !lockedTruly(ctx, conn, coll)
}
