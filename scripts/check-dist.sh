#!/usr/bin/env bash
# check-dist.sh - build dist/ (scripts/dist.sh) and check what it holds:
#   sums       sha256sum -c SHA256SUMS
#   files      the packaged desktop entry and metainfo pass desktop-file-validate
#              and appstreamcli validate --no-net; every command of
#              `anykey help` is in the man page; `anykey version` is VERSION
#   gotest     internal/distcheck against dist/: Windows .exe subsystem, icon,
#              manifest and version resources (debug/pe), the bundle Info.plist
#   vet        GOOS=darwin vet of the packaging code, GOOS=windows vet of main
#   size       every shipped binary within the 10 MiB budget, and no reflect
#              Method call reachable on Linux or Windows (scripts/size.sh)
#   install    apt-get install ./dist/anykey_*.deb, /usr/bin/anykey version,
#              the files where `dpkg -L anykey` says, then dpkg --remove
#              (and --purge) leave nothing behind (needs root or sudo). It runs in a
#              throwaway root (an overlay of / in a private mount namespace),
#              so the machine's packages are never changed; where no such
#              root can be made it is skipped, except under CI on a machine
#              without anykey. Its output says which.
#
# Usage:  scripts/check-dist.sh [--no-build] [STEP...]   (default: every step)
#   --no-build   check the dist/ that is there instead of rebuilding it
# Environment: DIST=dir (default dist). Under CI (CI set) nothing may be
# skipped: a missing tool or missing root is a failure.
# Exit: 0 when every selected step passes, 1 at the first failure.
set -Eeuo pipefail
trap 'echo "check-dist: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=${DIST:-dist}
BUILD=1
if [ "${1:-}" = --no-build ]; then
	BUILD=0
	shift
