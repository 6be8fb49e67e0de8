#!/usr/bin/env bash
# wine-test.sh - the Windows cell: build every package's tests for
# windows/amd64 and run each test binary under Wine (Debian 12: Wine 8.0),
# with the exe built as released (plus the anykey_e2e tag: the tests' own
# keychain service) for the end-to-end tests, on an Xvfb display.
#
# What it does, in order:
#   1. installs wine, wine64 and gcc-mingw-w64-x86-64 when missing (apt-get,
#      as root or with sudo; waits for apt's lock)
#   2. makes a fresh Windows 10 prefix in a temp dir, with the ProcessPrng
#      shim (below) in its system32
#   3. builds every package's test binary (GOOS=windows, with the RemoveAll
#      overlay below) and the anykey exe the end-to-end tests run: the
#      release build's flags (scripts/dist.sh) plus the anykey_e2e tag, so
#      its keys live under the tests' own keychain service
#   4. starts Xvfb and one long-sleeping Windows process (keepalive, below)
#   5. runs each test binary from its package directory, in a clean
#      environment (env -i: HOME, WINEPREFIX, DISPLAY, ANYKEY_E2E_BIN=the
#      exe, ANYKEY_TRUST_LISTENER_OWNER=* since Wine cannot name a
#      listener's owner, below); tests tell Wine from Windows with
#      internal/desktoptest.Wine (ntdll's wine_get_version)
#   6. prints one line per package (ok / FAIL / skips) and exits 1 when
#      any package failed
#
# Why each workaround (all are Wine 8.0's limits, not Go's or anykey's):
#  - Go >= 1.24 loads ProcessPrng from bcryptprimitives.dll at start, which
#    Wine 8 lacks ("bcryptprimitives.dll not found"). A mingw DLL exporting
#    ProcessPrng over RtlGenRandom goes into the prefix's system32 (Go loads
#    it with LOAD_LIBRARY_SEARCH_SYSTEM32: a copy beside the exe is ignored).
#    Fixed in Wine 9.x (bcryptprimitives.dll exists there).
#  - Go 1.26's os.RemoveAll asks NtSetInformationFile for class 64
#    (FileDispositionInformationEx); Wine 8 answers STATUS_NOT_IMPLEMENTED,
#    which Go does not take as "fall back", so every t.TempDir cleanup fails
#    with "Invalid function". A `go test -overlay` swaps GOROOT's
#    internal/syscall/windows/at_windows.go for a copy that also falls back
#    on STATUS_NOT_IMPLEMENTED. Only the test binaries get it; the exe the
#    end-to-end tests run is built as the release is (plus anykey_e2e).
#  - A Windows process under Wine sees the whole Unix environment (DISPLAY,
#    XDG_*, DBUS_SESSION_BUS_ADDRESS, SHELL, CI...): every wine call runs
#    under env -i with only what Windows would have.
#  - A copy outlives the copying process only once Wine's desktop process
#    (explorer.exe /desktop, whose clipboard manager takes the data over)
#    runs; a console program alone does not start it. keepalive.exe asks
#    for the desktop window and opens the clipboard, then sleeps for the
#    whole run, started a few seconds before the first test. (Before it
#    did, TestWindowsCopyAndClear failed whenever no earlier test of the
#    run had used a window.)
#  - Wine 8's GetExtendedTcpTable reports owning PID 0 for every listener
#    (sockets live in wineserver), so anykey can never tell who listens and
#    refuses every server, as it must when it cannot tell: the cell trusts
#    any listener (ANYKEY_TRUST_LISTENER_OWNER=*), as a Wine user would
#    have to. Wine 8 also has no AF_UNIX sockets. The tests of the owner
#    check and of unix sockets detect Wine and skip (they are in the run,
#    not left out); on Windows they run.
#  - Wine 8's CreateSymbolicLinkW is a stub that reports success and makes
#    nothing: the test of writing through a symlink detects that and skips.
# No test is left out by name: every test of every package runs, and one
# that only Wine makes fail skips by detecting Wine and what it lacks.
#
# Usage:  scripts/wine-test.sh [PKG...]     default: every package (./...)
# Knobs:  WINE_TEST_DIR=dir   reuse this prefix dir (made once; default: a
#                             fresh temp dir, removed afterwards)
#         WINE_TEST_ARGS="-test.run X -test.v"  extra test binary flags
#         WINE_TEST_TIMEOUT=600   seconds per package
# Under CI (CI set) a missing component fails; the tests themselves run
# without CI in their environment, as on a user's Windows.
# Time: about 3 min on 2 cores (docs/performance.md), apt not counted.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PKGS=("$@")
[ ${#PKGS[@]} -eq 0 ] && PKGS=(./...)
TIMEOUT=${WINE_TEST_TIMEOUT:-600}

now() { date +%s%N; }
T0=$(now)
say() { echo "wine-test: $* (+$(awk -v n=$(($(now) - T0)) 'BEGIN { printf "%.1f", n / 1e9 }')s)"; }

# --- 1. packages
need=()
command -v wine >/dev/null || need+=(wine)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v Xvfb >/dev/null || need+=(xvfb)
if [ ${#need[@]} -gt 0 ]; then
	SUDO=()
	[ "$(id -u)" = 0 ] || SUDO=(sudo)
	say "installing ${need[*]}"
	APT=(apt-get -o DPkg::Lock::Timeout=900 -q)
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "${APT[@]}" update >/dev/null
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null
fi

# --- 2. the prefix
if [ -n "${WINE_TEST_DIR:-}" ]; then
	D=$(realpath -m "$WINE_TEST_DIR")
	mkdir -p "$D"
	KEEP=1
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/anykey-wine.XXXXXX")
	KEEP=0
fi
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	winenv wineserver -k >/dev/null 2>&1 || true
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	[ "$KEEP" = 1 ] || rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DISPLAY_NUM=
winenv() {
	env -i PATH=/usr/bin:/bin HOME="$D/home" WINEPREFIX="$D/prefix" WINEDEBUG=-all \
		WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml=" ${DISPLAY_NUM:+DISPLAY=$DISPLAY_NUM} "$@"
}

if [ ! -f "$D/prefix/drive_c/windows/system32/bcryptprimitives.dll" ]; then
	say "making the Wine prefix"
	mkdir -p "$D/shim" "$D/home"
	cat >"$D/shim/bcryptprimitives.c" <<'C'
#include <windows.h>
#include <ntsecapi.h>
/* ProcessPrng as Windows 10's bcryptprimitives.dll has it: never fails.
   RtlGenRandom (SystemFunction036) takes a ULONG length, so chunk. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID r) { return TRUE; }
C
	printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n' >"$D/shim/bcryptprimitives.def"
	x86_64-w64-mingw32-gcc -O2 -shared -s -o "$D/shim/bcryptprimitives.dll" \
		"$D/shim/bcryptprimitives.c" "$D/shim/bcryptprimitives.def" -ladvapi32
	winenv timeout 180 wine wineboot -i >/dev/null 2>&1
	winenv timeout 60 wine winecfg /v win10 >/dev/null 2>&1
	cp "$D/shim/bcryptprimitives.dll" "$D/prefix/drive_c/windows/system32/"
	winenv timeout 60 wineserver -w
fi
# keepalive.exe: touches the desktop and the clipboard, which starts
# Wine's desktop process (explorer.exe /desktop, whose clipboard manager
# keeps a copy alive after the copying process exits), then sleeps until
# killed (see "clipboard" above).
cat >"$D/keepalive.c.new" <<'C'
#include <windows.h>
int main(void)
{
	GetDesktopWindow();
	if (OpenClipboard(NULL))
		CloseClipboard();
	Sleep(INFINITE);
	return 0;
}
C
if ! cmp -s "$D/keepalive.c.new" "$D/keepalive.c" || [ ! -f "$D/keepalive.exe" ]; then
	mv "$D/keepalive.c.new" "$D/keepalive.c"
	x86_64-w64-mingw32-gcc -O2 -s -o "$D/keepalive.exe" "$D/keepalive.c" -luser32
fi
AT=$(go env GOROOT)/src/internal/syscall/windows/at_windows.go
sed 's|STATUS_NOT_SUPPORTED:     // the file system|STATUS_NOT_SUPPORTED, NTStatus(0xC0000002) /* STATUS_NOT_IMPLEMENTED: Wine 8 */: // the file system|' \
	"$AT" >"$D/at_windows.go"
if cmp -s "$AT" "$D/at_windows.go"; then
	echo "wine-test: GOROOT's at_windows.go changed: the RemoveAll overlay no longer applies; update the sed above" >&2
	exit 1
fi
printf '{"Replace":{"%s":"%s"}}\n' "$AT" "$D/at_windows.go" >"$D/overlay.json"

# --- 3. test binaries and the exe
say "building the test binaries"
mkdir -p "$D/bin"
mapfile -t LIST < <(GOOS=windows go list -f '{{.ImportPath}} {{.Dir}} {{if or .TestGoFiles .XTestGoFiles}}t{{end}}' "${PKGS[@]}")
export GOOS=windows GOARCH=amd64 CGO_ENABLED=0
pkgs=() dirs=() exes=()
for l in "${LIST[@]}"; do
	read -r ip dir has <<<"$l"
	[ "$has" = t ] || continue
	exe="$D/bin/$(echo "${ip#github.com/anykey-app/anykey}" | tr '/' '_' | sed 's/^_//;s/^$/root/').test.exe"
	pkgs+=("$ip") dirs+=("$dir") exes+=("$exe")
done
# One go test -c per package, two at a time (the machine has 2 cores).
for i in "${!pkgs[@]}"; do
	[ "$(jobs -rp | wc -l)" -lt 2 ] || wait -n
	go test -c -overlay "$D/overlay.json" -o "${exes[$i]}" "${pkgs[$i]}" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || { echo "wine-test: a test binary did not build" >&2; exit 1; }; done
# The exe under test: the release build (scripts/release-flags.sh, as
# scripts/dist.sh builds it) plus the anykey_e2e tag, which keeps its keys under the tests'
# own keychain service (keystore.TestService) and lets it name itself from
# the temp dir (packaging.tempBinaryAllowed); nothing else differs. The
# release exe itself would read, overwrite and delete the user's own keys.
# shellcheck source=release-flags.sh
. scripts/release-flags.sh
EXE=$D/bin/anykey.exe
go build -trimpath -tags "$RELEASE_TAGS,anykey_e2e" -gcflags "$RELEASE_GCFLAGS" \
	-ldflags "$RELEASE_LDFLAGS -X main.Version=$(cat VERSION)-e2e -H windowsgui" -o "$EXE" .
unset GOOS GOARCH CGO_ENABLED
say "built ${#pkgs[@]} test binaries; the exe under test is ${EXE#"$ROOT"/}"

# --- 4. Xvfb and the keepalive process
rm -f "$D/display"
Xvfb -displayfd 4 -screen 0 1280x800x24 -nolisten tcp 4>"$D/display" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$D/display" ] && break; sleep 0.1; done
[ -s "$D/display" ] || { echo "wine-test: Xvfb did not start" >&2; exit 1; }
DISPLAY_NUM=":$(head -n1 "$D/display")"
winenv wine "$D/keepalive.exe" >/dev/null 2>&1 &
PIDS+=($!)
sleep 3

# --- 5. run
say "running under $(wine --version 2>/dev/null) on $DISPLAY_NUM"
failed=() summary=()
for i in "${!pkgs[@]}"; do
	ip=${pkgs[$i]} dir=${dirs[$i]} exe=${exes[$i]}
	log=$D/$(basename "$exe" .test.exe).log
	t0=$(now)
	rc=0
	# shellcheck disable=SC2086 # WINE_TEST_ARGS is word-split on purpose
	(cd "$dir" && winenv ANYKEY_E2E_BIN="Z:${EXE//\//\\}" ANYKEY_TRUST_LISTENER_OWNER="*" \
		timeout -k 10 "$TIMEOUT" wine "$exe" -test.v -test.count=1 -test.timeout "$((TIMEOUT - 30))s" ${WINE_TEST_ARGS:-}) >"$log" 2>&1 || rc=$?
	secs=$(awk -v n=$(($(now) - t0)) 'BEGIN { printf "%.1f", n / 1e9 }')
	skips=$(grep -c -- '--- SKIP' "$log" || true)
	passes=$(grep -c -- '--- PASS' "$log" || true)
	if [ "$rc" = 0 ]; then
		summary+=("ok    ${ip#github.com/anykey-app/anykey/} ${secs}s (${passes} passed, ${skips} skipped)")
	else
		summary+=("FAIL  ${ip#github.com/anykey-app/anykey/} ${secs}s (exit $rc)")
		failed+=("$ip")
		echo "--- $ip under Wine (exit $rc):" >&2
		grep -E -B2 -A25 -- '^(\s*--- FAIL|FAIL|panic:)' "$log" | head -n 150 >&2 || tail -n 60 "$log" >&2
	fi
done
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
	[ "$KEEP" = 1 ] || { KEEP=1; echo "wine-test: kept $D (logs: $D/*.log)" >&2; }
	echo "wine-test: failed under Wine: ${failed[*]}" >&2
	exit 1
fi
say "every package passed under Wine"
