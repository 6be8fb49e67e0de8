#!/usr/bin/env bash
# desktop-session.sh - run a command inside a private, headless Linux desktop
# session built from real components, then stop every piece of it again.
#
# Two display servers and two Secret Service providers, chosen by knobs, so
# the same tests run on the desktops users have (scripts/test.sh's cells):
#   DS_DISPLAY=x11      Xvfb on a free display (-displayfd picks it), no TCP
#   DS_DISPLAY=wayland  headless sway (wlroots), no X server at all
#   DS_KEYRING=gnome    gnome-keyring-daemon --unlock with a fresh data dir:
#                       a new unlocked "login" collection (alias "default")
#   DS_KEYRING=keepassxc  KeePassXC serving a fresh database (made by
#                       keepassxc-cli) over the Secret Service, unlocked
#   DS_KEYRING=kwallet  kwalletd5 (KDE Frameworks 5) with a fresh wallet
#                       "kdewallet", created and opened the way pam_kwallet5
#                       does at login (no dialog), its collection unlocked
#
# What it starts, in order (each one waited for; exit 125 if one fails):
#   1. the display server: Xvfb, or (wayland) a private D-Bus bus first and
#      then sway with a virtual keyboard on its seat
#   2. a private D-Bus session bus with its own config: empty servicedir (no
#      activation, nothing starts behind our back), eavesdropping allowed
#   3. the Secret Service (DS_KEYRING)
#   4. dbus-monitor on org.freedesktop.Notifications -> notifications.log
#   5. dunst (org.freedesktop.Notifications)
#   6. the StatusNotifierItem watcher and host: status-notifier-watcher +
#      gtk-sni-tray-standalone on X11, swaybar (its own watcher) on Wayland;
#      the command starts only after the host is registered
#
# Usage:  scripts/desktop-session.sh [--] COMMAND [ARG...]
# Exit:   COMMAND's exit status; 125 if the session could not be started.
#
# COMMAND gets DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR (private),
# DESKTOP_SESSION_DIR (run dir; notifications.log and logs/ live there),
# NO_AT_BRIDGE=1, DS_MARK, DS_DISPLAY and DS_KEYRING, and
#   x11:     DISPLAY; WAYLAND_DISPLAY is unset, so GTK and the clipboard
#            tools (atotto/clipboard: xclip) use X11
#   wayland: WAYLAND_DISPLAY (an absolute path), SWAYSOCK (for swaymsg), XDG_SESSION_TYPE=wayland,
#            GDK_BACKEND=wayland, QT_QPA_PLATFORM=wayland; DISPLAY is unset.
#            No X11 tool works there: type with wtype, read and write the
#            clipboard with wl-paste/wl-copy, find windows with
#            swaymsg -t get_tree, screenshot with grim.
# HOME and XDG_*_HOME are left alone (Go caches).
#
# Knobs (environment):
#   DS_DISPLAY=x11|wayland    display server (default x11)
#   DS_KEYRING=gnome|keepassxc|kwallet|none  Secret Service (default gnome)
#   DS_KEYRING_PASSWORD=...   password of the fresh keyring/database (default test)
#   DS_TRAY=sni|none          tray host (default sni: gtk-sni-tray-standalone
#                             on X11, swaybar on Wayland)
#   DS_NOTIFY=dunst|none      notification daemon (default dunst)
#   DS_KEEP=0|1|onfail        keep the run dir always / when COMMAND fails or a
#                             component died (default 0; scripts/test.sh: onfail)
#   DS_SCREENSHOT=/path.png   screenshot of the screen when COMMAND ends
#   DS_SCREEN=WxHxD           screen size (default 1280x800x24)
#   DS_START_TIMEOUT=20       seconds to wait for each component
#   DS_DEBUG=1                say what is started and stopped, with timings
#
# Pitfalls, found the hard way (Debian 12: sway 1.7, wtype 0.4, KeePassXC 2.7):
# - sway exits when run as root. As root it runs in a user namespace where it
#   is uid 1000 (unshare --user); outside, its files and its D-Bus peer
#   credentials are still root's.
# - Headless sway has no keyboard. Each wtype call would then plug in the
#   seat's only keyboard and GTK misses the first keys it types; a wtype that
#   sleeps for hours holds a virtual keyboard for the whole session.
# - GTK 3 loses the first key of a wtype call (each call is a new virtual
#   keyboard with its own keymap): a call that only presses Return or Escape
#   does nothing. A harmless key first, and the final key declared first,
#   works every time: wtype -p Return -k Shift_L TEXT -k Return (-p releases
#   a key that is not down: it only puts it in the keymap).
#   internal/desktoptest.TypeIntoWindow does this.
# - Qt (KeePassXC) shows a dialog a moment before it takes keys: retry until
#   the dialog closes.
# - gtk-sni-tray-standalone sets an X11 strut and dies on Wayland: swaybar is
#   the tray there.
# - KeePassXC has no "login" collection: the collection is named after the
#   database ("Passwords" here) and holds the alias "default".
# - KeePassXC's save-after-every-change can leave it hung at SIGTERM (an
#   autosave pending); it saves on exit instead, and teardown SIGKILLs what
#   is left after 5 s.
# - KeePassXC moves a deleted item to the database's Recycle Bin.
# - KWallet (kwalletd5, KF 5.103) serves org.freedesktop.secrets by itself
#   (kwalletrc [org.freedesktop.secrets] apiEnabled, on by default). Making
#   a wallet otherwise always shows dialogs; pam_kwallet5's way needs none:
#   PAM_KWALLET5_LOGIN set, `kwalletd5 --pam-login PIPEFD SOCKETFD`, the
#   56-byte PBKDF2-SHA512 hash of the password (salt: <wallet>.salt, 50,000
#   rounds) on the pipe, and a LISTENING unix socket from which kwalletd5
#   accept()s one connection with NAME=value lines (a connection queued
#   before the exec keeps its data). scripts/kwalletd-pam.py does both and
#   exec's kwalletd5, so the recorded pid is kwalletd5's.
# - ... on that first start the Secret Service has no collection for the new
#   wallet (collections are read from the wallet files at start-up): so
#   kwalletd5 is started twice, once to create the wallet and once to
#   serve it.
# - ... and then the collection says Locked=true although the wallet is open
#   (org.kde.KWallet.isOpen): an Unlock + Prompt completes at once without
#   a dialog, which is what the session does before the command.
# - libqca-qt5-2-plugins (qca-ossl) is only a Recommends: without it every
#   libsecret client (secret-tool) fails with "createDLGroup failed".
# - kwalletd5 dies at once on SIGTERM and syncs the wallet file 5 s after a
#   change: read items back over D-Bus, never from the file.
# - kwalletd5's password dialog needs a display: with QT_QPA_PLATFORM=
#   offscreen it is shown nowhere and every later open waits behind it.
#   kwalletd5 runs on X11 (xcb), or on Wayland through qtwayland5 (the
#   session's QT_QPA_PLATFORM=wayland); CI's KWallet cell is X11.
#
# Teardown (on exit, INT, TERM, HUP): stop COMMAND, name any component that
# died meanwhile (with its exit status), take the screenshot, SIGTERM
# every process whose environment carries this run's random DS_MARK (clipboard
# owners, zenity, apps the command left behind), stop the components newest
# first (the display server and the bus last), SIGKILL whatever is still
# marked after 5 s. Only recorded PIDs and marked processes are ever signalled.
set -uo pipefail

