package engine

// DecodePulled lets the end-to-end tests tell the fast path from the
// fallback.
var DecodePulled = decodePulled
