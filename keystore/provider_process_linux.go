package keystore

// ProviderOfProcess names the provider a Secret Service process is, from
// its process name (/proc/PID/comm), as [Keyring.Provider] does: doctor
// finds the process itself, without go-keyring's shared connection.
func ProviderOfProcess(comm string) Provider { return providerFromComm(comm) }
