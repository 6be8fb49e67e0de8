// Package icons holds anykey's images as embedded bytes: one tray icon per
// state (PNG for Linux, a black-and-alpha template PNG for the macOS menu
// bar, ICO for Windows) and the application icon used in notifications.
//
// Everything here is generated from the geometry in internal/gen by
// `go generate ./icons/` and committed, so building needs no tools and
// nothing is drawn at run time. The same run writes the hicolor PNG set,
// src/anykey.svg, anykey.ico and anykey.icns that packaging installs.
package icons

//go:generate go run ./internal/gen

import _ "embed"

// Tray icons for Linux (StatusNotifierItem hosts accept PNG), 64×64.
var (
	//go:embed idle.png
	Idle []byte
	//go:embed pairing.png
	Pairing []byte
	//go:embed unreachable.png
	Unreachable []byte
)

// Template variants for the macOS menu bar: black plus alpha only, so the
// system tints them for light and dark menu bars (systray.SetTemplateIcon).
var (
	//go:embed idle-template.png
	IdleTemplate []byte
	//go:embed pairing-template.png
	PairingTemplate []byte
	//go:embed unreachable-template.png
	UnreachableTemplate []byte
)

// Windows tray icons: ICO files with 16, 32 and 48 px images, because the
// Windows tray takes ICO bytes rather than PNG.
var (
	//go:embed idle.ico
	IdleICO []byte
	//go:embed pairing.ico
	PairingICO []byte
	//go:embed unreachable.ico
	UnreachableICO []byte
)

// App is the 128×128 PNG application icon, for notifications and dialogs.
//
//go:embed app.png
var App []byte
