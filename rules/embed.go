package rules

import "embed"

// defaultFS holds the default rule set, compiled into the binary so that it runs anywhere.
//
//go:embed default/*.yaml default/*.txt
var defaultFS embed.FS

// DefaultData returns one of the plain-text data files shipped beside the default rules
// (lexicon.txt, confusables.txt).
func DefaultData(name string) ([]byte, error) {
	return defaultFS.ReadFile("default/" + name)
}
