//go:build !unix

package npx

// replaceable: Windows keeps who may write in ACLs, not mode bits; the
// places Find looks are the user's own profile and Program Files.
func replaceable(string) string { return "" }
