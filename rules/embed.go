package rules

import "embed"

// defaultFS holds the default rule set, compiled into the binary so that it runs anywhere.
//
//go:embed default/*.yaml
var defaultFS embed.FS