if [ "${1:-}" = -- ]; then shift; fi
if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'
	exit 2
fi

DS_DISPLAY=${DS_DISPLAY:-x11}
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

case "$DS_DISPLAY" in x11 | wayland) ;; *) die "DS_DISPLAY must be x11 or wayland" ;; esac
case "$DS_TRAY" in sni | none) ;; *) die "DS_TRAY must be sni or none" ;; esac
case "$DS_NOTIFY" in dunst | none) ;; *) die "DS_NOTIFY must be dunst or none" ;; esac
case "$DS_KEYRING" in gnome | keepassxc | kwallet | none) ;; *) die "DS_KEYRING must be gnome, keepassxc, kwallet or none" ;; esac
case "$DS_KEEP" in 0 | 1 | onfail) ;; *) die "DS_KEEP must be 0, 1 or onfail" ;; esac

need() { command -v "$1" >/dev/null 2>&1 || die "missing $1 (run scripts/install-test-deps.sh; Debian package $2)"; }
if [ "$DS_DISPLAY" = x11 ]; then
	need Xvfb xvfb
	[ "$DS_TRAY" = sni ] && need status-notifier-watcher haskell-status-notifier-item-utils
	[ "$DS_TRAY" = sni ] && need gtk-sni-tray-standalone haskell-gtk-sni-tray-utils
	[ -n "${DS_SCREENSHOT:-}" ] && need import imagemagick
