package mcpconfig

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Status is what a client's file holds under [ServerName].
type Status struct {
	File   string // the user-level config file
	Exists bool   // the file exists
	Entry  *Entry // the entry, nil when absent
	Ours   bool   // Entry is anykey's
	Key    string // the key name Entry uses, when Ours
	Form   Form   // which of anykey's entries it is
	// HoldsKey: the entry holds what looks like an API key in plain text
	// (a Bearer header, OPENAPI_MCP_HEADERS or ANYTYPE_API_KEY): Anytype's
	// own "Copy MCP config", or anykey mcp --inline.
	HoldsKey bool
}

// Holds reports whether the file holds anykey's entry for key.
func (s Status) Holds(key string) bool { return s.Ours && s.Key == key }

// Change says what Install or Uninstall did.
type Change int

const (
	Unchanged Change = iota
	Added
	Replaced
	Removed
)

func (c Change) String() string {
	return [...]string{"unchanged", "added", "replaced", "removed"}[c]
}

// Result is the outcome of Install or Uninstall.
type Result struct {
	File   string
	Backup string // the previous file, "" when there was none or nothing changed
	Change Change
	// KeyDropped: the entry replaced or removed held an API key in plain
	// text, so no backup was kept (it would keep the key in a file). The
	// key itself still works until it is revoked in Anytype.
	KeyDropped bool
}

// ConflictError is returned when the file's entry is not anykey's entry for
// the key in question; --force replaces (or removes) it.
type ConflictError struct {
	File    string
	Command string // the entry's command
	Key     string // the other key's name, when the entry is anykey's
}

func (e *ConflictError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("%s already has an %q entry for the anykey key %q", e.File, ServerName, e.Key)
	}
	return fmt.Sprintf("%s already has an %q entry that is not anykey's (command %q)", e.File, ServerName, e.Command)
}

// FileError is a config file anykey would not or could not change. The
// file is left as it was.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ErrReadOnly is wrapped in a FileError for a file the user may not write.
var ErrReadOnly = errors.New("the file is read-only")

// ErrNotEditable is wrapped for clients whose files anykey does not edit.
var ErrNotEditable = errors.New("anykey does not edit this client's file; add the entry by hand")

// NeedCLIError is returned when the client must be changed through its own
// program (Claude Code), which is not on PATH. Command is what to run.
type NeedCLIError struct{ Program string }

func (e *NeedCLIError) Error() string {
	return e.Program + " is not on PATH; run the command below yourself"
}

// ReadStatus reads what c's file holds. A missing file is not an error.
func (c Client) ReadStatus(env Env) (Status, error) {
	st := Status{File: c.File(env)}
	if !abs(env.OS, st.File) {
		return st, &FileError{st.File, ErrNotAbsolute}
	}
	data, exists, err := readFile(st.File)
	st.Exists = exists
	if err != nil {
		return st, &FileError{st.File, err}
	}
	if !exists {
		return st, nil
	}
	data, _ = plainText(data)
	if !c.Editable() || len(bytes.TrimSpace(data)) == 0 {
		return st, nil
	}
	if c.Format == TOML {
		st.Entry, err = currentTOML(data)
	} else {
		st.Entry, err = currentJSON(c, data)
	}
	if err != nil {
		return st, &FileError{st.File, err}
	}
	if st.Entry != nil {
		st.Key, st.Form = EntryForm(*st.Entry)
		st.Ours = st.Form != NotOurs
		st.HoldsKey = holdsKey(st.Entry)
	}
	return st, nil
}

// cliTimeout bounds a run of the client's own program.
const cliTimeout = 30 * time.Second

