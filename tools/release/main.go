// Command release builds apigw2tf's release: an archive per platform
// (linux, darwin, windows on amd64 and arm64) holding the binary, README.md
// and docs/install.md; a CycloneDX SBOM per archive, made offline from the
// module list Go records in the binary; and a SHA-256 checksum file over
// all of them, in the format `sha256sum -c` reads. The binaries carry the
// version, commit and date that `apigw2tf version` prints. Archives are
// reproducible: every entry has the build date as its time.
//
//	go run ./tools/release -version v0.2.0 -commit $(git rev-parse HEAD) -date 2026-01-01T00:00:00Z -out dist
//	go run ./tools/release -snapshot -out dist     # any version string, no tag needed
//
// `make release` and `make release-snapshot` call it.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/release"
)

// Platform is one target of the release.
type Platform = release.Platform

// Docs are the repository files every archive carries beside the binary.
var Docs = []string{"README.md", "docs/install.md"}

var releaseVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

// Options say what to build.
type Options struct {
	Version, Commit string
	Date            time.Time
	Out             string     // directory; created, must be empty or absent
	Repo            string     // module root
	Platforms       []Platform // default release.Platforms
	Snapshot        bool       // any version; a release needs vX.Y.Z
}

func main() {
	var o Options
	var date, targets string
	flag.StringVar(&o.Version, "version", "", "version to stamp, vX.Y.Z (a release) or anything with -snapshot")
	flag.StringVar(&o.Commit, "commit", "", "commit to stamp (default: git rev-parse HEAD)")
	flag.StringVar(&date, "date", "", "build date, RFC 3339 (default: the commit's date, so rebuilds are identical)")
	flag.StringVar(&o.Out, "out", "dist", "output directory; must be empty or absent")
	flag.StringVar(&targets, "targets", "", "comma-separated GOOS/GOARCH subset (default: all six)")
	flag.BoolVar(&o.Snapshot, "snapshot", false, "build a snapshot: the version defaults to git describe plus -SNAPSHOT and need not be a tag")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := o.fill(ctx, date, targets); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
	if err := Build(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// fill completes o from git and the flags.
func (o *Options) fill(ctx context.Context, date, targets string) error {
	root, err := git(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return fmt.Errorf("finding the repository: %w", err)
	}
	o.Repo = root
	if o.Commit == "" {
		if o.Commit, err = git(ctx, root, "rev-parse", "HEAD"); err != nil {
			return err
		}
	}
	if o.Version == "" && o.Snapshot {
		desc, err := git(ctx, root, "describe", "--tags", "--always", "--dirty")
		if err != nil {
			return err
		}
		o.Version = desc + "-SNAPSHOT"
	}
	if date == "" {
		if date, err = git(ctx, root, "show", "-s", "--format=%cI", o.Commit); err != nil {
			return err
		}
	}
	if o.Date, err = time.Parse(time.RFC3339, date); err != nil {
		return fmt.Errorf("-date %q: want RFC 3339, like 2026-01-01T00:00:00Z", date)
	}
	o.Date = o.Date.UTC()
	if targets != "" {
		for _, t := range strings.Split(targets, ",") {
			p, err := parsePlatform(t)
			if err != nil {
				return err
			}
			o.Platforms = append(o.Platforms, p)
		}
	}
	return nil
}

func parsePlatform(s string) (Platform, error) {
	for _, p := range release.Platforms {
		if p.String() == s {
			return p, nil
		}
	}
	return Platform{}, fmt.Errorf("-targets: %q is not one of the release's platforms (%v)", s, release.Platforms)
}

// Validate checks o before anything is built.
func (o *Options) Validate() error {
	switch {
	case o.Version == "":
		return errors.New("-version is required (or -snapshot)")
	case !o.Snapshot && !releaseVersion.MatchString(o.Version):
		return fmt.Errorf("-version %q is not a release version like v1.2.3; tag the commit, or build a -snapshot", o.Version)
	case strings.ContainsAny(o.Version, " /\\"):
		return fmt.Errorf("-version %q must not contain spaces or slashes: it names the archives", o.Version)
	case o.Commit == "":
		return errors.New("-commit is required")
	}
	if ents, err := os.ReadDir(o.Out); err == nil && len(ents) > 0 {
		return fmt.Errorf("-out %s is not empty; remove it or name another directory", o.Out)
	}
	return nil
}

// Build writes the release into o.Out, reporting one line per archive to log.
func Build(ctx context.Context, o Options, log io.Writer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if len(o.Platforms) == 0 {
		o.Platforms = release.Platforms
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", o.Out, err)
	}
	work, err := os.MkdirTemp("", "apigw2tf-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var files []string
	for _, p := range o.Platforms {
		bin := filepath.Join(work, p.OS+"_"+p.Arch, p.Binary())
		if err := compile(ctx, o, p, bin); err != nil {
			return err
		}
		archive := p.Archive(o.Version)
		if err := writeArchive(filepath.Join(o.Out, archive), p, bin, o); err != nil {
			return fmt.Errorf("archiving %s: %w", p, err)
		}
		sbom := archive + ".sbom.cdx.json"
		if err := writeSBOM(filepath.Join(o.Out, sbom), bin, o, p); err != nil {
			return fmt.Errorf("sbom of %s: %w", p, err)
		}
		files = append(files, archive, sbom)
		fmt.Fprintf(log, "release: %s -> %s\n", p, filepath.Join(o.Out, archive))
	}
	sums := release.ChecksumFile(o.Version)
	if err := writeChecksums(o.Out, sums, files); err != nil {
		return err
	}
	fmt.Fprintf(log, "release: checksums -> %s\n", filepath.Join(o.Out, sums))
	return nil
}

func compile(ctx context.Context, o Options, p Platform, out string) error {
	ldflags := fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.date=%s", o.Version, o.Commit, o.Date.Format(time.RFC3339))
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", out, "./cmd/apigw2tf")
	cmd.Dir = o.Repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", p, err, b)
	}
	return nil
}

// entry is one file of an archive: its name inside and where it comes from.
type entry struct {
	name, src string
	mode      os.FileMode
}

func archiveEntries(p Platform, bin, repo string) []entry {
	es := []entry{{p.Binary(), bin, 0o755}}
	for _, d := range Docs {
		es = append(es, entry{d, filepath.Join(repo, d), 0o644})
	}
	return es
}

func writeArchive(path string, p Platform, bin string, o Options) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	es := archiveEntries(p, bin, o.Repo)
	if p.OS == "windows" {
		err = writeZip(f, es, o.Date)
	} else {
		err = writeTarGz(f, es, o.Date)
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func writeTarGz(w io.Writer, es []entry, mtime time.Time) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, e := range es {
		data, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: e.name, Mode: int64(e.mode), Size: int64(len(data)), ModTime: mtime, Format: tar.FormatPAX, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, es []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range es {
		data, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(e.mode)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeSBOM writes a CycloneDX 1.5 document listing the modules linked into
// bin, read from the build information Go embeds: what is really in the
// binary, and no network needed.
func writeSBOM(path, bin string, o Options, p Platform) error {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return err
	}
	type component struct {
		Type    string `json:"type"`
		Name    string `json:"name"`
		Version string `json:"version"`
		PURL    string `json:"purl"`
	}
	purl := func(path, version string) string { return "pkg:golang/" + path + "@" + version }
	main := component{Type: "application", Name: "apigw2tf", Version: o.Version, PURL: purl(bi.Main.Path, o.Version)}
	var comps []component
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		comps = append(comps, component{Type: "library", Name: d.Path, Version: d.Version, PURL: purl(d.Path, d.Version)})
	}
	comps = append(comps, component{Type: "library", Name: "stdlib", Version: bi.GoVersion, PURL: purl("stdlib", bi.GoVersion)})
	doc := map[string]any{
		"bomFormat":   "CycloneDX",
		"specVersion": "1.5",
		"version":     1,
		"metadata": map[string]any{
			"timestamp":  o.Date.Format(time.RFC3339),
			"component":  main,
			"properties": []map[string]string{{"name": "platform", "value": p.String()}, {"name": "commit", "value": o.Commit}},
		},
		"components": comps,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeChecksums(dir, name string, files []string) error {
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f)
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644)
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}