else
	need sway sway
	need swaymsg sway
	need wtype wtype
	need wl-copy wl-clipboard
	[ "$(id -u)" = 0 ] && need unshare util-linux
	[ "$DS_TRAY" = sni ] && need swaybar sway
	[ -n "${DS_SCREENSHOT:-}" ] && need grim grim
	# the session must never reach the caller's own display
	unset DISPLAY WAYLAND_DISPLAY
fi
need dbus-daemon dbus-daemon
need dbus-send dbus-bin
need dbus-monitor dbus-bin
[ "$DS_KEYRING" = gnome ] && need gnome-keyring-daemon gnome-keyring
[ "$DS_KEYRING" = keepassxc ] && need keepassxc keepassxc
[ "$DS_KEYRING" = keepassxc ] && need keepassxc-cli keepassxc
[ "$DS_KEYRING" = kwallet ] && need kwalletd5 libkf5wallet-bin
[ "$DS_KEYRING" = kwallet ] && need python3 python3-minimal
if [ "$DS_KEYRING" = kwallet ] && ! ls /usr/lib/*/qca-qt5/crypto/libqca-ossl.so >/dev/null 2>&1; then
	die "missing libqca-ossl.so (run scripts/install-test-deps.sh; Debian package libqca-qt5-2-plugins): without it secret-tool cannot talk to KWallet"
fi
[ "$DS_NOTIFY" = dunst ] && need dunst dunst

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

respawn_on_crash() { # CMD...: run CMD, and again each time it crashes
	# (SIGSEGV, SIGABRT, SIGBUS: status 139, 134, 135), saying so in its
	# log; any other end (a stop by the teardown included) ends it. dunst
	# 1.9.0 crashed with SIGSEGV on Wayland after a notification carrying
	# image-data (seen once in CI), and every test after it then found no
	# notification daemon. A crash of the daemon is the fixture's, not
	# anykey's; each test still requires the daemon when it starts.
	local st
	while :; do
		"$@"
		st=$?
		case $st in 134 | 135 | 139) ;; *) return "$st" ;; esac
		echo "desktop-session: $1 crashed (exit status $st); started again" >&2
		sleep 0.2
	done
}

alive() { # PID exists and is not a zombie (PID 1 here may not reap orphans)
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

wait_for() { # WHAT CHECK... : poll CHECK until it succeeds; the last component
	# (or WAIT_PID) must stay alive meanwhile
	local what=$1 pid=${WAIT_PID:-${PIDS[-1]}} deadline=$((SECONDS + DS_START_TIMEOUT))
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

secrets_unlocked() { # the collection behind alias "default" exists and is unlocked
	dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/aliases/default \
		org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked 2>/dev/null |
		grep -q 'boolean false'
}

sway_ready() { # sets WAYLAND_DISPLAY and SWAYSOCK once both sockets answer
	local s w=
	for s in "$XDG_RUNTIME_DIR"/wayland-[0-9]*; do [ -S "$s" ] && w=${s##*/} && break; done
	[ -n "$w" ] || return 1
	for s in "$XDG_RUNTIME_DIR"/sway-ipc.*.sock; do [ -S "$s" ] && break; done
	[ -S "$s" ] || return 1
	swaymsg -s "$s" -t get_outputs 2>/dev/null | grep -q '"name": "HEADLESS-1"' || return 1
	# absolute, so a command that moves XDG_RUNTIME_DIR (the tray tests do,
	# for the single-instance lock) still reaches the compositor
	WAYLAND_DISPLAY=$XDG_RUNTIME_DIR/$w SWAYSOCK=$s
}

