// Package wlwire is a minimal client of the Wayland wire protocol: enough
// to bind globals and speak the clipboard's data-control protocols
// (wlr-data-control-unstable-v1, ext-data-control-v1) without a window.
//
// It exists because no maintained pure-Go Wayland client can be had here
// (github.com/rajveermalviya/go-wayland, github.com/neurlang/wayland,
// deedles.dev/wl and the go-wayland forks were refused by the module
// proxy; see docs/security.md), and linking libwayland-client would need
// cgo in the Linux build. The wire format is the one in the Wayland
// book's "Wire protocol basics" and wayland.freedesktop.org's
// "Wire Format": 32-bit words in host byte order, a header of object id
// and size<<16|opcode, strings as length (with the NUL) plus bytes padded
// to 4, file descriptors beside the message in SCM_RIGHTS.
//
// The decoder takes untrusted bytes from the compositor; FuzzDecode runs
// it on random input.
//
// The client is built on Linux and the BSDs only.
package wlwire
