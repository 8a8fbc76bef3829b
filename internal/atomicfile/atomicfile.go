// Package atomicfile writes files so that readers never see a half-written
// one: the data goes to a temporary file beside the real file, is synced,
// and is renamed over it.
//
// A symbolic link is followed, so the link stays and the file it names is
// replaced. What is not a regular file (a device such as /dev/null, a named
// pipe, /dev/stdout) is written straight through, since renaming over it
// would replace the device with a file. Directories and sockets are refused.
//
// A writer killed between creating its temporary file and renaming it leaves
// the temporary file behind; the next write into the same directory removes
// such files once they are older than StaleAfter.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// StaleAfter is how old a leftover temporary file must be before a later
// write removes it. An hour is far beyond any write apigw2tf makes, so a
// concurrent writer's live temporary file is never taken.
const StaleAfter = time.Hour

// maxLinks bounds symlink resolution, as the kernel does (ELOOP).
const maxLinks = 40

// tempPattern is the name os.CreateTemp gives for the pattern built in
// writeAtomic: "." + base + ".tmp-" + decimal digits.
var tempPattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// IsTemp reports whether name (a base name) is one of this package's
// temporary files, so that a directory scan can skip it.
func IsTemp(name string) bool { return tempPattern.MatchString(name) }

// Write replaces path with data, atomically. The file gets mode perm.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces path with what fn writes. If fn fails, a regular file
// at path is left as it was and no temporary file remains.
func WriteFunc(path string, perm os.FileMode, fn func(io.Writer) error) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A new file, or a link to one that does not exist yet.
	case err != nil:
		return fmt.Errorf("writing %s: %w", path, err)
	case fi.IsDir():
		return fmt.Errorf("writing %s: it is a directory; name a file inside it", path)
	case fi.Mode()&fs.ModeSocket != 0:
		return fmt.Errorf("writing %s: it is a socket, which cannot be written as a file; name a regular file", path)
	case !fi.Mode().IsRegular():
		return writeThrough(path, fn)
	}
	target, open, err := resolve(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if open {
		return writeThrough(path, fn)
	}
	return writeAtomic(path, target, perm, fn)
}

// resolve follows the symlinks at path to the file they name, which may not
// exist yet. open is true when the chain reaches an already open file
// (/dev/stdout -> /proc/self/fd/1): that descriptor belongs to someone else,
// so it is written through rather than replaced.
func resolve(path string) (target string, open bool, err error) {
	p := path
	for range maxLinks {
		dir, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			return "", false, err
		}
		p = filepath.Join(dir, filepath.Base(p))
		if strings.HasPrefix(p, "/proc/") {
			return p, true, nil
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode()&fs.ModeSymlink == 0) {
			return p, false, nil
		}
		if err != nil {
			return "", false, err
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return "", false, errors.New("too many levels of symbolic links")
}

// writeThrough writes into an existing file that must not be replaced.
func writeThrough(path string, fn func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeAtomic writes target (path after its links) through a temporary
// file in target's directory. Errors name path, the name the user gave.
func writeAtomic(path, target string, perm os.FileMode, fn func(io.Writer) error) (err error) {
	dir := filepath.Dir(target)
	removeStale(dir, time.Now())
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fn(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// removeStale deletes the temporary files that killed writers left in dir.
// It is best effort: a file it cannot remove does not stop the write that
// triggered it, and the next write tries again.
func removeStale(dir string, now time.Time) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !IsTemp(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < StaleAfter {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}