// Install puts e, anykey's entry for key, into c's user-level file. An
// entry that is not anykey's entry for the same key is replaced only with
// force. Installing the same entry again changes nothing. The file is
// written atomically, with the previous version kept beside it; a file that
// does not parse, or is read-only, is left byte-identical.
func Install(ctx context.Context, c Client, env Env, e Entry, force bool) (Result, error) {
	key, _ := Owner(e)
	e = c.Fit(e)
	if err := c.Check(e); err != nil {
		return Result{File: c.File(env)}, err
	}
	st, err := c.ReadStatus(env)
	if err != nil {
		return Result{File: st.File}, err
	}
	if !c.Editable() {
		return Result{File: st.File}, &FileError{st.File, ErrNotEditable}
	}
	if st.Entry != nil && !st.Holds(key) && !force {
		return Result{File: st.File}, conflict(st)
	}
	change := Added
	if st.Entry != nil {
		change = Replaced
		if sameEntry(st.Entry, &e) {
			return Result{File: st.File, Change: Unchanged}, nil
		}
	}
	if c.ViaCLI != "" && !throughCmd(c.ViaCLI) {
		return viaCLI(ctx, c, st, c.AddCommand(e), change)
	}
	return edit(c, st, &e, change)
}

// Uninstall removes anykey's entry for key from c's file; another entry
// under the same name is removed only with force.
func Uninstall(ctx context.Context, c Client, env Env, key string, force bool) (Result, error) {
	st, err := c.ReadStatus(env)
	if err != nil {
		return Result{File: st.File}, err
	}
	if !c.Editable() {
		return Result{File: st.File}, &FileError{st.File, ErrNotEditable}
	}
	if st.Entry == nil {
		return Result{File: st.File, Change: Unchanged}, nil
	}
	if !st.Holds(key) && !force {
		return Result{File: st.File}, conflict(st)
	}
	if c.ViaCLI != "" && !throughCmd(c.ViaCLI) {
		return viaCLI(ctx, c, st, []string{c.ViaCLI, "mcp", "remove", "-s", "user", ServerName}, Removed)
	}
	return edit(c, st, nil, Removed)
}

func conflict(st Status) error {
	ce := &ConflictError{File: st.File, Command: st.Entry.Command}
	if st.Ours {
		ce.Key = st.Key
	}
	return ce
}

