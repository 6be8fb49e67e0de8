#!/usr/bin/env bash
# bench.sh measures the CLI's performance budgets (issues 2 and 10) on one
# private Secret Service, side by side in one run:
#
#   DS_NOTIFY=none DS_TRAY=none scripts/desktop-session.sh scripts/bench.sh [RUNS]
#
# (no notification daemon and no tray host: the default session records
# notifications with an eavesdropping dbus-monitor, which slows every
# message on the bus; a user's desktop has none)
#
# - median wall time of `anykey get NAME` against
#   `secret-tool lookup service SERVICE username NAME` (budget: ratio <= 0.6;
#   SERVICE is anykey-test: the timed binary is the anykey_e2e build, whose
#   keys live under the tests' own keychain service, never the user's)
# - median wall time of `anykey list` with 100 keys, the keychain's
#   present/locked/missing check included (budget <= 15 ms), beside the
#   floor under it: internal/ssfloor, a program that asks the Secret
#   Service only the calls any presence check must make (one search, one
#   Attributes read per item) and does nothing else
# - the standing budgets (BRIEF), each against its floor in the same run:
#   get <= 1.3x internal/getfloor (a bare go-keyring Get, interleaved with
#   get), list <= 1.3x ssfloor
# - size of the stripped linux/amd64 binary (budget <= 10 MiB)
#
# The two lookups run interleaved (get, secret-tool, get, …) RUNS times
# (default 50) after 5 warm-up runs each, timed by a small Go program
# (fork+exec+wait), so neither side gains from cache or CPU-frequency drift.
# Exits 1 when a figure is over its budget.
set -euo pipefail

runs=${1:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${DESKTOP_SESSION_DIR:-}" ]; then
	echo "bench: run inside a private desktop session: scripts/desktop-session.sh scripts/bench.sh" >&2
	exit 2
fi
command -v secret-tool >/dev/null || { echo "bench: secret-tool is missing (apt install libsecret-tools)" >&2; exit 2; }

# The machine's load when the run starts: list's budget is absolute, so a
# figure from a busy machine says so.
load=$(cut -d' ' -f1-3 /proc/loadavg)
# Which program serves the Secret Service (gnome-keyring-d, keepassxc, …).
provider=$(ps -o comm= -p "$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '/uint32/ { print $2 }')" || echo unknown)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The binary as released (scripts/dist.sh, scripts/release-flags.sh): no
# cgo, linux/amd64. scripts/size.sh measures every shipped platform. Its
# size is measured here; the timed runs use the same build plus the
# anykey_e2e tag, which changes only the keychain service name
# (keystore.TestService) and so keeps the bench's keys apart from the
# user's own.
# shellcheck source=release-flags.sh
. scripts/release-flags.sh
service=anykey-test # keystore.TestService
build() { CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -tags "$1" -gcflags "$RELEASE_GCFLAGS" -ldflags "$RELEASE_LDFLAGS" -o "$2" .; }
build "$RELEASE_TAGS" "$work/anykey-release"
size=$(stat -c %s "$work/anykey-release")
build "$RELEASE_TAGS,anykey_e2e" "$work/anykey"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/ssfloor" ./internal/ssfloor
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/getfloor" ./internal/getfloor

# A tiny timer: stdlib only, built outside the module.
mkdir -p "$work/timer"
cat >"$work/timer/main.go" <<'EOF'
// timer runs each command (separated by "--") N times, interleaved, after
// 5 warm-up runs, and prints one median per command in milliseconds.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	var cmds [][]string
	cur := []string{}
	for _, a := range os.Args[2:] {
		if a == "--" {
			cmds, cur = append(cmds, cur), []string{}
			continue
		}
		cur = append(cur, a)
	}
	cmds = append(cmds, cur)
	once := func(c []string) time.Duration {
		cmd := exec.Command(c[0], c[1:]...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "timer: %v: %v\n", c, err)
			os.Exit(1)
		}
		return time.Since(start)
	}
	times := make([][]time.Duration, len(cmds))
	for i := 0; i < n+5; i++ {
		for j, c := range cmds {
			d := once(c)
			if i >= 5 {
				times[j] = append(times[j], d)
			}
		}
	}
	for _, ts := range times {
		slices.Sort(ts)
		fmt.Printf("%.2f\n", float64(ts[len(ts)/2].Microseconds())/1000)
	}
}
EOF
(cd "$work/timer" && printf 'module timer\n\ngo 1.22\n' >go.mod && go build -o "$work/time" .)

