// Package clean is the first per-document stage: New builds a Cleaner that
// normalises a document's Raw text into Clean, drops page chrome and splits
// the text into Sections (which of them are analysed); LineStats is the
// corpus-level pre-pass for lines a site repeats. docs/corpus.md describes
// the rules.
//
// What is taken from libraries: NFKC (golang.org/x/text).
//
// What is hand-written, and why:
//   - the cleaning rules and the section finder: they encode how scholarly
//     web pages are laid out (journal banners, counters, reference lists,
//     "Keywords:" lines), which no general boilerplate remover knows, and
//     every rule has to be switchable and explainable (Cleaner.Explain);
//   - the genre presets (transcript, email, usenet): speaker labels, time
//     codes, headers, quoted replies and signatures;
//   - the removal of binary attachments (uuencoded and base64 blocks, on
//     in every genre): a scanner of whole lines that reads each line a
//     constant number of times, where no tool tells a run of encoded lines
//     from the prose around it.
//
// A document of one 50 MB line is cleaned in about a second of CPU: stage
// directions are found by a one-pass scan (the regular expression it
// replaces took seconds on such a line), and a long line is never
// lower-cased or folded whole to be compared with a heading name or the
// title.
package clean
