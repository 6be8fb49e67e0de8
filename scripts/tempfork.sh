#!/usr/bin/env bash
# tempfork.sh - keep tempfork/ honest: each fork there is exactly a released
# module plus the patch beside it, tempfork/NAME.patch (why each exists, and
# the upstream change that ends it: tempfork/README.md).
#
#   scripts/tempfork.sh check [NAME...]   pins (below), then rebuild each
#                                         fork from the module (go mod
#                                         download, its hash checked against
#                                         the one pinned here) and its patch
#                                         and compare with tempfork/NAME:
#                                         exit 1 on any difference (CI:
#                                         static step)
#   scripts/tempfork.sh pins              go.mod requires each forked module
#                                         at the fork's version and replaces
#                                         it with ./tempfork/NAME, and every
#                                         replace into tempfork/ is a fork
#                                         here: a version bump (go get -u, a
#                                         security release) cannot leave the
#                                         build on the old fork unnoticed
#   scripts/tempfork.sh make NAME         write tempfork/NAME afresh from the
#                                         module and the patch (after a
#                                         version bump: fix the patch first)
#   scripts/tempfork.sh diff NAME         write tempfork/NAME.patch from the
#                                         edited tempfork/NAME
#   scripts/tempfork.sh test NAME         run the module's own tests of the
#                                         patched packages on the whole
#                                         release with NAME.patch (and
#                                         NAME.test.patch, the tests' share of
#                                         the upstream change) applied; by
#                                         hand, not in CI: upstream tests
#                                         have flakes of their own (dbus's
#                                         prop tests start a bus with
#                                         dbus-launch: apt-get install
#                                         dbus-x11)
#
# A fork holds only what anykey builds: the packages listed below (their
# non-test files, no testdata), the module's go.mod and its licence. Each is
# used through a replace directive in go.mod.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

# NAME MODULE VERSION HASH PACKAGE-DIRS... (relative to the module root).
# HASH is the release's go.sum hash (go mod download -json's "Sum"): go.sum
# holds none for a replaced module, so without it the comparison would
# trust whatever the module proxy serves when GOSUMDB or GONOSUMDB is off.
FORKS=(
	"go-sdk github.com/modelcontextprotocol/go-sdk v1.8.0 h1:KIvahhYqwtbeniWVPs3TcXEA7b8jEtwfBpOTAI+Urx4= mcp jsonrpc auth oauthex internal/authutil internal/json internal/jsonrpc2 internal/mcpgodebug internal/util internal/xcontext"
	"dbus github.com/godbus/dbus/v5 v5.2.2 h1:TUR3TgtSVDmjiXOgAAyaZbYmIeP3DPkld3jgKGV8mXQ= . introspect prop"
	"systray fyne.io/systray v1.12.2 h1:Y8DZxgLHsVQt6rY9Zrkkg+j67S7vv/1F2viOWKPpVeA= . internal/generated/menu internal/generated/notifier"
	"go-toast git.sr.ht/~jackmordaunt/go-toast v1.1.2 h1:/yrfI55LRt1M7H1vkaw+NaH1+L1CDxrqDltwm5euVuE= . tmpl wintoast internal/winrt/data/xml/dom internal/winrt/ui/notifications"
	"zenity github.com/ncruces/zenity v0.10.14 h1:OBFl7qfXcvsdo1NUEGxTlZvAakgWMqz9nG38TuiaGLI= . internal/win internal/zenutil"
)

TMP=$(mktemp -d)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

fork() { # fork NAME: print the FORKS line of NAME
	local f
	for f in "${FORKS[@]}"; do
		[ "${f%% *}" = "$1" ] && { echo "$f"; return; }
	done
	echo "tempfork: no fork named $1 (known: $(names))" >&2
	exit 2
}
names() { local f; for f in "${FORKS[@]}"; do printf '%s ' "${f%% *}"; done; }

