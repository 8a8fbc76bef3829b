package audit

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// assemble merges directory outcomes and the discovery into a report, in
// the order the data flows: the directories' findings, the discovery's
// (unmanaged and unimportable resources, coverage), then what the user
// asked of the report (redaction, ignore rules, baseline) and the summary.
func assemble(mode Mode, at time.Time, dirs []dirOutcome, inv *inventory.Inventory, ix *liveIndex, discErr error, o Options) *Report {
	rep := &Report{Schema: Schema, GeneratedAt: at, Mode: mode, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{}}
	managed, deleted := rep.addDirs(dirs)
	switch {
	case discErr != nil:
		rep.Partial = true
		rep.Errors = append(rep.Errors, RegionError{Message: "discovery failed: " + discErr.Error()})
		// What is unmanaged is unknown everywhere.
		rep.Coverage = &Coverage{Regions: []CoverageRow{}}
	case inv != nil:
		rep.addDiscovery(inv, ix, managed)
	}
	rep.screen(o)
	sortFindings(rep.Findings)
	rep.summarize(len(deleted))
	return rep
}

// addDirs adds each directory's result and findings, and returns the live
// keys the states manage and those found deleted.
func (rep *Report) addDirs(dirs []dirOutcome) (managed, deleted map[liveKey]bool) {
	managed, deleted = map[liveKey]bool{}, map[liveKey]bool{}
	for _, d := range dirs {
		res := d.result
		res.Resources = []Resource{}
		for _, m := range d.managed {
			res.Resources = append(res.Resources, m.Resource)
			managed[keyOf(m.Resource)] = true
		}
		if res.Error != "" {
			rep.Partial = true
		}
		res.Empty = res.Error == "" && len(d.managed) == 0 && len(d.findings) == 0
		rep.Dirs = append(rep.Dirs, res)
		for _, f := range d.findings {
			if f.Class == ClassDeleted {
				deleted[liveKey{f.Type, f.Region, f.ImportID}] = true
			}
		}
		rep.Findings = append(rep.Findings, d.findings...)
	}
	return managed, deleted
}

// addDiscovery adds what only the discovery knows: its failed regions, the
// live resources no state manages, those that cannot be imported, and the
// coverage per region.
func (rep *Report) addDiscovery(inv *inventory.Inventory, ix *liveIndex, managed map[liveKey]bool) {
	failed := map[string]bool{}
	for _, e := range inv.Errors {
		failed[e.Region] = true
		rep.Partial = true
		rep.Errors = append(rep.Errors, RegionError{Region: e.Region, Message: strings.TrimSpace(e.Operation + " " + e.APIID + ": " + e.Message)})
	}
	perRegion := map[string]*CoverageRow{}
	row := func(region string) *CoverageRow {
		if perRegion[region] == nil {
			perRegion[region] = &CoverageRow{Region: region}
		}
		return perRegion[region]
	}
	for _, region := range inv.Regions {
		row(region)
	}
	for region := range failed {
		if region != "" {
			row(region)
		}
	}
	for k := range ix.values {
		if managed[k] {
			row(k.Region).Managed++
			continue
		}
		row(k.Region).Unmanaged++
		rep.Findings = append(rep.Findings, Finding{
			Class: ClassUnmanaged, Type: k.Type, Region: k.Region, ImportID: k.ImportID,
			Name: ix.names[k], Hint: hintUnmanaged,
		})
	}
	rep.addUnimportable(inv.Skipped)
	// A failed directory's resources count as unmanaged, so every
	// region's coverage is unknown then.
	if rep.Partial && slices.ContainsFunc(rep.Dirs, func(d DirResult) bool { return d.Error != "" }) {
		failed[""] = true
	}
	rep.Coverage = coverage(perRegion, failed)
}

