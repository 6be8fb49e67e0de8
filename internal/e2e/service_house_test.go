package e2e

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Tests never touch the user's own keys: they keep theirs under
// keystore.TestService (keystore's own tests through service_test.go, the
// anykey they build through the anykey_e2e tag). userServiceUses finds the
// ways a test file could reach the user's service instead:
//   - keystore.Service (or, inside package keystore, Service) in an
//     expression;
//   - the literal "anykey" as a keychain service: after a "service"
//     argument or map key (secret-tool, Secret Service attributes), or as
//     the service of a keychain call (serviceArg), or a Credential
//     Manager target "anykey:…" there;
//   - keystore.Open in another package's test: only keystore's own test
//     binary has TestService in process;
//   - `go build` of the anykey command without the anykey_e2e or the
//     anykey_testkeychain tag.
//
// Code in a function whose name holds "OwnKeychainService" or
// "OwnService" may name keystore.Service: those tests check that nothing
// lands there.
func userServiceUses(fset *token.FileSet, f *ast.File) []string {
	var bad []string
	report := func(n ast.Node, what string) {
		bad = append(bad, fset.Position(n.Pos()).String()+": "+what)
	}
	isKeystore := f.Name.Name == "keystore" || f.Name.Name == "keystore_test" // one test binary
	check := func(owner string, body ast.Node) {
		if strings.Contains(owner, "OwnKeychainService") || strings.Contains(owner, "OwnService") {
			return
		}
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "keystore" && n.Sel.Name == "Service" {
					report(n, "keystore.Service is the user's keychain service; tests use keystore.TestService")
				}
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "keystore" && n.Sel.Name == "Open" && !isKeystore {
					report(n, "keystore.Open in another package's test stores under the user's service (only keystore's own tests get TestService); use keystore.NewMemory, or run the anykey_e2e build")
				}
				return n.Sel.Name != "Service" // do not see the Sel below as a bare Service
			case *ast.Ident:
				if f.Name.Name == "keystore" && n.Name == "Service" && n.Obj == nil {
					report(n, "Service is the user's keychain service; keystore's tests use service (TestService)")
				}
			case *ast.KeyValueExpr:
				if lit(n.Key) == "service" && lit(n.Value) == "anykey" {
					report(n, `"service": "anykey" names the user's keychain service`)
				}
			case *ast.CallExpr:
				for i, a := range n.Args {
					if lit(a) == "anykey" && i > 0 && lit(n.Args[i-1]) == "service" {
						report(a, `"service", "anykey" names the user's keychain service`)
					}
				}
				if i, ok := serviceArg(n); ok && i < len(n.Args) {
					if s := lit(n.Args[i]); s == "anykey" || strings.HasPrefix(s, "anykey:") {
						report(n.Args[i], fmt.Sprintf("%q names the user's keychain service", s))
					}
				}
				if goBuildsAnykey(n) {
					report(n, "go build of anykey without -tags anykey_e2e (or anykey_testkeychain): the binary would keep its keys under the user's service")
				}
			}
			return true
		})
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			check(d.Name.Name, d)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok {
					check(v.Names[0].Name, v)
				}
			}
		}
	}
	return bad
}

// serviceArg is the index of the keychain service (or Credential
// Manager target) among call's arguments when call is a keychain call:
// go-keyring's and keystore's backends' get/set/delete (service first),
// desktoptest's secret-tool lookups, wincred's credential lookups.
func serviceArg(call *ast.CallExpr) (int, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return 0, false
	}
	recv := ""
	if x, ok := sel.X.(*ast.Ident); ok {
		recv = x.Name
	}
	switch name := sel.Sel.Name; {
	case name == "SecretToolLookup":
		return 1, true
	case name == "SecretToolLookupOn":
		return 2, true
	case name == "GetGenericCredential" || name == "NewGenericCredential":
		return 0, true
	case recv == "keyring" && (name == "Get" || name == "Set" || name == "Delete" || name == "DeleteAll"):
		return 0, true
	case name == "get" || name == "set" || name == "delete": // keystore's backend
		return 0, true
	}
	return 0, false
}

// lit is the value of a string literal, "" for anything else.
func lit(e ast.Expr) string {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(b.Value)
	if err != nil {
		return ""
	}
	return s
}

