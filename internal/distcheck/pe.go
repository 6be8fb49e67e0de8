package distcheck

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Resource type IDs (winuser.h) that anykey.exe must carry.
const (
	RTIcon      = 3
	RTGroupIcon = 14
	RTVersion   = 16
	RTManifest  = 24
)

// Resource is one leaf of a PE resource tree. Type and Lang are numeric; the
// resource itself is named by ID or, for a string name such as the "APP"
// icon group of winres.json, by Name (ID is then 0).
type Resource struct {
	Type, ID, Lang uint32
	Name           string
	Data           []byte
}

// Resources reads every resource of a PE file from its resource
// data directory (IMAGE_DIRECTORY_ENTRY_RESOURCE), walking the usual three
// levels: type, name, language.
func Resources(f *pe.File) ([]Resource, error) {
	var dir pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		if len(oh.DataDirectory) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			return nil, errors.New("no resource directory")
		}
		dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	case *pe.OptionalHeader32:
		if len(oh.DataDirectory) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			return nil, errors.New("no resource directory")
		}
		dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	default:
		return nil, errors.New("no optional header")
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return nil, errors.New("empty resource directory")
	}
	var sec *pe.Section
	for _, s := range f.Sections {
		if dir.VirtualAddress >= s.VirtualAddress && dir.VirtualAddress < s.VirtualAddress+s.VirtualSize {
			sec = s
		}
	}
	if sec == nil {
		return nil, fmt.Errorf("no section holds resource RVA %#x", dir.VirtualAddress)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("reading section %s: %w", sec.Name, err)
	}
	r := rsrcReader{data: data, base: dir.VirtualAddress - sec.VirtualAddress, secRVA: sec.VirtualAddress}
	var out []Resource
	err = r.walk(0, nil, "", &out)
	return out, err
}

type rsrcReader struct {
	data   []byte
	base   uint32 // offset of the resource directory inside data
	secRVA uint32
}

func (r rsrcReader) u32(off uint32) (uint32, error) {
	if uint64(off)+4 > uint64(len(r.data)) {
		return 0, fmt.Errorf("resource offset %#x out of range", off)
	}
	return binary.LittleEndian.Uint32(r.data[off:]), nil
}

// walk reads the IMAGE_RESOURCE_DIRECTORY at offset dirOff (relative to the
// resource root); ids holds the IDs of the levels above.
func (r rsrcReader) walk(dirOff uint32, ids []uint32, name string, out *[]Resource) error {
	if len(ids) > 2 {
		return errors.New("resource tree deeper than three levels")
	}
	abs := r.base + dirOff
	if uint64(abs)+16 > uint64(len(r.data)) {
		return fmt.Errorf("resource directory %#x out of range", dirOff)
	}
	named := uint32(binary.LittleEndian.Uint16(r.data[abs+12:]))
	idEntries := uint32(binary.LittleEndian.Uint16(r.data[abs+14:]))
	for i := uint32(0); i < named+idEntries; i++ {
		e := abs + 16 + 8*i
		id, err := r.u32(e)
		if err != nil {
			return err
		}
		target, err := r.u32(e + 4)
		if err != nil {
			return err
		}
		entryName := name
		if id&0x80000000 != 0 {
			// IMAGE_RESOURCE_DIR_STRING_U: a length, then UTF-16 code units.
			if entryName, err = r.dirString(id & 0x7fffffff); err != nil {
				return err
			}
			id = 0
		}
		path := append(append([]uint32(nil), ids...), id)
		if target&0x80000000 != 0 {
			if err := r.walk(target&0x7fffffff, path, entryName, out); err != nil {
				return err
			}
			continue
		}
		if len(path) != 3 {
			return fmt.Errorf("resource data entry at level %d", len(path))
		}
		rva, err := r.u32(r.base + target)
		if err != nil {
			return err
		}
		size, err := r.u32(r.base + target + 4)
		if err != nil {
			return err
		}
		start := uint64(rva) - uint64(r.secRVA)
		if rva < r.secRVA || start+uint64(size) > uint64(len(r.data)) {
			return fmt.Errorf("resource %v data out of section", path)
		}
		*out = append(*out, Resource{Type: path[0], ID: path[1], Lang: path[2], Name: entryName,
			Data: r.data[start : start+uint64(size)]})
	}
	return nil
}

// dirString reads a length-prefixed UTF-16 resource name at off (relative
// to the resource root).
func (r rsrcReader) dirString(off uint32) (string, error) {
	abs := uint64(r.base) + uint64(off)
	if abs+2 > uint64(len(r.data)) {
		return "", fmt.Errorf("resource name %#x out of range", off)
	}
	n := uint64(binary.LittleEndian.Uint16(r.data[abs:]))
	if abs+2+2*n > uint64(len(r.data)) {
		return "", fmt.Errorf("resource name %#x out of range", off)
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(r.data[abs+2+2*uint64(i):])
	}
	return string(utf16.Decode(u)), nil
}

// IconEntry is one image listed in an RT_GROUP_ICON resource (GRPICONDIRENTRY).
type IconEntry struct {
	Width, Height int // 256 for a stored 0
	BitCount      int
	Bytes         uint32 // size of the RT_ICON resource
	ID            uint16 // its RT_ICON ID
}

// ParseGroupIcon decodes an RT_GROUP_ICON resource (GRPICONDIR).
func ParseGroupIcon(b []byte) ([]IconEntry, error) {
	if len(b) < 6 || binary.LittleEndian.Uint16(b[2:]) != 1 {
		return nil, errors.New("not an icon group")
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if len(b) < 6+14*n {
		return nil, fmt.Errorf("icon group of %d entries is %d bytes", n, len(b))
	}
	side := func(v byte) int {
		if v == 0 {
			return 256
		}
		return int(v)
	}
	var out []IconEntry
	for i := 0; i < n; i++ {
		e := b[6+14*i:]
		out = append(out, IconEntry{
			Width:    side(e[0]),
			Height:   side(e[1]),
			BitCount: int(binary.LittleEndian.Uint16(e[6:])),
			Bytes:    binary.LittleEndian.Uint32(e[8:]),
			ID:       binary.LittleEndian.Uint16(e[12:]),
		})
	}
	return out, nil
}
