//go:build !windows

package packaging

// RegisterAppID returns the name to give beeep.AppName. Only Windows needs an
// AppUserModelID registered for notifications to show under the app's name;
// elsewhere there is nothing to register and beeep.AppName is the plain app
// name that notification daemons display ("anykey").
func RegisterAppID() (id string, err error) { return "anykey", nil }
