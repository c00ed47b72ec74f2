package catalog

import (
	"testing"
)

func TestLoad(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, e := range c.Entries() {
		if e.Kind == "named" {
			named++
		}
	}
	if named != 16 {
		t.Errorf("%d named queries, want the console's 16", named)
	}
}
