//go:build !linux && !windows

package auth

import "net/netip"

// listenerOwner is not implemented here. On macOS an unprivileged process
// cannot map another user's socket to its owner through the documented
// interfaces (lsof and proc_pidinfo see only the caller's own processes);
// docs/security.md records this gap.
func listenerOwner(_, _ netip.AddrPort) (owner, error) { return owner{}, errOwnerUnsupported }