# download NAME: the directory of the released module, its hash checked
# against the one pinned in FORKS.
download() {
	local name mod ver sum json dir got
	read -r name mod ver sum _ <<<"$(fork "$1")"
	# Outside this module, so that the replace directive does not apply;
	# the download is checked against the checksum database as usual, and
	# against the pinned hash below.
	json=$(cd "$TMP" && GOFLAGS=-mod=mod go mod download -json "$mod@$ver") || true
	dir=$(awk -F'"' '$2 == "Dir" { print $4 }' <<<"$json")
	got=$(awk -F'"' '$2 == "Sum" { print $4 }' <<<"$json")
	[ -n "$dir" ] && [ -d "$dir" ] || { echo "tempfork: cannot download $mod@$ver: $json" >&2; exit 1; }
	if [ "$got" != "$sum" ]; then
		echo "tempfork: FAIL: $mod@$ver downloaded with hash $got, but tempfork/$name was made from $sum (scripts/tempfork.sh FORKS)" >&2
		exit 1
	fi
	echo "$dir"
}

# pristine NAME OUT: the listed files of the released module into OUT.
pristine() {
	local name mod ver dir p f
	read -r name mod ver _ pkgs <<<"$(fork "$1")"
	dir=$(download "$1")
	mkdir -p "$2"
	cp "$dir/go.mod" "$2/"
	for f in "$dir"/LICENSE* "$dir"/COPYING* "$dir"/UNLICENSE*; do
		[ -f "$f" ] && cp "$f" "$2/"
	done
	for p in $pkgs; do
		mkdir -p "$2/$p"
		for f in "$dir/$p"/*; do
			[ -f "$f" ] || continue
			case $f in *_test.go) continue ;; esac
			cp "$f" "$2/$p/"
		done
	done
	chmod -R u+w "$2"
}

# patched NAME OUT: the pristine module with tempfork/NAME.patch applied.
patched() {
	pristine "$1" "$2"
	if [ -s "$ROOT/tempfork/$1.patch" ]; then
		# Outside any git work tree, git apply is a plain patch(1).
		(cd "$2" && GIT_DIR=/nonexistent git apply --whitespace=nowarn "$ROOT/tempfork/$1.patch")
	fi
}

# pins: go.mod (as go mod edit -print writes it) against FORKS.
pins() {
	local f name mod ver mf bad=0 req rep
	mf=$(go mod edit -print) || exit 1
	for f in "${FORKS[@]}"; do
		read -r name mod ver _ <<<"$f"
		req=$(awk -v m="$mod" '
			/^require \($/ { in_req = 1; next }
			in_req && /^\)$/ { in_req = 0; next }
			in_req && $1 == m { print $2 }
			/^require / && $2 == m { print $3 }' <<<"$mf")
		rep=$(awk -v m="$mod" '/^replace / && $2 == m { for (i = 3; i <= NF; i++) if ($i == "=>") { print $(i + 1) (i + 2 <= NF ? " " $(i + 2) : "") } }' <<<"$mf")
		if [ "$req" != "$ver" ]; then
			echo "tempfork: FAIL: go.mod requires $mod ${req:-(not at all)}, but tempfork/$name is $ver: move the fork to that version (tempfork/README.md, \"When a fork goes\") or drop it" >&2
			bad=1
		fi
		if [ "$rep" != "./tempfork/$name" ]; then
			echo "tempfork: FAIL: go.mod replaces $mod with ${rep:-nothing}, not ./tempfork/$name" >&2
			bad=1
		fi
	done
	while read -r mod; do
		for f in "${FORKS[@]}"; do
			read -r name m _ <<<"$f"
			[ "$m" = "$mod" ] && continue 2
		done
		echo "tempfork: FAIL: go.mod replaces $mod with a directory in tempfork/ that scripts/tempfork.sh does not check" >&2
		bad=1
	done < <(awk '/^replace / { for (i = 3; i <= NF; i++) if ($i == "=>" && $(i + 1) ~ /^(\.\/)?tempfork\//) print $2 }' <<<"$mf")
	[ "$bad" = 0 ] || exit 1
	echo "tempfork: go.mod requires and replaces each forked module at its fork's version"
}

cmd=${1:-check}
shift || true
case $cmd in
pins)
	pins
	;;
check)
	pins
	[ $# -gt 0 ] || set -- $(names)
	bad=0
	for n in "$@"; do
		fork "$n" >/dev/null
		patched "$n" "$TMP/$n"
		if diff -r "$TMP/$n" "tempfork/$n" >"$TMP/$n.diff"; then
			read -r _ mod ver _ <<<"$(fork "$n")"
			echo "tempfork: $n = $mod@$ver + tempfork/$n.patch ($(grep -c '^+++ ' "tempfork/$n.patch" 2>/dev/null || echo 0) files patched)"
		else
			echo "tempfork: FAIL: tempfork/$n is not $n's module plus tempfork/$n.patch:" >&2
			head -n 40 "$TMP/$n.diff" >&2
			bad=1
		fi
	done
	[ "$bad" = 0 ] || exit 1
	# The tests a patch adds (the forks hold no upstream tests) run from
	# this module, so they test the fork as anykey builds it.
	for n in "$@"; do
		read -r _ mod _ <<<"$(fork "$n")"
		pkgs=$(awk -v m="$mod" '/^\+\+\+ b\/.*_test\.go$/ { f = substr($2, 3); sub(/\/?[^\/]*$/, "", f); print m (f == "" ? "" : "/" f) }' "tempfork/$n.patch" 2>/dev/null | sort -u)
		[ -z "$pkgs" ] && continue
		# shellcheck disable=SC2086
		go test -count=1 $pkgs || exit 1
	done
	;;
make)
	[ $# -eq 1 ] || { echo "usage: scripts/tempfork.sh make NAME" >&2; exit 2; }
	patched "$1" "$TMP/$1"
	rm -rf "tempfork/$1"
	cp -r "$TMP/$1" "tempfork/$1"
	echo "tempfork: wrote tempfork/$1"
	;;
diff)
	[ $# -eq 1 ] || { echo "usage: scripts/tempfork.sh diff NAME" >&2; exit 2; }
	pristine "$1" "$TMP/a"
	cp -r "tempfork/$1" "$TMP/b"
	# Paths a/FILE and b/FILE, relative to the module root, no dates.
	(cd "$TMP" && diff -ruN a b | sed -E 's/^(---|\+\+\+) ([^\t]*)\t.*/\1 \2/' >"$ROOT/tempfork/$1.patch") || true
	echo "tempfork: wrote tempfork/$1.patch ($(grep -c '^+++ ' "tempfork/$1.patch") files)"
	;;
test)
	[ $# -eq 1 ] || { echo "usage: scripts/tempfork.sh test NAME" >&2; exit 2; }
	read -r _ mod ver _ <<<"$(fork "$1")"
	dir=$(download "$1")
	cp -r "$dir" "$TMP/m" && chmod -R u+w "$TMP/m"
	patches=("tempfork/$1.patch")
	[ -s "tempfork/$1.test.patch" ] && patches+=("tempfork/$1.test.patch")
	for p in "${patches[@]}"; do
		(cd "$TMP/m" && GIT_DIR=/nonexistent git apply "$ROOT/$p")
	done
	# The packages the patch touches, as ./dir/ (the module root as ./).
	pkgs=$(cat "${patches[@]}" |
		awk '/^\+\+\+ b\// { f = substr($2, 3); sub(/[^\/]*$/, "", f); print "./" f }' | sort -u)
	echo "tempfork: go test $pkgs on $mod@$ver + patch"
	# shellcheck disable=SC2086
	(cd "$TMP/m" && go test -count=1 $pkgs)
	# A patched file built only for Windows is not in the tests above on
	# another OS: say so, and at least compile and vet it (tests included).
	win=$(cat "${patches[@]}" | awk '/^\+\+\+ b\/.*_windows(_test)?\.go$/ { print substr($2, 3) }')
	if [ -n "$win" ] && [ "$(go env GOOS)" != windows ]; then
		echo "tempfork: not run by the tests above (Windows only): $(echo $win); compiled and vetted for windows/amd64 instead (run them on Windows or under Wine)"
		# shellcheck disable=SC2086
		(cd "$TMP/m" && GOOS=windows GOARCH=amd64 go vet $pkgs)
	fi
	;;
*)
	echo "usage: scripts/tempfork.sh check|pins|make|diff|test [NAME]" >&2
	exit 2
	;;
esac
