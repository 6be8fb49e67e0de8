#!/usr/bin/env bash
# bench-mcp.sh measures the budgets of `anykey mcp serve` (issue 18) against
# the fake Anytype with its MCP endpoint, beside their floors in one run
# (internal/mcpbench says what each figure is):
#
#   DS_NOTIFY=none DS_TRAY=none scripts/desktop-session.sh scripts/bench-mcp.sh [RUNS]
#
# - start to the answer to initialize: mcp serve <= 50 ms plus Anytype's own
#   time, and >= 10x faster than anytype-mcp started through npx
# - peak RSS of mcp serve <= 25 MB (anytype-mcp's beside it)
# - <= 1 ms added per message over a direct HTTP POST on loopback
# - the stripped release binary <= 10 MiB
#
# Needs node and npx (the machine's Node.js) and the real anytype-mcp in
# ../shared/peers/anytype-mcp (or PEERS=DIR). Exits 1 when a figure is over
# its budget.
set -euo pipefail

runs=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${DESKTOP_SESSION_DIR:-}" ]; then
	echo "bench-mcp: run inside a private desktop session: scripts/desktop-session.sh scripts/bench-mcp.sh" >&2
	exit 2
fi
peers=${PEERS:-}
if [ -z "$peers" ]; then
	d=$root
	while [ "$d" != / ]; do
		if [ -f "$d/shared/peers/anytype-mcp/bundle.js" ]; then peers=$d/shared/peers; break; fi
		d=$(dirname "$d")
	done
fi
[ -n "$peers" ] && [ -f "$peers/anytype-mcp/bundle.js" ] || { echo "bench-mcp: no shared/peers/anytype-mcp/bundle.js beside the repository (set PEERS)" >&2; exit 2; }
command -v npx >/dev/null || { echo "bench-mcp: npx is missing (Node.js)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The binary as released (scripts/dist.sh, scripts/release-flags.sh), plus
# anykey_e2e: its keys live under the tests' own keychain service
# (keystore.TestService). scripts/size.sh measures the shipped binaries.
# shellcheck source=release-flags.sh
. scripts/release-flags.sh
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -tags "$RELEASE_TAGS,anykey_e2e" -gcflags "$RELEASE_GCFLAGS" -ldflags "$RELEASE_LDFLAGS" -o "$work/anykey" .
go build -o "$work/mcpbench" ./internal/mcpbench
size_mb=$(awk -v s="$(stat -c %s "$work/anykey")" 'BEGIN { printf "%.2f", s / 1048576 }')

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$work/mcpbench" -anykey "$work/anykey" -bundle "$peers/anytype-mcp/bundle.js" -runs "$runs" || status=1
over=$(awk -v v="$size_mb" 'BEGIN { print (v <= 10) ? "ok" : "OVER" }')
printf '%-52s %9s MiB  %-28s %s\n' "stripped linux/amd64 binary" "$size_mb" "<= 10 MiB" "$over"
[ "$over" = ok ] || status=1
exit $status
