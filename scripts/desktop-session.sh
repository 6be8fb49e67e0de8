#!/usr/bin/env bash
# desktop-session.sh - run a command inside a private, headless Linux desktop
# session built from real components, then stop every piece of it again.
#
# What it starts, in order (each one waited for; exit 125 if one fails):
#   1. Xvfb on a free display (-displayfd picks it), no TCP
#   2. a private D-Bus session bus with its own config: empty servicedir (no
#      activation, nothing starts behind our back), eavesdropping allowed
#   3. gnome-keyring-daemon --foreground --unlock --components=secrets with a
#      fresh XDG_DATA_HOME, so a new unlocked "login" collection is created
#   4. dbus-monitor on org.freedesktop.Notifications -> notifications.log
#   5. dunst (org.freedesktop.Notifications)
#   6. status-notifier-watcher + gtk-sni-tray-standalone; the command starts
#      only after the host is registered (the watcher must not start late)
#
# Usage:  scripts/desktop-session.sh [--] COMMAND [ARG...]
# Exit:   COMMAND's exit status; 125 if the session could not be started.
#
# COMMAND gets DISPLAY, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR (private),
# DESKTOP_SESSION_DIR (run dir; notifications.log and logs/ live there),
# NO_AT_BRIDGE=1 and DS_MARK; WAYLAND_DISPLAY is unset so GTK and the
# clipboard tools use X11. HOME and XDG_*_HOME are left alone (Go caches).
#
# Knobs (environment):
#   DS_TRAY=sni|none          tray host (default sni)
#   DS_NOTIFY=dunst|none      notification daemon (default dunst)
#   DS_KEYRING=gnome|none     Secret Service (default gnome)
#   DS_KEYRING_PASSWORD=...   password of the fresh login keyring (default test)
#   DS_KEEP=0|1|onfail        keep the run dir always / when COMMAND fails or a
#                             component died (default 0; scripts/test.sh: onfail)
#   DS_SCREENSHOT=/path.png   screenshot of the root window when COMMAND ends
#   DS_SCREEN=WxHxD           Xvfb screen (default 1280x800x24)
#   DS_START_TIMEOUT=20       seconds to wait for each component
#   DS_DEBUG=1                say what is started and stopped, with timings
#
# Teardown (on exit, INT, TERM, HUP): stop COMMAND, name any component that
# died meanwhile (with its exit status), take the screenshot, SIGTERM
# every process whose environment carries this run's random DS_MARK (xclip
# selection owners, zenity, apps the command left behind), stop the components
# newest first (bus and X last), SIGKILL whatever is still marked after 5 s.
# Only recorded PIDs and marked processes are ever signalled.
set -uo pipefail

if [ "${1:-}" = -- ]; then shift; fi
if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'
	exit 2
fi

DS_TRAY=${DS_TRAY:-sni}
DS_NOTIFY=${DS_NOTIFY:-dunst}
DS_KEYRING=${DS_KEYRING:-gnome}
DS_KEYRING_PASSWORD=${DS_KEYRING_PASSWORD:-test}
DS_SCREEN=${DS_SCREEN:-1280x800x24}
DS_START_TIMEOUT=${DS_START_TIMEOUT:-20}
DS_KEEP=${DS_KEEP:-0}

die() { echo "desktop-session: $*" >&2; exit 125; }
log() { [ "${DS_DEBUG:-0}" = 1 ] && echo "desktop-session: $*" >&2; return 0; }
ms() { echo $((($(date +%s%N) - T0) / 1000000)); }

case "$DS_TRAY" in sni | none) ;; *) die "DS_TRAY must be sni or none" ;; esac
case "$DS_NOTIFY" in dunst | none) ;; *) die "DS_NOTIFY must be dunst or none" ;; esac
case "$DS_KEYRING" in gnome | none) ;; *) die "DS_KEYRING must be gnome or none" ;; esac
case "$DS_KEEP" in 0 | 1 | onfail) ;; *) die "DS_KEEP must be 0, 1 or onfail" ;; esac

need() { command -v "$1" >/dev/null 2>&1 || die "missing $1 (run scripts/install-test-deps.sh; Debian package $2)"; }
need Xvfb xvfb
need dbus-daemon dbus-daemon
need dbus-send dbus-bin
need dbus-monitor dbus-bin
[ "$DS_KEYRING" = gnome ] && need gnome-keyring-daemon gnome-keyring
[ "$DS_NOTIFY" = dunst ] && need dunst dunst
[ "$DS_TRAY" = sni ] && need status-notifier-watcher haskell-status-notifier-item-utils
[ "$DS_TRAY" = sni ] && need gtk-sni-tray-standalone haskell-gtk-sni-tray-utils
[ -n "${DS_SCREENSHOT:-}" ] && need import imagemagick

