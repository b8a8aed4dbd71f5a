package main

import (
	"strconv"
	"strings"
	"unicode"
)

// printable returns an error's message with every control character, line or
// paragraph separator and bidirectional override escaped as Go writes it in a
// quoted string: user text in a message (a file name, a YAML key, a flag's
// value) cannot end the line, forge another, or move the terminal's cursor.
func printable(err error) string { return printableString(err.Error()) }

// printableString is printable for any text shown to the user.
func printableString(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune reports whether r can change how the rest of a line is shown.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == unicode.ReplacementChar || r == '\u2028' || r == '\u2029' ||
		r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' || r == '\u200e' || r == '\u200f'
}
