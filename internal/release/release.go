// Package release names what a release of apigw2tf is made of: the
// platforms, the archive of each and the checksum file. tools/release
// builds them; the examples and docs that download them are checked
// against these names.
package release

import (
	"fmt"
	"strings"
)

// Platform is one GOOS/GOARCH pair.
type Platform struct{ OS, Arch string }

// Platforms are the release's targets, in the order they are built.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Binary is the executable's name inside the archive.
func (p Platform) Binary() string {
	if p.OS == "windows" {
		return "apigw2tf.exe"
	}
	return "apigw2tf"
}

// Archive is the name of p's archive for version (with or without its v).
func (p Platform) Archive(version string) string {
	ext := ".tar.gz"
	if p.OS == "windows" {
		ext = ".zip"
	}
	return fmt.Sprintf("apigw2tf_%s_%s_%s%s", strings.TrimPrefix(version, "v"), p.OS, p.Arch, ext)
}

// ChecksumFile is the name of the SHA-256 checksum file for version.
func ChecksumFile(version string) string {
	return fmt.Sprintf("apigw2tf_%s_checksums.txt", strings.TrimPrefix(version, "v"))
}
