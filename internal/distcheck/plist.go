package distcheck

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// ParsePlist reads the top-level dictionary of an XML property list. Values
// are a bool for <true/> and <false/>, the trimmed text for <string>,
// <integer> and <real>, and the element name (for example "array") for
// anything nested, which the bundle checks do not need to look inside.
func ParsePlist(r io.Reader) (map[string]any, error) {
	var doc struct {
		XMLName xml.Name `xml:"plist"`
		Dict    struct {
			Items []struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			} `xml:",any"`
		} `xml:"dict"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("parsing plist: %w", err)
	}
	out := map[string]any{}
	key := ""
	for _, it := range doc.Dict.Items {
		name := it.XMLName.Local
		if name == "key" {
			if key != "" {
				return nil, fmt.Errorf("parsing plist: key %q has no value", key)
			}
			key = strings.TrimSpace(it.Text)
			continue
		}
		if key == "" {
			return nil, fmt.Errorf("parsing plist: <%s> without a key", name)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("parsing plist: duplicate key %q", key)
		}
		switch name {
		case "true", "false":
			out[key] = name == "true"
		case "string", "integer", "real":
			out[key] = strings.TrimSpace(it.Text)
		default:
			out[key] = name
		}
		key = ""
	}
	if key != "" {
		return nil, fmt.Errorf("parsing plist: key %q has no value", key)
	}
	return out, nil
}
