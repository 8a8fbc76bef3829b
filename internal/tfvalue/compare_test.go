package tfvalue

import (
	"reflect"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestCompareExact covers the plan's view (generate verify, migrate
// verify); audit's TestDiffAttributes covers Drift with audit's schema.
func TestCompareExact(t *testing.T) {
	tests := []struct {
		name                           string
		before, after                  string
		beforeSens, afterSens, unknown string
		want                           []Diff
	}{
		{name: "equal", before: `{"a":{"b":[1,2]}}`, after: `{"a":{"b":[1,2]}}`},
		{
			name:   "leaves in key order, dotted",
			before: `{"tags":{"z":"1","a.b":"x"},"name":"n"}`,
			after:  `{"tags":{"z":"2","a.b":"y"},"name":"n"}`,
			want: []Diff{
				{Path: "tags.a.b", Action: Update, Before: "x", After: "y"},
				{Path: "tags.z", Action: Update, Before: "1", After: "2"},
			},
		},
		{
			name:   "null and empty string differ; absent is null",
			before: `{"d":null,"e":""}`,
			after:  `{"d":"","f":"x"}`,
			want: []Diff{
				{Path: "d", Action: Update, Before: nil, After: ""},
				{Path: "e", Action: Remove, Before: "", After: nil},
				{Path: "f", Action: Add, Before: nil, After: "x"},
			},
		},
		{
			name:   "lists of one length by position, of two lengths whole",
			before: `{"l":[1,2],"m":[1]}`,
			after:  `{"l":[1,3],"m":[1,2]}`,
			want: []Diff{
				{Path: "l[1]", Action: Update, Before: 2.0, After: 3.0},
				{Path: "m", Action: Update, Before: []any{1.0}, After: []any{1.0, 2.0}},
			},
		},
		{
			name:       "a sensitive subtree masks each leaf below it",
			before:     `{"v":{"a":"s1","b":"p"}}`,
			after:      `{"v":{"a":"s2","b":"q"}}`,
			beforeSens: `{"v":true}`,
			afterSens:  `{"v":{"b":true}}`,
			want: []Diff{
				{Path: "v.a", Action: Update, Before: SensitiveMask, After: "s2", BeforeSensitive: true},
				{Path: "v.b", Action: Update, Before: SensitiveMask, After: SensitiveMask, BeforeSensitive: true, AfterSensitive: true},
			},
		},
		{
			name:    "unknown after apply",
			before:  `{"deployment_id":"d1","l":["x"]}`,
			after:   `{"l":["x"]}`,
			unknown: `{"deployment_id":true,"l":[false]}`,
			want:    []Diff{{Path: "deployment_id", Action: Update, Before: "d1", After: UnknownMask, AfterUnknown: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(Change{testenv.JSON(t, tt.before), testenv.JSON(t, tt.after), testenv.JSON(t, tt.beforeSens), testenv.JSON(t, tt.afterSens), testenv.JSON(t, tt.unknown)}, Options{})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Compare:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestCompareDriftSortsByPath(t *testing.T) {
	got := Compare(Change{Before: testenv.JSON(t, `{"a":{"b":1},"a-b":1}`), After: testenv.JSON(t, `{"a":{"b":2},"a-b":2}`)}, Options{Drift: true})
	var paths []string
	for _, d := range got {
		paths = append(paths, d.Path)
	}
	if want := []string{"a-b", "a.b"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
}

func TestOverlayUnknown(t *testing.T) {
	got := OverlayUnknown(testenv.JSON(t, `{"a":"x","l":[1]}`), testenv.JSON(t, `{"b":true,"l":[false,true]}`))
	want := map[string]any{"a": "x", "b": UnknownMask, "l": []any{1.0, UnknownMask}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OverlayUnknown = %#v, want %#v", got, want)
	}
}

func TestTopAttribute(t *testing.T) {
	for in, want := range map[string]string{"tags": "tags", `tags["a.b"]`: "tags", "x[0].y": "x", "a.b": "a"} {
		if got := TopAttribute(in); got != want {
			t.Errorf("TopAttribute(%q) = %q, want %q", in, got, want)
		}
	}
}
