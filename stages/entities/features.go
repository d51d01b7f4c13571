package entities

import (
	"unicode"
	"unicode/utf8"
)

// Feature templates. Each feature is hash(template, value) folded into
// 2^bits buckets; collisions are left to the perceptron to absorb.
const (
	fBias = iota + 1
	fExact
	fLower
	fLowerP1
	fLowerN1
	fLowerP2
	fLowerN2
	fPrefix // +1..4
	fSuffix = fPrefix + 4
	fShape  = fSuffix + 4
	fShapeP1
	fShapeN1
	fShapeP1_0
	fShape0_N1
	fShapeP2_P1_0
	fShape0_N1_N2
	fLowerP1_0
	fLower0_N1
	fLowerP1Shape0
	fShape0LowerN1
	fFirstShape
	fCapsShape
	fCapsLower
	fLenBucket
	fExactP1
	fExactN1
)

const (
	hashBOS uint64 = 0x6a09e667f3bcc908
	hashEOS uint64 = 0xbb67ae8584caa73b
)

func mix(a, b uint64) uint64 {
	x := a*0x9E3779B97F4A7C15 ^ b
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	x *= 0x94D049BB133111EB
	x ^= x >> 32
	return x
}

// hashWord hashes s with digits folded to 0, lower-cased when lower is true
// (ASCII and Unicode letters alike), without allocating.
func hashWord(s string, lower bool) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				c = '0'
			} else if lower && c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			h ^= uint64(c)
			h *= 1099511628211
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if lower {
			r = unicode.ToLower(r)
		}
		h ^= uint64(r)
		h *= 1099511628211
		i += size
	}
	return h
}

// hashShape hashes the collapsed shape of s: X upper, x lower, d digit,
// other characters as themselves, runs of one class collapsed ("U.S." →
// "X.X.", "Sino-US" → "Xx-X", "1996-08-22" → "d-d-d").
func hashShape(s string) uint64 {
	h := uint64(14695981039346656037)
	var last rune = -1
	for _, r := range s {
		var c rune
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLetter(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		default:
			c = r
		}
		if c == last && (c == 'X' || c == 'x' || c == 'd') {
			continue
		}
		last = c
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func isAllCapsWord(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

// wordHashes are the per-word hashes every template combines.
type wordHashes struct{ exact, lower, shape uint64 }

// extract fills s.feats/s.nf with the feature buckets of every word.
func (m *Model) extract(words []string, s *scratch) {
	n := len(words)
	if cap(s.feats) < n*maxFeat {
		s.feats = make([]uint32, n*maxFeat)
		s.nf = make([]int, n)
	}
	s.feats = s.feats[:n*maxFeat]
	s.nf = s.nf[:n]
	if cap(s.wh) < n+4 {
		s.wh = make([]wordHashes, n+4)
	}
	wh := s.wh[:n+4] // padded by 2 each side
	wh[0] = wordHashes{hashBOS, hashBOS, hashBOS}
	wh[1] = wh[0]
	wh[n+2] = wordHashes{hashEOS, hashEOS, hashEOS}
	wh[n+3] = wh[n+2]
	caps, alpha := 0, 0
	for i, w := range words {
		wh[i+2] = wordHashes{hashWord(w, false), hashWord(w, true), hashShape(w)}
		for _, r := range w {
			if unicode.IsLetter(r) {
				alpha++
				if isAllCapsWord(w) {
					caps++
				}
				break
			}
		}
	}
	// Headlines and sports tables are written in capitals: a flag lets
	// the model learn that case means less there.
	var capsSent uint64
	if alpha >= 2 && caps*10 >= alpha*8 {
		capsSent = 1
	}
	mask := uint64(1)<<m.bits - 1
	for i, w := range words {
		f := s.feats[i*maxFeat : i*maxFeat+maxFeat]
		k := 0
		add := func(h uint64) {
			f[k] = uint32(h & mask)
			k++
		}
		c := wh[i+2]
		p1, p2, n1, n2 := wh[i+1], wh[i], wh[i+3], wh[i+4]
		add(mix(fBias, 0))
		add(mix(fExact, c.exact))
		add(mix(fLower, c.lower))
		add(mix(fLowerP1, p1.lower))
		add(mix(fLowerN1, n1.lower))
		add(mix(fLowerP2, p2.lower))
		add(mix(fLowerN2, n2.lower))
		add(mix(fExactP1, p1.exact))
		add(mix(fExactN1, n1.exact))
		// Affixes over runes, lower-cased.
		nr := utf8.RuneCountInString(w)
		for l := 1; l <= 4 && l <= nr; l++ {
			add(mix(uint64(fPrefix+l-1), hashWord(prefixRunes(w, l), true)))
			add(mix(uint64(fSuffix+l-1), hashWord(suffixRunes(w, l), true)))
		}
		add(mix(fShape, c.shape))
		add(mix(fShapeP1, p1.shape))
		add(mix(fShapeN1, n1.shape))
		add(mix(mix(fShapeP1_0, p1.shape), c.shape))
		add(mix(mix(fShape0_N1, c.shape), n1.shape))
		add(mix(mix(mix(fShapeP2_P1_0, p2.shape), p1.shape), c.shape))
		add(mix(mix(mix(fShape0_N1_N2, c.shape), n1.shape), n2.shape))
		add(mix(mix(fLowerP1_0, p1.lower), c.lower))
		add(mix(mix(fLower0_N1, c.lower), n1.lower))
		add(mix(mix(fLowerP1Shape0, p1.lower), c.shape))
		add(mix(mix(fShape0LowerN1, c.shape), n1.lower))
		if i == 0 {
			add(mix(fFirstShape, c.shape))
		}
		add(mix(mix(fCapsShape, capsSent), c.shape))
		if capsSent == 1 {
			add(mix(fCapsLower, c.lower))
		}
		lb := nr
		if lb > 8 {
			lb = 8
		}
		add(mix(fLenBucket, uint64(lb)))
		s.nf[i] = k
	}
}

func prefixRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

func suffixRunes(s string, n int) string {
	j := len(s)
	for ; n > 0 && j > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
	}
	return s[j:]
}
