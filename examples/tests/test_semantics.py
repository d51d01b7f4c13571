"""The tables mean what their descriptions say: offsets point at the text,
weights sum to one, intervals contain their estimate, and the sample
corpus's two groups come out on the sides a reader expects."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

SAMPLE = 20000  # rows checked per table by the offset checks (all, on the sample corpus)


def _sample(df: pd.DataFrame) -> pd.DataFrame:
    return df if len(df) <= SAMPLE else df.sample(SAMPLE, random_state=0)


def _span_mismatches(df, docs, start="start", end="end", text="text"):
    bad = []
    for r in _sample(df).itertuples(index=False):
        d = getattr(r, "doc_id")
        a, b, want = getattr(r, start), getattr(r, end), getattr(r, text)
        got = docs.at[d, "text"][a:b]
        if got != want:
            bad.append((d, a, b, want, got))
    return bad


@pytest.mark.parametrize("name", ["tokens", "sentences", "entities", "frame_sentences"])
def test_offsets_are_code_points_into_documents_text(run, docs, name):
    """documents.text[start:end] (Python str, i.e. code points) == text."""
    bad = _span_mismatches(run[name].pandas, docs)
    assert not bad, f"{name}: {len(bad)} spans differ, e.g. {bad[:3]}"


def test_offsets_of_every_table_lie_in_the_text(run, docs):
    n_chars = docs["n_chars"].to_dict()
    lens = {d: len(t) for d, t in docs["text"].items()}
    assert n_chars == lens, "documents.n_chars is not len(text) in code points"
    bad = {}
    for t in run.with_columns("doc_id", "start", "end"):
        df = t.pandas
        lim = df["doc_id"].astype(str).map(lens)
        wrong = df[(df["start"] < 0) | (df["start"] > df["end"]) | (df["end"] > lim)]
        if len(wrong):
            bad[t.name] = wrong[["doc_id", "start", "end"]].head(3).values.tolist()
    assert not bad, f"spans outside documents.text: {bad}"


def test_section_headings(run, docs):
    sec = run["sections"].pandas
    bad = _span_mismatches(sec, docs, "heading_start", "heading_end", "heading")
    assert not bad, f"sections.heading != text[heading_start:heading_end]: {bad[:3]}"


def test_frame_matches_point_at_matched_text(run, docs):
    """match_starts/match_ends are offsets into documents.text inside the sentence."""
    fs = run["frame_sentences"].pandas
    bad = []
    for r in _sample(fs).itertuples(index=False):
        text = docs.at[r.doc_id, "text"]
        n = len(r.matched)
        if not (len(r.match_starts) == len(r.match_ends) == len(r.entries) == n):
            bad.append((r.doc_id, r.sentence_id, r.frame, "list lengths differ"))
            continue
        if n != r.hits + r.negated_hits:
            bad.append((r.doc_id, r.sentence_id, r.frame, f"{n} matches, hits+negated={r.hits + r.negated_hits}"))
        for a, b, m in zip(r.match_starts, r.match_ends, r.matched):
            if not (r.start <= a < b <= r.end) or text[a:b] != m:
                bad.append((r.doc_id, r.sentence_id, r.frame, a, b, m, text[a:b]))
    assert not bad, f"{len(bad)} bad matches, e.g. {bad[:3]}"


def test_sentence_token_counts(run):
    tok = run["tokens"].pandas.groupby(["doc_id", "sentence_id"], observed=True).size()
    s = run["sentences"].pandas.set_index(["doc_id", "sentence_id"])["n_tokens"]
    got = tok.reindex(s.index, fill_value=0)
    diff = s[s != got]
    assert diff.empty, f"sentences.n_tokens != tokens per sentence: {diff.head().to_dict()}"


def test_doc_topic_weights_sum_to_one(run):
    dt = run["doc_topics"].pandas
    assert (dt["weight"] >= 0).all()
    sums = dt.groupby("doc_id", observed=True)["weight"].sum()
    assert np.allclose(sums, 1.0, atol=1e-6), sums.to_dict()
    docs_with_topics = set(dt["doc_id"].astype(str))
    assert docs_with_topics == set(run["documents"].pandas["doc_id"])


def test_topic_ranks(run):
    tp = run["topics"].pandas
    for topic, g in tp.groupby("topic"):
        assert sorted(g["rank"]) == list(range(1, len(g) + 1)), f"topic {topic} ranks"
        # Ranks follow weight × exclusivity (topics.rank), not weight alone:
        # the top-ranked term is still among the topic's heavier terms.
        ranked = g.sort_values("rank")
        assert ranked["weight"].iloc[0] >= ranked["weight"].median(), f"topic {topic}: rank 1 is a light term"
        assert g["label"].nunique() == 1, f"topic {topic}: several labels"


def test_frame_rates_and_intervals(run, docs):
    fr = run["frames"].pandas
    # Intervals are null where none was computed (a document without
    # words) or every resample is alike (no hit, one sentence, every
    # sentence with the frame); otherwise they hold the rate, with width.
    known = fr["rate_lo"].notna()
    assert (known == fr["rate_hi"].notna()).all(), "one end of an interval missing"
    n_sent = fr["doc_id"].astype(str).map(docs["n_sentences"])
    alike = (fr["n_words"] == 0) | (fr["hits"] == 0) | (n_sent <= 1) | (fr["sentence_share"] == 1)
    assert (known | alike).all(), "a document with words and varied hits has no interval"
    assert (fr.loc[known, "rate_lo"] < fr.loc[known, "rate_hi"]).all(), "zero-width interval"
    assert (fr.loc[known, "rate_lo"] <= fr.loc[known, "rate_per_1k"] + 1e-9).all(), "rate_lo above rate"
    assert (fr.loc[known, "rate_per_1k"] <= fr.loc[known, "rate_hi"] + 1e-9).all(), "rate_hi below rate"
    want = fr["doc_id"].astype(str).map(docs["n_words"])
    assert (fr["n_words"] == want).all(), "frames.n_words != documents.n_words"
    rate = 1000.0 * fr["hits"] / fr["n_words"].where(fr["n_words"] > 0)
    assert np.allclose(rate.fillna(0), fr["rate_per_1k"]), "rate_per_1k != 1000*hits/n_words"
    assert fr["sentence_share"].between(0, 1).all()
    # Every frame is scored for every document.
    per_doc = fr.groupby("doc_id", observed=True)["frame"].nunique()
    assert per_doc.nunique() == 1 and len(per_doc) == len(docs)


def test_frame_hits_match_evidence(run):
    """frames.hits/negated_hits add up the evidence sentences of the frame."""
    fr = run["frames"].pandas.set_index(["doc_id", "frame"])[["hits", "negated_hits"]]
    fs = run["frame_sentences"].pandas
    ev = fs.groupby(["doc_id", "frame"], observed=True)[["hits", "negated_hits"]].sum()
    ev = ev.reindex(fr.index, fill_value=0)
    diff = fr[(fr != ev).any(axis=1)]
    assert diff.empty, (
        "frames vs sum of frame_sentences (frames rows shown):\n"
        f"{diff.join(ev, rsuffix='_evidence').head(10)}"
    )


def test_keyness_side_follows_its_order(run):
    # side follows the statistic comparisons.keyness_test names: doc_t
    # (documents) or z (tokens; log_ratio for topics, which have no z).
    k = run["keyness"].pandas
    c = run["comparisons"].pandas
    test = dict(zip(c["comparison"].astype(str), c["keyness_test"].astype(str)))
    by_docs = k["comparison"].astype(str).map(test) == "documents"
    topic = k["feature_kind"].astype(str) == "topic"
    stat = k["z"].where(~topic, k["log_ratio"]).where(~by_docs, k["doc_t"])
    pos, neg = k[stat > 0], k[stat < 0]
    assert (pos["side"].astype(str) == pos["group_a"].astype(str)).all()
    assert (neg["side"].astype(str) == neg["group_b"].astype(str)).all()
    # Token-level p for every kind but topics (tested over documents only).
    assert k.loc[topic, ["z", "g2", "p", "p_adj"]].isna().all().all()
    tok = k[~topic]
    assert tok["p"].between(0, 1).all() and tok["p_adj"].between(0, 1).all()
    assert (tok["p_adj"] >= tok["p"] - 1e-12).all(), "BH-adjusted p below raw p"
    d = k[k["doc_p"].notna()]
    assert d["doc_p"].between(0, 1).all() and (d["doc_p_adj"] >= d["doc_p"] - 1e-12).all()


def test_keyness_documents_per_side(run):
    # Every row says in how many of each side's documents the feature
    # occurs: at least one exactly when it is counted there, never more
    # than the side has.
    k = run["keyness"].pandas
    c = run["comparisons"].pandas.set_index("comparison")
    for s in "ab":
        assert ((k[f"count_{s}"] > 0) == (k[f"docs_{s}"] > 0)).all()
        side_docs = k["comparison"].astype(str).map(c[f"docs_{s}"].rename(index=str))
        assert (k[f"docs_{s}"] <= side_docs).all()
        dp = k[f"dp_{s}"].dropna()
        assert dp.between(0, 1).all()
    # A side of one document: no DP, no document-level test, and a warning.
    one = c[(c["docs_a"] < 2) | (c["docs_b"] < 2)]
    for name, row in one.iterrows():
        assert row["keyness_test"] == "tokens"
        assert any("fewer than 5" in w for w in row["warnings"]), row["warnings"]
        rows = k[k["comparison"].astype(str) == str(name)]
        assert rows[["doc_t", "doc_p"]].isna().all().all()


SECURITY_WORDS = ["security", "visa", "sanction", "restriction"]
IDENTITY_WORDS = ["identity"]


def _term_side(k: pd.DataFrame, word: str) -> str | None:
    rows = k[(k["feature_kind"] == "term") & (k["feature"].str.lower() == word)]
    return str(rows["side"].iloc[0]) if len(rows) else None


def test_keyness_sides_on_sample_corpus(run):
    """Security vocabulary is over-used by the security paper, identity by the
    emotion paper (the built-in sample's two groups)."""
    k = run["keyness"].pandas
    groups = set(run["documents"].pandas["group"].astype(str))
    if groups != {"emotion_retention", "security_restriction"}:
        pytest.skip(f"not the built-in sample's groups: {sorted(groups)}")
    sides = {w: _term_side(k, w) for w in SECURITY_WORDS + IDENTITY_WORDS}
    found = {w: s for w, s in sides.items() if s is not None}
    assert len(found) >= 4, f"too few of the expected terms in keyness: {sides}"
    wrong = {
        w: s
        for w, s in found.items()
        if s != ("security_restriction" if w in SECURITY_WORDS else "emotion_retention")
    }
    assert not wrong, f"terms on the wrong side: {wrong}"


def test_run_json(run):
    rj = run.run_json
    assert rj.get("schema_version") == run.schema["schema_version"]
    assert re.fullmatch(r"[0-9a-f]{8,64}", rj.get("config_hash", "")), rj.get("config_hash")
    inputs = rj.get("inputs") or []
    assert inputs, "run.json lists no inputs"
    for inp in inputs:
        lower = {k.lower(): v for k, v in inp.items()}
        assert lower.get("path"), f"input without path: {inp}"
        assert re.fullmatch(r"[0-9a-f]{64}", str(lower.get("sha256", ""))), f"bad sha256: {inp}"
        if "bytes" in lower:
            assert int(lower["bytes"]) >= 0
    rows = rj.get("rows") or {}
    documented = set(run.tables)
    assert set(rows) == documented, (
        f"run.json rows vs documented tables: extra {sorted(set(rows) - documented)}, "
        f"missing {sorted(documented - set(rows))}"
    )


def test_documents_hash_their_inputs(run, docs):
    """A document read from one input file carries that file's SHA-256."""
    by_path = {}
    for inp in run.run_json.get("inputs") or []:
        lower = {k.lower(): v for k, v in inp.items()}
        by_path[str(lower.get("path"))] = str(lower.get("sha256"))
    checked = 0
    for d in docs.itertuples(index=False):
        if d.source in by_path:
            assert d.raw_sha256 == by_path[d.source], d.doc_id
            checked += 1
    if not checked:
        pytest.skip("no document maps to a single input file")


def test_keyphrase_first_start(run, docs):
    """keyphrases.first_start points at an occurrence of the phrase."""
    kp = run["keyphrases"].pandas
    bad = []
    for r in kp.itertuples(index=False):
        got = docs.at[r.doc_id, "text"][r.first_start : r.first_start + len(r.phrase)]
        if got.lower() != r.phrase.lower():
            bad.append((r.doc_id, r.rank, r.phrase, got))
    assert not bad, bad[:3]
