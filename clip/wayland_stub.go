//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import "errors"

var errNoDataControl = errors.New("the compositor has no data-control protocol")

func isNoDataControl(err error) bool { return errors.Is(err, errNoDataControl) }

func ownWayland([]byte) (selectionOwner, error) { return nil, errNoDataControl }
