#!/usr/bin/env bash
# install-test-deps.sh - install the Debian 12 packages the test suite needs
# (scripts/desktop-session.sh components, the tools the desktop tests drive,
# and the packaging checks) on a machine that has only Go, gcc and the base
# image. Does nothing when every package is already installed, so it is cheap
# to run before every test run.
#
# Usage:  scripts/install-test-deps.sh            install what is missing
#         scripts/install-test-deps.sh --list     print the package list
#         scripts/install-test-deps.sh --check    exit 1 if something is missing
# Knob:   APT_LOCK_TIMEOUT=900   seconds to wait for another apt or dpkg that
#         holds its lock, instead of failing at once
#
# Not listed on purpose: systemd and libglib2.0-bin. The base image has them,
# and naming them makes apt upgrade a dozen packages for nothing.
set -euo pipefail

PACKAGES=(
	# the private session: X server, D-Bus, Secret Service, notifications, tray
	xvfb xauth dbus-daemon dbus-bin
	gnome-keyring libsecret-tools
	# KeePassXC as a Secret Service (keystore TestKeePassXC; offscreen, no display)
	keepassxc
	dunst libnotify-bin
	haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils
	# what the tests drive and read: dialogs, keyboard, clipboard, screenshots
	zenity xdotool xclip xsel imagemagick x11-utils fonts-dejavu-core
	# Open Anytype's URL handler (tray TestE2EAnytypeNotRunning)
	xdg-utils
	# the Wayland cells: headless sway (swaybar is the tray), its clipboard,
	# keyboard and screenshot tools
	sway wl-clipboard wtype grim
	# the KeePassXC cells: KeePassXC as the Secret Service (keepassxc-cli
	# makes the database), qtwayland5 to run it on Wayland
	keepassxc qtwayland5
	# the KWallet cell: kwalletd5 as the Secret Service; qca-ossl, which
	# libsecret's encrypted session (secret-tool) needs from KWallet, is
	# only a Recommends of libqca-qt5-2; python3 starts kwalletd5 the
	# pam_kwallet5 way (scripts/kwalletd-pam.py: hashlib, socket)
	libkf5wallet-bin libqca-qt5-2-plugins
	# packaging checks: .desktop file and AppStream metadata validation;
	# man renders the generated man page with warnings on (internal/manpage)
	desktop-file-utils appstream man-db
	# shells the completion scripts are exercised in (bash is in the base;
	# cobra's bash script needs bash-completion's _get_comp_words_by_ref)
	zsh fish bash-completion
	# the foreign-listener test: a private network namespace (unshare and
	# setpriv come with util-linux, ip with iproute2)
	util-linux iproute2
	# the Windows cell (scripts/wine-test.sh): Wine runs the windows/amd64
	# test binaries, mingw builds its ProcessPrng shim
	wine wine64 gcc-mingw-w64-x86-64
	# the exec tests run a Python script that counts the signals it gets
	python3-minimal
)

missing() {
	local p st
	for p in "${PACKAGES[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$st" = installed ] || echo "$p"
	done
}

case "${1:-}" in
--list) printf '%s\n' "${PACKAGES[@]}"; exit 0 ;;
--check)
	m=$(missing)
	[ -z "$m" ] && exit 0
	echo "install-test-deps: missing:" $m >&2
	exit 1 ;;
"") ;;
*) echo "usage: $0 [--list|--check]" >&2; exit 2 ;;
esac

mapfile -t todo < <(missing)
if [ "${#todo[@]}" -eq 0 ]; then
	echo "install-test-deps: all ${#PACKAGES[@]} packages present"
	exit 0
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	else
		echo "install-test-deps: not root and no sudo; install as root: apt-get install ${todo[*]}" >&2
		exit 1
	fi
fi

# Another apt or dpkg (unattended-upgrades, a person, another checkout's
# tests) may hold a lock. apt 2.6 waits for the dpkg lock with
# DPkg::Lock::Timeout, but `apt-get update` and the download of `install`
# fail at once on the lists and archives locks (seen here: "Could not get
# lock /var/lib/apt/lists/lock"), so a command that failed on a lock is
# tried again every 5 s until APT_LOCK_TIMEOUT (seconds, default 900) has
# passed since the first try.
APT_LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-900}
apt_wait() {
	local deadline=$((SECONDS + APT_LOCK_TIMEOUT)) out rc
	while :; do
		rc=0
		out=$("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" "$@" 2>&1) || rc=$?
		printf '%s\n' "$out"
		if [ "$rc" -eq 0 ] || ! grep -q 'Could not get lock\|Unable to lock\|Unable to acquire the dpkg frontend lock' <<<"$out"; then
			return "$rc"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "install-test-deps: another apt or dpkg held its lock for ${APT_LOCK_TIMEOUT}s; try again when it is done" >&2
			return "$rc"
		fi
		echo "install-test-deps: another apt or dpkg holds its lock; waiting (up to ${APT_LOCK_TIMEOUT}s in all)" >&2
		sleep 5
	done
}

echo "install-test-deps: installing ${todo[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_wait update -q
apt_wait install -y -q --no-install-recommends "${todo[@]}"
