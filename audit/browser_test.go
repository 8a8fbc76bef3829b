package audit

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/inventory"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// chromium finds a headless-capable Chromium, or skips the test (fails
// under CI=true, where .ci/run installs Debian's chromium package).
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.MissingTool(t, "no chromium on PATH; install Debian's chromium package (apt-get install -y chromium) to run the HTML report test")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// TestHTMLReportInBrowser opens the report in headless Chromium: the script
// must run (rows counted, a filter from the URL applied) and a screenshot
// must show the coverage chart's managed and unmanaged bars.
func TestHTMLReportInBrowser(t *testing.T) {
	bin := chromium(t)
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	dir := t.TempDir()
	if _, err := WriteReports(rep, []string{"html"}, dir); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.Join(dir, FileName("html"))

	dom := runChromium(t, bin, "--dump-dom", url)
	for _, want := range []string{`data-ready="true"`, "Showing 5 of 5 findings", `<rect x="130"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	filtered := runChromium(t, bin, "--dump-dom", url+"#q=b2")
	if !strings.Contains(filtered, "Showing 2 of 5 findings") {
		t.Errorf("filter q=b2 did not leave the 2 findings of api b2")
	}
	byClass := runChromium(t, bin, "--dump-dom", url+"#class=unimportable")
	if !strings.Contains(byClass, "Showing 1 of 5 findings") {
		t.Errorf("class filter did not leave the 1 unimportable finding")
	}

	shot := filepath.Join(dir, "report.png")
	runChromium(t, bin, "--screenshot="+shot, "--window-size=1200,1400", "--hide-scrollbars", url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	// Count the chart's colours (CSS --managed and --unmanaged).
	var managed, unmanaged int
	colours := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint32{r >> 8, g >> 8, bl >> 8}
			colours[c] = true
			switch c {
			case [3]uint32{0x16, 0xa3, 0x4a}:
				managed++
			case [3]uint32{0xea, 0x58, 0x0c}:
				unmanaged++
			}
		}
	}
	if len(colours) < 50 {
		t.Errorf("screenshot has %d colours; the page did not render", len(colours))
	}
	// Two bars (region and total) of 20 px height, half managed each.
	if managed < 2*20*150 || unmanaged < 2*20*150 {
		t.Errorf("chart bars: %d managed and %d unmanaged pixels; want at least %d of each", managed, unmanaged, 2*20*150)
	}
}
