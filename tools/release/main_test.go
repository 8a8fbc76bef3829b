package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/release"
)

var date = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// TestReleaseLinuxAMD64 builds the linux/amd64 part of a release and checks
// what a user downloads: the archive's files, the SBOM, the checksum file,
// and the binary printing the stamped version. A second build is identical.
func TestReleaseLinuxAMD64(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles apigw2tf; skipped with -short")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	linux := Platform{OS: "linux", Arch: "amd64"}
	o := Options{Version: "v9.8.7", Commit: "0123456789abcdef", Date: date, Repo: repo, Platforms: []Platform{linux}}
	build := func() string {
		o.Out = t.TempDir()
		var log bytes.Buffer
		if err := Build(context.Background(), o, &log); err != nil {
			t.Fatal(err)
		}
		return o.Out
	}
	dist := build()
	archive := "apigw2tf_9.8.7_linux_amd64.tar.gz"
	sbom := archive + ".sbom.cdx.json"
	sums := "apigw2tf_9.8.7_checksums.txt"
	if got := dirNames(t, dist); !slices.Equal(got, []string{sums, archive, sbom}) {
		t.Fatalf("dist holds %v", got)
	}

	files := readTarGz(t, filepath.Join(dist, archive))
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, []string{"README.md", "apigw2tf", "docs/install.md"}) {
		t.Fatalf("archive holds %v", got)
	}
	readme, _ := os.ReadFile(filepath.Join(repo, "README.md"))
	if !bytes.Equal(files["README.md"], readme) {
		t.Error("archived README.md differs from the repository's")
	}

	// The checksum file covers the archive and the SBOM, in sha256sum's format.
	text, _ := os.ReadFile(filepath.Join(dist, sums))
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if len(lines) != 2 {
		t.Fatalf("checksums:\n%s", text)
	}
	for _, l := range lines {
		sum, name, ok := strings.Cut(l, "  ")
		data, err := os.ReadFile(filepath.Join(dist, name))
		if !ok || err != nil {
			t.Fatalf("checksum line %q: %v", l, err)
		}
		if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != sum {
			t.Errorf("checksum of %s is wrong", name)
		}
	}

	// The SBOM lists the modules linked in, e.g. the AWS SDK and cobra.
	var doc struct {
		BOMFormat  string `json:"bomFormat"`
		Components []struct{ Name, Version, PURL string }
	}
	b, _ := os.ReadFile(filepath.Join(dist, sbom))
	if err := json.Unmarshal(b, &doc); err != nil || doc.BOMFormat != "CycloneDX" {
		t.Fatalf("sbom: %v\n%s", err, b)
	}
	var names []string
	for _, c := range doc.Components {
		names = append(names, c.Name)
	}
	for _, want := range []string{"github.com/aws/aws-sdk-go-v2/service/apigatewayv2", "github.com/spf13/cobra", "stdlib"} {
		if !slices.Contains(names, want) {
			t.Errorf("sbom lacks %s", want)
		}
	}

	if runtime.GOOS+"/"+runtime.GOARCH == linux.String() {
		bin := filepath.Join(t.TempDir(), "apigw2tf")
		if err := os.WriteFile(bin, files["apigw2tf"], 0o755); err != nil {
			t.Fatal(err)
		}
		want := "apigw2tf v9.8.7 (commit 0123456789abcdef, built 2026-01-02T03:04:05Z, go"
		for _, args := range [][]string{{"version"}, {"--version"}} {
			out, err := exec.Command(bin, args...).Output()
			if err != nil || !strings.HasPrefix(string(out), want) {
				t.Errorf("apigw2tf %v: %q, %v; want %q…", args, out, err, want)
			}
		}
	}

	again := build()
	for _, name := range []string{archive, sbom, sums} {
		a, _ := os.ReadFile(filepath.Join(dist, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds of the same commit", name)
		}
	}
}

// TestPlatformsAndNames: six platforms, Windows as zip.
func TestPlatformsAndNames(t *testing.T) {
	var got []string
	for _, p := range release.Platforms {
		got = append(got, p.Archive("v1.2.3"))
	}
	want := []string{
		"apigw2tf_1.2.3_linux_amd64.tar.gz", "apigw2tf_1.2.3_linux_arm64.tar.gz",
		"apigw2tf_1.2.3_darwin_amd64.tar.gz", "apigw2tf_1.2.3_darwin_arm64.tar.gz",
		"apigw2tf_1.2.3_windows_amd64.zip", "apigw2tf_1.2.3_windows_arm64.zip",
	}
	if !slices.Equal(got, want) {
		t.Errorf("archives %v, want %v", got, want)
	}
}

// TestZipHoldsTheExe: the Windows archive has apigw2tf.exe and the docs.
func TestZipHoldsTheExe(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "apigw2tf.exe")
	if err := os.WriteFile(fake, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeZip(&buf, archiveEntries(Platform{OS: "windows", Arch: "arm64"}, fake, filepath.Join("..", "..")), date); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(date) {
			t.Errorf("%s dated %v, want the build date", f.Name, f.Modified)
		}
	}
	if !slices.Equal(names, []string{"apigw2tf.exe", "README.md", "docs/install.md"}) {
		t.Errorf("zip holds %v", names)
	}
}

func TestValidate(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old.tar.gz"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Version: "v1.2", Commit: "c", Out: t.TempDir()}, "not a release version"},
		{Options{Version: "0a1b2c3-dirty", Commit: "c", Out: t.TempDir()}, "not a release version"},
		{Options{Version: "v1.2.3", Commit: "c", Out: full}, "is not empty"},
		{Options{Version: "v1.2.3", Out: t.TempDir()}, "-commit"},
		{Options{Version: "a b", Commit: "c", Snapshot: true, Out: t.TempDir()}, "spaces"},
	} {
		if err := tc.o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
	for _, o := range []Options{
		{Version: "v1.2.3", Commit: "c", Out: t.TempDir()},
		{Version: "v1.2.3-rc.1", Commit: "c", Out: filepath.Join(t.TempDir(), "new")},
		{Version: "0a1b2c3-dirty-SNAPSHOT", Commit: "c", Snapshot: true, Out: t.TempDir()},
	} {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func readTarGz(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(date) {
			t.Errorf("%s dated %v, want the build date", h.Name, h.ModTime)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = b
	}
}
