package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
)

// ico builds a Windows icon file holding one image per size. Sizes below 256
// are stored as 32-bit BGRA DIBs, which every Windows version and LoadImage
// accept; 256 px is stored as PNG, as Windows Vista and later expect.
func ico(sc scene, sizes []int) ([]byte, error) {
	type entry struct {
		size int
		data []byte
	}
	entries := make([]entry, 0, len(sizes))
	for _, n := range sizes {
		if n < 1 || n > 256 {
			return nil, fmt.Errorf("ico: size %d out of range", n)
		}
		img := rasterize(sc, n)
		var data []byte
		if n == 256 {
			p, err := encodePNG(img)
			if err != nil {
				return nil, err
			}
			data = p
		} else {
			data = dib(img)
		}
		entries = append(entries, entry{n, data})
	}
	var buf bytes.Buffer
	le := binary.LittleEndian
	// ICONDIR: reserved, type 1 (icon), count.
	buf.Write(le.AppendUint16(le.AppendUint16(le.AppendUint16(nil, 0), 1), uint16(len(entries))))
	offset := 6 + 16*len(entries)
	for _, e := range entries {
		dim := byte(e.size) // 256 is written as 0
		var d []byte
		d = append(d, dim, dim, 0, 0) // width, height, palette, reserved
		d = le.AppendUint16(d, 1)     // colour planes
		d = le.AppendUint16(d, 32)    // bits per pixel
		d = le.AppendUint32(d, uint32(len(e.data)))
		d = le.AppendUint32(d, uint32(offset))
		buf.Write(d)
		offset += len(e.data)
	}
	for _, e := range entries {
		buf.Write(e.data)
	}
	return buf.Bytes(), nil
}

// dib encodes img as an ICO bitmap: BITMAPINFOHEADER with doubled height,
// bottom-up BGRA rows (straight alpha), then an all-zero AND mask, which
// 32-bit icons still carry.
func dib(img *image.NRGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	maskStride := ((w + 31) / 32) * 4
	le := binary.LittleEndian
	var d []byte
	d = le.AppendUint32(d, 40)
	d = le.AppendUint32(d, uint32(w))
	d = le.AppendUint32(d, uint32(2*h))
	d = le.AppendUint16(d, 1)
	d = le.AppendUint16(d, 32)
	d = le.AppendUint32(d, 0) // BI_RGB
	d = le.AppendUint32(d, uint32(w*h*4+maskStride*h))
	d = append(d, make([]byte, 16)...) // resolution, palette counts
	for y := h - 1; y >= 0; y-- {
		for x := 0; x < w; x++ {
			c := img.NRGBAAt(x, y)
			d = append(d, c.B, c.G, c.R, c.A)
		}
	}
	return append(d, make([]byte, maskStride*h)...)
}

// icnsTypes are the PNG-carrying ICNS element types and their pixel sizes
// (ic10 is 512 pt at 2×).
var icnsTypes = []struct {
	typ  string
	size int
}{{"ic07", 128}, {"ic08", 256}, {"ic09", 512}, {"ic10", 1024}}

// icns builds a macOS icon file: "icns", total length, then elements of
// 4-byte type, 4-byte length (header included) and PNG data, all big-endian.
func icns(sc scene) ([]byte, error) {
	var body bytes.Buffer
	be := binary.BigEndian
	for _, t := range icnsTypes {
		p, err := encodePNG(rasterize(sc, t.size))
		if err != nil {
			return nil, err
		}
		body.WriteString(t.typ)
		body.Write(be.AppendUint32(nil, uint32(8+len(p))))
		body.Write(p)
	}
	out := append([]byte("icns"), be.AppendUint32(nil, uint32(8+body.Len()))...)
	return append(out, body.Bytes()...), nil
}
