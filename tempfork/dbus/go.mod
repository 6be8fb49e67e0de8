module github.com/godbus/dbus/v5

go 1.20

require golang.org/x/sys v0.27.0
