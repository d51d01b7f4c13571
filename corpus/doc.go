// Design notes for package corpus (the package documentation itself is in
// document.go).
//
// What the package does: Open and OpenSample turn a folder, a manifest, a row
// dump or a single file into a Stream of Documents, one at a time, so a
// corpus of any size is read in bounded memory; Inspect prints what the
// readers and the clean stage (stages/clean) made of a corpus. The document
// model is package corpus/document, which stages import instead of this
// package and its libraries.
//
// What is taken from libraries: YAML (gopkg.in/yaml.v3), CSV
// (encoding/csv), JSON (encoding/json), Parquet (arrow's pqarrow), UTF-16
// and NFKC (golang.org/x/text), the main content of web pages
// (go-readability) and HTML parsing (golang.org/x/net/html).
//
// What is hand-written, and why:
//   - the JSONL line reader: bufio.Scanner stops at 64 KB lines and a
//     document is one line;
//   - the HTML-to-text rendering of readability's result: its TextContent
//     runs headings into the following paragraph, and the cleaner needs each
//     heading on a line of its own.

package corpus
