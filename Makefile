# anykey build entry points. The version lives in VERSION only; everything
# below stamps it with -X main.Version. Details: docs/install.md.
#
#   make build        ./anykey for this machine
#   make dist         every release artifact in dist/ + SHA256SUMS (scripts/dist.sh)
#   make check-dist   make dist, then check it (scripts/check-dist.sh; installs
#                     and removes the .deb, so it wants root)
#   make winres       regenerate rsrc_windows_*.syso (commit them)
#   make macos-app    on a Mac: the real anykey.app (universal binary, unsigned)
#   make clean

VERSION := $(shell cat VERSION)
LDFLAGS := -s -w -X main.Version=$(VERSION)
# No inlining in the packages from github.com (anykey's and its libraries'):
# 0.2 MB smaller, and get/list wait on D-Bus, not on calls
# (docs/performance.md, binary size). The standard library keeps inlining.
GCFLAGS := github.com/...=-l
# No HTTP/2 in net/http: loopback HTTP/1.1 only (docs/performance.md).
TAGS    := nethttpomithttp2
GOTOOL  := go tool -modfile=tools.mod

.PHONY: build dist check-dist winres macos-app clean

build:
	go build -trimpath -tags "$(TAGS)" -gcflags "$(GCFLAGS)" -ldflags "$(LDFLAGS)" -o anykey .

dist:
	scripts/dist.sh

check-dist:
	scripts/check-dist.sh

winres:
	$(GOTOOL) go-winres make --in packaging/windows/winres.json --out rsrc \
		--arch amd64,arm64 --product-version $(VERSION).0 --file-version $(VERSION).0

# fyne.io/systray needs cgo on macOS, so this runs on a Mac with the Xcode
# command line tools; signing and notarization: docs/install.md.
macos-app:
	@test "$$(uname)" = Darwin || { echo "make macos-app runs on macOS (cgo)" >&2; exit 1; }
	mkdir -p dist/.build
	CGO_ENABLED=1 GOOS=darwin GOARCH=arm64 go build -trimpath -tags "$(TAGS)" -gcflags "$(GCFLAGS)" -ldflags "$(LDFLAGS)" -o dist/.build/anykey-arm64 .
	CGO_ENABLED=1 GOOS=darwin GOARCH=amd64 go build -trimpath -tags "$(TAGS)" -gcflags "$(GCFLAGS)" -ldflags "$(LDFLAGS)" -o dist/.build/anykey-amd64 .
	lipo -create -output dist/.build/anykey dist/.build/anykey-arm64 dist/.build/anykey-amd64
	go run ./packaging/macos/mkbundle -version $(VERSION) -icns icons/anykey.icns \
		-bin dist/.build/anykey -o dist/anykey.app

clean:
	rm -rf dist anykey anykey.exe
