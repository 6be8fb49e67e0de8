package tray

func openArgv(url string) []string { return []string{"open", url} }
