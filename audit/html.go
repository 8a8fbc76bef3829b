package audit

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed html/report.html.tmpl
var htmlTemplate string

//go:embed html/report.css
var htmlCSS string

//go:embed html/report.js
var htmlJS string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"value":  formatValue,
	"change": changeSymbol,
	"add":    func(a, b int) int { return a + b },
	"label":  func(f Finding) string { return f.label() },
	"pct":    percentText,
}).Parse(htmlTemplate))

// chartBar is one region's bar in the coverage chart, in SVG units.
type chartBar struct {
	CoverageRow
	Y, ManagedW, UnmanagedW int
}

type htmlData struct {
	R        *Report
	Headline string
	Verdict  string // css class: failed, drift or clean
	CSS      template.CSS
	JS       template.JS
	Bars     []chartBar
	ChartH   int
	Classes  []Class
	// Accounts is the per-account coverage, least covered first.
	Accounts []AccountCoverage
}

const chartWidth = 400

func renderHTML(w io.Writer, r *Report) error {
	d := htmlData{
		R:        r,
		Headline: r.headline(),
		Verdict:  r.verdictClass(),
		CSS:      template.CSS(htmlCSS),
		JS:       template.JS(htmlJS),
		Classes:  Classes,
	}
	if c := r.Coverage; c != nil {
		rows := append(append([]CoverageRow{}, c.Regions...), CoverageRow{Region: "total", Managed: c.Total.Managed, Unmanaged: c.Total.Unmanaged, Percent: c.Total.Percent})
		for i, row := range rows {
			b := chartBar{CoverageRow: row, Y: 10 + i*28}
			if n := row.Managed + row.Unmanaged; n > 0 {
				b.ManagedW = row.Managed * chartWidth / n
				b.UnmanagedW = chartWidth - b.ManagedW
			}
			d.Bars = append(d.Bars, b)
		}
		d.ChartH = 20 + len(rows)*28
		d.Accounts = worstAccounts(c.Accounts)
	}
	if err := reportTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("rendering html report: %w", err)
	}
	return nil
}

func changeSymbol(action string) string {
	switch action {
	case ActionAdd:
		return "+"
	case ActionRemove:
		return "-"
	}
	return "~"
}
