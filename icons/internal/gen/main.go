// Command gen draws anykey's icons from the geometry in scene.go and writes
// every committed image under icons/: the SVG sources, the tray PNGs, the
// macOS template PNGs, the Windows ICOs, the application PNG, the hicolor
// set for Linux packages and the macOS .icns. It runs from icons/ through
// `go generate ./icons/`; the output is deterministic so CI can check that
// the committed files are current.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Pixel sizes of the generated files.
const (
	traySize = 64  // tray PNGs and templates; hosts scale them down
	appSize  = 128 // notification / about icon
)

var (
	trayICOSizes = []int{16, 32, 48}
	appICOSizes  = []int{16, 20, 24, 32, 40, 48, 64, 128, 256}
	hicolorSizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}
)

func main() {
	out := flag.String("out", ".", "directory to write the icons into (icons/)")
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// files renders every output, keyed by slash-separated path relative to
// icons/.
func files() (map[string][]byte, error) {
	out := map[string][]byte{}
	add := func(name string, data []byte, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out[name] = data
		return nil
	}
	for _, st := range states {
		tray := trayScene(st)
		b, err := encodePNG(rasterize(tray, traySize))
		if err := add(st+".png", b, err); err != nil {
			return nil, err
		}
		b, err = encodePNG(rasterize(templateScene(st), traySize))
		if err := add(st+"-template.png", b, err); err != nil {
			return nil, err
		}
		b, err = ico(tray, trayICOSizes)
		if err := add(st+".ico", b, err); err != nil {
			return nil, err
		}
		b, err = svg(tray, "anykey: "+st)
		if err := add("src/"+st+".svg", b, err); err != nil {
			return nil, err
		}
	}
	app := appScene()
	b, err := svg(app, "anykey")
	if err := add("src/anykey.svg", b, err); err != nil {
		return nil, err
	}
	b, err = encodePNG(rasterize(app, appSize))
	if err := add("app.png", b, err); err != nil {
		return nil, err
	}
	b, err = ico(app, appICOSizes)
	if err := add("anykey.ico", b, err); err != nil {
		return nil, err
	}
	b, err = icns(app)
	if err := add("anykey.icns", b, err); err != nil {
		return nil, err
	}
	for _, n := range hicolorSizes {
		b, err := encodePNG(rasterize(app, n))
		if err := add(fmt.Sprintf("hicolor/%dx%d/apps/anykey.png", n, n), b, err); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// generate writes every output below dir.
func generate(dir string) error {
	fs, err := files()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(fs))
	for name := range fs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create dir for %s: %w", name, err)
		}
		if err := os.WriteFile(p, fs[name], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