seat_has_keyboard() {
	swaymsg -s "$SWAYSOCK" -t get_inputs 2>/dev/null | grep -q '"type": "keyboard"'
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
	elif [ -n "${DS_SCREENSHOT:-}" ] && [ -n "${WAYLAND_DISPLAY:-}" ]; then
		grim "$DS_SCREENSHOT" 2>/dev/null && log "screenshot $DS_SCREENSHOT"
	fi
	# 1. whatever the command left running (found by the marker)
	for p in $(marked_pids); do
		case " ${PIDS[*]} " in
		*" $p "*) ;;
		*) log "stopping leftover pid $p ($(ps -o comm= -p "$p"))"; kill -TERM "$p" 2>/dev/null ;;
		esac
	done
	# 2. the components, newest first; the first two (Xvfb and the bus, or
	#    the bus and sway) only once the clients are gone, so they can exit
	#    cleanly
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
if [ "$DS_DISPLAY" = x11 ]; then
	start xvfb Xvfb -displayfd 3 -screen 0 "$DS_SCREEN" -nolisten tcp 3>"$DIR/display"
	wait_for Xvfb test -s "$DIR/display"
	export DISPLAY=":$(head -n1 "$DIR/display")"
fi

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
export NO_AT_BRIDGE=1 DS_DISPLAY DS_KEYRING
unset WAYLAND_DISPLAY

# --- 1b. Wayland: headless sway, after the bus (swaybar's tray speaks D-Bus).
#         Root runs it in a user namespace as uid 1000: sway refuses uid 0.
if [ "$DS_DISPLAY" = wayland ]; then
	{
		echo "xwayland disable"
		echo "output HEADLESS-1 resolution $(echo "$DS_SCREEN" | cut -dx -f1-2) position 0 0"
		echo "default_border normal"
		echo "focus_on_window_activation focus"
		if [ "$DS_TRAY" = sni ]; then
			printf 'bar {\n\tposition bottom\n\theight 32\n\ttray_output *\n\ttray_padding 2\n}\n'
		fi
	} >"$DIR/sway.conf"
	SWAY=(sway --config "$DIR/sway.conf")
	[ "$(id -u)" = 0 ] && SWAY=(unshare --user --map-user=1000 --map-group=1000 "${SWAY[@]}")
	WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=${WLR_RENDERER:-pixman} \
		start sway "${SWAY[@]}"
	wait_for sway sway_ready
	export WAYLAND_DISPLAY SWAYSOCK XDG_SESSION_TYPE=wayland GDK_BACKEND=wayland QT_QPA_PLATFORM=wayland
	# The seat's keyboard for the whole session (see Pitfalls): ten one-hour
	# sleeps of a wtype that types nothing.
	start keyboard wtype -s 3600000 -s 3600000 -s 3600000 -s 3600000 -s 3600000 \
		-s 3600000 -s 3600000 -s 3600000 -s 3600000 -s 3600000
	wait_for "virtual keyboard" seat_has_keyboard
fi

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

