package clip

func describe() (Tool, error) {
	return Tool{Name: "Windows clipboard", MarksSecret: true}, nil
}
