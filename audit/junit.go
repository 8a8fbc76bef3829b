package audit

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// renderJUnit writes one test case per managed resource (a failure when it
// drifted), one failing case per unmanaged resource, a skipped case per
// unimportable one, and an erroring case per failed directory or region, so
// CI systems show drift as failed tests.
func renderJUnit(w io.Writer, r *Report) error {
	byAddr := map[string][]Finding{}
	for _, f := range r.Findings {
		if f.Address != "" {
			k := f.Dir + "\x00" + f.Address
			byAddr[k] = append(byAddr[k], f)
		}
	}
	doc := junitSuites{Name: "apigw2tf audit"}
	for _, d := range r.Dirs {
		s := junitSuite{Name: d.Dir}
		if d.Account != "" {
			s.Name = d.Account + ": " + d.Dir
		}
		if d.Error != "" {
			s.Cases = append(s.Cases, junitCase{Name: "audit " + d.Dir, Classname: d.Dir, Error: &junitMessage{Message: firstLine(d.Error), Type: "error", Body: d.Error}})
		}
		if d.Empty {
			s.Cases = append(s.Cases, junitCase{Name: "audit " + d.Dir, Classname: d.Dir, Skipped: &junitMessage{Message: "nothing to audit: no API or stage in the state"}})
		}
		listed := map[string]bool{}
		for _, res := range d.Resources {
			listed[res.Address] = true
			s.Cases = append(s.Cases, junitResourceCase(d.Dir, res.Address, byAddr[d.Dir+"\x00"+res.Address]))
		}
		// Pending creates are in configuration only, not in state.
		for _, f := range r.Findings {
			if f.Dir == d.Dir && f.Address != "" && !listed[f.Address] {
				listed[f.Address] = true
				s.Cases = append(s.Cases, junitResourceCase(d.Dir, f.Address, byAddr[d.Dir+"\x00"+f.Address]))
			}
		}
		doc.Suites = append(doc.Suites, s)
	}
	// One live suite per account (one named "live account" when the audit
	// has a single account), in the order accounts first appear.
	var liveOrder []string
	lives := map[string]*junitSuite{}
	liveOf := func(account string) *junitSuite {
		if lives[account] == nil {
			name := "live account"
			if account != "" {
				name += " " + account
			}
			lives[account] = &junitSuite{Name: name}
			liveOrder = append(liveOrder, account)
		}
		return lives[account]
	}
	for _, a := range r.failedAccounts() {
		s := liveOf(a.Name)
		s.Cases = append(s.Cases, junitCase{Name: "account " + a.Name, Classname: a.ID, Error: &junitMessage{Message: firstLine(a.Error), Type: "error", Body: a.RoleARN + ": " + a.Error}})
	}
	for _, f := range r.Findings {
		cls := f.Region
		if f.Account != "" {
			cls = f.Account + "." + f.Region
		}
		switch f.Class {
		case ClassUnmanaged:
			s := liveOf(f.Account)
			s.Cases = append(s.Cases, junitCase{Name: f.label(), Classname: cls, Failure: &junitMessage{Message: "unmanaged", Type: string(f.Class), Body: f.Hint}})
		case ClassUnimportable:
			s := liveOf(f.Account)
			s.Cases = append(s.Cases, junitCase{Name: f.label(), Classname: cls, Skipped: &junitMessage{Message: f.Hint}})
		}
	}
	for _, e := range r.Errors {
		s := liveOf(e.Account)
		s.Cases = append(s.Cases, junitCase{Name: "discover " + e.Region, Classname: e.Region, Error: &junitMessage{Message: firstLine(e.Message), Type: "error", Body: e.Message}})
	}
	for _, a := range liveOrder {
		doc.Suites = append(doc.Suites, *lives[a])
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		for _, c := range s.Cases {
			s.Tests++
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitResourceCase(dir, addr string, fs []Finding) junitCase {
	c := junitCase{Name: addr, Classname: dir}
	if len(fs) == 0 {
		return c
	}
	var body strings.Builder
	var classes []string
	for _, f := range fs {
		classes = append(classes, string(f.Class))
		fmt.Fprintf(&body, "%s %s %s %s\n", f.Class, f.label(), f.where(), f.Status)
		for _, ch := range f.Changes {
			body.WriteString("  " + changeLine(ch) + "\n")
		}
		if f.Hint != "" {
			body.WriteString("  hint: " + f.Hint + "\n")
		}
	}
	c.Failure = &junitMessage{Message: strings.Join(classes, ", "), Type: "drift", Body: body.String()}
	return c
}