# --- 3b. or KeePassXC. keepassxc-cli imports a KeePass XML whose Meta holds
#         the custom data that "Database settings > Secret Service Integration
#         > Expose entries under this group" stores (the root group's UUID);
#         the config turns the integration on without confirmation dialogs,
#         and --pw-stdin opens (unlocks) the database.
if [ "$DS_KEYRING" = keepassxc ]; then
	KP="$DIR/keepassxc"
	mkdir -p "$KP/config" "$KP/data" "$KP/cache"
	hex=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') # the root group's UUID
	# shellcheck disable=SC2059 # the format is the bytes as \xHH escapes
	b64=$(printf "$(printf %s "$hex" | sed 's/../\\x&/g')" | base64)
	cat >"$KP/db.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<KeePassFile>
 <Meta>
  <Generator>anykey desktop-session.sh</Generator>
  <DatabaseName>Passwords</DatabaseName>
  <CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{${hex:0:8}-${hex:8:4}-${hex:12:4}-${hex:16:4}-${hex:20:12}}</Value></Item></CustomData>
 </Meta>
 <Root><Group><UUID>$b64</UUID><Name>Passwords</Name></Group></Root>
</KeePassFile>
EOF
	cat >"$KP/keepassxc.ini" <<'EOF'
[General]
ConfigVersion=2
SingleInstance=false
RememberLastDatabases=false
RememberLastKeyFiles=false
OpenPreviousDatabasesOnStartup=false
AutoSaveAfterEveryChange=false
AutoSaveOnExit=true
AutoReloadOnChange=false
UpdateCheckMessageShown=true

[GUI]
ShowTrayIcon=false
CheckForUpdates=false

[Security]
LockDatabaseIdle=false
LockDatabaseScreenLock=false
LockDatabaseOnUserSwitch=false
ClearClipboard=false

[Browser]
Enabled=false

[SSHAgent]
Enabled=false

