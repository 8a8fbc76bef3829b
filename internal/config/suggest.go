package config

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// suggestion returns `did you mean "x"?` for the candidate closest to got
// when it is close enough to be a typo of it, and otherwise fallback. The
// cut-off (one edit for short words, else two or a third of the word)
// keeps "burts" -> "burst" and "dir" -> "dirs" while not offering "rate"
// for "base"; a swap of two letters counts as two edits.
func suggestion(got string, candidates []string, fallback string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := levenshtein.Distance(got, c, nil)
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := 1
	if len(got) > 4 {
		limit = max(2, len(got)/3)
	}
	if bestD >= 0 && bestD <= limit {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return fallback
}
