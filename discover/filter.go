package discover

import (
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// filter decides which listed APIs the user asked for. It looks only at
// what GetApis returns, so a filtered-out API costs no further call.
type filter struct {
	include, exclude []*regexp.Regexp
	ids              map[string]bool // nil keeps every id
	tags             map[string]string
	protocol         string // upper case; empty keeps both
}

func newFilter(o Options) filter {
	f := filter{include: o.Include, exclude: o.Exclude, tags: o.Tags, protocol: o.Protocol}
	if len(o.APIIDs) > 0 {
		f.ids = make(map[string]bool, len(o.APIIDs))
		for _, id := range o.APIIDs {
			f.ids[id] = true
		}
	}
	return f
}

// active reports whether the user narrowed the APIs at all.
func (f filter) active() bool {
	return f.ids != nil || f.protocol != "" || len(f.tags) > 0 || len(f.include) > 0 || len(f.exclude) > 0
}

func (f filter) keep(a types.Api) bool {
	if f.ids != nil && !f.ids[aws.ToString(a.ApiId)] {
		return false
	}
	if f.protocol != "" && string(a.ProtocolType) != f.protocol {
		return false
	}
	for k, v := range f.tags {
		if got, ok := a.Tags[k]; !ok || got != v {
			return false
		}
	}
	name := aws.ToString(a.Name)
	if len(f.include) > 0 && !matchAny(f.include, name) {
		return false
	}
	return !matchAny(f.exclude, name)
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
