package zenutil

// These are internal.
var (
	Separator = "\x00"
	LineBreak = "\n"
)
