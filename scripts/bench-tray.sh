#!/usr/bin/env bash
# bench-tray.sh measures the tray's performance budgets (issues 3 and 13)
# against a local fake Anytype server, on a real desktop session:
#
#   scripts/desktop-session.sh scripts/bench-tray.sh
#
# - idle cost over IDLE_SECS (default 30) with Anytype answering and nothing
#   changing, side by side with a bare anchor (a minimal fyne.io/systray
#   program with one item, built here) measured over the same window:
#   CPU time summed over all threads (/proc/PID/task/*/schedstat, ns on
#   CPU; budget <= 15 ms) and wake-ups, the voluntary context switches
#   summed over all threads (/proc/PID/task/*/status; budget <= 30)
# - idle RSS of the tray process (budget <= 20 MB)
# - a key added / removed by the CLI -> shown / gone in the menu
#   (budget <= 2 s each)
# - Anytype stopping / starting again -> the menu's status line says so
#   (budget <= 10 s each)
# - click on "New API key…" -> name dialog on screen, and name accepted ->
#   code dialog on screen (budget <= 1 s each), median of 5
#
# It prints one line per figure and exits 1 when one is over its budget.
# Knobs: IDLE_SECS (window length), BENCH_TRAY_GODEBUG (GODEBUG for the
# tray only, to try runtime settings), BENCH_TRAY_SKIP_DIALOGS=1.
set -euo pipefail

if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	echo "bench-tray: run inside a desktop session: scripts/desktop-session.sh scripts/bench-tray.sh" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
idle_secs=${IDLE_SECS:-30}
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# anykey_e2e: its keys live under the tests' own keychain service.
go build -trimpath -tags anykey_e2e -ldflags=-s -o "$work/anykey" .
go build -o "$work/fakeanytype" ./internal/fakeanytype/cmd/fakeanytype
# The anchor: what a tray item costs when it does nothing but wait for a
# click. Built from a file outside the tree, with this module's
# fyne.io/systray version, the same flags as anykey.
mkdir "$work/anchor"
cat >"$work/anchor/main.go" <<'EOF'
package main

import "fyne.io/systray"

func main() {
	systray.Run(func() {
		systray.SetTitle("anchor")
		systray.SetTooltip("anchor")
		quit := systray.AddMenuItem("Quit", "")
		go func() {
			<-quit.ClickedCh
			systray.Quit()
		}()
	}, nil)
}
EOF
go build -trimpath -ldflags=-s -o "$work/anchor/anchor" "$work/anchor/main.go"

fake_out=0
start_fake() { # start_fake [ADDR]: starts the fake server, sets fake and url
	fake_out=$((fake_out + 1))
	"$work/fakeanytype" -addr "${1:-127.0.0.1:0}" >"$work/fake$fake_out.out" 2>"$work/fake$fake_out.err" &
	fake=$!
	pids+=("$fake")
	url=
	for _ in $(seq 100); do
		# The background process may not have opened its stderr yet.
		url=$(sed -n 's/^listening \(http[^ ]*\).*/\1/p' "$work/fake$fake_out.err" 2>/dev/null || true)
		[ -n "$url" ] && return 0
		sleep 0.05
	done
	echo "bench-tray: fake server did not start" >&2
	exit 1
}
start_fake

# wait_item PID: waits until the process owns its StatusNotifierItem name.
wait_item() {
	for _ in $(seq 100); do
		gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
			-m org.freedesktop.DBus.NameHasOwner "org.kde.StatusNotifierItem-$1-1" 2>/dev/null | grep -q true && return 0
		sleep 0.05
	done
	echo "bench-tray: process $1 never showed a tray item" >&2
	exit 1
}

unset ANYKEY_CONFIG_DIR # it would outrank the bench's own config dir
export XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run" ANYKEY_API_URL="$url"
mkdir -p "$XDG_RUNTIME_DIR"
GODEBUG="${BENCH_TRAY_GODEBUG:-${GODEBUG:-}}" "$work/anykey" tray 2>"$work/tray.err" &
tray=$!
pids+=("$tray")
"$work/anchor/anchor" 2>"$work/anchor.err" &
anchor=$!
pids+=("$anchor")
wait_item "$tray"
wait_item "$anchor"
name="org.kde.StatusNotifierItem-$tray-1"

