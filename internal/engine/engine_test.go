package engine

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func fakeLookPath(have ...string) func(string) (string, error) {
	return func(name string) (string, error) {
		for _, h := range have {
			if h == name {
				return "/bin/" + name, nil
			}
		}
		return "", exec.ErrNotFound
	}
}

func TestFindOrder(t *testing.T) {
	cases := []struct {
		name, explicit, env string
		have                []string
		want, wantErr       string
	}{
		{name: "flag wins", explicit: "myterraform", env: "tofu", have: []string{"myterraform", "tofu"}, want: "/bin/myterraform"},
		{name: "env next", env: "terraform", have: []string{"tofu", "terraform"}, want: "/bin/terraform"},
		{name: "tofu before terraform", have: []string{"terraform", "tofu"}, want: "/bin/tofu"},
		{name: "terraform alone", have: []string{"terraform"}, want: "/bin/terraform"},
		{name: "bad flag", explicit: "nope", have: []string{"tofu"}, wantErr: `engine "nope" from --terraform-bin is not an executable`},
		{name: "bad env", env: "nope", have: []string{"tofu"}, wantErr: `engine "nope" from APIGW2TF_TERRAFORM`},
		{name: "none", wantErr: "no terraform or tofu binary found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := find(c.explicit, c.env, fakeLookPath(c.have...))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("find = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestFindNoneIsErrNotFound(t *testing.T) {
	_, err := find("", "", fakeLookPath())
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestIdentify(t *testing.T) {
	cases := []struct{ out, bin, want string }{
		{"OpenTofu v1.12.6\non linux_amd64\n", "/usr/bin/terraform", "tofu"},
		{"Terraform v1.5.7\non linux_amd64\n", "/x/tofu", "terraform"},
		{"\nWarning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\n", "/x/terraform", "tofu"},
		{"", "/x/Tofu-1.12", "tofu"},
		{"", "/x/tf", "terraform"},
	}
	for _, c := range cases {
		if got := identify(c.out, c.bin); got != c.want {
			t.Errorf("identify(%q, %s) = %s, want %s", c.out, c.bin, got, c.want)
		}
	}
}
