#!/usr/bin/env bash
# check-static.sh - the static checks CI runs before the tests:
#   gofmt     gofmt -l finds nothing
#   vet       go vet ./...
#   staticcheck  go tool -modfile=tools.mod staticcheck ./... (pinned in tools.mod)
#   windows   GOOS=windows go build ./... and go vet ./... (the Windows code,
#             tests included, must keep compiling: scripts/wine-test.sh runs
#             the tests under Wine), and no portable code compares with
#             syscall.ECONNREFUSED and its kin (invented numbers on Windows)
#   names     every tracked path is one Windows can check out: no reserved
#             device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any
#             extension) as a path element, none of <>:"\|?* or control
#             characters, no element ending in a dot or space, and no two
#             paths that differ only in case
#   tempfork  each fork in tempfork/ is its released module plus the patch
#             beside it, nothing else (scripts/tempfork.sh check)
#   darwin    GOOS=darwin CGO_ENABLED=0 go vet on every package that needs no
#             cgo there (fyne.io/systray needs cgo on macOS, so the tray and
#             whatever imports it can only be checked on a mac)
#
# Usage:  scripts/check-static.sh [CHECK...]   (default: all, in the order above)
# Exit:   0 when every selected check passes; 1 otherwise (all checks still run,
#         so one CI run shows every finding).
set -uo pipefail

cd "$(dirname "$0")/.."

check_gofmt() {
	local bad
	bad=$(gofmt -l . 2>&1) || { echo "$bad" >&2; return 1; }
	if [ -n "$bad" ]; then
		echo "gofmt: these files need formatting (gofmt -w FILE):" >&2
		echo "$bad" >&2
		return 1
	fi
}

check_vet() { go vet ./...; }

check_staticcheck() { go tool -modfile=tools.mod staticcheck ./...; }

check_windows() {
	GOOS=windows GOARCH=amd64 go build -o /dev/null ./... &&
		GOOS=windows GOARCH=amd64 go vet ./... || return 1
	# Go's syscall.ECONNREFUSED & co. are invented numbers on Windows that
	# no socket call returns (Winsock says WSAECONNREFUSED): compare
	# network errors with auth.IsRefused, which knows both.
	local bad
	bad=$(git grep -n -E 'syscall\.E(CONNREFUSED|CONNRESET|CONNABORTED|PIPE)\b' -- '*.go' ':!auth/errno*.go' ':!*_test.go' ':!*_unix.go' ':!*_linux.go' ':!*_darwin.go' || true)
	if [ -n "$bad" ]; then
		echo "windows: compare network errors with auth.IsRefused (Windows answers WSAE… codes):" >&2
		echo "$bad" >&2
		return 1
	fi
}

check_names() {
	git ls-files -z | awk 'BEGIN { RS = "\0"; bad = 0 }
		{
			n = split($0, part, "/")
			for (i = 1; i <= n; i++) {
				e = part[i]; base = tolower(e); sub(/\..*$/, "", base)
				if (base ~ /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|com¹|com²|com³|lpt¹|lpt²|lpt³)$/) {
					print "names: " $0 ": \"" e "\" is a name Windows reserves"; bad = 1
				}
				if (e ~ /[<>:"\\|?*]/ || e ~ /[\001-\037]/) {
					print "names: " $0 ": \"" e "\" holds a character Windows forbids in file names"; bad = 1
				}
				if (e ~ /[. ]$/) {
					print "names: " $0 ": \"" e "\" ends in a dot or space, which Windows drops"; bad = 1
				}
			}
			l = tolower($0)
			if (l in seen) { print "names: " $0 " and " seen[l] " differ only in case"; bad = 1 }
			seen[l] = $0
		}
		END { exit bad }' >&2
}

check_darwin() {
	# A package needs cgo on darwin when it, or anything it imports outside
	# the standard library, has cgo files there (the stdlib has pure-Go
	# fallbacks for net and os/user).
	local cgo_pkgs pkgs
	cgo_pkgs=$(GOOS=darwin CGO_ENABLED=1 go list -deps \
		-f '{{if and (not .Standard) .CgoFiles}}{{.ImportPath}}{{end}}' ./... | sort -u)
	pkgs=$(GOOS=darwin CGO_ENABLED=1 go list \
		-f '{{.ImportPath}} {{join .Deps " "}}' ./... |
		awk -v cgo="$cgo_pkgs" '
			BEGIN { n = split(cgo, c, "\n"); for (i = 1; i <= n; i++) if (c[i] != "") need[c[i]] = 1 }
			{ for (i = 1; i <= NF; i++) if ($i in need) next; print $1 }')
	local skipped
	skipped=$(GOOS=darwin CGO_ENABLED=1 go list ./... | grep -vxF -f <(printf '%s\n' $pkgs) || true)
	if [ -n "$skipped" ]; then
		echo "darwin: not vetted here (need cgo on macOS):" $skipped >&2
	fi
	[ -z "$pkgs" ] && return 0
	# shellcheck disable=SC2086 # one word per package
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet $pkgs
}

check_tempfork() { scripts/tempfork.sh check; }

ALL=(gofmt vet staticcheck windows names tempfork darwin)
CHECKS=("$@")
[ ${#CHECKS[@]} -eq 0 ] && CHECKS=("${ALL[@]}")

failed=()
for c in "${CHECKS[@]}"; do
	if ! declare -F "check_$c" >/dev/null; then
		echo "check-static: unknown check $c (have: ${ALL[*]})" >&2
		exit 2
	fi
	echo "==> $c"
	if "check_$c"; then
		echo "==> $c ok"
	else
		echo "==> $c FAILED" >&2
		failed+=("$c")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "check-static: failed: ${failed[*]}" >&2
	exit 1
fi
echo "check-static: all passed (${CHECKS[*]})"
