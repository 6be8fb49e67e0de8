package zenutil

// These are internal.
var (
	Separator string
	LineBreak = "\r\n"
)
