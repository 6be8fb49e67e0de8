package tray

func openArgv(url string) []string { return []string{"xdg-open", url} }