menu() { gdbus call --session -d "$name" -o /StatusNotifierItem/menu -m com.canonical.dbusmenu.GetLayout -- 0 -1 '[]'; }
# item_id LABEL prints the dbusmenu id of the item labelled LABEL.
item_id() {
	menu | sed 's/<(/\n/g' | grep -F "'label': <'$1'>" | head -n1 | sed 's/^\([0-9]*\),.*/\1/'
}
click() {
	gdbus call --session -d "$name" -o /StatusNotifierItem/menu \
		-m com.canonical.dbusmenu.Event -- "$1" clicked '<int32 0>' 0 >/dev/null
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# until_ms LIMIT_MS CMD...: runs CMD every 20 ms until it succeeds; prints
# the milliseconds it took, or LIMIT_MS+1 when it never did.
until_ms() {
	local limit=$1 start
	shift
	start=$(now_ms)
	while ! "$@"; do
		if [ $(($(now_ms) - start)) -gt "$limit" ]; then
			echo $((limit + 1))
			return
		fi
		sleep 0.02
	done
	echo $(($(now_ms) - start))
}
shows() { [ -n "$(item_id "$1")" ]; }
gone() { [ -z "$(item_id "$1")" ]; }

# snapshot PID prints "TID CPU_NS VOLUNTARY NONVOLUNTARY", one line per
# thread, sorted by TID.
snapshot() {
	local t run v nv k val
	for t in /proc/"$1"/task/*; do
		read -r run _ <"$t/schedstat" 2>/dev/null || continue
		v=0 nv=0
		while read -r k val; do
			case $k in
			voluntary_ctxt_switches:) v=$val ;;
			nonvoluntary_ctxt_switches:) nv=$val ;;
			esac
		done <"$t/status"
		echo "${t##*/} $run $v $nv"
	done | sort -k1,1
}
# delta BEFORE AFTER prints "CPU_US VOLUNTARY NONVOLUNTARY THREADS0 THREADS1
# BY_THREAD": the growth summed over all threads (a thread started inside
# the window counts from zero; one that exited would take its counts with
# it, which the thread counts show), and the voluntary switches of each
# thread that had any, largest first (the Go runtime's sysmon is usually
# the largest).
delta() {
	join -a 2 -e 0 -o 0,1.2,1.3,1.4,2.2,2.3,2.4 "$1" "$2" | awk -v n0="$(wc -l <"$1")" '
		{ cpu += $5 - $2; v += $6 - $3; nv += $7 - $4; n1++; if ($6 > $3) by[++k] = $6 - $3 }
		END {
			s = ""
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (by[j] > by[i]) { x = by[i]; by[i] = by[j]; by[j] = x }
			for (i = 1; i <= k; i++) s = s (i > 1 ? "," : "") by[i]
			printf "%d %d %d %d %d %s\n", cpu / 1000, v, nv, n0, n1, (s == "" ? "-" : s)
		}'
}

# Let it settle: first probe, first menu, one status check.
sleep 12

snapshot "$tray" >"$work/tray0"
snapshot "$anchor" >"$work/anchor0"
sleep "$idle_secs"
snapshot "$tray" >"$work/tray1"
snapshot "$anchor" >"$work/anchor1"
read -r t_cpu_us t_wake t_nvol t_thr0 t_thr1 t_by < <(delta "$work/tray0" "$work/tray1")
read -r a_cpu_us a_wake a_nvol a_thr0 a_thr1 a_by < <(delta "$work/anchor0" "$work/anchor1")
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$tray/status")
anchor_rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$anchor/status")

