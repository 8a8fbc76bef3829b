//go:build linux

package discover

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// caBundleReads points AWS_CA_BUNDLE at a valid one-certificate bundle and
// returns a function that counts how often it has been opened, by inotify.
// Open and close events alternate, so the kernel never merges two opens.
func caBundleReads(t *testing.T) func() int {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Skipf("no inotify here: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if _, err := syscall.InotifyAddWatch(fd, path, syscall.IN_OPEN|syscall.IN_CLOSE_NOWRITE); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", path)
	opens := 0
	buf := make([]byte, 64<<10)
	return func() int {
		for {
			n, err := syscall.Read(fd, buf)
			if err != nil || n <= 0 {
				return opens
			}
			for off := 0; off+syscall.SizeofInotifyEvent <= n; {
				ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
				if ev.Mask&syscall.IN_Q_OVERFLOW != 0 {
					t.Fatal("inotify queue overflowed")
				}
				if ev.Mask&syscall.IN_OPEN != 0 {
					opens++
				}
				off += syscall.SizeofInotifyEvent + int(ev.Len)
			}
		}
	}
}

// TestAccountsLoadTheConfigurationOnce: an organization run loads the AWS
// configuration (and parses AWS_CA_BUNDLE) once, not once per account.
func TestAccountsLoadTheConfigurationOnce(t *testing.T) {
	_, url := serveDemoOrg(t)
	reads := caBundleReads(t)
	base := testOptions(url, "us-east-1", "eu-west-1")
	if _, err := loadConfig(context.Background(), base.withDefaults(), 1); err != nil {
		t.Fatal(err)
	}
	perLoad := reads()
	if perLoad == 0 {
		t.Fatal("loading the configuration did not read AWS_CA_BUNDLE; the test measures nothing")
	}
	orgID, targets, skipped, err := Organization(context.Background(), base, OrgOptions{MemberRoleName: demoOrgRole})
	if err != nil {
		t.Fatal(err)
	}
	before := reads()
	all, err := RunAccounts(context.Background(), AccountsOptions{Options: base, Targets: targets, Skipped: skipped,
		Organization: orgID, ExternalID: demoOrgExternalID})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all.Accounts) - len(all.Failed()); n < 4 {
		t.Fatalf("%d accounts discovered, want at least 4", n)
	}
	if got := reads() - before; got != perLoad {
		t.Errorf("the run of %d accounts read AWS_CA_BUNDLE %d times, want %d (one configuration load)", len(targets), got, perLoad)
	}
}
