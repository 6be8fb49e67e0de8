package distcheck

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
)

// Resource type IDs (winuser.h) that anykey.exe must carry.
const (
	RTIcon      = 3
	RTGroupIcon = 14
	RTVersion   = 16
	RTManifest  = 24
)

// Resource is one leaf of a PE resource tree: type and name are numeric IDs
// (named entries, which go-winres does not emit for these types, are skipped).
type Resource struct {
	Type, ID, Lang uint32
	Data           []byte
}

// Resources reads every ID-named resource of a PE file from its resource
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
	err = r.walk(0, nil, &out)
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
func (r rsrcReader) walk(dirOff uint32, ids []uint32, out *[]Resource) error {
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
		name, err := r.u32(e)
		if err != nil {
			return err
		}
		target, err := r.u32(e + 4)
		if err != nil {
			return err
		}
		if name&0x80000000 != 0 {
			continue // a string name: not used for the types checked here
		}
		path := append(append([]uint32(nil), ids...), name)
		if target&0x80000000 != 0 {
			if err := r.walk(target&0x7fffffff, path, out); err != nil {
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
		*out = append(*out, Resource{Type: path[0], ID: path[1], Lang: path[2], Data: r.data[start : start+uint64(size)]})
	}
	return nil
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
