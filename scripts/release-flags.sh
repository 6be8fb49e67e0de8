# release-flags.sh - the go build flags of a release binary, sourced by
# scripts/dist.sh, scripts/size.sh and scripts/bench.sh so that what is
# measured is what ships. (The Makefile repeats them for `make build`.)
#
# -s -w: no symbol table and no DWARF.
RELEASE_LDFLAGS="-s -w"
# No inlining in the packages from github.com (anykey's and its libraries'):
# 0.2 MiB smaller, and get/list wait on D-Bus, not on calls. The standard
# library keeps its inlining (docs/performance.md, binary size).
RELEASE_GCFLAGS="github.com/...=-l"
# No HTTP/2 in net/http: anykey speaks plain HTTP/1.1 to loopback only, and
# the MCP SDK's http.Client would link the bundled HTTP/2 client (0.37 MiB).
RELEASE_TAGS=nethttpomithttp2
