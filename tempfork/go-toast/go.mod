module git.sr.ht/~jackmordaunt/go-toast

go 1.20

require (
	github.com/go-ole/go-ole v1.3.0
	golang.org/x/sys v0.15.0
)