# Changes made elsewhere must still show promptly.
key=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
printf '%s\n' "$key" | "$work/anykey" add bench-cli --no-verify 2>/dev/null
add_ms=$(until_ms 5000 shows bench-cli)
"$work/anykey" rm bench-cli >/dev/null 2>&1
rm_ms=$(until_ms 5000 gone bench-cli)
addr=${url#http://}
kill "$fake"
wait "$fake" 2>/dev/null || true
down_ms=$(until_ms 20000 shows 'Anytype: not running')
start_fake "$addr"
up_ms=$(until_ms 20000 shows 'Anytype: connected (API 2025-11-08)')

name_med=0
code_med=0
name_ms=()
code_ms=()
if [ "${BENCH_TRAY_SKIP_DIALOGS:-0}" != 1 ]; then
	# Dialog latency. xdotool search --sync returns when the window is mapped.
	for i in 1 2 3 4 5; do
		id=$(item_id 'New API key…')
		start=$(now_ms)
		click "$id"
		wid=$(timeout 10 xdotool search --sync --onlyvisible --name 'new API key$' | head -n1)
		name_ms+=($(($(now_ms) - start)))
		xdotool windowfocus --sync "$wid"
		xdotool key ctrl+a
		xdotool type --delay 5 "bench-$i"
		start=$(now_ms)
		xdotool key Return
		cwid=$(timeout 10 xdotool search --sync --onlyvisible --name "pairing \"bench-$i\"\$" | head -n1)
		code_ms+=($(($(now_ms) - start)))
		xdotool windowfocus --sync "$cwid"
		xdotool key Escape
		# Wait until the menu offers New API key… again (pairing ended).
		until_ms 5000 shows 'New API key…' >/dev/null
	done
	name_med=$(printf '%s\n' "${name_ms[@]}" | median)
	code_med=$(printf '%s\n' "${code_ms[@]}" | median)
fi

ms() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
printf 'idle %d s, tray:           CPU %s ms, %d wake-ups (by thread %s; %d involuntary), %d->%d threads (budget <= 15 ms, <= 30)\n' \
	"$idle_secs" "$(ms "$t_cpu_us")" "$t_wake" "$t_by" "$t_nvol" "$t_thr0" "$t_thr1"
printf 'idle %d s, bare anchor:    CPU %s ms, %d wake-ups (by thread %s; %d involuntary), %d->%d threads\n' \
	"$idle_secs" "$(ms "$a_cpu_us")" "$a_wake" "$a_by" "$a_nvol" "$a_thr0" "$a_thr1"
printf 'idle RSS:                  %d.%d MB, anchor %d.%d MB (budget <= 20 MB)\n' \
	$((rss_kb / 1024)) $((rss_kb % 1024 * 10 / 1024)) $((anchor_rss_kb / 1024)) $((anchor_rss_kb % 1024 * 10 / 1024))
printf 'CLI add -> in the menu:    %d ms (budget <= 2000)\n' "$add_ms"
printf 'CLI rm -> off the menu:    %d ms (budget <= 2000)\n' "$rm_ms"
printf 'Anytype stops -> status:   %d ms (budget <= 10000)\n' "$down_ms"
printf 'Anytype starts -> status:  %d ms (budget <= 10000)\n' "$up_ms"
if [ "${BENCH_TRAY_SKIP_DIALOGS:-0}" != 1 ]; then
	printf 'click -> name dialog:      %d ms median (%s) (budget <= 1000)\n' "$name_med" "${name_ms[*]}"
	printf 'name -> code dialog:       %d ms median (%s) (budget <= 1000)\n' "$code_med" "${code_ms[*]}"
fi

fail=0
over() { echo "bench-tray: $1 over budget" >&2; fail=1; }
# Budgets are per 30 s; a longer or shorter window scales them.
[ "$t_cpu_us" -le $((15000 * idle_secs / 30)) ] || over "idle CPU"
[ "$t_wake" -le $((30 * idle_secs / 30)) ] || over "idle wake-ups"
[ "$rss_kb" -le $((20 * 1024)) ] || over "RSS"
[ "$add_ms" -le 2000 ] || over "CLI add"
[ "$rm_ms" -le 2000 ] || over "CLI rm"
[ "$down_ms" -le 10000 ] || over "status (stopped)"
[ "$up_ms" -le 10000 ] || over "status (started)"
[ "$name_med" -le 1000 ] || over "name dialog"
[ "$code_med" -le 1000 ] || over "code dialog"
exit $fail