[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmAccessItem=false
ConfirmDeleteItem=false
UnlockBeforeSearch=true
EOF
	KPENV=(env XDG_CONFIG_HOME="$KP/config" XDG_DATA_HOME="$KP/data" XDG_CACHE_HOME="$KP/cache")
	printf '%s\n%s\n' "$DS_KEYRING_PASSWORD" "$DS_KEYRING_PASSWORD" |
		"${KPENV[@]}" keepassxc-cli import -q -p -t 100 "$KP/db.xml" "$KP/Passwords.kdbx" \
			>"$DIR/logs/keepassxc-cli.log" 2>&1 ||
		{ cat "$DIR/logs/keepassxc-cli.log" >&2; die "keepassxc-cli could not create the database"; }
	printf '%s\n' "$DS_KEYRING_PASSWORD" | "${KPENV[@]}" keepassxc --config "$KP/keepassxc.ini" \
		--localconfig "$KP/keepassxc-local.ini" --pw-stdin "$KP/Passwords.kdbx" \
		>"$DIR/logs/keepassxc.log" 2>&1 &
	PIDS+=("$!") NAMES+=(keepassxc)
	log "started keepassxc (pid $!) at $(ms) ms"
	wait_for keepassxc has_owner org.freedesktop.secrets
	wait_for "the KeePassXC database to unlock" secrets_unlocked
fi

# --- 3c. or KWallet: kwalletd5 started the pam_kwallet5 way (see Pitfalls),
#         twice: to create the wallet, then to serve it; then its collection
#         unlocked (at once, no dialog: the wallet is open already).
if [ "$DS_KEYRING" = kwallet ]; then
	KW="$DIR/kwallet"
	mkdir -p "$KW/config" "$KW/data/kwalletd" "$KW/cache"
	chmod 700 "$KW/data/kwalletd"
	cat >"$KW/config/kwalletrc" <<'EOF'
[Wallet]
Enabled=true
First Use=false
Default Wallet=kdewallet
Use One Wallet=true
Close When Idle=false
Close on Screensaver=false
Prompt on Open=false
Leave Open=true
Launch Manager=false

[org.freedesktop.secrets]
apiEnabled=true
EOF
	KWENV=(env XDG_CONFIG_HOME="$KW/config" XDG_DATA_HOME="$KW/data" XDG_CACHE_HOME="$KW/cache"
		KWALLET_PAM_PASSWORD="$DS_KEYRING_PASSWORD" QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-xcb}")
	wallet_open() {
		dbus-send --session --print-reply --dest=org.kde.kwalletd5 /modules/kwalletd5 \
			org.kde.KWallet.isOpen string:kdewallet 2>/dev/null | grep -q 'boolean true'
	}
	start kwalletd-create "${KWENV[@]}" python3 "$(dirname "$0")/kwalletd-pam.py" kdewallet
	wait_for "kwalletd5 to create the wallet" wallet_open
	kill -TERM "${PIDS[-1]}" 2>/dev/null
	for _ in $(seq 100); do alive "${PIDS[-1]}" || break; sleep 0.05; done
	wait "${PIDS[-1]}" 2>/dev/null
	[ -s "$KW/data/kwalletd/kdewallet.kwl" ] || die "kwalletd5 did not write kdewallet.kwl"
	unset 'PIDS[-1]' 'NAMES[-1]'
	start kwalletd "${KWENV[@]}" python3 "$(dirname "$0")/kwalletd-pam.py" kdewallet
	wait_for kwalletd5 has_owner org.freedesktop.secrets
	wait_for "kwalletd5 to open the wallet" wallet_open
	# Unlock + Prompt as a client would; Prompt.Completed goes to the
	# caller only, which dbus-send cannot wait for: poll Locked instead.
	reply=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
		org.freedesktop.Secret.Service.Unlock array:objpath:/org/freedesktop/secrets/collection/kdewallet 2>&1) ||
		die "unlocking the KWallet collection: $reply"
	prompt=$(printf '%s\n' "$reply" | grep -o '/org/freedesktop/secrets/prompt/[A-Za-z0-9_]*' | head -n1)
	if [ -n "$prompt" ]; then
		dbus-send --session --print-reply --dest=org.freedesktop.secrets "$prompt" \
			org.freedesktop.Secret.Prompt.Prompt string: >/dev/null 2>&1 || die "the KWallet unlock prompt failed"
	fi
	wait_for "the KWallet collection to unlock" secrets_unlocked
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
	start dunst respawn_on_crash dunst -config "$DIR/dunstrc"
	wait_for dunst has_owner org.freedesktop.Notifications
fi

# --- 6. tray: watcher first, then a visible host; both before the command
if [ "$DS_TRAY" = sni ] && [ "$DS_DISPLAY" = wayland ]; then
	# swaybar, spawned by sway, is its own StatusNotifierWatcher and host.
	# Recorded as a component, so teardown stops it before sway.
	WAIT_PID=${PIDS[1]} wait_for "swaybar's tray" sni_host_registered
	for p in $(pgrep -x swaybar); do
		if grep -qzxF "DS_MARK=$DS_MARK" "/proc/$p/environ" 2>/dev/null; then
			PIDS+=("$p") NAMES+=(swaybar)
		fi
	done
elif [ "$DS_TRAY" = sni ]; then
	start sni-watcher status-notifier-watcher
	wait_for status-notifier-watcher has_owner org.kde.StatusNotifierWatcher
	start sni-tray gtk-sni-tray-standalone --bottom --end --size 32 --color '#333333'
	wait_for gtk-sni-tray-standalone sni_host_registered
fi

export DESKTOP_SESSION_DIR="$DIR"
log "session up in $(ms) ms: DISPLAY=${DISPLAY:-} WAYLAND_DISPLAY=${WAYLAND_DISPLAY:-} DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"

# Run the command in the background (keeping our stdin) so INT/TERM reach the
# traps at once; cleanup() stops it if it is still running.
"$@" <&0 &
CMD_PID=$!
wait "$CMD_PID"
rc=$?
CMD_PID=
exit "$rc"
