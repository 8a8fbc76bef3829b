package standin

import (
	"maps"
	"slices"
	"strings"
)

// tagPolicy is the provider-level tag configuration every resource applies:
// default_tags merged under the resource's tags, and ignore_tags hidden.
type tagPolicy struct {
	defaults       map[string]string
	ignoreKeys     []string
	ignorePrefixes []string
}

// ignored reports keys the provider never manages: AWS system tags and the
// ones ignore_tags names.
func (p tagPolicy) ignored(key string) bool {
	if strings.HasPrefix(key, "aws:") {
		return true
	}
	for _, k := range p.ignoreKeys {
		if k == key {
			return true
		}
	}
	for _, prefix := range p.ignorePrefixes {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// merge is the resource's tags over the default tags.
func (p tagPolicy) merge(tags map[string]string) map[string]string {
	out := make(map[string]string, len(p.defaults)+len(tags))
	maps.Copy(out, p.defaults)
	maps.Copy(out, tags)
	return out
}

// all is tags_all: the merge without ignored keys.
func (p tagPolicy) all(tags map[string]string) map[string]string {
	out := p.merge(tags)
	maps.DeleteFunc(out, func(k, _ string) bool { return p.ignored(k) })
	return out
}

// read splits the tags an API returned into tags (what configuration holds)
// and tags_all. A tag equal to a default tag belongs to the provider unless
// the prior tags held it too, so that configurations repeating a default keep
// planning clean.
func (p tagPolicy) read(api map[string]string, priorTags map[string]string) (tags, all map[string]string) {
	allM := make(map[string]string, len(api))
	for k, v := range api {
		if !p.ignored(k) {
			allM[k] = v
		}
	}
	tagsM := maps.Clone(allM)
	for k, v := range p.defaults {
		if tagsM[k] == v {
			if pv, ok := priorTags[k]; !ok || pv != v {
				delete(tagsM, k)
			}
		}
	}
	return tagsM, allM
}

// diffTags returns what TagResource and UntagResource must send to move
// from old to new tags_all.
func diffTags(old, new map[string]string) (set map[string]string, remove []string) {
	set = map[string]string{}
	for k, v := range new {
		if ov, ok := old[k]; !ok || ov != v {
			set[k] = v
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			remove = append(remove, k)
		}
	}
	slices.Sort(remove)
	return set, remove
}
