package fakeanytype

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpTierTools names the tools of each tier. small and large are Anytype's
// curated wrappers (8 tools on small in heart's own test); full has one
// tool per /v2 operation. The names are the fake's: the real table was
// not seen.
var mcpTierTools = map[string][]string{
	"small": {"search", "list_spaces", "get_space", "list_objects", "get_object", "create_object", "update_object", "list_types"},
	"large": {"search", "list_spaces", "get_space", "list_objects", "get_object", "create_object", "update_object", "delete_object",
		"list_types", "get_type", "list_properties", "list_tags", "list_members", "list_templates"},
	"full": {"search_global", "search_space", "list_spaces", "get_space", "create_space", "update_space", "list_objects",
		"get_object", "create_object", "update_object", "delete_object", "list_types", "get_type", "create_type",
		"list_properties", "get_property", "list_tags", "get_tag", "list_members", "get_member", "list_templates",
		"get_template", "list_list_views", "get_list_objects"},
}

// toolIn is every fake tool's input: all optional.
type toolIn struct {
	Query   string `json:"query,omitempty" jsonschema:"text to search for"`
	SpaceID string `json:"space_id,omitempty" jsonschema:"the space to act in"`
	ID      string `json:"id,omitempty" jsonschema:"an object, type or member id"`
	Name    string `json:"name,omitempty" jsonschema:"a name for what is created"`
}

// toolOut is every fake tool's structured result.
type toolOut struct {
	Tool   string   `json:"tool"`
	Spaces []string `json:"spaces,omitempty"`
	Query  string   `json:"query,omitempty"`
}

func (ep *mcpEndpoint) addTools(srv *mcp.Server, names []string) {
	for _, name := range names {
		mcp.AddTool(srv, &mcp.Tool{Name: name, Description: "Anytype: " + strings.ReplaceAll(name, "_", " ")},
			func(ctx context.Context, req *mcp.CallToolRequest, in toolIn) (*mcp.CallToolResult, toolOut, error) {
				return ep.callTool(ctx, req, name, in)
			})
	}
}

// callTool is one tool call: like heart's in-process /v2 request, it
// carries the caller's own key, so a key works within its grant.
func (ep *mcpEndpoint) callTool(ctx context.Context, req *mcp.CallToolRequest, name string, in toolIn) (*mcp.CallToolResult, toolOut, error) {
	ctx, cancel := context.WithTimeout(ctx, mcpCallTime)
	defer cancel()
	ep.mu.Lock()
	held := ep.held
	ep.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-ctx.Done():
			ep.mu.Lock()
			ep.cancelled++
			ep.mu.Unlock()
			return nil, toolOut{}, ctx.Err()
		}
	}
	var key string
	if req.Extra != nil {
		key = strings.TrimPrefix(req.Extra.Header.Get("Authorization"), "Bearer ")
	}
	ep.s.mu.Lock()
	info, ok := ep.s.valid[key]
	ep.s.mu.Unlock()
	if !ok {
		return nil, toolOut{}, errors.New("invalid api key")
	}
	out := toolOut{Tool: name, Query: in.Query}
	spaces := []string{"bafyreifake"}
	if g := info.grant; g != nil && !g.AllSpaces {
		spaces = g.SpaceIDs
	}
	if in.SpaceID != "" && !contains(spaces, in.SpaceID) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{
			Text: fmt.Sprintf("space %q is not in this key's grant", in.SpaceID)}}}, toolOut{}, nil
	}
	if strings.HasPrefix(name, "list_spaces") {
		out.Spaces = spaces
	}
	return nil, out, nil
}