# The bench's own config dir: a user's ANYKEY_CONFIG_DIR would outrank it,
# and the bench's keys would land in (and the list count in) theirs.
unset ANYKEY_CONFIG_DIR
export XDG_CONFIG_HOME="$work/config"
export ANYKEY_API_URL=http://127.0.0.1:9 # --no-verify: nothing is contacted
ak="$work/anykey"
name=bench-get
key="anytype_$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$key" | "$ak" add "$name" --no-verify 2>/dev/null
[ "$("$ak" get "$name")" = "$key" ] || { echo "bench: anykey get does not return the stored key" >&2; exit 1; }
[ "$(secret-tool lookup service "$service" username "$name")" = "$key" ] || { echo "bench: secret-tool does not see the key" >&2; exit 1; }

[ "$("$work/getfloor" "$service" "$name")" = "$key" ] || { echo "bench: getfloor does not read the key" >&2; exit 1; }
read -r get_ms st_ms bare_ms < <("$work/time" "$runs" "$ak" get "$name" -- secret-tool lookup service "$service" username "$name" -- "$work/getfloor" "$service" "$name" | paste -sd' ')

# 100 keys in a second config dir, all in the same keyring.
export XDG_CONFIG_HOME="$work/config100"
for i in $(seq -w 1 100); do
	printf 'key-%s-%s\n' "$i" "$RANDOM" | "$ak" add "bench-list-$i" --no-verify 2>/dev/null
done
[ "$("$ak" list | tail -n +2 | wc -l)" -eq 100 ] || { echo "bench: list does not show 100 keys" >&2; exit 1; }
[ "$("$work/ssfloor" -service "$service")" -ge 100 ] || { echo "bench: ssfloor does not see the 100 keys" >&2; exit 1; }
read -r list_ms floor_ms < <("$work/time" "$runs" "$ak" list -- "$work/ssfloor" -service "$service" | paste -sd' ')

ratio=$(awk -v a="$get_ms" -v b="$st_ms" 'BEGIN { printf "%.2f", a / b }')
get_floor=$(awk -v a="$get_ms" -v b="$bare_ms" 'BEGIN { printf "%.2f", a / b }')
list_floor=$(awk -v a="$list_ms" -v b="$floor_ms" 'BEGIN { printf "%.2f", a / b }')
size_mb=$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')
ok() { awk -v v="$1" -v b="$2" 'BEGIN { exit !(v <= b) }' && echo ok || echo OVER; }

printf '%-46s %12s %10s %6s\n' "what" "measured" "budget" ""
printf '%-46s %9s ms %10s\n' "anykey get NAME (median of $runs)" "$get_ms" ""
printf '%-46s %9s ms %10s\n' "secret-tool lookup (median of $runs)" "$st_ms" ""
printf '%-46s %9s ms %10s\n' "  floor: a bare go-keyring Get (getfloor)" "$bare_ms" ""
printf '%-46s %12s %10s %6s\n' "ratio get / bare go-keyring Get (standing)" "$get_floor" "<= 1.3" "$(ok "$get_floor" 1.3)"
printf '%-46s %12s %10s %6s\n' "ratio get / secret-tool" "$ratio" "<= 0.6" "$(ok "$ratio" 0.6)"
printf '%-46s %9s ms %10s %6s\n' "anykey list, 100 keys (median of $runs)" "$list_ms" "<= 15 ms" "$(ok "$list_ms" 15)"
printf '%-46s %9s ms %10s\n' "  floor: search + 100 reads only (ssfloor)" "$floor_ms" ""
printf '%-46s %12s %10s %6s\n' "ratio list / ssfloor (standing)" "$list_floor" "<= 1.3" "$(ok "$list_floor" 1.3)"
printf '%-46s %9s MiB %9s %6s\n' "stripped linux/amd64 binary" "$size_mb" "<= 10 MiB" "$(ok "$size_mb" 10)"
printf '%-46s %12s\n' "load average at start (1, 5, 15 min)" "$load"
printf '%-46s %12s\n' "Secret Service provider" "$provider"

# Leave the keyring as we found it when run in a real session.
for i in $(seq -w 1 100); do "$ak" rm "bench-list-$i" 2>/dev/null || true; done
XDG_CONFIG_HOME="$work/config" "$ak" rm "$name" 2>/dev/null || true

[ "$(ok "$get_floor" 1.3)" = ok ] && [ "$(ok "$list_floor" 1.3)" = ok ] &&
	[ "$(ok "$ratio" 0.6)" = ok ] && [ "$(ok "$list_ms" 15)" = ok ] && [ "$(ok "$size_mb" 10)" = ok ]