fi
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(sums files gotest vet size install)
VERSION=$(tr -d ' \n' <VERSION)
DIST_ABS=$ROOT/$DIST
[[ $DIST = /* ]] && DIST_ABS=$DIST
BIN=$DIST_ABS/anykey_${VERSION}_linux_amd64
DEB=$DIST_ABS/anykey_${VERSION}-1_amd64.deb
METAINFO=io.github.anykey_app.anykey.metainfo.xml

# What the .deb must install, and where.
PKG_FILES=(
	/usr/bin/anykey
	/usr/share/applications/anykey.desktop
	/usr/share/metainfo/$METAINFO
	/usr/share/icons/hicolor/scalable/apps/anykey.svg
	/usr/share/man/man1/anykey.1.gz
	/usr/share/doc/anykey/copyright
	/usr/share/bash-completion/completions/anykey
	/usr/share/zsh/vendor-completions/_anykey
	/usr/share/fish/vendor_completions.d/anykey.fish
)
for s in 16 22 24 32 48 64 128 256 512; do
	PKG_FILES+=("/usr/share/icons/hicolor/${s}x${s}/apps/anykey.png")
done

fail() { echo "check-dist: FAIL: $*" >&2; exit 1; }
skip() { # skip MESSAGE: fine locally, a failure under CI
	[ -n "${CI:-}" ] && fail "$* (CI is set: nothing may be skipped)"
	echo "check-dist: skip: $*" >&2
}
need() { command -v "$1" >/dev/null 2>&1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

step_sums() {
	(cd "$DIST_ABS" && sha256sum --quiet -c SHA256SUMS)
	echo "all $(wc -l <"$DIST_ABS/SHA256SUMS") files match SHA256SUMS"
}

step_files() {
	local got
	got=$("$BIN" version)
	[ "$got" = "anykey $VERSION" ] || fail "anykey version printed \"$got\", want \"anykey $VERSION\""
	# Validate the files as packaged, not the sources.
	dpkg-deb -x "$DEB" "$TMP/deb"
	if need desktop-file-validate; then
		desktop-file-validate "$TMP/deb/usr/share/applications/anykey.desktop"
		echo "desktop-file-validate: ok"
	else
		skip "desktop-file-validate not installed (apt-get install desktop-file-utils)"
	fi
	# VERSION is the one source of the version; the AppStream <releases>
	# list is the one place that must repeat it, by hand.
	grep -q "<release version=\"$VERSION\"" "$TMP/deb/usr/share/metainfo/$METAINFO" ||
		fail "$METAINFO has no <release version=\"$VERSION\">: add the release there"
	if need appstreamcli; then
		appstreamcli validate --no-net "$TMP/deb/usr/share/metainfo/$METAINFO"
	else
		skip "appstreamcli not installed (apt-get install appstream)"
	fi
	# The man page is generated from the command definition (go generate
	# ./internal/manpage; its test checks the committed page is current):
	# check that the page shipped documents every command of anykey help,
	# one subsection (.SS) each.
	local cmds cmd missing=()
	cmds=$("$BIN" help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
	[ -n "$cmds" ] || fail "found no commands in the output of anykey help"
	# roff writes a hyphen as \- (set\-url): compare without the escapes.
	local man
	man=$(sed 's/\\-/-/g' packaging/man/anykey.1)
	for cmd in $cmds; do
		grep -Eq "^\.SS $cmd( |$)" <<<"$man" || missing+=("$cmd")
	done
	[ ${#missing[@]} -eq 0 ] || fail "commands missing from packaging/man/anykey.1: ${missing[*]}"
	echo "man page documents all $(echo "$cmds" | wc -l) commands of anykey help"
	if need man; then
		local warn
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$TMP/deb/usr/share/man/man1/anykey.1.gz" 2>&1 >/dev/null || true)
		[ -z "$warn" ] || fail "man page warnings: $warn"
	fi
}

step_gotest() {
	ANYKEY_DIST_DIR=$DIST_ABS go test -count=1 ./internal/distcheck/
}

step_vet() {
	# The darwin packaging code and the bundle tool need no cgo; the Windows
	# console attach lives in package cli.
	# (scripts/check-static.sh vets every package for both; this keeps the
	# dist check self-contained for the code it ships.)
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet ./packaging/...
	GOOS=windows GOARCH=amd64 go vet ./packaging/ ./cli/ .
}

step_size() { scripts/size.sh --dist "$DIST_ABS" --no-reflect-method; }

# install_check DEB: as root, apt-get install DEB, check the files where
# `dpkg -L anykey` says, then remove and purge and check that nothing is
# left. It runs wherever it is called: inside the throwaway root, or on a CI
# machine that did not have anykey (see step_install).
install_check() {
	local deb=$1 log
	log=$(mktemp)
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
	if dpkg-query -W -f='${db:Status-Status}' anykey 2>/dev/null | grep -qx installed; then
		echo "check-dist: anykey is installed in this root; purging it first"
		dpkg --purge anykey >"$log" 2>&1 || { cat "$log"; fail "dpkg --purge"; }
	fi
	# --no-install-recommends: the check is about this package; its
	# Recommends (keyring, zenity, clipboard tool) would need the network on
	# a machine that lacks them.
	"${apt[@]}" install --no-install-recommends "$deb" >"$log" 2>&1 ||
		{ cat "$log"; fail "apt-get install $deb"; }
	echo "apt-get install ./$(basename "$deb"): ok"
	local got
	got=$(/usr/bin/anykey version)
	[ "$got" = "anykey $VERSION" ] || fail "/usr/bin/anykey version printed \"$got\""
	echo "/usr/bin/anykey version: $got"
	local listed f
	listed=$(dpkg -L anykey)
	for f in "${PKG_FILES[@]}"; do
		grep -qxF "$f" <<<"$listed" || fail "dpkg -L anykey does not list $f"
		[ -f "$f" ] || fail "$f is listed by dpkg but not on disk"
	done
	echo "dpkg -L anykey lists all ${#PKG_FILES[@]} expected files, all on disk"
	if need desktop-file-validate; then
		desktop-file-validate /usr/share/applications/anykey.desktop ||
			fail "the installed desktop entry does not validate"
	fi

	# dpkg, not apt, for the removal: the same operation for a package
	# nothing depends on, without apt rebuilding its cache each time (~10 s).
	dpkg --remove anykey >"$log" 2>&1 || { cat "$log"; fail "dpkg --remove"; }
	for f in "${PKG_FILES[@]}"; do
		[ ! -e "$f" ] || fail "$f is still there after dpkg --remove"
	done
	# The package has no conffiles, so remove already leaves dpkg with
	# nothing to purge; purge only if dpkg still keeps something
	# (config-files).
	local st
	st=$(dpkg-query -W -f='${db:Status-Status}' anykey 2>/dev/null || true)
	if [ -n "$st" ] && [ "$st" != not-installed ]; then
		dpkg --purge anykey >"$log" 2>&1 || { cat "$log"; fail "dpkg --purge"; }
	fi
	st=$(dpkg-query -W -f='${db:Status-Status}' anykey 2>/dev/null || true)
	[ -z "$st" ] || [ "$st" = not-installed ] || fail "dpkg status after purge is \"$st\""
	echo "dpkg --remove (and --purge while dpkg keeps anything): no file left, dpkg status gone"
	rm -f "$log"
}

# in_throwaway_root DEB: run install_check DEB in a copy-on-write view of /
# (an overlay whose upper layer is a tmpfs, in a private mount namespace,
# entered with chroot). Everything apt and dpkg write lands in the tmpfs and
# is gone when the namespace ends. Exit 97: no such root can be made here.
in_throwaway_root() {
	local r=$TMP/throwaway
	mkdir -p "$r/root" "$r/cow"
	local body
	body="$(declare -f fail need install_check); $(declare -p PKG_FILES VERSION); install_check /tmp/anykey.deb"
	"${SUDO[@]}" unshare --mount --propagation private /bin/bash -c '
		r=$1 deb=$2 body=$3
		mount -t tmpfs tmpfs "$r/cow" && mkdir "$r/cow/up" "$r/cow/work" &&
			mount -t overlay overlay -o "lowerdir=/,upperdir=$r/cow/up,workdir=$r/cow/work" "$r/root" &&
			mount --rbind /proc "$r/root/proc" && mount --rbind /dev "$r/root/dev" &&
			[ -x "$r/root/usr/bin/apt-get" ] && # /usr on a mount of its own is not in the overlay
			cp "$deb" "$r/root/tmp/anykey.deb" || exit 97
		exec chroot "$r/root" /bin/bash -c "set -Eeuo pipefail; $body"' \
		in_throwaway_root "$r" "$1" "$body"
}

step_install() {
	SUDO=()
	if [ "$(id -u)" != 0 ]; then
		if need sudo && sudo -n true 2>/dev/null; then
			SUDO=(sudo -n)
		else
			skip "install: needs root or password-less sudo"
			return 0
		fi
	fi
	# The test command must not change what is installed here: the check
	# runs in a throwaway root. Only a CI machine without anykey (a fresh
	# one) may have the package installed and removed for real.
	local rc=0
	in_throwaway_root "$DEB" || rc=$?
	if [ "$rc" = 0 ]; then
		echo "check-dist: install: checked in a throwaway root (overlay of / in a private mount namespace); this machine's packages are unchanged"
		return 0
	fi
	[ "$rc" = 97 ] || fail "install check in the throwaway root (exit $rc)"
	if [ -z "${CI:-}" ]; then
		skip "install: cannot make a throwaway root here (unshare -m and an overlay mount); not touching this machine's packages"
		return 0
	fi
	if dpkg-query -W -f='${db:Status-Status}' anykey 2>/dev/null | grep -qx installed; then
		fail "install: no throwaway root here, and anykey is installed on this machine: refusing to remove it"
	fi
	echo "check-dist: install: no throwaway root here; CI machine without anykey, so checking on the machine itself (it is removed again)"
	"${SUDO[@]}" bash -c "set -Eeuo pipefail; $(declare -f fail need install_check); $(declare -p PKG_FILES VERSION); install_check '$DEB'"
}

now() { date +%s%N; }
secs() { awk -v n=$(($(now) - $1)) 'BEGIN { printf "%.1f", n / 1e9 }'; }
T0=$(now)
if [ "$BUILD" = 1 ]; then
	echo "==> check-dist: build (scripts/dist.sh)"
	t=$(now)
	DIST=$DIST scripts/dist.sh
	echo "==> check-dist: build ok ($(secs "$t")s)"
fi
[ -f "$DIST_ABS/SHA256SUMS" ] || fail "$DIST has no SHA256SUMS: run make dist first"
for s in "${STEPS[@]}"; do
	declare -F "step_$s" >/dev/null || fail "unknown step \"$s\""
	echo "==> check-dist: $s"
	t=$(now)
	"step_$s"
	echo "==> check-dist: $s ok ($(secs "$t")s)"
done
echo "==> check-dist: all passed in $(secs "$T0")s"
