package distcheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// VersionInfo is what an RT_VERSION resource says: the numeric versions of
// VS_FIXEDFILEINFO and the strings of every StringTable (FileVersion,
// ProductVersion, ProductName, ...), later tables overriding earlier ones.
type VersionInfo struct {
	FileVersion    [4]uint16
	ProductVersion [4]uint16
	Strings        map[string]string
}

// vsFixedFileInfoSignature is VS_FIXEDFILEINFO.dwSignature.
const vsFixedFileInfoSignature = 0xFEEF04BD

// verNode is one block of the version resource: every block has the same
// header (wLength, wValueLength, wType, szKey) followed by its value and its
// children, each aligned on 32 bits.
type verNode struct {
	key      string
	value    []byte // raw bytes; for text (wType 1) UTF-16LE
	text     bool
	children []verNode
}

// ParseVersionInfo decodes an RT_VERSION resource (VS_VERSIONINFO).
func ParseVersionInfo(b []byte) (*VersionInfo, error) {
	root, _, err := parseVerNode(b, 0)
	if err != nil {
		return nil, err
	}
	if root.key != "VS_VERSION_INFO" {
		return nil, fmt.Errorf("version resource key is %q", root.key)
	}
	if len(root.value) < 52 || binary.LittleEndian.Uint32(root.value) != vsFixedFileInfoSignature {
		return nil, errors.New("version resource has no VS_FIXEDFILEINFO")
	}
	v := &VersionInfo{Strings: map[string]string{}}
	le := binary.LittleEndian
	split := func(ms, ls uint32) [4]uint16 {
		return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	v.FileVersion = split(le.Uint32(root.value[8:]), le.Uint32(root.value[12:]))
	v.ProductVersion = split(le.Uint32(root.value[16:]), le.Uint32(root.value[20:]))
	for _, sfi := range root.children {
		if sfi.key != "StringFileInfo" {
			continue
		}
		for _, table := range sfi.children {
			for _, s := range table.children {
				v.Strings[s.key] = utf16String(s.value)
			}
		}
	}
	return v, nil
}

// parseVerNode parses the block at off and returns it with the offset just
// past it. Offsets are relative to the start of the resource, which the
// linker aligns, so 32-bit alignment is computed on them.
func parseVerNode(b []byte, off int) (verNode, int, error) {
	var n verNode
	if off+6 > len(b) {
		return n, 0, fmt.Errorf("version block at %d: truncated header", off)
	}
	length := int(binary.LittleEndian.Uint16(b[off:]))
	valueLen := int(binary.LittleEndian.Uint16(b[off+2:]))
	n.text = binary.LittleEndian.Uint16(b[off+4:]) == 1
	end := off + length
	if length < 6 || end > len(b) {
		return n, 0, fmt.Errorf("version block at %d: length %d out of range", off, length)
	}
	p := off + 6
	var key []uint16
	for {
		if p+2 > end {
			return n, 0, fmt.Errorf("version block at %d: unterminated key", off)
		}
		c := binary.LittleEndian.Uint16(b[p:])
		p += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	n.key = string(utf16.Decode(key))
	p = align4(p)
	if n.text {
		valueLen *= 2 // wValueLength counts WORDs for text values
	}
	if p+valueLen > end {
		valueLen = end - p // some writers count the text in bytes; stay in the block
	}
	if valueLen > 0 {
		n.value = b[p : p+valueLen]
		p += valueLen
	}
	for p = align4(p); p < end; p = align4(p) {
		c, next, err := parseVerNode(b, p)
		if err != nil {
			return n, 0, err
		}
		n.children = append(n.children, c)
		p = next
	}
	return n, end, nil
}

func align4(p int) int { return (p + 3) &^ 3 }

// utf16String decodes UTF-16LE bytes up to the first NUL.
func utf16String(b []byte) string {
	var u []uint16
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}
