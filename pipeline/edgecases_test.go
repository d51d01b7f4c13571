package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

func edgeCases() []edgeCase {
	long := strings.Repeat("talent mobility visa security belonging identity scholars research ", 800)[:50000]
	var answers, manyGroups []edgeDoc
	var answerIDs, manyGroupIDs []string
	for i, w := range strings.Fields("visa security belonging visa security belonging visa security belonging visa security belonging") {
		id := fmt.Sprintf("q%d", i)
		answers = append(answers, edgeDoc{id: id, group: fmt.Sprint("g", i%2), text: w + "."})
		answerIDs = append(answerIDs, id)
	}
	for i := range 20 {
		id := fmt.Sprintf("d%d", i)
		text := secText
		if i%2 == 1 {
			text = belText
		}
		manyGroups = append(manyGroups, edgeDoc{id: id, group: fmt.Sprint("group ", i), text: text})
		manyGroupIDs = append(manyGroupIDs, id)
	}
	return []edgeCase{
		{
			name:   "single document",
			docs:   []edgeDoc{{id: "a", group: "x", text: secText}},
			docIDs: []string{"a"},
		},
		{
			name: "one group only",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "x", text: belText},
				{id: "c", group: "x", text: "Universities recruit researchers from abroad with grants and housing."},
			},
			docIDs: []string{"a", "b", "c"},
		},
		{
			name: "every document in its own group",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "c", group: "z", text: "Universities recruit researchers from abroad with grants and housing."},
				{id: "d", group: "w", text: "Export controls and decoupling limit scientific exchange with Beijing."},
			},
			docIDs: []string{"a", "b", "c", "d"},
		},
		{
			// A row with an empty text and no path cannot be read: it is a
			// per-document error. A text of whitespace only is a document
			// with nothing to analyse.
			name: "empty and whitespace-only texts",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "empty", group: "x"},
				{id: "blank", group: "y", text: "   \n\t  \n "},
				{id: "b", group: "y", text: belText},
			},
			docIDs:    []string{"a", "blank", "b"},
			docErrors: 1,
			errorHas:  []string{"empty"},
			warns:     map[string]string{"blank": "no words analysed: the text is empty or whitespace only"},
		},
		{
			name: "empty and whitespace-only files in a folder",
			files: map[string]string{
				"x/a.txt":     secText,
				"x/empty.txt": "",
				"y/blank.txt": " \n\n \t\n",
				"y/b.txt":     belText,
			},
			docIDs: []string{"x/a", "x/empty", "y/b", "y/blank"}, // sorted paths
			warns: map[string]string{
				"x/empty": "no words analysed: the text is empty",
				"y/blank": "no words analysed: the text is empty or whitespace only",
			},
		},
		{
			// An empty .gz file's io.EOF, wrapped in its document error,
			// ended the corpus: the documents after it were dropped without
			// an error.
			name: "empty and damaged .gz files in a folder",
			files: map[string]string{
				"x/a.txt.gz": "",
				"x/b.txt.gz": "not gzip",
				"x/d.txt":    secText,
				"y/c.txt":    belText,
			},
			docIDs:    []string{"x/d", "y/c"},
			docErrors: 2,
			errorHas:  []string{"a.txt.gz (id \"x/a\"): not a valid gzip file (empty file)", "b.txt.gz (id \"x/b\"): not a valid gzip file"},
		},
		{
			name: "only punctuation, only numbers",
			docs: []edgeDoc{
				{id: "punct", group: "x", text: "!!! ... ??? ;;; --- ((( ))) ,,, *** ### ~~~"},
				{id: "nums", group: "y", text: "1 2 3 4 5 6 7 8 9 10 2019 2020 3.14 1,000,000 42"},
			},
			docIDs: []string{"punct", "nums"},
			warns: map[string]string{
				"punct": "no words analysed: every token is punctuation",
				"nums":  "no terms counted: its 15 analysed words are numbers",
			},
		},
		{
			name: "non-English texts",
			docs: []edgeDoc{
				{id: "zh", group: "zh", text: "人才流动与国家安全政策密切相关。中国学者面临签证审查，许多人选择回国。"},
				{id: "ar", group: "ar", text: "تؤثر سياسات التأشيرات على حركة الباحثين الدوليين. يعود كثير من العلماء إلى بلدانهم."},
				{id: "ru", group: "ru", text: "Визовая политика влияет на мобильность учёных. Многие исследователи возвращаются домой."},
			},
			docIDs: []string{"zh", "ar", "ru"},
		},
		{
			name: "a 50,000-character line without sentence punctuation",
			docs: []edgeDoc{
				{id: "long", group: "x", text: long},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"long", "b"},
		},
		{
			name: "a document of URLs only",
			docs: []edgeDoc{
				{id: "urls", group: "x", text: "https://example.com/a\nhttps://example.org/talent/visa?id=1&x=2\nhttp://www.example.net/\nwww.example.edu/research-security\n"},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"urls", "b"},
		},
		{
			name: "duplicate ids",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "a", group: "y", text: "A second document with the first one's id."},
			},
			docIDs:    []string{"a", "b"},
			docErrors: 1,
			errorHas:  []string{"duplicate document id"},
		},
		{
			name: "no group field anywhere",
			docs: []edgeDoc{
				{id: "a", noGroup: true, text: secText},
				{id: "b", noGroup: true, text: belText},
			},
			docIDs: []string{"a", "b"},
		},
		{
			name: "some documents without a group",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", noGroup: true, text: belText},
				{id: "c", group: "y", text: "Export controls and decoupling limit scientific exchange with Beijing."},
			},
			docIDs: []string{"a", "b", "c"},
		},
		{
			name: "one-word documents",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "Visa"},
				{id: "b", group: "y", text: "belonging"},
				{id: "c", group: "y", text: "the"},
			},
			docIDs: []string{"a", "b", "c"},
			warns:  map[string]string{"c": "no terms counted: its 1 analysed words are numbers, stop words"},
		},
		{
			name: "identical documents",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "x", text: secText},
				{id: "c", group: "y", text: secText},
				{id: "d", group: "y", text: secText},
			},
			docIDs: []string{"a", "b", "c", "d"},
		},
		{
			name: "no frame term and no entity anywhere",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "the cat sat on the mat and looked at the rain outside."},
				{id: "b", group: "y", text: "a dog ran in the park and chased a red ball all afternoon."},
			},
			docIDs: []string{"a", "b"},
			check: func(t *testing.T, out string) {
				// The case is only worth its name if nothing matched.
				if n := len(rows(t, out, "entities")); n != 0 {
					t.Errorf("%d entities in a corpus meant to have none", n)
				}
				if n := len(rows(t, out, "frame_sentences")); n != 0 {
					t.Errorf("%d frame sentences in a corpus meant to have none", n)
				}
			},
		},
		{
			// Group z's documents cannot be read (a missing file, no text):
			// they are document errors, and z is no group of the analysis.
			name: "a group whose documents all fail",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "z1", group: "z", path: "missing.txt"},
				{id: "z2", group: "z"},
			},
			docIDs:    []string{"a", "b"},
			docErrors: 2,
			errorHas:  []string{"z1", "z2"},
			check: func(t *testing.T, out string) {
				for _, tb := range []string{"group_frames", "keyness", "comparisons"} {
					for _, r := range rows(t, out, tb) {
						for _, c := range []string{"group", "group_a", "group_b"} {
							if r[c] == "z" {
								t.Errorf("%s has a row for group z, whose documents all failed: %v", tb, r)
							}
						}
					}
				}
			},
		},
		{
			// Nothing can be analysed, but every failure is a per-document
			// one: the run completes with empty tables and lists them all in
			// run.json (a shard of a larger run may well hold no readable
			// document; failing it would sink the batch).
			name: "every document fails",
			docs: []edgeDoc{
				{id: "z1", group: "z", path: "missing.txt"},
				{id: "z2", group: "z"},
			},
			docErrors: 2,
			errorHas:  []string{"z1", "z2"},
		},
		{
			name: "an empty corpus file",
		},
		{
			// No document has a word: no vocabulary, no topic model, and
			// two groups to compare with nothing counted.
			name: "no word anywhere, two groups",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "  \n  "},
				{id: "b", group: "y", text: "!!! ??? ..."},
				{id: "c", group: "y", text: "--- *** ---"},
			},
			docIDs: []string{"a", "b", "c"},
			warns: map[string]string{
				"a": "no words analysed: the text is empty or whitespace only",
				"b": "no words analysed: every token is punctuation",
				"c": "no words analysed: every token is punctuation",
			},
		},
		{
			name: "one 50,000-character word",
			docs: []edgeDoc{
				{id: "word", group: "x", text: strings.Repeat("visa", 12500)},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"word", "b"},
		},
		{
			name: "control characters, zero-width and bidi marks, emoji",
			docs: []edgeDoc{
				{id: "ctl", group: "x", text: "Visa\u0000 reviews\u200b tightened \u202eresearch\u202c security\u0007 🎓🇨🇳 for scholars\ufeff in 2019."},
				{id: "b", group: "y", text: "\u200b\u200b\u200b " + belText + " 👍🏽"},
			},
			docIDs: []string{"ctl", "b"},
		},
		{
			name: "CRLF and lone CR line ends",
			docs: []edgeDoc{
				{id: "crlf", group: "x", text: "Visa reviews tightened.\r\n\r\nResearch security grew.\r\nSanctions followed."},
				{id: "cr", group: "y", text: "Belonging matters.\r\rIdentity draws talent home.\rThe survey found it."},
			},
			docIDs: []string{"crlf", "cr"},
		},
		{
			name: "ids and groups that are not strings",
			docs: []edgeDoc{
				{raw: `{"id": 7, "group": null, "text": "` + secText + `"}`},
				{raw: `{"id": 8.5, "group": 3, "text": "` + belText + `"}`},
				{raw: `{"id": true, "group": ["a", "b"], "text": "Export controls limit exchange."}`},
			},
			docIDs: []string{"7", "8.5", "true"},
		},
		{
			name: "lines that are not JSON objects, blank lines",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{raw: "not json at all"},
				{raw: "[1, 2, 3]"},
				{raw: " "},
				{raw: `{"id": "b", "group": "y", "text": 42}`},
				{id: "c", group: "y", text: belText},
			},
			docIDs:    []string{"a", "b", "c"},
			docErrors: 2,
			warns:     map[string]string{"b": "no words analysed"},
		},
		{
			// Fewer distinct terms than topics: the model must fit fewer
			// (this failed the whole run: "topics: 4 topics for a 12×3
			// matrix").
			name:   "a dozen one-word answers over three words",
			docs:   answers,
			docIDs: answerIDs,
		},
		{
			name:   "twenty groups of one document each",
			docs:   manyGroups,
			docIDs: manyGroupIDs,
		},
		{
			name: "combining marks, emoji only, Unicode line separators",
			docs: []edgeDoc{
				{id: "zalgo", group: "x", text: strings.Repeat("Vi\u0301\u0302\u0303sa ", 500)},
				{id: "emoji", group: "y", text: strings.Repeat("😀🎓🇨🇳 ", 300)},
				{id: "seps", group: "y", text: "line\u2028sep\u2029para\u0085nel\vvt\fff security visa."},
			},
			docIDs: []string{"zalgo", "emoji", "seps"},
			warns:  map[string]string{"emoji": "no words analysed: every token is punctuation or a symbol"},
		},
		{
			// The whole input is unusable: a manifest that does not parse
			// would be misread from the error on, so the run stops with an
			// error naming the file and line, and writes no run.json.
			name:    "a manifest that does not parse",
			yaml:    "documents:\n  - id: a\n    group: x\n    text: [unclosed\n",
			wantErr: "manifest.yaml:4",
		},
		{
			// No corpus at all: nothing can run.
			name:    "a corpus path that does not exist",
			missing: true,
			wantErr: "no such file",
		},
		{
			name: "a document that is only a reference list",
			docs: []edgeDoc{
				{id: "refs", group: "x", text: "References\n\n[1] Smith, J. (2019). Visa policy and research security. Journal of Migration, 3(2), 1-10.\n[2] Wang, L. (2021). Talent flows. Science Policy, 7, 22-31.\n"},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"refs", "b"},
			warns:  map[string]string{"refs": "no words analysed: it has only sections that are not analysed (references)"},
		},
	}
}
