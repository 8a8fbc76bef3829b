package engine

import "testing"

func TestDecodePulledLeavesToTheEngine(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		ok        bool
		address   string
	}{
		{"no state yet", "", true, ""},
		{"plain", `{"version":4,"resources":[{"mode":"managed","type":"aws_x","name":"y","instances":[{"attributes":{"id":"1"}}]}]}`, true, "aws_x.y"},
		{"key", `{"version":4,"resources":[{"module":"module.m[\"a-b\"]","mode":"managed","type":"aws_x","name":"y","instances":[{"index_key":"k.1","attributes":{}}]}]}`, true, `module.m["a-b"].aws_x.y["k.1"]`},
		{"key to escape", `{"version":4,"resources":[{"mode":"managed","type":"aws_x","name":"y","instances":[{"index_key":"a\"b","attributes":{}}]}]}`, false, ""},
		{"template sequence in key", `{"version":4,"resources":[{"mode":"managed","type":"aws_x","name":"y","instances":[{"index_key":"${a}","attributes":{}}]}]}`, false, ""},
		{"module key to escape", `{"version":4,"resources":[{"module":"module.m[\"a\\\\b\"]","mode":"managed","type":"aws_x","name":"y","instances":[{"attributes":{}}]}]}`, false, ""},
		{"module step in a key", `{"version":4,"resources":[{"module":"module.m[\"x.module.y\"]","mode":"managed","type":"aws_x","name":"y","instances":[{"attributes":{}}]}]}`, false, ""},
		{"flat attributes", `{"version":4,"resources":[{"mode":"managed","type":"aws_x","name":"y","instances":[{"attributes_flat":{"id":"1"}}]}]}`, false, ""},
		{"older format", `{"version":3,"modules":[]}`, false, ""},
		{"encrypted", `{"serial":1,"lineage":"l","meta":{},"encrypted_data":"abc","encryption_version":"v0"}`, false, ""},
		{"not json", `Warning: …`, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := decodePulled([]byte(tc.raw))
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if tc.address == "" {
				return
			}
			m := st.Values.RootModule
			for len(m.ChildModules) > 0 {
				m = m.ChildModules[0]
			}
			if len(m.Resources) != 1 || m.Resources[0].Address != tc.address {
				t.Errorf("resources = %+v, want one at %s", m.Resources, tc.address)
			}
		})
	}
}
