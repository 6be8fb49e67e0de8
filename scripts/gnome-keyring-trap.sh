#!/usr/bin/env bash
# gnome-keyring-trap.sh reproduces, without anykey, the gnome-keyring-daemon
# abort (GLib trap, exit 133) that took tests down now and then: it runs
# internal/gktrap in SESSIONS fresh desktop sessions, each with its own
# keyring daemon, and counts the sessions whose daemon died.
#
#   scripts/gnome-keyring-trap.sh [SESSIONS] [gktrap flags...]
#
# e.g. scripts/gnome-keyring-trap.sh 10 -mode reply -settle get
# (docs/desktop-testing.md §8 has the figures and the upstream reports).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sessions=${1:-10}
shift || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/gktrap" ./internal/gktrap

cat >"$work/one.sh" <<'ONE'
#!/usr/bin/env bash
# Inside a session: run gktrap, then say whether the keyring daemon lives.
pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '/uint32/ { print $2 }')
"$GKTRAP" "$@" >/dev/null || true
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
	echo ALIVE
else
	echo "DEAD: $(grep -E 'ERROR|assertion' "$DESKTOP_SESSION_DIR/logs/gnome-keyring.log" | tail -n 1)"
fi
ONE
chmod +x "$work/one.sh"

dead=0
for i in $(seq 1 "$sessions"); do
	out=$(GKTRAP="$work/gktrap" DS_NOTIFY=none DS_TRAY=none scripts/desktop-session.sh "$work/one.sh" "$@" 2>/dev/null | grep -E '^(ALIVE|DEAD)' || echo "DEAD: the session failed")
	echo "session $i: $out"
	case $out in DEAD*) dead=$((dead + 1)) ;; esac
done
echo "gktrap $*: the keyring daemon died in $dead of $sessions sessions"
