package standin

import (
	"fmt"
	"regexp"
	"strings"
)

// importRegionSuffix is the v6 provider's optional "@<region>" import id
// suffix that selects a per-resource region.
var importRegionSuffix = regexp.MustCompile(`^(.+)@([a-z]{2}(?:-[a-z]+)+-\d{1,2})$`)

// splitImportRegion strips an "@<region>" suffix; region is "" without one.
func splitImportRegion(id string) (rest, region string) {
	if m := importRegionSuffix.FindStringSubmatch(id); m != nil {
		return m[1], m[2]
	}
	return id, ""
}

// parseStageImportID splits "api-id/stage-name" with the real provider's
// error text, which users and tests match on.
func parseStageImportID(id string) (apiID, stageName string, err error) {
	return parseTwoPartID(id, "stage-name")
}

// parseTwoPartID splits the "api-id/<child>" ids of an API's children
// (stages, routes, integrations, authorizers) with the real provider's
// error text; second names the child's part, such as "route-id".
func parseTwoPartID(id, second string) (apiID, child string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 2 {
		return "", "", fmt.Errorf("wrong format of import ID (%s), use: 'api-id/%s'", id, second)
	}
	return parts[0], parts[1], nil
}
