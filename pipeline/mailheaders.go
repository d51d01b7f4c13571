package pipeline

import (
	"fmt"
	"slices"

	"github.com/framelens/framelens/stages/clean"
)

// warnMailHeaders warns once for the run when a tenth or more of the
// documents start with a mail or news header block analysed as text
// (clean.HeaderWarning in their documents.warnings). At that share the
// fields' names and addresses ("subject", "organization", "lines") are in
// more documents than most content words: they lead the terms by document
// frequency, the topics and the collocation nodes. A few forwarded mails
// in a corpus of other texts do not, and keep only their own warning.
func (r *reducer) warnMailHeaders(man *manifest, sum *Summary) {
	n := 0
	for _, d := range r.states {
		if slices.Contains(d.Row.Warnings, clean.HeaderWarning) {
			n++
		}
	}
	if n == 0 || n*10 < sum.Docs {
		return
	}
	man.MailHeaderWarning = fmt.Sprintf("%d of %d documents start with an email/Usenet header block (From:, Subject:, Organization:, …) that is analysed as text: its field names and addresses become top terms, topics and collocation nodes; run with --clean usenet (clean.presets: [usenet]) to remove headers, quotes and signatures (docs/corpus.md, \"Presets for a genre\")", n, sum.Docs)
	r.eng.log.Warn(man.MailHeaderWarning, "documents", n)
	sum.Warnings = append(sum.Warnings, man.MailHeaderWarning)
}
