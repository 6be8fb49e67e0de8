// Package packaging holds anykey's OS integration: the files packagers
// install (desktop entry, LaunchAgent template, Windows resources) and the
// start-at-login code that writes the same files for the current user.
package packaging

// SKELETON: the exported API below is the contract other packages code
// against. Implementations replace the bodies; signatures stay.

// AutostartEnabled reports whether anykey starts at login for this user
// (Linux: XDG autostart file; macOS: LaunchAgent; Windows: HKCU Run value,
// honouring StartupApproved).
func AutostartEnabled() (bool, error) { panic("skeleton") }

// EnableAutostart makes the running binary (os.Executable) start with "tray"
// at login.
func EnableAutostart() error { panic("skeleton") }

// DisableAutostart undoes [EnableAutostart]; it is not an error if it was off.
func DisableAutostart() error { panic("skeleton") }

// AutostartPath tells where the autostart entry lives (for messages).
func AutostartPath() (string, error) { panic("skeleton") }
