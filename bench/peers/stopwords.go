package main

// englishStop is a plain English function-word list used by the bench so
// that its vocabulary does not depend on the tokenizer's stop flags (which
// are still being settled) and Go and Python models see the same tokens.
var englishStop = []string{
	"a", "about", "above", "after", "again", "against", "all", "almost", "also", "although", "always", "am", "among",
	"an", "and", "another", "any", "anyone", "anything", "are", "around", "as", "at", "back", "be", "became",
	"because", "become", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot",
	"could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough", "etc",
	"even", "ever", "every", "few", "for", "from", "further", "get", "gets", "got", "had", "has", "have", "having",
	"he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into",
	"is", "it", "its", "itself", "just", "least", "less", "let", "like", "made", "make", "many", "may", "me",
	"might", "more", "most", "much", "must", "my", "myself", "neither", "never", "no", "nor", "not", "now", "of",
	"off", "often", "on", "once", "one", "only", "or", "other", "others", "otherwise", "our", "ours", "ourselves",
	"out", "over", "own", "per", "perhaps", "put", "quite", "rather", "really", "same", "say", "says", "see",
	"seem", "seems", "several", "she", "should", "since", "so", "some", "someone", "something", "still", "such",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "thing",
	"things", "this", "those", "though", "through", "thus", "to", "too", "toward", "towards", "under", "until",
	"up", "upon", "us", "use", "used", "using", "very", "via", "was", "way", "we", "well", "were", "what",
	"whatever", "when", "where", "whether", "which", "while", "who", "whoever", "whom", "whose", "why", "will",
	"with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
	"n't", "'s", "'m", "'re", "'ve", "'ll", "'d", "dont", "don't", "doesn't", "didn't", "isn't", "wasn't",
	"can't", "won't", "wouldn't", "shouldn't", "couldn't", "aren't", "i'm", "it's", "that's", "i've", "i'd",
	"you're", "there's", "ca", "wo", "ve", "re", "ll",
}
