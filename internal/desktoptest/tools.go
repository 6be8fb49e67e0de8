package desktoptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// SessionDir returns $DESKTOP_SESSION_DIR, the run directory of
// scripts/desktop-session.sh (notifications.log, logs/), or "" outside it.
func SessionDir() string { return os.Getenv("DESKTOP_SESSION_DIR") }

// ErrNoSecret is returned by [SecretToolLookup] when no item matches.
var ErrNoSecret = errors.New("desktoptest: no such secret in the Secret Service")

// run runs a tool and returns its stdout; the error carries its stderr.
func run(ctx context.Context, stdin string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if msg != "" {
			return out.String(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
		}
		return out.String(), fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// SecretToolLookup returns the secret stored with attributes service and
// username (what go-keyring writes) as secret-tool reads it, or
// [ErrNoSecret] when the Secret Service holds no such item. A lookup that
// failed with a message is an error, not a missing secret.
//
// KWallet (kwalletd5) spoils some of libsecret's encrypted sessions: the
// two sides derive different keys when a Diffie-Hellman public key or the
// shared secret starts with zero bytes (the class of
// docker/secrets-engine#649, mitya57/secretstorage#48). Measured here,
// of lookups of an item that is there: one in 200 is refused ("Client
// public key size is invalid"), one in 70 answers nothing at all (exit 1,
// no message, as for a missing item), and one in a few thousand prints 16
// bytes of garbage with exit 0 (a wrong-key decryption whose padding
// happened to check). So whether the item exists is asked of the Secret
// Service itself (SearchItems: no secret in the answer), and on KWallet
// a secret counts only once two lookups, each with a new session key,
// read the same; up to lookupTries lookups in all.
func SecretToolLookup(ctx context.Context, service, user string) (string, error) {
	return SecretToolLookupOn(ctx, "", service, user)
}

// SecretToolLookupOn is [SecretToolLookup] on the session bus at addr (a
// [PrivateBus]'s Addr); "" means the environment's.
func SecretToolLookupOn(ctx context.Context, addr, service, user string) (string, error) {
	exists, kwallet, err := secretItem(ctx, addr, service, user)
	if err != nil {
		return "", fmt.Errorf("desktoptest: secret-tool lookup: %w", err)
	}
	if !exists {
		return "", ErrNoSecret
	}
	prefix := []string{}
	if addr != "" {
		prefix = []string{"env", "DBUS_SESSION_BUS_ADDRESS=" + addr}
	}
	args := append(prefix, "secret-tool", "lookup", "service", service, "username", user)
	var (
		read []string // what the lookups printed, in order
		last error
	)
	for try := 0; try < lookupTries && ctx.Err() == nil; try++ {
		out, err := run(ctx, "", args[0], args[1:]...)
		var exit *exec.ExitError
		switch {
		case err == nil:
			if !kwallet || slices.Contains(read, out) {
				return out, nil
			}
			read = append(read, out)
		case errors.As(err, &exit) && exit.ExitCode() == 1 && out == "" && strings.HasSuffix(err.Error(), exit.Error()),
			strings.Contains(err.Error(), "Client public key size is invalid"):
			// Nothing printed, no message (run appends stderr after the
			// status), or the refused key: a spoiled session.
			last = err
		default:
			return "", fmt.Errorf("desktoptest: secret-tool lookup: %w", err)
		}
	}
	if ctx.Err() != nil {
		return "", fmt.Errorf("desktoptest: secret-tool lookup: %w", ctx.Err())
	}
	return "", fmt.Errorf("desktoptest: secret-tool lookup: the Secret Service holds the item, but %d lookups read no secret twice alike (%d read, last failure: %v)", lookupTries, len(read), last)
}

// secretItem asks the Secret Service on the bus at addr ("": the
// session's) whether it holds an item with attributes service and
// username (SearchItems, locked or not), and whether it is KWallet.
func secretItem(ctx context.Context, addr, service, user string) (exists, kwallet bool, err error) {
	var conn *dbus.Conn
	if addr == "" {
		conn, err = dbus.ConnectSessionBus(dbus.WithContext(ctx))
	} else {
		conn, err = dbus.Connect(addr, dbus.WithContext(ctx))
	}
	if err != nil {
		return false, false, err
	}
	defer conn.Close()
	var unlocked, locked []dbus.ObjectPath
	if err := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").CallWithContext(ctx,
		"org.freedesktop.Secret.Service.SearchItems", 0, map[string]string{"service": service, "username": user}).Store(&unlocked, &locked); err != nil {
		return false, false, fmt.Errorf("SearchItems: %w", err)
	}
	var pid uint32
	if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, "org.freedesktop.secrets").Store(&pid) == nil {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		kwallet = strings.HasPrefix(strings.TrimSpace(string(comm)), "kwalletd")
	}
	return len(unlocked)+len(locked) > 0, kwallet, nil
}

// lookupTries bounds SecretToolLookupOn's lookups of one item: a spoiled
// KWallet session (above) comes about once in 70, so two alike among six
// fail to come about once in a few million.
const lookupTries = 6

// Screenshot writes a PNG (or whatever path's extension says) of the whole
// screen: import -window root on X11, grim on Wayland.
func Screenshot(ctx context.Context, path string) error {
	name, args := "import", []string{"-window", "root", path}
	if Wayland() {
		name, args = "grim", []string{path}
	}
	if _, err := run(ctx, "", name, args...); err != nil {
		return fmt.Errorf("desktoptest: screenshot: %w", err)
	}
	return nil
}