T0=$(date +%s%N)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/desktop-session.XXXXXX") || die "mktemp failed"
chmod 700 "$DIR"
mkdir -p "$DIR/logs" "$DIR/runtime" "$DIR/data" "$DIR/config" "$DIR/dbus-services"
chmod 700 "$DIR/runtime"

# Everything started from here on inherits DS_MARK; the token is random, so
# only this run's processes carry it.
DS_MARK="ds-$$-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export DS_MARK
PIDS=() NAMES=() CMD_PID=

start() { # NAME CMD... : stdin </dev/null, output to logs/NAME.log
	local name=$1
	shift
	"$@" </dev/null >"$DIR/logs/$name.log" 2>&1 &
	PIDS+=("$!") NAMES+=("$name")
	log "started $name (pid $!) at $(ms) ms"
}

alive() { # PID exists and is not a zombie (PID 1 here may not reap orphans)
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

wait_for() { # WHAT CHECK... : poll CHECK until it succeeds; the last component must stay alive
	local what=$1 pid=${PIDS[-1]} deadline=$((SECONDS + DS_START_TIMEOUT))
	shift
	until "$@" >/dev/null 2>&1; do
		if ! alive "$pid"; then
			tail -n 20 "$DIR"/logs/*.log >&2 2>/dev/null
			die "$what exited during start-up"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 20 "$DIR"/logs/*.log >&2 2>/dev/null
			die "timed out after ${DS_START_TIMEOUT}s waiting for $what"
		fi
		sleep 0.05
	done
	log "$what ready at $(ms) ms"
}

has_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

sni_host_registered() {
	dbus-send --session --print-reply --dest=org.kde.StatusNotifierWatcher /StatusNotifierWatcher \
		org.freedesktop.DBus.Properties.Get string:org.kde.StatusNotifierWatcher \
		string:IsStatusNotifierHostRegistered 2>/dev/null | grep -q 'boolean true'
}

marked_pids() { # live processes carrying our marker, this shell excluded (one grep)
	local f p
	for f in $(grep -lzxF "DS_MARK=$DS_MARK" /proc/[0-9]*/environ 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/environ}
		[ "$p" = "$$" ] && continue
		[ "$p" = "${BASHPID:-}" ] && continue
		alive "$p" && echo "$p"
	done
}

