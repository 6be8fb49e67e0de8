#!/usr/bin/env bash
# real-clients.sh - run the real MCP clients against anykey's keyless entry
# (issue 18 §6): Claude Code, Gemini CLI and Codex, installed from the npm
# registry at pinned versions with the machine's Node.js and npm, cached,
# then internal/realclients's tests (build tag realclients) inside a private
# desktop session (the entry reads its key from the Secret Service).
#
# Each client starts `anykey mcp serve NAME` for real against the fake
# Anytype, with its MCP endpoint and without it (then the entry runs the
# real anytype-mcp of ../shared/peers through a stand-in npx); the tests
# print a client × Anytype generation table at the end.
#
# Cache: $ANYKEY_CI_CACHE (default ~/.cache/anykey-ci): clients/ holds one
# npm prefix per pinned package, bin/ the anykey binary the entries name
# (outside the temp dir: anykey refuses to name a binary that will vanish).
# A second run installs nothing.
#
# Time (2 cores): first run ~100 s of npm installs plus ~2 min of tests;
# cached, ~2 min.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${ANYKEY_CI_CACHE:-$HOME/.cache/anykey-ci}

# PACKAGE@VERSION:BINARY, the versions issue 18 measured.
CLIENTS=(
	"@anthropic-ai/claude-code@2.1.197:claude"
	"@google/gemini-cli@0.61.0:gemini"
	"@openai/codex@0.171.0:codex"
)

die() { echo "real-clients: $*" >&2; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null ||
	die "Node.js and npm are needed (the clients and anytype-mcp run on them); install Node.js 20 or later"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || die "Node.js $(node --version) is too old: Gemini CLI and the bundled anytype-mcp need 20 or later"
[ -f "$ROOT/../shared/peers/anytype-mcp/bundle.js" ] ||
	die "no ../shared/peers/anytype-mcp/bundle.js beside the repository (the real anytype-mcp)"

mkdir -p "$CACHE/clients" "$CACHE/bin-clients"
for c in "${CLIENTS[@]}"; do
	spec=${c%%:*} bin=${c##*:}
	pkg=${spec%@*} version=${spec##*@}
	prefix="$CACHE/clients/$(echo "$spec" | tr '/@' '__')"
	have=$(node -p "try { require('$prefix/node_modules/$pkg/package.json').version } catch { '' }" 2>/dev/null || true)
	if [ "$have" != "$version" ]; then
		echo "real-clients: installing $spec"
		tmp=$(mktemp -d "$CACHE/clients/.install.XXXXXX")
		npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "$spec" ||
			{ rm -rf "$tmp"; die "npm install $spec failed"; }
		rm -rf "$prefix"
		mv "$tmp" "$prefix"
	fi
	ln -sfn "$prefix/node_modules/.bin/$bin" "$CACHE/bin-clients/$bin"
	echo "real-clients: $bin $("$CACHE/bin-clients/$bin" --version 2>/dev/null | head -n 1)"
done

DS_KEEP=${DS_KEEP:-onfail} REALCLIENTS_BIN="$CACHE/bin-clients" REALCLIENTS_CACHE="$CACHE" \
	DISABLE_AUTOUPDATER=1 "$ROOT/scripts/desktop-session.sh" \
	go test -count=1 -tags realclients -v ./internal/realclients/
