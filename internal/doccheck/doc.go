// Package doccheck holds the tests that keep the repository's documents
// true: every Markdown link and every path a document or a code comment
// names exists, and the numbers the docs quote from code (defaults, limits)
// are the code's. It has no code of its own.
package doccheck
