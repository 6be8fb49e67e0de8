#!/usr/bin/env bash
# size.sh - the shipped binaries against the standing budget of 10 MiB
# (10,485,760 bytes; BRIEF, issue 18). Prints one line per binary and exits 1
# when any is over.
#
#   scripts/size.sh                 build linux/amd64, windows/amd64 and
#                                   windows/arm64 as scripts/dist.sh does
#                                   (the flags of scripts/release-flags.sh)
#                                   and measure them
#   scripts/size.sh --dist DIR      measure the binaries scripts/dist.sh left
#                                   in DIR instead (check-dist's size step)
#   scripts/size.sh --why [TARGET]  also say where the bytes go, for TARGET
#                                   (default linux/amd64): the biggest
#                                   packages by symbol size (an unstripped
#                                   build, `go tool nm -size`) and, if the
#                                   linker saw a reflect Method call, the
#                                   chain that reached it (-ldflags=-dumpdep)
#   scripts/size.sh --no-reflect-method ...
#                                   also fail when the linux/amd64 or the
#                                   windows/amd64 build reaches a reflect
#                                   Method call (CI: the 1-1.5 MB regression
#                                   is caught even while there is headroom)
#
# Why the reflect Method chain matters: a reachable call of
# reflect.Type.Method/MethodByName or reflect.Value.Method/MethodByName with
# a non-constant argument makes the linker keep every exported method of
# every type that reaches an interface (cmd/link's deadcode pass,
# golang/go#25081, golang/go#72895). In anykey that was 1.2-1.5 MB: godbus's
# Export (via fyne.io/systray) on Linux, text/template (via go-toast, beeep's
# Windows notifier) on Windows. docs/performance.md has the figures.
#
# macOS is not measured: the darwin build needs cgo (fyne.io/systray), so it
# is made on a Mac (make macos-app).
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=release-flags.sh
. scripts/release-flags.sh

BUDGET=${SIZE_BUDGET:-10485760} # bytes: 10 MiB (SIZE_BUDGET: to try the script)
DISTDIR= WHY= WHY_TARGET=linux/amd64 NORM=
while [ $# -gt 0 ]; do
	case $1 in
	--dist) DISTDIR=$2; shift 2 ;;
	--no-reflect-method) NORM=1; shift ;;
	--why)
		WHY=1
		shift
		if [ $# -gt 0 ] && [[ $1 == */* ]]; then WHY_TARGET=$1; shift; fi
		;;
	*) echo "usage: scripts/size.sh [--dist DIR] [--why [GOOS/GOARCH]] [--no-reflect-method]" >&2; exit 2 ;;
	esac
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
VERSION=$(tr -d ' \n' <VERSION)

# build GOOS GOARCH OUT [EXTRA LDFLAGS]: the release build of scripts/dist.sh.
build() {
	local ld="$RELEASE_LDFLAGS -X main.Version=$VERSION"
	[ "$1" = windows ] && ld="$ld -H=windowsgui"
	CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -tags "$RELEASE_TAGS" \
		-gcflags "$RELEASE_GCFLAGS" -ldflags "$ld ${4:-}" -o "$3" .
}

TARGETS=(linux/amd64 windows/amd64 windows/arm64)
declare -A BIN
for t in "${TARGETS[@]}"; do
	os=${t%/*} arch=${t#*/} ext=
	[ "$os" = windows ] && ext=.exe
	if [ -n "$DISTDIR" ]; then
		BIN[$t]=$DISTDIR/anykey_${VERSION}_${os}_${arch}$ext
		[ -f "${BIN[$t]}" ] || { echo "size: ${BIN[$t]} is missing: run scripts/dist.sh first" >&2; exit 2; }
	else
		BIN[$t]=$TMP/anykey_${os}_${arch}$ext
		build "$os" "$arch" "${BIN[$t]}" &
	fi
done
wait