// goBuildsAnykey reports whether call is exec.Command[Context](…, "go",
// "build", …) of the anykey command (".", ".." or the module path) whose
// literal arguments name neither tag that gives it keystore.TestService.
func goBuildsAnykey(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Command" && sel.Sel.Name != "CommandContext") {
		return false
	}
	var args []string
	for _, a := range call.Args {
		args = append(args, lit(a))
	}
	i := 0
	if sel.Sel.Name == "CommandContext" {
		i = 1
	}
	if len(args) < i+3 || args[i] != "go" || args[i+1] != "build" {
		return false
	}
	switch args[len(args)-1] {
	case ".", "..", "github.com/anykey-app/anykey":
	default:
		return false
	}
	for _, a := range args {
		if strings.Contains(a, "anykey_e2e") || strings.Contains(a, "anykey_testkeychain") {
			return false
		}
	}
	return true
}

// userServiceInScripts matches a script naming the user's service to
// secret-tool (service anykey).
var userServiceInScripts = regexp.MustCompile(`service\s+['"]?anykey['"]?(\s|$)`)

// TestTestsKeepOffTheUserKeychain fails when a test file, or a script,
// could store, read or delete under the user's keychain service.
func TestTestsKeepOffTheUserKeychain(t *testing.T) {
	t.Parallel()
	n := 0
	walkGo(t, func(path string) {
		if !strings.HasSuffix(path, "_test.go") {
			return
		}
		n++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range userServiceUses(fset, f) {
			t.Error(b)
		}
	})
	if n < 50 {
		t.Fatalf("found only %d test files; is the walk broken?", n)
	}
	scripts, _ := filepath.Glob(filepath.Join(root, "scripts", "*"))
	for _, p := range append(scripts, filepath.Join(root, ".ci", "run")) {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for i, l := range strings.Split(string(data), "\n") {
			if userServiceInScripts.MatchString(l) {
				t.Errorf("%s:%d names the user's keychain service (anykey); use the tests' own (keystore.TestService) and an anykey_e2e build", p, i+1)
			}
		}
	}
}

// TestUserServiceUsesCatches: the check above finds each way it looks for.
func TestUserServiceUsesCatches(t *testing.T) {
	t.Parallel()
	src := `package keystore
func TestA(t *testing.T) {
	keyring.Set(Service, "n", "s")
	keystore.Service + ":" + "n"
	exec.Command("secret-tool", "clear", "service", "anykey", "username", "n")
	desktoptest.SecretToolLookup(ctx, "anykey", "n")
	wincred.GetGenericCredential("anykey:n")
	m := map[string]string{"service": "anykey"}
	exec.Command("go", "build", "-o", bin, "..")
	st, _ := keystore.Open("") // keystore's own test binary: TestService
}
var untaggedBinary = exec.Command("go", "build", "-o", bin, "..")
func TestOwnKeychainService(t *testing.T) { _ = keystore.Service }
func TestB(t *testing.T) {
	keyring.Set(service, "n", "s")
	exec.Command("go", "build", "-tags", "anykey_e2e", "-o", bin, "..")
	exec.Command("go", "build", "-tags", "anykey_testkeychain", "-o", bin, "..")
	exec.Command("go", "build", "-o", bin, "./testdata/standin")
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x_test.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := userServiceUses(fset, f)
	for _, line := range []int{3, 4, 5, 6, 7, 8, 9, 12} {
		found := false
		for _, b := range got {
			found = found || strings.HasPrefix(b, "x_test.go:"+strconv.Itoa(line)+":")
		}
		if !found {
			t.Errorf("line %d not reported; got:\n%s", line, strings.Join(got, "\n"))
		}
	}
	if len(got) != 8 {
		t.Errorf("%d reports, want 8:\n%s", len(got), strings.Join(got, "\n"))
	}
	other, err := parser.ParseFile(fset, "y_test.go", "package cli\nfunc TestC(t *testing.T) { keystore.Open(\"\") }\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := userServiceUses(fset, other); len(got) != 1 || !strings.Contains(got[0], "keystore.Open") {
		t.Errorf("keystore.Open in cli's tests: got %q, want one report", got)
	}
	for _, s := range []string{"secret-tool lookup service anykey username x", `secret-tool clear service "anykey" username x`} {
		if !userServiceInScripts.MatchString(s) {
			t.Errorf("script line %q not caught", s)
		}
	}
	if userServiceInScripts.MatchString("secret-tool lookup service anykey-test username x") {
		t.Error("the tests' own service caught as the user's")
	}
}
