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
//     codes, headers, quoted replies and signatures.
package clean
