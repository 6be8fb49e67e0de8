#!/usr/bin/env bash
# bench-tray.sh measures the tray's performance budgets (issue 3) against a
# local fake Anytype server, on a real desktop session:
#
#   scripts/desktop-session.sh scripts/bench-tray.sh
#
# - idle RSS of the tray process (budget <= 20 MB)
# - idle CPU over 10 s, utime+stime from /proc/PID/stat, with the status
#   check running (budget <= 1 tick per 10 s)
# - click on "New API key…" -> name dialog on screen, and name accepted ->
#   code dialog on screen (budget <= 1 s each), median of 5
set -euo pipefail

if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	echo "bench-tray: run inside a desktop session: scripts/desktop-session.sh scripts/bench-tray.sh" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -trimpath -ldflags=-s -o "$work/anykey" .
go build -o "$work/fakeanytype" ./internal/fakeanytype/cmd/fakeanytype

"$work/fakeanytype" >"$work/fake.out" 2>"$work/fake.err" &
pids+=($!)
url=
for _ in $(seq 100); do
	url=$(sed -n 's/^listening \(http[^ ]*\).*/\1/p' "$work/fake.err")
	[ -n "$url" ] && break
	sleep 0.05
done
[ -n "$url" ] || { echo "bench-tray: fake server did not start" >&2; exit 1; }

export XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run" ANYKEY_API_URL="$url"
mkdir -p "$XDG_RUNTIME_DIR"
"$work/anykey" tray 2>"$work/tray.err" &
tray=$!
pids+=("$tray")
name="org.kde.StatusNotifierItem-$tray-1"
for _ in $(seq 100); do
	gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
		-m org.freedesktop.DBus.NameHasOwner "$name" 2>/dev/null | grep -q true && break
	sleep 0.05
done

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

# Let it settle: first probe, first menu, one status tick.
sleep 12

rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$tray/status")
ticks() { awk '{print $14 + $15}' "/proc/$tray/stat"; }
t0=$(ticks)
sleep 10
t1=$(ticks)
idle_ticks=$((t1 - t0))

# Dialog latency. xdotool search --sync returns when the window is mapped.
name_ms=()
code_ms=()
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
	for _ in $(seq 100); do
		[ -n "$(item_id 'New API key…')" ] && break
		sleep 0.05
	done
done
name_med=$(printf '%s\n' "${name_ms[@]}" | median)
code_med=$(printf '%s\n' "${code_ms[@]}" | median)

printf 'idle RSS:               %d.%d MB (budget <= 20 MB)\n' $((rss_kb / 1024)) $((rss_kb % 1024 * 10 / 1024))
printf 'idle CPU over 10 s:     %d ticks of 1/%s s (budget <= 1)\n' "$idle_ticks" "$(getconf CLK_TCK)"
printf 'click -> name dialog:   %d ms median (%s) (budget <= 1000)\n' "$name_med" "${name_ms[*]}"
printf 'name -> code dialog:    %d ms median (%s) (budget <= 1000)\n' "$code_med" "${code_ms[*]}"

fail=0
[ "$rss_kb" -le $((20 * 1024)) ] || { echo "bench-tray: RSS over budget" >&2; fail=1; }
[ "$idle_ticks" -le 1 ] || { echo "bench-tray: idle CPU over budget" >&2; fail=1; }
[ "$name_med" -le 1000 ] || { echo "bench-tray: name dialog over budget" >&2; fail=1; }
[ "$code_med" -le 1000 ] || { echo "bench-tray: code dialog over budget" >&2; fail=1; }
exit $fail