# chain GOOS GOARCH: how the linker reached a reflect Method call in that
# build, from -ldflags=-dumpdep ("none" when it did not).
chain() {
	echo
	echo "== $1/$2: how the linker reached a reflect Method call (\"none\": it prunes unused methods)"
	CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -tags "$RELEASE_TAGS" \
		-gcflags "$RELEASE_GCFLAGS" -ldflags "$RELEASE_LDFLAGS -dumpdep" -o "$TMP/dep" . 2>"$TMP/dumpdep"
	# -dumpdep prints "FROM -> TO" as the linker first marks TO; a symbol
	# flagged <ReflectMethod> is a reflect Method call with a non-constant
	# argument. Walk back from the first one to the program's entry.
	awk -F' -> ' '
		function bare(s) { sub(/ <[^>]*>$/, "", s); return s }
		NF == 2 {
			to = bare($2)
			if (!(to in par)) par[to] = bare($1)
			if (first == "" && $2 ~ /<ReflectMethod>$/) first = to
		}
		END {
			if (first == "") { print "none"; exit }
			for (s = first; s != "" && s != "_" && k < 40; s = par[s]) printf "%s%s\n", (k++ ? "  <- " : "   "), s
		}' "$TMP/dumpdep"
}

over=0 OVER_TARGETS=()
printf '%-16s %12s %10s %14s  %s\n' "binary" "bytes" "MiB" "headroom" "budget $BUDGET B"
for t in "${TARGETS[@]}"; do
	s=$(stat -c %s "${BIN[$t]}")
	verdict=ok
	if [ "$s" -gt "$BUDGET" ]; then verdict=OVER; over=1; OVER_TARGETS+=("$t"); fi
	printf '%-16s %12d %10.2f %+14d  %s\n' "$t" "$s" "$(awk -v s="$s" 'BEGIN { printf "%.4f", s / 1048576 }')" $((BUDGET - s)) "$verdict"
done

if [ -n "$WHY" ]; then
	os=${WHY_TARGET%/*} arch=${WHY_TARGET#*/}
	echo
	echo "== linux/$arch: biggest packages (symbol bytes of an unstripped build: code and data, not pclntab)"
	# Read from the ELF symbol table, whose section index tells the file's
	# bytes from bss (go tool nm calls bss symbols D too, among them a 32 MiB
	# crypto/internal/fips140/drbg.memory). The same code for Windows has
	# about the same packages; the chain below is per target.
	CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -tags "$RELEASE_TAGS" \
		-gcflags "$RELEASE_GCFLAGS" -o "$TMP/full" .
	nobits=$(readelf -SW "$TMP/full" | awk '/NOBITS/ { sub(/.*\[ */, ""); sub(/\].*/, ""); printf "%s ", $0 }')
	# Symbols are "pkg/path.Name", "pkg/path.(*T).M", "type:pkg/path.T" ...
	readelf -sW "$TMP/full" | awk -v nobits="$nobits" '
		BEGIN { n = split(nobits, x, " "); for (i = 1; i <= n; i++) skip[x[i]] = 1 }
		$1 ~ /^[0-9]+:$/ && $7 ~ /^[0-9]+$/ && !($7 in skip) && NF >= 8 {
			size = $3
			if (size ~ /^0x/) { # readelf writes sizes over 99999 in hex
				h = tolower(substr(size, 3)); size = 0
				for (k = 1; k <= length(h); k++) size = size * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1
			}
			n = $8
			sub(/^type:[*\[\]]*/, "", n); sub(/\[.*$/, "", n)
			i = match(n, /\/[^\/]*$/); i = i ? i : 1
			j = index(substr(n, i), "."); p = j ? substr(n, 1, i + j - 2) : n
			if ($8 ~ /^type:/) p = "type:" p
			sum[p] += size
		}
		END { for (p in sum) printf "%10d  %s\n", sum[p], p }' | sort -rn | awk -v n="${WHY_TOP:-25}" 'NR <= n'
	chain "$os" "$arch"
fi
# Over budget: say whether the reflect-method rule is back (1-1.5 MB at once,
# docs/performance.md) before anyone hunts for the bytes elsewhere.
if [ -z "$WHY" ]; then
	for t in "${OVER_TARGETS[@]}"; do
		# --no-reflect-method prints these two below.
		[ -n "$NORM" ] && [[ $t == @(linux|windows)/amd64 ]] && continue
		chain "${t%/*}" "${t#*/}"
	done
fi
if [ -n "$NORM" ]; then
	for t in linux/amd64 windows/amd64; do
		c=$(chain "${t%/*}" "${t#*/}")
		if [ "$(tail -n 1 <<<"$c")" != none ]; then
			echo "$c"
			echo "size: $t reaches a reflect Method call (above): the linker then keeps every exported method of every type in an interface, 1-1.5 MB here; cut that path (docs/performance.md, binary size; tempfork/README.md)" >&2
			over=1
		else
			echo "$t: no reflect Method call reachable"
		fi
	done
fi
exit "$over"