cleanup() {
	local rc=$? i p left t1
	trap - EXIT INT TERM HUP
	t1=$(date +%s%N)
	if [ -n "$CMD_PID" ] && alive "$CMD_PID"; then kill -TERM "$CMD_PID" 2>/dev/null; fi
	# 0. a component that died under the command is the environment's
	#    failure, not the command's: say so (status 133 = SIGTRAP, a GLib
	#    g_error) and keep the logs
	local died=0 st
	for ((i = 0; i < ${#PIDS[@]}; i++)); do
		alive "${PIDS[$i]}" && continue
		st=0
		wait "${PIDS[$i]}" 2>/dev/null || st=$?
		echo "desktop-session: ${NAMES[$i]} (pid ${PIDS[$i]}) died, exit status $st; the end of its log:" >&2
		tail -n 10 "$DIR/logs/${NAMES[$i]}.log" 2>/dev/null | sed 's/^/    /' >&2
		died=1
	done
	if [ -n "${DS_SCREENSHOT:-}" ] && [ -n "${DISPLAY:-}" ]; then
		import -display "$DISPLAY" -window root "$DS_SCREENSHOT" 2>/dev/null &&
			log "screenshot $DS_SCREENSHOT"
	fi
	# 1. whatever the command left running (found by the marker)
	for p in $(marked_pids); do
		case " ${PIDS[*]} " in
		*" $p "*) ;;
		*) log "stopping leftover pid $p ($(ps -o comm= -p "$p"))"; kill -TERM "$p" 2>/dev/null ;;
		esac
	done
	# 2. the components, newest first; the bus (PIDS[1]) and Xvfb (PIDS[0])
	#    only once the clients are gone, so they can exit cleanly
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		if [ "$i" = 1 ]; then
			for _ in $(seq 30); do
				left=0
				for p in "${PIDS[@]:2}"; do alive "$p" && left=1; done
				[ "$left" = 0 ] && break
				sleep 0.05
			done
		fi
		log "stopping ${NAMES[$i]} (pid ${PIDS[$i]})"
		kill -TERM "${PIDS[$i]}" 2>/dev/null
	done
	# 3. five seconds of grace, then SIGKILL whatever still carries the marker
	for _ in $(seq 100); do
		[ -z "$(marked_pids)" ] && break
		sleep 0.05
	done
	for p in $(marked_pids); do
		echo "desktop-session: SIGKILL pid $p ($(ps -o comm= -p "$p"))" >&2
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	log "session stopped in $((($(date +%s%N) - t1) / 1000000)) ms"
	if [ "$DS_KEEP" = 1 ] || { [ "$DS_KEEP" = onfail ] && { [ "$rc" != 0 ] || [ "$died" = 1 ]; }; }; then
		echo "desktop-session: kept $DIR (exit status $rc); the components' logs are in $DIR/logs" >&2
	else
		rm -rf "$DIR"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. X server; -displayfd writes the display number once it accepts clients
start xvfb Xvfb -displayfd 3 -screen 0 "$DS_SCREEN" -nolisten tcp 3>"$DIR/display"
wait_for Xvfb test -s "$DIR/display"
export DISPLAY=":$(head -n1 "$DIR/display")"

# --- 2. private session bus; empty servicedir = no activation
cat >"$DIR/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$DIR/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$DIR/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
start dbus dbus-daemon --nofork --config-file="$DIR/bus.conf"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$DIR/bus"
wait_for dbus-daemon has_owner org.freedesktop.DBus

export XDG_RUNTIME_DIR="$DIR/runtime"
export NO_AT_BRIDGE=1
unset WAYLAND_DISPLAY

# --- 3. Secret Service; --unlock reads the password from stdin and creates
#        the "login" collection (alias default) in the fresh data dir
if [ "$DS_KEYRING" = gnome ]; then
	printf '%s' "$DS_KEYRING_PASSWORD" | XDG_DATA_HOME="$DIR/data" XDG_CONFIG_HOME="$DIR/config" \
		gnome-keyring-daemon --foreground --unlock --components=secrets \
		>"$DIR/logs/gnome-keyring.log" 2>&1 &
	PIDS+=("$!") NAMES+=(gnome-keyring)
	log "started gnome-keyring (pid $!) at $(ms) ms"
	wait_for gnome-keyring has_owner org.freedesktop.secrets
fi

# --- 4. every org.freedesktop.Notifications message, for grep
start dbus-monitor dbus-monitor --session "interface='org.freedesktop.Notifications'"
ln -s logs/dbus-monitor.log "$DIR/notifications.log"
wait_for dbus-monitor test -s "$DIR/logs/dbus-monitor.log"

# --- 5. notification daemon (timeouts 0: bubbles stay for screenshots;
#        beeep asks for 5000 ms explicitly, and dunst honours that)
if [ "$DS_NOTIFY" = dunst ]; then
	cat >"$DIR/dunstrc" <<'EOF'
[global]
    width = 420
    height = 300
    origin = top-right
    offset = 10x40
    font = DejaVu Sans 11
    frame_width = 2
    frame_color = "#aaaaaa"
    padding = 10
    horizontal_padding = 10
    format = "<b>%s</b>\n%b"
    markup = full
    min_icon_size = 48
    max_icon_size = 64
    history_length = 1000
    sticky_history = yes
    show_age_threshold = -1
[urgency_low]
    background = "#222222"
    foreground = "#bbbbbb"
    timeout = 0
[urgency_normal]
    background = "#285577"
    foreground = "#ffffff"
    timeout = 0
[urgency_critical]
    background = "#900000"
    foreground = "#ffffff"
    frame_color = "#ff0000"
    timeout = 0
EOF
	start dunst dunst -config "$DIR/dunstrc"
	wait_for dunst has_owner org.freedesktop.Notifications
fi

# --- 6. tray: watcher first, then a visible host; both before the command
if [ "$DS_TRAY" = sni ]; then
	start sni-watcher status-notifier-watcher
	wait_for status-notifier-watcher has_owner org.kde.StatusNotifierWatcher
	start sni-tray gtk-sni-tray-standalone --bottom --end --size 32 --color '#333333'
	wait_for gtk-sni-tray-standalone sni_host_registered
fi

export DESKTOP_SESSION_DIR="$DIR"
log "session up in $(ms) ms: DISPLAY=$DISPLAY DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"

# Run the command in the background (keeping our stdin) so INT/TERM reach the
# traps at once; cleanup() stops it if it is still running.
"$@" <&0 &
CMD_PID=$!
wait "$CMD_PID"
rc=$?
CMD_PID=
exit "$rc"
