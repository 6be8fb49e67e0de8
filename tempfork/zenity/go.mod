module github.com/ncruces/zenity

go 1.20

require (
	github.com/dchest/jsmin v0.0.0-20220218165748-59f39799265f
	github.com/josephspurrier/goversioninfo v1.4.1
	github.com/ncruces/go-strftime v0.1.9
	github.com/randall77/makefat v0.0.0-20210315173500-7ddd0e42c844
	go.uber.org/goleak v1.3.0 // test
	golang.org/x/image v0.20.0
	golang.org/x/sys v0.25.0
)

require github.com/akavel/rsrc v0.10.2 // indirect
