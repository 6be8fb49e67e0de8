//go:build !windows

package auth

import "syscall"

var (
	refusedErrnos = []error{syscall.ECONNREFUSED}
	droppedErrnos = []error{syscall.ECONNRESET, syscall.EPIPE, syscall.ECONNABORTED}
)
