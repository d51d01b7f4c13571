// Package compare holds the statistics framelens uses to compare groups of
// documents on any string feature (unigrams, n-grams, key phrases,
// canonical entities, topics): mergeable per-group counts, comparison plans
// (A vs B, each vs rest, all pairs, against a reference corpus), keyness
// (weighted log-odds with an informative Dirichlet prior and its z-score,
// signed log-likelihood G² with its p-value, log ratio, Benjamini–Hochberg
// adjusted p), Jensen–Shannon divergence, and topic prevalence differences
// with bootstrap intervals. Formulas and sources: docs/methods.md.
//
// It works on counts only and knows nothing about documents or tokens. The
// statistics are hand-written because none of the pinned libraries has
// them (gonum supplies the χ² distribution for p-values), and because each
// formula must be exactly the published one, with its choices (prior, zero
// corrections) documented and tested against hand-worked values.
package compare
