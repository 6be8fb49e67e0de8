package icons

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG (starts %q)", data[:min(8, len(data))])
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	return img
}

// opaqueShare is the fraction of pixels with any coverage; it catches an
// image that rendered empty or fully filled.
func opaqueShare(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

func TestPNGs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     []byte
		size     int
		template bool
	}{
		{"Idle", Idle, 64, false},
		{"Pairing", Pairing, 64, false},
		{"Unreachable", Unreachable, 64, false},
		{"IdleTemplate", IdleTemplate, 64, true},
		{"PairingTemplate", PairingTemplate, 64, true},
		{"UnreachableTemplate", UnreachableTemplate, 64, true},
		{"App", App, 128, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img := decodePNG(t, tt.data)
			if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
				t.Errorf("size = %v, want %dx%d", b.Size(), tt.size, tt.size)
			}
			if s := opaqueShare(img); s < 0.1 || s > 0.95 {
				t.Errorf("%.0f%% of pixels are drawn; the image looks empty or full", s*100)
			}
			if !tt.template {
				return
			}
			// macOS tints template images by their alpha only: any colour
			// other than black would be a design mistake.
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if r, g, bl, _ := img.At(x, y).RGBA(); r|g|bl != 0 {
						t.Fatalf("pixel (%d,%d) is not black", x, y)
					}
				}
			}
		})
	}
}

// parseICO checks the ICONDIR structure and decodes every entry (PNG or a
// 32-bit DIB), returning the images.
func parseICO(data []byte) ([]image.Image, error) {
	le := binary.LittleEndian
	if len(data) < 6 || le.Uint16(data[0:]) != 0 || le.Uint16(data[2:]) != 1 {
		return nil, fmt.Errorf("bad ICONDIR header")
	}
	n := int(le.Uint16(data[4:]))
	if len(data) < 6+16*n {
		return nil, fmt.Errorf("truncated directory")
	}
	var imgs []image.Image
	for i := range n {
		e := data[6+16*i:]
		w, h := int(e[0]), int(e[1])
		if w == 0 {
			w = 256
		}
		if h == 0 {
			h = 256
		}
		size, off := int(le.Uint32(e[8:])), int(le.Uint32(e[12:]))
		if off+size > len(data) || off < 6+16*n {
			return nil, fmt.Errorf("entry %d: data %d+%d out of bounds", i, off, size)
		}
		raw := data[off : off+size]
		var img image.Image
		if bytes.HasPrefix(raw, []byte("\x89PNG")) {
			var err error
			if img, err = png.Decode(bytes.NewReader(raw)); err != nil {
				return nil, fmt.Errorf("entry %d: %w", i, err)
			}
		} else {
			if len(raw) < 40 || le.Uint32(raw) != 40 || int(le.Uint32(raw[4:])) != w ||
				int(le.Uint32(raw[8:])) != 2*h || le.Uint16(raw[14:]) != 32 {
				return nil, fmt.Errorf("entry %d: bad BITMAPINFOHEADER", i)
			}
			if want := 40 + w*h*4 + ((w+31)/32)*4*h; len(raw) != want {
				return nil, fmt.Errorf("entry %d: %d bytes, want %d", i, len(raw), want)
			}
			nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
			px := raw[40:]
			for y := range h {
				for x := range w {
					p := px[((h-1-y)*w+x)*4:]
					copy(nrgba.Pix[nrgba.PixOffset(x, y):], []byte{p[2], p[1], p[0], p[3]})
				}
			}
			img = nrgba
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			return nil, fmt.Errorf("entry %d: directory says %dx%d, image is %v", i, w, h, b.Size())
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}

func TestICOs(t *testing.T) {
	t.Parallel()
	app, err := os.ReadFile("anykey.ico")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		data  []byte
		sizes []int
	}{
		{"IdleICO", IdleICO, []int{16, 32, 48}},
		{"PairingICO", PairingICO, []int{16, 32, 48}},
		{"UnreachableICO", UnreachableICO, []int{16, 32, 48}},
		{"anykey.ico", app, []int{16, 20, 24, 32, 40, 48, 64, 128, 256}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			imgs, err := parseICO(tt.data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(imgs) != len(tt.sizes) {
				t.Fatalf("%d images, want %d", len(imgs), len(tt.sizes))
			}
			for i, img := range imgs {
				if got := img.Bounds().Dx(); got != tt.sizes[i] {
					t.Errorf("image %d is %d px, want %d", i, got, tt.sizes[i])
				}
				if s := opaqueShare(img); s < 0.1 {
					t.Errorf("image %d: only %.0f%% drawn", i, s*100)
				}
			}
		})
	}
}

func TestICNS(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("anykey.icns")
	if err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	if string(data[:4]) != "icns" || int(be.Uint32(data[4:])) != len(data) {
		t.Fatalf("bad header %q, length field %d, file %d", data[:4], be.Uint32(data[4:]), len(data))
	}
	want := map[string]int{"ic07": 128, "ic08": 256, "ic09": 512, "ic10": 1024}
	for rest := data[8:]; len(rest) > 0; {
		if len(rest) < 8 {
			t.Fatalf("truncated element header")
		}
		typ, n := string(rest[:4]), int(be.Uint32(rest[4:]))
		if n < 8 || n > len(rest) {
			t.Fatalf("%s: bad length %d", typ, n)
		}
		size, ok := want[typ]
		if !ok {
			t.Fatalf("unexpected element %q", typ)
		}
		delete(want, typ)
		if img := decodePNG(t, rest[8:n]); img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Errorf("%s is %v, want %d px", typ, img.Bounds().Size(), size)
		}
		rest = rest[n:]
	}
	if len(want) > 0 {
		t.Errorf("missing elements: %v", want)
	}
}

func TestHicolorAndSVG(t *testing.T) {
	t.Parallel()
	for _, n := range []int{16, 22, 24, 32, 48, 64, 128, 256, 512} {
		p := filepath.Join("hicolor", fmt.Sprintf("%dx%d", n, n), "apps", "anykey.png")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if img := decodePNG(t, data); img.Bounds().Dx() != n || img.Bounds().Dy() != n {
			t.Errorf("%s is %v", p, img.Bounds().Size())
		}
	}
	for _, name := range []string{"anykey", "idle", "pairing", "unreachable"} {
		data, err := os.ReadFile(filepath.Join("src", name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name
			ViewBox string `xml:"viewBox,attr"`
			Paths   []struct {
				D string `xml:"d,attr"`
			} `xml:"path"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s.svg: %v", name, err)
		}
		if doc.XMLName.Local != "svg" || doc.ViewBox != "0 0 64 64" || len(doc.Paths) == 0 {
			t.Errorf("%s.svg: root %q viewBox %q, %d paths", name, doc.XMLName.Local, doc.ViewBox, len(doc.Paths))
		}
	}
}
