package audit

import (
	"context"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
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

// TestHTMLReportRowsOpen: diffs start hidden behind a ▸ marker; clicking a
// row (the report's #open= link clicks it, as a reader would) shows that
// finding's diff and no other, and "Expand all" shows every diff.
func TestHTMLReportRowsOpen(t *testing.T) {
	bin := chromium(t)
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	var target *Finding
	for i := range rep.Findings {
		if len(rep.Findings[i].Changes) > 0 {
			target = &rep.Findings[i]
			break
		}
	}
	if target == nil {
		t.Fatal("the scenario has no finding with attribute changes")
	}
	dir := t.TempDir()
	if _, err := WriteReports(rep, []string{"html"}, dir); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.Join(dir, FileName("html"))
	findings := func(dom string) map[string]string { // import id -> its tbody
		out := map[string]string{}
		for _, chunk := range strings.Split(dom, `<tbody class="finding"`)[1:] {
			body, _, _ := strings.Cut(chunk, "</tbody>")
			if m := regexp.MustCompile(`<td data-v="([^"]*)"><code>[^<]*</code></td><td data-v="[0-9]+">`).FindStringSubmatch(body); m != nil {
				out[html.UnescapeString(m[1])] = body
			}
		}
		return out
	}
	opens := func(body string) bool { return strings.Contains(body, `aria-expanded=`) }
	shown := func(body string) bool {
		return strings.Contains(body, `aria-expanded="true"`) && strings.Contains(body, `<tr class="detail">`)
	}

	closed := findings(runChromium(t, bin, "--dump-dom", url))
	if len(closed) != len(rep.Findings) {
		t.Fatalf("found %d findings in the DOM, want %d", len(closed), len(rep.Findings))
	}
	for id, body := range closed {
		if shown(body) {
			t.Errorf("finding %s is open before any click", id)
		}
	}
	if !opens(closed[target.ImportID]) || !strings.Contains(closed[target.ImportID], `class="marker"`) {
		t.Errorf("finding %s with changes has no disclosure marker:\n%s", target.ImportID, closed[target.ImportID])
	}

	clicked := findings(runChromium(t, bin, "--dump-dom", url+"#open="+target.ImportID))
	body := clicked[target.ImportID]
	if !shown(body) {
		t.Fatalf("after a click the diff of %s is still hidden:\n%s", target.ImportID, body)
	}
	if !strings.Contains(body, "<code>"+html.EscapeString(target.Changes[0].Path)+"</code>") {
		t.Errorf("the open diff does not show attribute %s:\n%s", target.Changes[0].Path, body)
	}
	for id, b := range clicked {
		if id != target.ImportID && shown(b) {
			t.Errorf("clicking %s also opened %s", target.ImportID, id)
		}
	}

	dom := runChromium(t, bin, "--dump-dom", url+"#expand=all")
	for id, b := range findings(dom) {
		if opens(b) && !shown(b) {
			t.Errorf("expand all left %s closed", id)
		}
	}
	if !strings.Contains(dom, `aria-pressed="true">Collapse all</button>`) {
		t.Error(`after "Expand all" the button does not offer "Collapse all"`)
	}
}
