// Package entities holds the dictionaries and word lists that entity recognition
// (pipeline/entity) reads: a gazetteer of China's administrative divisions, world places,
// surnames, known organisations, the suffixes that end organisation and place names, the
// words around a person's name, and everyday words that are never entities. They are plain
// text, one entry a word, so that researchers can extend them; the files here are compiled
// into the binary as the default set.
package entities

import (
	"embed"
	"io/fs"
)

//go:embed *.txt
var files embed.FS

// FS returns the default data files, by name (divisions.txt, surnames.txt, …).
func FS() fs.FS { return files }

// Read returns one default data file.
func Read(name string) ([]byte, error) { return files.ReadFile(name) }

// Names lists the default data files, in name order.
func Names() []string {
	es, _ := files.ReadDir(".")
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
