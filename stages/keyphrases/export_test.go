package keyphrases

// The sample helpers, for the external tests (keyphrases_test) of the
// packages built on this one (groupkp), which this package's own tests
// cannot import.
var (
	PaperText = paperText
	Tokenized = tokenized
)
