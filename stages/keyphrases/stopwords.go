package keyphrases

import "strings"

// stopList is the stop-word list of the candidate filter: the SMART-style
// function words, reporting verbs that pke's and YAKE's lists also carry,
// and citation and layout fragments ("et", "al", "ibid", "pp", "vol").
// It is a constant string parsed into a fresh map by New, so the package
// has no mutable state.
const stopList = `a about above across after afterwards again against all almost alone along already also
although always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
be became because become becomes becoming been before beforehand behind being below beside besides between
beyond both but by can cannot could did do does doing done down due during each eg e.g either else
elsewhere enough etc even ever every everyone everything everywhere except few first for former formerly
from further had has have having he hence her here hereafter hereby herein hereupon hers herself him himself
his how however i ie i.e if in indeed into is it its itself just last latter latterly least less many may me
meanwhile might mine more moreover most mostly much must my myself namely neither never nevertheless next no
nobody none noone nor not nothing now nowhere of off often on once one only onto or other others otherwise
our ours ourselves out over own per perhaps please rather re same several she should since so some somehow
someone something sometime sometimes somewhere still such than that the their theirs them themselves then
thence there thereafter thereby therefore therein thereupon these they this those though through throughout
thru thus to together too toward towards under until up upon us very via was we well were what whatever
when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither
who whoever whole whom whose why will with within without would yet you your yours yourself yourselves
et al ibid ibidem op cit pp vol vols no nos fig figs eq eqs cf viz ed eds
's 't 'd 'll 're 've n't`

// stopWords returns a fresh set of the stop words.
func stopWords() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopList) {
		m[w] = true
	}
	return m
}
