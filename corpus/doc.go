// Design notes for package corpus (the package documentation itself is in
// document.go).
//
// What the package does: Open and OpenSample turn a folder, a manifest, a row
// dump or a single file into a Stream of Documents, one at a time, so a
// corpus of any size is read in bounded memory; NewCleaner builds the clean
// stage that normalises text, drops page chrome and finds the sections;
// LineStats is the corpus-level pre-pass for lines a site repeats; Inspect
// prints what the readers and the cleaner made of a corpus.
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
//     heading on a line of its own;
//   - the cleaning rules and the section finder: they encode how scholarly
//     web pages are laid out (journal banners, counters, reference lists,
//     "Keywords:" lines), which no general boilerplate remover knows, and
//     every rule has to be switchable and explainable (Cleaner.Explain);
//   - RuneIndex: a sparse table, because tables need code-point offsets for
//     every token and recounting from the start would be quadratic.

package corpus
