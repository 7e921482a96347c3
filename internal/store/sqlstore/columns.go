package sqlstore

import (
	"fmt"
	"strings"
)

// columns is a table's column list, in the order its args and scan
// functions use, so that the INSERT and UPDATE statements are generated
// from one list rather than numbered by hand.
type columns []string

// list is "a, b, c".
func (cs columns) list() string { return strings.Join(cs, ", ") }

// placeholders is "$from, $from+1, …" for every column.
func (cs columns) placeholders(from int) string {
	ps := make([]string, len(cs))
	for i := range cs {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

// set is "a = $from, b = $from+1, …".
func (cs columns) set(from int) string {
	ps := make([]string, len(cs))
	for i, c := range cs {
		ps[i] = fmt.Sprintf("%s = $%d", c, from+i)
	}
	return strings.Join(ps, ", ")
}

// insert is the INSERT of every column into table.
func (cs columns) insert(table string) string {
	return "INSERT INTO " + table + " (" + cs.list() + ") VALUES (" + cs.placeholders(1) + ")"
}

// concat returns the columns of cs, then those of more.
func (cs columns) concat(more columns) columns {
	return append(append(columns{}, cs...), more...)
}
