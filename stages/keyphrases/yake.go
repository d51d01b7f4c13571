package keyphrases

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// yakeTerm holds the statistics YAKE keeps for one word (by stem key).
type yakeTerm struct {
	tf        int
	tfAcronym int     // written all in capitals
	tfUpper   int     // capitalised, not at the start of a sentence
	stop      bool    // a stop word
	h         float64 // the term score; lower is better
	// Distinct and all left and right neighbours (window of one word).
	distLeft, allLeft, distRight, allRight int
}

// yakeScores fills Candidate.YAKE following Campos et al. (2020), "YAKE!
// Keyword extraction from single documents using multiple local features",
// and their reference implementation (window 1, "bi" stop-word weighting):
//
//	T_case   = max(TF_upper, TF_acronym) / (1 + ln TF)
//	T_pos    = ln(ln(3 + median(sentence numbers of the term)))
//	T_freq   = TF / (mean TF + sd TF)       (over non-stop words)
//	T_rel    = 1 + (DL/WL + DR/WR)·TF/max TF
//	           (DL distinct left neighbours, WL all left co-occurrences)
//	T_sent   = sentences with the term / all sentences
//	S(t)     = T_pos·T_rel / (T_case + T_freq/T_rel + T_sent/T_rel)
//	S(kw)    = Π S(t) / (TF(kw)·(1 + Σ S(t)))
//
// where a stop word inside a phrase contributes a factor 1 + (1 − p) to
// the product and −(1 − p) to the sum, p being the probability of its
// bigrams with its neighbours.
func yakeScores(a *analysis, dc *DocCandidates) {
	nt := len(a.types)
	if cap(a.terms) < nt {
		a.terms = make([]yakeTerm, nt, nt+nt/4)
	}
	ts := a.terms[:nt]
	clear(ts)
	last := a.ints(0, nt) // last sentence counted per term, +1
	// Term scores are needed only for the words of candidates, and so are
	// their sentences and neighbours.
	need := a.bools(1, nt)
	for _, o := range a.occs {
		for k := o.start; k < o.end; k++ {
			need[a.words[k].id] = true
		}
	}
	// Flat (term, value) pairs, bucketed per term afterwards: sentence
	// numbers, and neighbours (left term, right term) — rpairs when the
	// left term is needed, lpairs when the right one is.
	sents := a.ints(1, 2*len(a.words))[:0]
	rpairs := a.ints(2, 2*len(a.words))[:0]
	lpairs := a.ints(9, 2*len(a.words))[:0]
	sentNo := -1
	lastSent := -1
	for i, w := range a.words {
		if w.sent != int32(lastSent) || (i > 0 && w.nl) {
			sentNo++
			lastSent = int(w.sent)
		}
		id := w.id
		yt := &ts[id]
		if yt.tf == 0 {
			yt.stop = w.stop || w.class == 'o'
		}
		yt.tf++
		if last[id] != int32(sentNo)+1 {
			last[id] = int32(sentNo) + 1
			if need[id] {
				sents = append(sents, id, int32(sentNo))
			}
		}
		startOfSentence := i == 0 || a.words[i-1].sent != w.sent || w.nl
		switch {
		case w.caps == 'A':
			yt.tfAcronym++
		case w.caps == 'U' && !startOfSentence:
			yt.tfUpper++
		}
		if i > 0 && !w.brk {
			prev := a.words[i-1].id
			if need[prev] {
				rpairs = append(rpairs, prev, id)
			}
			if need[id] {
				lpairs = append(lpairs, prev, id)
			}
			ts[prev].allRight++
			yt.allLeft++
		}
	}
	sentOff, sentList := bucket(sents, nt, false, a.ints(3, nt+1), a.ints(4, len(sents)/2))
	rightOff, rights := bucket(rpairs, nt, false, a.ints(5, nt+1), a.ints(6, len(rpairs)/2))
	leftOff, lefts := bucket(lpairs, nt, true, a.ints(7, nt+1), a.ints(8, len(lpairs)/2))
	slot := a.bools(0, nt)
	distinct := func(vals []int32) int {
		d := 0
		for _, v := range vals {
			if !slot[v] {
				slot[v] = true
				d++
			}
		}
		for _, v := range vals {
			slot[v] = false
		}
		return d
	}
	for id := range ts {
		if need[id] {
			ts[id].distRight = distinct(rights[rightOff[id]:rightOff[id+1]])
			ts[id].distLeft = distinct(lefts[leftOff[id]:leftOff[id+1]])
		}
	}
	// bigram counts left → right, for stop words inside a phrase.
	bigram := func(l, r int32) int {
		n := 0
		for _, v := range rights[rightOff[l]:rightOff[l+1]] {
			if v == r {
				n++
			}
		}
		return n
	}
	sentences := sentNo + 1
	maxTF := 0
	var sum, sumSq float64
	valid := 0
	for i := range ts {
		t := &ts[i]
		if t.tf == 0 {
			continue
		}
		if t.tf > maxTF {
			maxTF = t.tf
		}
		if !t.stop {
			sum += float64(t.tf)
			sumSq += float64(t.tf) * float64(t.tf)
			valid++
		}
	}
	mean, sd := 0.0, 0.0
	if valid > 0 {
		mean = sum / float64(valid)
		sd = math.Sqrt(math.Max(0, sumSq/float64(valid)-mean*mean))
	}
	for i := range ts {
		t := &ts[i]
		if t.tf == 0 || !need[i] {
			continue
		}
		tf := float64(t.tf)
		rel := (0.5 + ratio(t.distLeft, t.allLeft)*tf/float64(maxTF)) + (0.5 + ratio(t.distRight, t.allRight)*tf/float64(maxTF))
		freq := tf / (mean + sd)
		ss := sentList[sentOff[i]:sentOff[i+1]] // ascending
		sent := float64(len(ss)) / float64(sentences)
		caseF := float64(max(t.tfAcronym, t.tfUpper)) / (1 + math.Log(tf))
		pos := math.Log(math.Log(3 + median(ss)))
		t.h = pos * rel / (caseF + freq/rel + sent/rel)
	}
	// Score each distinct candidate from its first occurrence's terms.
	done := make([]bool, len(dc.Phrases))
	for _, o := range a.occs {
		pi := o.phrase
		if done[pi] {
			continue
		}
		done[pi] = true
		prod, s := 1.0, 0.0
		for i := o.start; i < o.end; i++ {
			id := a.words[i].id
			t := &ts[id]
			if !t.stop {
				prod *= t.h
				s += t.h
				continue
			}
			var p1, p2 float64
			if i > o.start {
				prev := a.words[i-1].id
				p1 = float64(bigram(prev, id)) / float64(ts[prev].tf)
			}
			if i+1 < o.end {
				next := a.words[i+1].id
				p2 = float64(bigram(id, next)) / float64(ts[next].tf)
			}
			p := p1 * p2
			prod *= 1 + (1 - p)
			s -= 1 - p
		}
		dc.Phrases[pi].YAKE = prod / ((s + 1) * float64(dc.Phrases[pi].Count))
	}
}

