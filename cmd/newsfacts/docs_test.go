package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/newsfacts/newsfacts/rules"
)

// TestRulesDocMatchesCode keeps docs/rules.md's reference in step with the rules package: every
// rule field, kind, normaliser, group a normaliser reads, and shared def of common.yaml must be
// documented. The lists come from what the rules package tells a user who gets one wrong (the
// hints of rules check), so that a field or group added in code and not in the docs fails here.
func TestRulesDocMatchesCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)

	hint := func(rule, prefix string) []string {
		t.Helper()
		_, err := rules.Load(fstest.MapFS{"x.yaml": {Data: []byte("version: 1\nrules:\n" + rule)}}, "")
		var list rules.ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("loading %q: %v, want a list of problems", rule, err)
		}
		for _, e := range list {
			if rest, ok := strings.CutPrefix(e.Hint, prefix); ok {
				rest, _, _ = strings.Cut(rest, ", and q")
				return strings.Split(rest, ", ")
			}
		}
		t.Fatalf("loading %q gave no hint starting %q: %v", rule, prefix, err)
		return nil
	}
	documented := func(what, name, form string) {
		if !strings.Contains(text, fmt.Sprintf(form, name)) {
			t.Errorf("docs/rules.md does not document the %s %s", what, fmt.Sprintf(form, name))
		}
	}

	for _, f := range hint("  - {id: a.b, kind: money, pattern: x, normalize: amount, bogus: 1}\n", "rule fields are: ") {
		documented("rule field", f, "| `%s` |")
	}
	for _, k := range hint("  - {id: a.b, kind: bogus, pattern: x, normalize: amount}\n", "kinds are: ") {
		documented("kind", k, "`%s`")
	}
	normalisers := hint("  - {id: a.b, kind: money, pattern: x, normalize: bogus}\n", "normalisers are: ")
	for _, n := range normalisers {
		documented("normaliser", n, "| `%s` |")
		for _, g := range hint(fmt.Sprintf("  - {id: a.b, kind: money, pattern: '(?P<num>x)(?P<zzz>y)', normalize: %s}\n", n), "groups it reads: ") {
			documented("group of "+n, g, "`%s`")
		}
	}

	common, err := os.ReadFile("../../rules/default/common.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Defs map[string]string `yaml:"defs"`
	}
	if err := yaml.Unmarshal(common, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Defs) < 10 {
		t.Fatalf("common.yaml has %d defs", len(file.Defs))
	}
	for name := range file.Defs {
		documented("def", name, "{{%s}}")
	}
	// And no row of the defs table names a def common.yaml lacks.
	row := regexp.MustCompile("(?m)^\\| (`\\{\\{[a-z_0-9]+\\}\\}`(?:, )?)+ \\|")
	name := regexp.MustCompile(`\{\{([a-z_0-9]+)\}\}`)
	rows := row.FindAllString(text, -1)
	if len(rows) < 10 {
		t.Fatalf("docs/rules.md: found %d rows in the defs table", len(rows))
	}
	for _, r := range rows {
		for _, m := range name.FindAllStringSubmatch(r, -1) {
			if _, ok := file.Defs[m[1]]; !ok {
				t.Errorf("docs/rules.md's defs table has {{%s}}, which common.yaml does not define", m[1])
			}
		}
	}
}
