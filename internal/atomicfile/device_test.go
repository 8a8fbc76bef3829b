//go:build linux

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteDeviceWritesThrough: a device is written into, never replaced by
// a regular file (as root, a rename over /dev/null would succeed).
func TestWriteDeviceWritesThrough(t *testing.T) {
	null := charDevice(t, "null", 3)
	before, err := os.Stat(null)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(null, []byte("discarded"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(null)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode()&fs.ModeDevice == 0 || !os.SameFile(before, after) {
		t.Fatalf("%s was replaced: mode %v", null, after.Mode())
	}
	// A link to a device (as /dev/stdout often is) is written through too.
	link := filepath.Join(t.TempDir(), "null")
	if err := os.Symlink(null, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("discarded"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("link to the device replaced")
	}
}

// TestWriteFullDeviceFails: a device that refuses the bytes is an error
// naming it, and stays a device.
func TestWriteFullDeviceFails(t *testing.T) {
	full := charDevice(t, "full", 7)
	err := Write(full, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), full) {
		t.Fatalf("err = %v, want an error naming %s", err, full)
	}
	if fi, _ := os.Stat(full); fi.Mode()&fs.ModeDevice == 0 {
		t.Fatalf("%s was replaced", full)
	}
}

// charDevice returns a path to the memory device 1:minor (3 null, 7 full).
// As root it makes its own node in a temporary directory, because a broken
// WriteFunc running as root would replace the system's /dev/null for every
// process on the machine; without root the system's node cannot be
// replaced, so it is safe to use.
func charDevice(t *testing.T, name string, minor int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		p := "/dev/" + name
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("no %s: %v", p, err)
		}
		return p
	}
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|minor); err != nil {
		t.Skipf("root without the right to make device nodes (%v); the system's /dev/%s is not risked", err, name)
	}
	return p
}
