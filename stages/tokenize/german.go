package tokenize

import "strings"

// germanStem is the Snowball German stemmer (snowballstem.org,
// algorithms/german, the original algorithm), written here because
// github.com/kljensen/snowball has no German: ß → ss; u and y between
// vowels kept apart as consonants; R1 (at least 3 letters before it) and
// R2; step 1 deletes em ern er | e en es | s (after b d f g h k l m n r t)
// in R1 (and "niss" + e/en/es loses its last s); step 2 deletes en er est |
// st (after b d f g h k l m n t and 3 more letters) in R1; step 3 deletes
// the derivational suffixes end ung, ig ik isch, lich heit, keit in R2;
// umlauts lose their dots.
func germanStem(word string, _ bool) string {
	w := []rune(strings.ReplaceAll(word, "ß", "ss"))
	if len(w) < 3 {
		return word
	}
	// U and Y mark u and y between vowels: consonants here.
	for i := 1; i < len(w)-1; i++ {
		if (w[i] == 'u' || w[i] == 'y') && deVowel(w[i-1]) && deVowel(w[i+1]) {
			w[i] = w[i] - 'a' + 'A'
		}
	}
	r1 := len(w)
	for i := 1; i < len(w); i++ {
		if !deVowel(w[i]) && deVowel(w[i-1]) {
			r1 = i + 1
			break
		}
	}
	r2 := len(w)
	for i := r1 + 1; i < len(w); i++ {
		if !deVowel(w[i]) && deVowel(w[i-1]) {
			r2 = i + 1
			break
		}
	}
	if r1 < 3 {
		r1 = 3
	}
	has := func(suf string) bool { return strings.HasSuffix(string(w), suf) }
	n := func(suf string) int { return len([]rune(suf)) }

	// Step 1.
	switch {
	case has("ern") || has("em") || has("er"):
		suf := "er"
		if has("ern") {
			suf = "ern"
		} else if has("em") {
			suf = "em"
		}
		if len(w)-n(suf) >= r1 {
			w = w[:len(w)-n(suf)]
		}
	case has("en") || has("es") || has("e"):
		suf := "e"
		if has("en") {
			suf = "en"
		} else if has("es") {
			suf = "es"
		}
		if len(w)-n(suf) >= r1 {
			w = w[:len(w)-n(suf)]
			if strings.HasSuffix(string(w), "niss") {
				w = w[:len(w)-1]
			}
		}
	case has("s"):
		if len(w)-1 >= r1 && len(w) >= 2 && strings.ContainsRune("bdfghklmnrt", w[len(w)-2]) {
			w = w[:len(w)-1]
		}
	}
	// Step 2.
	switch {
	case has("est") || has("en") || has("er"):
		suf := "er"
		if has("est") {
			suf = "est"
		} else if has("en") {
			suf = "en"
		}
		if len(w)-n(suf) >= r1 {
			w = w[:len(w)-n(suf)]
		}
	case has("st"):
		if len(w)-2 >= r1 && len(w) >= 6 && strings.ContainsRune("bdfghklmnt", w[len(w)-3]) {
			w = w[:len(w)-2]
		}
	}
	// Step 3: derivational suffixes.
	inR2 := func(suf string) bool { return has(suf) && len(w)-n(suf) >= r2 }
	switch {
	case has("end") || has("ung"):
		suf := "ung"
		if has("end") {
			suf = "end"
		}
		if inR2(suf) {
			w = w[:len(w)-n(suf)]
			if inR2("ig") && !has("eig") {
				w = w[:len(w)-2]
			}
		}
	case has("isch") || has("ig") || has("ik"):
		suf := "ig"
		if has("isch") {
			suf = "isch"
		} else if has("ik") {
			suf = "ik"
		}
		if inR2(suf) && !has("e"+suf) {
			w = w[:len(w)-n(suf)]
		}
	case has("lich") || has("heit"):
		suf := "heit"
		if has("lich") {
			suf = "lich"
		}
		if inR2(suf) {
			w = w[:len(w)-n(suf)]
			if (has("er") || has("en")) && len(w)-2 >= r1 {
				w = w[:len(w)-2]
			}
		}
	case has("keit"):
		if inR2("keit") {
			w = w[:len(w)-4]
			if inR2("lich") {
				w = w[:len(w)-4]
			} else if inR2("ig") {
				w = w[:len(w)-2]
			}
		}
	}
	for i, r := range w {
		switch r {
		case 'U':
			w[i] = 'u'
		case 'Y':
			w[i] = 'y'
		case 'ä':
			w[i] = 'a'
		case 'ö':
			w[i] = 'o'
		case 'ü':
			w[i] = 'u'
		}
	}
	return string(w)
}

func deVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü':
		return true
	}
	return false
}