// addUnimportable adds the resources discovery found but cannot import.
func (rep *Report) addUnimportable(skipped []inventory.Skipped) {
	for _, s := range skipped {
		typ, id, name := TypeAPI, s.APIID, s.APIName
		switch {
		case s.Kind != "":
			typ, id, name = kindTypes[s.Kind], inventory.ChildImportID(s.APIID, s.ID), s.ID
		case s.Stage != "":
			typ, id, name = TypeStage, inventory.StageImportID(s.APIID, s.Stage), s.Stage
		}
		rep.Findings = append(rep.Findings, Finding{
			Class: ClassUnimportable, Type: typ, Region: s.Region, ImportID: id, Name: name, Hint: s.Reason,
		})
	}
}

// addCoverage adds c, the coverage of disjoint accounts, to the rows per
// region, for coverage to total: the one sum of several accounts' or
// reports' coverage. A region unknown in c stays unknown; an unknown total
// (a region failed that may hold no row) makes every region unknown, as a
// failed discovery of all regions does.
func addCoverage(perRegion map[string]*CoverageRow, failed map[string]bool, c *Coverage) {
	for _, r := range c.Regions {
		row := perRegion[r.Region]
		if row == nil {
			row = &CoverageRow{Region: r.Region}
			perRegion[r.Region] = row
		}
		row.Managed += r.Managed
		row.Unmanaged += r.Unmanaged
		if r.Percent == nil {
			failed[r.Region] = true
		}
	}
	if c.Total.Percent == nil {
		failed[""] = true
	}
}

// coverage totals the rows. A region whose discovery failed (failed[""]:
// every region) may hold more unmanaged resources than were found: its
// coverage, and so the total, is unknown rather than the flattering ratio
// of what was seen.
func coverage(perRegion map[string]*CoverageRow, failed map[string]bool) *Coverage {
	cov := &Coverage{Regions: []CoverageRow{}}
	for _, region := range slices.Sorted(maps.Keys(perRegion)) {
		r := *perRegion[region]
		if !failed[region] && !failed[""] {
			r.Percent = percent(r.Managed, r.Unmanaged)
		}
		cov.Regions = append(cov.Regions, r)
		cov.Total.Managed += r.Managed
		cov.Total.Unmanaged += r.Unmanaged
	}
	if len(failed) == 0 {
		cov.Total.Percent = percent(cov.Total.Managed, cov.Total.Unmanaged)
	}
	return cov
}

// screen applies what the user asked of the findings: values redacted
// first, so neither fingerprints nor reports hold them, then the ignore
// rules and the baseline.
func (rep *Report) screen(o Options) {
	redact(rep.Findings, o.Redact)
	for i := range rep.Findings {
		rep.Findings[i].Fingerprint = fingerprint(&rep.Findings[i])
	}
	rep.Findings, rep.Summary.Ignored = o.Ignore.apply(rep.Findings)
	markBaseline(rep.Findings, o.Baseline)
}

// summarize counts the managed resources (a deleted resource is no longer
// managed) and the findings.
func (rep *Report) summarize(deleted int) {
	for _, d := range rep.Dirs {
		rep.Summary.Managed += len(d.Resources)
	}
	rep.Summary.Managed -= deleted
	rep.countFindings()
}

// countFindings sets the summary's counts per class and drift as new or
// known from the findings.
func (rep *Report) countFindings() {
	s := &rep.Summary
	s.Changed, s.Deleted, s.Pending, s.Unmanaged, s.Unimportable, s.New, s.Known = 0, 0, 0, 0, 0, 0, 0
	for _, f := range rep.Findings {
		switch f.Class {
		case ClassChanged:
			s.Changed++
		case ClassDeleted:
			s.Deleted++
		case ClassPending:
			s.Pending++
		case ClassUnmanaged:
			s.Unmanaged++
		case ClassUnimportable:
			s.Unimportable++
		}
		if !f.Class.Drift() {
			continue
		}
		if f.Status == StatusKnown {
			s.Known++
		} else {
			s.New++
		}
	}
}
