#!/usr/bin/env bash
# bench-clip.sh measures the idle cost of the clipboard server (issue 20):
# the process that owns the clipboard after `anykey copy` must not poll,
# like the tray (0 wake-ups per 30 s is the tray's budget).
#
#   scripts/desktop-session.sh scripts/bench-clip.sh                  # X11
#   DS_DISPLAY=wayland scripts/desktop-session.sh scripts/bench-clip.sh
#
# It builds anykey, starts `anykey __serve-clipboard 0s` (the server that
# clip.Copy starts; the text on stdin, no clear) and, once it owns the
# clipboard, counts over IDLE_SECS (default 30) its CPU time summed over
# all threads (/proc/PID/task/*/schedstat) and its wake-ups, the voluntary
# context switches summed over all threads (/proc/PID/task/*/status). One
# paste is then read back to show the server still answers. Exit 1 when
# the server woke up more than MAX_WAKEUPS (default 0) times.
set -euo pipefail
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	echo "bench-clip: run inside a desktop session: scripts/desktop-session.sh scripts/bench-clip.sh" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
idle=${IDLE_SECS:-30}
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/anykey" .
printf 'bench-clip-text' | "$work/anykey" __serve-clipboard 0s >"$work/status" &
pid=$!
for _ in $(seq 100); do [ -s "$work/status" ] && break; sleep 0.05; done
[ "$(cat "$work/status")" = ok ] || { echo "bench-clip: the server said: $(cat "$work/status")" >&2; exit 1; }
# Start-up is over after SETTLE_SECS (default 6): the Wayland start-up
# round trip has a 5 s deadline timer, stopped when the compositor
# answers; Go's runtime still wakes once when a stopped timer would have
# fired, 5 s after the start, and never again.
sleep "${SETTLE_SECS:-6}"
totals() {
	local t run v cpu=0 wake=0 n=0
	for t in /proc/"$pid"/task/*; do
		read -r run _ <"$t/schedstat" || continue
		v=$(awk '/^voluntary_ctxt_switches:/ { print $2 }' "$t/status")
		cpu=$((cpu + run)) wake=$((wake + v)) n=$((n + 1))
	done
	echo "$cpu $wake $n"
}
read -r c0 w0 n0 < <(totals)
sleep "$idle"
read -r c1 w1 n1 < <(totals)
wake=$((w1 - w0))
cpu_us=$(((c1 - c0) / 1000))
session=x11
[ -n "${WAYLAND_DISPLAY:-}" ] && session=wayland
echo "clipboard server idle ($session, ${idle}s, threads $n0->$n1): wake-ups $wake, CPU ${cpu_us} us"
if [ "$session" = wayland ]; then got=$(wl-paste --no-newline); else got=$(xclip -o -selection clipboard); fi
[ "$got" = bench-clip-text ] || { echo "bench-clip: the server no longer answers" >&2; exit 1; }
[ "$wake" -le "${MAX_WAKEUPS:-0}" ] || exit 1
