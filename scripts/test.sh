#!/usr/bin/env bash
# test.sh - the project's test command (the README's "run the tests").
#
# Runs a list of named steps in order, each under a "==> step" banner with its
# time, and stops at the first failure (exit status non-zero):
#   deps       scripts/install-test-deps.sh (skips apt when all is installed)
#   modules    go mod download (the app's go.mod and the tools in tools.mod)
#   static     scripts/check-static.sh: gofmt, go vet, staticcheck, the
#              Windows build and the darwin vet
#   dist       scripts/check-dist.sh: make the release artifacts in dist/ and
#              check them (validators, PE resources, .deb install and removal)
#   gotest     go test -race -count=1 ./... inside scripts/desktop-session.sh
#              (with ANYKEY_DIST_DIR=dist so internal/distcheck reads dist/);
#              when it fails the session's logs are kept and their path printed
#   e2e_wayland            the end-to-end tests again in the other desktop
#   e2e_keepassxc          cells (Wayland + gnome-keyring, X11 + KeePassXC,
#   e2e_wayland_keepassxc  Wayland + KeePassXC, X11 + KWallet): see "Cells"
#   e2e_kwallet            below
#   plain      go test -count=1 ./... outside any desktop session (no DISPLAY,
#              WAYLAND_DISPLAY, session bus or CI): what a contributor's plain
#              `go test ./...` does; the desktop tests must skip, not fail
#   windows    scripts/wine-test.sh: every package's tests built for
#              windows/amd64 and run under Wine, the end-to-end tests
#              against an exe built as the release is plus the anykey_e2e
#              tag (the tests' own keychain service), on Xvfb
#   realclients  scripts/real-clients.sh: Claude Code, Gemini CLI and Codex
#              (npm, pinned, cached) start anykey's keyless entry against the
#              fake Anytype, with and without its MCP endpoint (~2 min cached)
#   fuzz       scripts/fuzz-smoke.sh: every fuzz target for $FUZZTIME (300000 inputs)
#
# gotest, plain and the e2e_* cells run with ANYKEY_CONFIG_DIR set to a
# stand-in for the user's config dir, and fail when a test changed it
# (users_config below).
#
# Cells: gotest runs every test once on X11 + gnome-keyring. Each e2e_* step
# starts another session (scripts/desktop-session.sh with DS_DISPLAY and
# DS_KEYRING) and runs only what depends on the desktop there: the CLI and
# tray end-to-end tests (^TestE2E in ./cli and ./tray), the clipboard code
# on the real clipboard (TestCopyDesktop, TestCopyBesideStuckPeers in ./clip), ./internal/e2e and the
# desktoptest helpers, without -race (gotest covers races). They ignore
# the GO TEST ARGS below.
#
# Usage:  scripts/test.sh [GO TEST ARGS...]   e.g. scripts/test.sh -run Tray -v
#         (arguments starting with ./ replace the default ./... package list)
#
# Knobs (environment):
#   TEST_STEPS="static gotest"   run only these steps (default: all, in order)
#   TEST_SKIP="deps"          skip these steps
#   plus the DS_* knobs of scripts/desktop-session.sh (DS_KEEP defaults to onfail here)
# Under CI (CI set, as .ci/run does) desktop tests fail instead of skipping.
#
# Adding a step: write a step_NAME function and add NAME to STEPS below.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
GO_TEST_ARGS=("$@")

STEPS=(deps modules static dist gotest plain e2e_wayland e2e_keepassxc e2e_wayland_keepassxc e2e_kwallet windows realclients fuzz)

step_deps() { "$ROOT/scripts/install-test-deps.sh"; }

step_modules() { go mod download && go mod download -modfile=tools.mod; }

step_static() { "$ROOT/scripts/check-static.sh"; }

step_dist() { "$ROOT/scripts/check-dist.sh"; }

step_fuzz() { "$ROOT/scripts/fuzz-smoke.sh"; }

step_windows() { "$ROOT/scripts/wine-test.sh"; }
step_realclients() { "$ROOT/scripts/real-clients.sh"; }

