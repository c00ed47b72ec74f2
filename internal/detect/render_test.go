package detect

import (
	"database/sql"
	"reflect"
	"testing"
)

func TestRender(t *testing.T) {
	q, err := render(`SELECT {{cols}} WHERE p IN ({{$ports}}) AND a = {{$a}} AND b = {{$a}} AND c IN ({{$none}}) ROWS {{#n}}`,
		map[string]any{"ports": []int64{22, 3389}, "a": "x", "none": []string{}, "n": int64(6)},
		map[string]string{"cols": `"srcaddr"`})
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT "srcaddr" WHERE p IN ($ports_1, $ports_2) AND a = $a AND b = $a AND c IN (NULL) ROWS 6`
	if q.SQL != want {
		t.Errorf("got  %s\nwant %s", q.SQL, want)
	}
	args := []any{sql.Named("ports_1", int64(22)), sql.Named("ports_2", int64(3389)), sql.Named("a", "x")}
	if !reflect.DeepEqual(q.Args, args) {
		t.Errorf("args %v", q.Args)
	}
	// Stored parameters bind back to the same arguments.
	back := bindArgs(map[string]any{"ports": []int64{22, 3389}, "a": "x", "none": []string{}})
	if len(back) != 3 {
		t.Errorf("bindArgs: %v", back)
	}
	for _, bad := range []string{"{{$missing}}", "{{nope}}", "{{$a", "{{#a}}"} {
		if _, err := render(bad, map[string]any{"a": "x"}, nil); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestDecodeParams(t *testing.T) {
	got, err := decodeParams(`{"entity":"10.0.0.1","port":22,"share":0.5,"ports":[22,80],"addrs":["a","b"],"none":null}`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"entity": "10.0.0.1", "port": int64(22), "share": 0.5, "ports": []int64{22, 80},
		"addrs": []string{"a", "b"}, "none": nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v", got)
	}
}

func TestMergeRows(t *testing.T) {
	d := &Detector{ID: "x", Sum: []string{"records"}}
	rows := []row{
		{"entity_id": int64(1), "peer_id": int64(2), "w_start": int64(1200), "w_end": int64(1800), "first_seen": int64(1300), "last_seen": int64(1700),
			"severity": "low", "tier": "a", "records": int64(5), "ports": int64(40), "enis": []any{int64(1)}},
		{"entity_id": int64(1), "peer_id": int64(2), "w_start": int64(600), "w_end": int64(1200), "first_seen": int64(700), "last_seen": int64(1199),
			"severity": "medium", "tier": "b", "records": int64(3), "ports": int64(60), "enis": []any{int64(2)}},
		// a gap: a separate finding
		{"entity_id": int64(1), "peer_id": int64(2), "w_start": int64(3000), "w_end": int64(3600), "first_seen": int64(3000), "last_seen": int64(3001),
			"severity": "low", "tier": "a", "records": int64(1), "ports": int64(1)},
		// another peer: a separate finding
		{"entity_id": int64(1), "peer_id": int64(3), "w_start": int64(1200), "w_end": int64(1800), "first_seen": int64(1200), "last_seen": int64(1201),
			"severity": "low", "tier": "a", "records": int64(1), "ports": int64(1)},
	}
	out := mergeRows(d, rows)
	if len(out) != 3 {
		t.Fatalf("%d rows: %v", len(out), out)
	}
	m := out[0]
	if m["w_start"] != int64(600) || m["w_end"] != int64(1800) || m["first_seen"] != int64(700) || m["last_seen"] != int64(1700) ||
		m["records"] != int64(8) || m["ports"] != int64(60) || m["severity"] != "medium" || m["tier"] != "b" || len(m["enis"].([]any)) != 2 {
		t.Errorf("merged: %v", m)
	}
}
