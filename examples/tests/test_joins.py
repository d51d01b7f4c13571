"""The tables join: ids in one table point at rows of the table they name."""

from __future__ import annotations

import pandas as pd
import pytest


def _keys(df: pd.DataFrame, cols: list[str]) -> set[tuple]:
    return set(df[cols].astype(object).itertuples(index=False, name=None))


def _dangling(run, child: str, parent: str, cols: list[str]) -> list[tuple]:
    have = _keys(run[parent].pandas, cols)
    want = _keys(run[child].pandas, cols)
    return sorted(want - have)[:10]


def test_doc_id_joins_documents(run, docs):
    tables = [t for t in run.with_columns("doc_id") if t.name != "documents"]
    assert len(tables) >= 8
    bad = {}
    for t in tables:
        extra = set(t.pandas["doc_id"].astype(str)) - set(docs["doc_id"])
        if extra:
            bad[t.name] = sorted(extra)[:5]
    assert not bad, f"doc_id values not in documents: {bad}"


def test_group_matches_documents(run, docs):
    """A table's group column repeats the document's group."""
    want = docs["group"].astype(str).to_dict()
    bad = {}
    for t in run.with_columns("doc_id", "group"):
        df = t.pandas[["doc_id", "group"]].astype(str).drop_duplicates()
        wrong = [(d, g) for d, g in df.itertuples(index=False) if want.get(d) != g]
        if wrong:
            bad[t.name] = wrong[:5]
    assert not bad, f"group differs from documents.group: {bad}"


def test_sentence_ids_join_sentences(run):
    tables = [
        t for t in run.with_columns("doc_id", "sentence_id") if t.name != "sentences"
    ]
    names = {t.name for t in tables}
    assert {"tokens", "entities", "frame_sentences"} <= names
    bad = {}
    for t in tables:
        d = _dangling(run, t.name, "sentences", ["doc_id", "sentence_id"])
        if d:
            bad[t.name] = d
    assert not bad, f"(doc_id, sentence_id) not in sentences: {bad}"


def test_section_ids_join_sections(run):
    tables = [
        t for t in run.with_columns("doc_id", "section_id") if t.name != "sections"
    ]
    bad = {}
    for t in tables:
        d = _dangling(run, t.name, "sections", ["doc_id", "section_id"])
        if d:
            bad[t.name] = d
    assert not bad, f"(doc_id, section_id) not in sections: {bad}"


def test_sentences_lie_in_analysed_sections(run):
    s = run["sentences"].pandas
    sec = run["sections"].pandas
    m = s.merge(sec, on=["doc_id", "section_id"], suffixes=("", "_sec"))
    assert len(m) == len(s)
    assert m["analysed"].all(), "sentences in sections not analysed"
    inside = (m["start"] >= m["start_sec"]) & (m["end"] <= m["end_sec"])
    assert inside.all(), m.loc[~inside, ["doc_id", "sentence_id", "section_id"]].head()


def test_term_ids_join_terms(run):
    terms = run["terms"].pandas.set_index("term_id")["term"]
    tables = [t for t in run.with_columns("term_id") if t.name != "terms"]
    assert {"tfidf", "topics"} <= {t.name for t in tables}
    bad = {}
    for t in tables:
        df = t.pandas
        ids = set(df["term_id"]) - set(terms.index)
        if ids:
            bad[t.name] = f"term_id not in terms: {sorted(ids)[:5]}"
            continue
        if "term" in df.columns:
            wrong = df[df["term"].astype(str) != terms.loc[df["term_id"]].to_numpy()]
            if len(wrong):
                bad[t.name] = f"term differs from terms.term: {wrong[['term_id', 'term']].head(5).values.tolist()}"
    assert not bad, bad


def test_topics_join(run):
    topics = set(run["topics"].pandas["topic"])
    dt = set(run["doc_topics"].pandas["topic"])
    assert dt <= topics, f"doc_topics topics not in topics: {sorted(dt - topics)}"


def test_entity_tokens_join_tokens(run):
    ent = run["entities"].pandas
    tok = run["tokens"].pandas
    n_tok = tok.groupby("doc_id", observed=True)["token_id"].max().to_dict()
    over = ent[ent.apply(lambda r: r.token_end > n_tok[r.doc_id] + 1, axis=1)]
    assert over.empty, over[["doc_id", "entity_id", "token_start", "token_end"]].head()
    assert (ent["token_start"] < ent["token_end"]).all()


@pytest.mark.parametrize("child", ["tokens", "sentences"])
def test_counts_match_documents(run, docs, child):
    """documents.n_tokens / n_sentences count the rows of tokens / sentences."""
    col = {"tokens": "n_tokens", "sentences": "n_sentences"}[child]
    got = run[child].pandas.groupby("doc_id", observed=True).size()
    want = docs[col]
    diff = {d: (int(want[d]), int(got.get(d, 0))) for d in want.index if int(got.get(d, 0)) != int(want[d])}
    assert not diff, f"documents.{col} vs rows of {child} (documented, counted): {diff}"


def test_n_words_matches_tokens(run, docs):
    tok = run["tokens"].pandas
    got = tok[~tok["is_punct"]].groupby("doc_id", observed=True).size()
    diff = {d: (int(docs.at[d, "n_words"]), int(got.get(d, 0))) for d in docs.index if int(got.get(d, 0)) != int(docs.at[d, "n_words"])}
    assert not diff, f"documents.n_words vs non-punctuation tokens: {diff}"
