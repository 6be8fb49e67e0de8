package mcpbridge

import (
	"context"
	"strings"
	"time"
)

// currentKey is the key to send, and its generation.
func (b *bridge) currentKey() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.key, b.keyGen
}

// clean makes text from elsewhere one safe line without any key.
func (b *bridge) clean(s string) string {
	b.mu.Lock()
	keys := append([]string{b.key}, b.oldKeys...)
	b.mu.Unlock()
	for _, k := range keys {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[key]")
		}
	}
	return sanitize(s, "")
}

// reloadKey asks Config.Reload for the key after a refusal of the key of
// generation gen, and reports whether there is another key to try: one
// read since gen was sent, or one read now.
func (b *bridge) reloadKey(ctx context.Context, gen int) bool {
	if b.cfg.Reload == nil {
		return false
	}
	b.reloadMu.Lock()
	defer b.reloadMu.Unlock()
	if _, now := b.currentKey(); now != gen {
		return true // replaced while this call was out
	}
	if time.Since(b.reloadedAt) < reloadEvery {
		return false
	}
	b.reloadedAt = time.Now()
	ctx, cancel := context.WithTimeout(ctx, notifyTimeout)
	defer cancel()
	k, err := b.cfg.Reload(ctx)
	if err != nil {
		b.logf("reading the key %q again: %s", b.cfg.Name, b.clean(err.Error()))
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if k == "" || k == b.key {
		return false
	}
	b.oldKeys = append(b.oldKeys, b.key)
	b.key = k
	b.keyGen++
	return true
}
