// Package rules loads the extraction rules — YAML data, not Go code — checks them, and applies
// one rule to one sentence. Researchers change what newsfacts extracts by editing these files.
//
// A rule file holds named sub-patterns (defs), word tables (maps) and rules. Each rule has a
// stable id, the kind it produces, an RE2 pattern whose named groups feed a normaliser, and
// inline examples that `go test ./rules` runs:
//
//	rules:
//	  - id: money.amount
//	    kind: money
//	    pattern: '(?P<q>{{qual_pre}})?(?P<num>{{number}})(?P<unit>元|美元)'
//	    normalize: amount
//	    unit_map: currency
//	    examples:
//	      - text: 产值超300亿元
//	        want: {value: 30000000000, unit: CNY, qualifier: over}
//
// Group names are a convention the normalisers read: num and num2 (a value and a range's upper
// bound), unit, any group starting with q (qualifier words, looked up in the qualifiers map), and
// for dates year, month, day, month2, day2, rel (今年, 去年 …) and part (上半年 …).
package rules
