package detect

import (
	"slices"
	"strings"
	"testing"
)

// --only takes detector ids and group names (the "--only port-scan,exfil"), in any case,
// and names what it knows when a name is unknown.
func TestSelect(t *testing.T) {
	all, err := Detectors()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Select(all, []string{"EXFIL", " port-scan", "large-flow"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if want := []string{"port-scan", "exfil-volume", "large-flow"}; !slices.Equal(ids, want) {
		t.Errorf("selected %v, want %v (run order, no repeats)", ids, want)
	}
	for g, members := range Groups() {
		for _, id := range members {
			if !slices.Contains(IDs(), id) {
				t.Errorf("group %s names unknown detector %s", g, id)
			}
		}
	}
	_, err = Select(all, []string{"exfiltration"})
	if err == nil || !strings.Contains(err.Error(), "groups: beacon, brute") || !strings.Contains(err.Error(), "exfil-volume") {
		t.Errorf("unknown name: %v", err)
	}
	if got, _ := Select(all, nil); len(got) != len(IDs()) {
		t.Errorf("no --only: %d detectors", len(got))
	}
}
