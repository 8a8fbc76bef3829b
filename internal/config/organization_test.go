package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrganizationProblems(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"no member role":    {"organization:\n  regions: [us-east-1]\n", "3:3: organization needs member_role_name"},
		"arn as role name":  {"organization:\n  member_role_name: arn:aws:iam::1:role/x\n  regions: [us-east-1]\n", `3:21: organization.member_role_name "arn:aws:iam::1:role/x" is not an IAM role name`},
		"bad unit":          {"organization:\n  member_role_name: r\n  regions: [us-east-1]\n  organizational_units: [prod]\n", `is not an organizational unit id`},
		"short external id": {"organization:\n  member_role_name: r\n  regions: [us-east-1]\n  external_id: x\n", "external_id must be 2 to 1224 characters"},
		"no regions":        {"organization:\n  member_role_name: r\n", "organization needs regions"},
		"both sources":      {"accounts:\n  - {profile: p, regions: [us-east-1]}\norganization:\n  member_role_name: r\n  regions: [us-east-1]\n", "accounts and organization are both set"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), DefaultFile)
			if err := os.WriteFile(path, []byte("version: 1\n"+tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range Validate(path) {
				got = append(got, p.String())
			}
			if !strings.Contains(strings.Join(got, "\n"), tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}