# users_config COMMAND...: runs COMMAND with ANYKEY_CONFIG_DIR naming a
# config dir that stands for the user's own, holding one key. A developer
# may have it exported, and it outranks XDG_CONFIG_HOME and APPDATA, so a
# test that isolates only those would save into, list and remove from the
# user's keys.json. Afterwards the dir must be as it was.
users_config() {
	local d rc=0
	d=$(mktemp -d "${TMPDIR:-/tmp}/anykey-users-config.XXXXXX")
	printf '%s\n' '{"version":1,"keys":[{"name":"users-own-key","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"}]}' >"$d/keys.json"
	chmod 600 "$d/keys.json"
	cp -p "$d/keys.json" "$d.want"
	ANYKEY_CONFIG_DIR=$d "$@" || rc=$?
	if ! cmp -s "$d/keys.json" "$d.want" || [ "$(ls -A "$d")" != keys.json ]; then
		echo "a test reached the user's config dir (ANYKEY_CONFIG_DIR=$d): keys.json or the dir changed; isolate ANYKEY_CONFIG_DIR as well as XDG_CONFIG_HOME and APPDATA" >&2
		ls -la "$d" >&2
		rc=1
	fi
	rm -rf "$d" "$d.want"
	return "$rc"
}

step_plain() {
	local log="${TMPDIR:-/tmp}/anykey-plain-test.log"
	if ! users_config env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR -u CI \
		go test -count=1 -v ./... >"$log" 2>&1; then
		grep -E -A20 '^(--- FAIL|FAIL|panic:)' "$log" | head -n 200
		echo "plain go test ./... failed; the whole output is in $log" >&2
		return 1
	fi
	echo "plain go test ./... passed; desktop tests skipped: $(grep -c -- '--- SKIP' "$log")"
}

step_gotest() {
	local pkgs=(./...) a
	for a in "${GO_TEST_ARGS[@]}"; do
		case "$a" in ./*) pkgs=() ;; esac # packages given: test only those
	done
	if [ -z "${ANYKEY_DIST_DIR:-}" ] && [ -d "$ROOT/dist" ]; then
		export ANYKEY_DIST_DIR="$ROOT/dist"
	fi
	# A failed run keeps the session's logs (gnome-keyring, dunst, the bus
	# ...); desktop-session.sh prints where they are.
	DS_KEEP=${DS_KEEP:-onfail} users_config "$ROOT/scripts/desktop-session.sh" go test -race -count=1 "${GO_TEST_ARGS[@]}" "${pkgs[@]}"
}

# e2e_cell DISPLAY KEYRING: the desktop-dependent tests in one session.
e2e_cell() {
	DS_KEEP=${DS_KEEP:-onfail} DS_DISPLAY=$1 DS_KEYRING=$2 users_config "$ROOT/scripts/desktop-session.sh" bash -c '
		go test -count=1 -run "^TestE2E" ./cli/ ./tray/ &&
			go test -count=1 -run "^(TestCopyDesktop|TestCopyBesideStuckPeers)$" ./clip/ &&
			go test -count=1 ./internal/e2e/ ./internal/desktoptest/'
}

step_e2e_wayland() { e2e_cell wayland gnome; }

step_e2e_keepassxc() { e2e_cell x11 keepassxc; }

step_e2e_wayland_keepassxc() { e2e_cell wayland keepassxc; }

# X11 + KWallet (kwalletd5, its wallet made the pam_kwallet5 way). Costs
# what e2e_keepassxc costs: 194 s against its 206 s in one run at load 22
# on 2 cores, so about 75-80 s on a quiet machine (docs/performance.md).
step_e2e_kwallet() { e2e_cell x11 kwallet; }

# --- runner
want() { # is step $1 selected?
	local s=" ${TEST_STEPS:-${STEPS[*]}} " k=" ${TEST_SKIP:-} "
	[[ "$s" == *" $1 "* ]] && [[ "$k" != *" $1 "* ]]
}

now() { date +%s%N; }
TOTAL0=$(now)
SUMMARY=()
for s in "${STEPS[@]}"; do
	want "$s" || continue
	echo "==> $s"
	t0=$(now)
	rc=0
	"step_$s" || rc=$?
	secs=$(awk -v n=$(($(now) - t0)) 'BEGIN { printf "%.1f", n / 1e9 }')
	if [ "$rc" != 0 ]; then
		echo "==> $s FAILED (exit $rc) after ${secs}s" >&2
		exit "$rc"
	fi
	echo "==> $s ok (${secs}s)"
	SUMMARY+=("$s ${secs}s")
done
echo "==> all steps passed in $(awk -v n=$(($(now) - TOTAL0)) 'BEGIN { printf "%.1f", n / 1e9 }')s: ${SUMMARY[*]}"