// viaCLI runs the client's own program; for a replacement it first removes
// the old entry, as `claude mcp add-json` refuses an existing name.
func viaCLI(ctx context.Context, c Client, st Status, argv []string, change Change) (Result, error) {
	prog, err := exec.LookPath(c.ViaCLI)
	if err != nil {
		return Result{File: st.File}, &NeedCLIError{Program: c.ViaCLI}
	}
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	run := func(args []string) error {
		out, err := exec.CommandContext(ctx, prog, args[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %s: %v: %s", c.ViaCLI, args[1], err, bytes.TrimSpace(out))
		}
		return nil
	}
	backup := ""
	if (change == Replaced || change == Removed) && !st.HoldsKey {
		// The client's program removes the old entry before adding the new
		// one: keep the file as it was, in case the second step fails.
		if backup, err = keepBackup(st.File); err != nil {
			return Result{File: st.File}, fmt.Errorf("keeping a backup of %s: %w", st.File, err)
		}
	}
	if change == Replaced {
		if err := run([]string{c.ViaCLI, "mcp", "remove", "-s", "user", ServerName}); err != nil {
			return Result{File: st.File}, err
		}
	}
	if err := run(argv); err != nil {
		if change == Replaced && backup != "" {
			// Not put back through the program: that would put the old
			// entry, which may hold a key, into its argv.
			err = fmt.Errorf("%w; the previous %q entry was removed, and %s keeps the file as it was", err, ServerName, backup)
		} else if change == Replaced {
			err = fmt.Errorf("%w; the previous %q entry, which held an API key, was removed", err, ServerName)
		}
		return Result{File: st.File, Backup: backup, KeyDropped: st.HoldsKey && change == Replaced}, err
	}
	return Result{File: st.File, Backup: backup, Change: change, KeyDropped: st.HoldsKey}, nil
}

// keepBackup copies file to file+[BackupSuffix] with file's permissions.
func keepBackup(file string) (string, error) {
	data, exists, err := readFile(file)
	if err != nil || !exists {
		return "", err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return "", err
	}
	backup := file + BackupSuffix
	return backup, writeTemp(filepath.Dir(file), backup, data, fi.Mode().Perm(), file, fi)
}

// edit rewrites st's file with the entry set to e (nil: removed). The
// previous file is kept beside it unless the entry it replaces holds a key.
func edit(c Client, st Status, e *Entry, change Change) (Result, error) {
	file := st.File
	res := Result{File: file}
	// A config file kept in a dotfiles repository is often a symlink:
	// write through it, not over it.
	target := file
	if t, err := filepath.EvalSymlinks(file); err == nil {
		target = t
	}
	if c.ID == "cline" {
		// Before reading: a write of Cline's between our read and our
		// rename would be lost (4 of 77 were, with the lock taken late).
		unlock, err := clineLock(target)
		if err != nil {
			return res, &FileError{file, err}
		}
		defer unlock()
	}
	data, existed, err := readFile(target)
	if err != nil {
		return res, &FileError{file, err}
	}
	text, form := plainText(data)
	var out []byte
	if c.Format == TOML {
		out, err = editTOML(text, e)
	} else {
		out, err = editJSON(c, text, e)
	}
	if err != nil {
		return res, &FileError{file, err}
	}
	out = form.dress(out)
	if existed && bytes.Equal(out, data) {
		return res, nil
	}
	old := data
	if st.HoldsKey {
		old = nil // no backup: it would keep the key in plain text
	}
	backup, err := writeAtomic(target, out, old, existed)
	if err != nil {
		return res, &FileError{file, err}
	}
	res.Backup, res.Change, res.KeyDropped = backup, change, st.HoldsKey
	return res, nil
}

// clineLock takes Cline's cross-process lock, a directory beside its file.
func clineLock(file string) (func(), error) {
	lock := file + ".lock"
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(clineLockWait)
	for {
		err := os.Mkdir(lock, 0o700)
		if err == nil {
			return func() { os.Remove(lock) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		// A lock whose holder died (a crash, kill -9) stays: one older
		// than any write takes is removed, once, and taken.
		if fi, serr := os.Lstat(lock); serr == nil && fi.IsDir() && time.Since(fi.ModTime()) > clineLockStale {
			if os.Remove(lock) == nil {
				continue
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("another program (Cline) is changing this file (%s exists, since %s); try again in a moment, or remove that directory if Cline is not running",
				lock, lockAge(lock))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// clineLockWait is how long anykey waits for Cline's lock; clineLockStale
// is the age after which a lock is taken to be left by a dead writer
// (Cline's own writes hold it for milliseconds).
const (
	clineLockWait  = 3 * time.Second
	clineLockStale = 10 * time.Second
)

func lockAge(lock string) string {
	if fi, err := os.Lstat(lock); err == nil {
		return time.Since(fi.ModTime()).Round(time.Second).String() + " ago"
	}
	return "a moment ago"
}

// bearer is an Authorization value with a token, as anytype-mcp's
// OPENAPI_MCP_HEADERS and HTTP entries' headers carry it.
var bearer = regexp.MustCompile(`(?i)bearer\s+[^\s"'\\]{6,}`)

// holdsKey reports whether e holds an API key in plain text: a Bearer
// token anywhere in it (its raw text, headers included), or a value in one
// of the variables anytype-mcp has read keys from.
func holdsKey(e *Entry) bool {
	if bearer.Match(e.raw) || bearer.MatchString(strings.Join(append([]string{e.Command}, e.Args...), " ")) {
		return true
	}
	for k, v := range e.Env {
		if bearer.MatchString(v) || (k == "OPENAPI_MCP_HEADERS" || k == "ANYTYPE_API_KEY") && strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}
