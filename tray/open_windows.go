package tray

// rundll32 url.dll,FileProtocolHandler opens a URL with its registered
// handler without a console window (unlike "cmd /c start").
func openArgv(url string) []string {
	return []string{"rundll32", "url.dll,FileProtocolHandler", url}
}
