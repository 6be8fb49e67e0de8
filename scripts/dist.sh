#!/usr/bin/env bash
# dist.sh - build every release artifact into dist/ (the `make dist` target).
#
# Produces, for VERSION=$(cat VERSION):
#   anykey_V_linux_amd64              static Linux binary (CGO_ENABLED=0)
#   anykey_V_linux_amd64.tar.gz       binary + desktop entry, metainfo, icons,
#                                     man page, licence in a share/ tree
#   anykey_V-1_amd64.deb              nfpm, packaging/nfpm.yaml
#   anykey-V-1.x86_64.rpm             nfpm, packaging/nfpm.yaml
#   anykey_V_windows_amd64.exe        GUI subsystem, icon/manifest/version
#   anykey_V_windows_arm64.exe        resources from rsrc_windows_*.syso
#   anykey.app/                       macOS bundle skeleton: Info.plist and
#                                     icon, no binary (the darwin build needs
#                                     cgo; see docs/install.md, "macOS")
#   SHA256SUMS                        of every file above (sha256sum -c works)
#
# Also regenerates rsrc_windows_{amd64,arm64}.syso beside main.go from
# packaging/windows/winres.json with the version from VERSION; they are
# committed so a plain `go build` on Windows has them. If they changed (a new
# VERSION or icon), commit them.
#
# The version is stamped with -X main.Version, the single source for
# `anykey version`, the User-Agent, package metadata, the Windows version
# resource and Info.plist.
#
# Usage: scripts/dist.sh            (environment: DIST=dir, default dist)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=${DIST:-dist}
VERSION=$(tr -d ' \n' <VERSION)
if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	echo "dist: VERSION must be MAJOR.MINOR.PATCH, got \"$VERSION\"" >&2
	exit 1
fi
export VERSION
# Reproducible archives: file times from the last commit when there is one.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

# The release build's flags, shared with scripts/size.sh and bench.sh.
# shellcheck source=release-flags.sh
. scripts/release-flags.sh
LDFLAGS="$RELEASE_LDFLAGS -X main.Version=$VERSION"
GCFLAGS=$RELEASE_GCFLAGS
TAGS=$RELEASE_TAGS
GOTOOL=(go tool -modfile=tools.mod)
P=anykey_${VERSION}

now() { date +%s%N; }
T0=$(now)
step() { # step NAME: print a banner with the time since the start
	echo "==> dist: $1 (+$(awk -v n=$(($(now) - T0)) 'BEGIN { printf "%.1f", n / 1e9 }')s)"
}

rm -rf "$DIST"
WORK=$DIST/.work
mkdir -p "$WORK"

step "windows resources (go-winres, version $VERSION.0)"
"${GOTOOL[@]}" go-winres make --in packaging/windows/winres.json --out rsrc \
	--arch amd64,arm64 --product-version "$VERSION.0" --file-version "$VERSION.0"

step "go build: linux/amd64, windows/amd64, windows/arm64 (in parallel)"
build() { # build GOOS GOARCH OUT [EXTRA LDFLAGS]
	CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -tags "$TAGS" -gcflags "$GCFLAGS" -ldflags "$LDFLAGS ${4:-}" -o "$3" .
}
pids=()
build linux amd64 "$DIST/${P}_linux_amd64" & pids+=($!)
# -H=windowsgui: no console window when the tray starts at login;
# cli/console_windows.go attaches to the parent console for CLI commands.
build windows amd64 "$DIST/${P}_windows_amd64.exe" -H=windowsgui & pids+=($!)
build windows arm64 "$DIST/${P}_windows_arm64.exe" -H=windowsgui & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done

step "man page"
gzip -9n -c packaging/man/anykey.1 >"$WORK/anykey.1.gz"

step "shell completions (from the linux binary)"
mkdir -p "$WORK/completions"
for sh in bash zsh fish; do
	"$DIST/${P}_linux_amd64" completion "$sh" >"$WORK/completions/anykey.$sh"
done

step "deb and rpm (nfpm)"
for fmt in deb rpm; do
	ANYKEY_BIN=$DIST/${P}_linux_amd64 ANYKEY_MAN=$WORK/anykey.1.gz ANYKEY_COMPLETIONS=$WORK/completions \
		"${GOTOOL[@]}" nfpm package -f packaging/nfpm.yaml -p "$fmt" -t "$DIST/"
done

step "linux tarball"
# The same files as the packages, under a share/ tree that can be copied to
# /usr/local/share or ~/.local/share as it is (docs/install.md).
T=$WORK/${P}_linux_amd64
mkdir -p "$T/share/applications" "$T/share/metainfo" "$T/share/man/man1" \
	"$T/share/icons/hicolor/scalable/apps" "$T/share/bash-completion/completions" \
	"$T/share/zsh/site-functions" "$T/share/fish/vendor_completions.d"
cp "$DIST/${P}_linux_amd64" "$T/anykey"
cp LICENSE "$T/LICENSE"
cp packaging/linux/anykey.desktop "$T/share/applications/"
cp packaging/linux/*.metainfo.xml "$T/share/metainfo/"
cp "$WORK/anykey.1.gz" "$T/share/man/man1/"
cp "$WORK/completions/anykey.bash" "$T/share/bash-completion/completions/anykey"
cp "$WORK/completions/anykey.zsh" "$T/share/zsh/site-functions/_anykey"
cp "$WORK/completions/anykey.fish" "$T/share/fish/vendor_completions.d/anykey.fish"
cp -r icons/hicolor/. "$T/share/icons/hicolor/"
cp icons/src/anykey.svg "$T/share/icons/hicolor/scalable/apps/anykey.svg"
tar -C "$WORK" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 \
	--numeric-owner -cf - "${P}_linux_amd64" | gzip -9n >"$DIST/${P}_linux_amd64.tar.gz"

step "macOS bundle skeleton"
go run ./packaging/macos/mkbundle -version "$VERSION" -icns icons/anykey.icns \
	-o "$DIST/anykey.app"

rm -rf "$WORK"
step "SHA256SUMS"
(cd "$DIST" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort |
	xargs -d '\n' sha256sum >SHA256SUMS)

step "done"
(cd "$DIST" && find . -type f ! -path './anykey.app/*' -printf '%s\t%P\n' | LC_ALL=C sort -k2 |
	awk -F'\t' '{ printf "%10.1f KiB  %s\n", $1 / 1024, $2 }')
echo "           anykey.app/ (skeleton: $(find "$DIST/anykey.app" -type f | wc -l) files)"
if ! git -C "$ROOT" diff --quiet -- 'rsrc_windows_*.syso' 2>/dev/null; then
	echo "dist: note: rsrc_windows_*.syso changed; commit them with the new VERSION or icon" >&2
fi