// ratio is distinct neighbours over all co-occurrences (0 when none).
func ratio(distinct, all int) float64 {
	if all == 0 {
		return 0
	}
	return float64(distinct) / float64(all)
}

// median of an ascending list.
func median(s []int32) float64 {
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

// bucket groups flat (key, value) pairs by key with a counting sort
// (by the second element when bySecond): the values of key k are
// vals[off[k]:off[k+1]], in input order. off (n+1) and vals (len/2) are
// zeroed buffers supplied by the caller.
func bucket(pairs []int32, n int, bySecond bool, off, vals []int32) ([]int32, []int32) {
	k, v := 0, 1
	if bySecond {
		k, v = 1, 0
	}
	for i := k; i < len(pairs); i += 2 {
		off[pairs[i]+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	// off[key] serves as the fill pointer, then is shifted back.
	for i := 0; i < len(pairs); i += 2 {
		key := pairs[i+k]
		vals[off[key]] = pairs[i+v]
		off[key]++
	}
	for i := n; i > 0; i-- {
		off[i] = off[i-1]
	}
	off[0] = 0
	return off, vals
}

func isAcronym(s string) bool {
	if len(s) < 2 || s[1] >= 'a' && s[1] <= 'z' {
		return false // the common case, decided on the second byte
	}
	if utf8.RuneCountInString(s) < 2 {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

func startsUpper(s string) bool {
	if s != "" && s[0] < 0x80 {
		return s[0] >= 'A' && s[0] <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
