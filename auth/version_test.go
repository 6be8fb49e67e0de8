package auth

import "testing"

func TestGenerationOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   Generation
	}{
		{"2025-11-08", GenCurrent},
		{"2025-05-20", GenCurrent},
		{"2026-03-01", GenCurrent}, // later dates still speak the current schema
		{"2025-04-22", GenLegacy},
		{"2025-03-17", GenOldest},
		{"2025-02-12", GenOldest},
		{"", GenUnknown},
		{"2025-5-20", GenUnknown},
		{"2025-05-20 ", GenUnknown},
		{"2025/05/20", GenUnknown},
		{"2025-0a-20", GenUnknown},
		{"v2025-05-20", GenUnknown},
	}
	for _, tt := range tests {
		if got := generationOf(tt.header); got != tt.want {
			t.Errorf("generationOf(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
