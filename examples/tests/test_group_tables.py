"""The corpus-level tables (per group, per comparison) agree with the
per-document tables they summarise. Each check runs only when the run has
the table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _need(run, *names):
    for n in names:
        if n not in run.tables:
            pytest.skip(f"schema has no {n} table")
    return [run[n].pandas for n in names]


def _str(df, *cols):
    df = df.copy()
    for c in cols:
        df[c] = df[c].astype(str)
    return df


def _docs_by_group(docs):
    return docs.assign(group=docs["group"].astype(str)).groupby("group")


def test_group_frames_pool_frames(run, docs):
    gf, fr = _need(run, "group_frames", "frames")
    gf, fr = _str(gf, "group", "frame"), _str(fr, "group", "frame")
    pooled = fr.groupby(["group", "frame"])[["hits", "negated_hits"]].sum()
    g = gf.set_index(["group", "frame"])
    assert (g["hits"] == pooled["hits"].reindex(g.index)).all(), "hits != sum of frames.hits"
    assert (g["negated_hits"] == pooled["negated_hits"].reindex(g.index)).all()
    words = _docs_by_group(docs)["n_words"].sum()
    ndocs = _docs_by_group(docs).size()
    assert (gf["n_words"].to_numpy() == gf["group"].map(words).to_numpy()).all()
    assert (gf["docs"].to_numpy() == gf["group"].map(ndocs).to_numpy()).all()
    rate = 1000 * gf["hits"] / gf["n_words"].where(gf["n_words"] > 0)
    assert np.allclose(rate.fillna(0), gf["rate_per_1k"])
    # An interval holds its estimate, or is null (no words, or every
    # resample alike, e.g. no hit): never zero-width.
    _interval_holds(gf, "rate_lo", "rate_per_1k", "rate_hi")
    _interval_holds(gf, "share_lo", "sentence_share", "share_hi")


def test_frame_comparisons(run):
    (fc,) = _need(run, "frame_comparisons")
    assert np.allclose(fc["rate_diff"], fc["rate_a"] - fc["rate_b"])
    assert np.allclose(fc["share_diff"], fc["share_a"] - fc["share_b"])
    _interval_holds(fc, "rate_diff_lo", "rate_diff", "rate_diff_hi")
    _interval_holds(fc, "share_diff_lo", "share_diff", "share_diff_hi")
    if "group_frames" in run.tables:
        gf = _str(run["group_frames"].pandas, "group", "frame").set_index(["group", "frame"])
        fc = _str(fc, "group_a", "frame")
        idx = list(zip(fc["group_a"], fc["frame"]))
        known = [i for i in idx if i in gf.index]
        if known:
            got = fc.set_index(["group_a", "frame"]).loc[known, "rate_a"].to_numpy()
            assert np.allclose(got, gf.loc[known, "rate_per_1k"].to_numpy()), "rate_a != group_frames.rate_per_1k"


def _interval_holds(t, lo, est, hi):
    """Non-null intervals hold their estimate and have width; nulls pair."""
    assert (t[lo].isna() == t[hi].isna()).all(), f"one end of {lo} null"
    k = t[t[lo].notna()]
    assert (k[lo] <= k[est] + 1e-9).all() and (k[est] <= k[hi] + 1e-9).all(), f"{est} outside [{lo}, {hi}]"
    assert (k[lo] < k[hi]).all(), f"zero-width {lo}/{hi}"


def test_topic_prevalence(run, docs):
    tp, topics, dt, tfidf = _need(run, "topic_prevalence", "topics", "doc_topics", "tfidf")
    assert set(tp["topic"]) <= set(topics["topic"])
    assert np.allclose(tp["diff"], tp["mean_a"] - tp["mean_b"])
    # An interval is null with its reason (a side of one document always
    # resamples to itself), never zero-width.
    est = tp[tp["diff_lo"].notna()]
    assert (tp["diff_lo"].isna() == tp["diff_hi"].isna()).all()
    assert (tp.loc[tp["diff_lo"].isna(), "interval_note"] != "").all(), "null interval without interval_note"
    assert (est["interval_note"] == "").all()
    assert (est["diff_lo"] < est["diff_hi"]).all(), "zero-width topic prevalence interval"
    assert (est["diff_lo"] <= est["diff"] + 1e-9).all() and (est["diff"] <= est["diff_hi"] + 1e-9).all()
    # mean_a is the mean topic weight over side A's documents with a term in
    # the vocabulary (a tfidf row); the others have placeholder weights 1/K.
    # A missing doc_topics row is weight 0.
    w = dt.assign(doc_id=dt["doc_id"].astype(str)).pivot_table(
        index="doc_id", columns="topic", values="weight", fill_value=0.0, observed=True
    )
    with_terms = set(tfidf["doc_id"].astype(str))
    group = docs["group"].astype(str)
    group = group[group.index.astype(str).isin(with_terms)]
    for r in _str(tp, "group_a").itertuples(index=False):
        members = group[group == r.group_a].index
        if len(members):
            want = w.reindex(members, fill_value=0.0)[r.topic].mean()
            assert np.isclose(r.mean_a, want), (r.group_a, r.topic, r.mean_a, want)
            assert r.docs_a == len(members)


def test_topic_prevalence_labels(run):
    """topic_prevalence.label is the topic's label, as in topics.label."""
    tp, topics = _need(run, "topic_prevalence", "topics")
    labels = topics.drop_duplicates("topic").set_index("topic")["label"]
    want = labels.reindex(tp["topic"]).to_numpy()
    bad = [(t, g, w) for t, g, w in zip(tp["topic"], tp["label"], want) if g != w]
    assert not bad, f"(topic, topic_prevalence.label, topics.label): {bad[:3]}"


def test_entity_mentions_count_entities(run):
    em, ent = _need(run, "entity_mentions", "entities")
    keys = ["doc_id", "canonical", "label"]
    counted = _str(ent, *keys).groupby(keys).size()
    em = _str(em, *keys).set_index(keys)
    assert set(em.index) == set(counted.index), "entity_mentions rows != (doc, canonical, label) of entities"
    diff = em["mentions"] - counted.reindex(em.index)
    assert (diff == 0).all(), diff[diff != 0].head()
    texts = _str(ent, *keys).groupby(keys)["text"].agg(set)
    for idx, variants in em["variants"].items():
        assert len(variants) > 0 and set(variants) <= texts[idx], (idx, list(variants))


def test_similarity(run, docs):
    (sim,) = _need(run, "similarity")
    sim = _str(sim, "doc_id", "neighbor_id", "neighbor_group")
    assert set(sim["neighbor_id"]) <= set(docs.index), "neighbor_id not in documents"
    assert (sim["neighbor_group"] == sim["neighbor_id"].map(docs["group"].astype(str))).all()
    assert (sim["doc_id"] != sim["neighbor_id"]).all(), "a document is its own neighbour"
    assert sim["cosine"].between(-1e-9, 1 + 1e-9).all()
    for d, g in sim.groupby("doc_id"):
        g = g.sort_values("rank")
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert (np.diff(g["cosine"].to_numpy()) <= 1e-12).all(), f"{d}: cosine not descending"


def test_doc_vectors_match_doc_topics(run):
    dv, dt = _need(run, "doc_vectors", "doc_topics")
    dt = _str(dt, "doc_id")
    n_topics = dt["topic"].max() + 1
    for r in dv.itertuples(index=False):
        vec = np.asarray(r.topic_weights, dtype=float)
        want = np.zeros(n_topics)
        rows = dt[dt["doc_id"] == str(r.doc_id)]
        want[rows["topic"].to_numpy()] = rows["weight"].to_numpy()
        assert len(vec) == n_topics, (r.doc_id, len(vec), n_topics)
        assert np.allclose(vec, want, atol=1e-6), r.doc_id


def test_comparisons(run, docs):
    cmp_, kw = _need(run, "comparisons", "keyness")
    group = docs["group"].astype(str)
    for r in cmp_.itertuples(index=False):
        for side, g, n, words in (("a", r.group_a, r.docs_a, r.words_a), ("b", r.group_b, r.docs_b, r.words_b)):
            if g in set(group):
                members = group[group == g].index
                assert n == len(members), (r.comparison, side)
                assert words == docs.loc[members, "n_words"].sum(), (r.comparison, side)
        k = _str(kw, "comparison", "feature_kind", "side")
        k = k[(k["comparison"] == r.comparison) & (k["feature_kind"] == "term")]
        side_of = dict(zip(k["feature"], k["side"]))
        for t in r.top_terms_a:
            assert side_of.get(t) == r.group_a, (r.comparison, t, side_of.get(t))
        for t in r.top_terms_b:
            assert side_of.get(t) == r.group_b, (r.comparison, t, side_of.get(t))
        # Null when a side has no counted term (schema 2).
        if r.jsd_terms is not None and not pd.isna(r.jsd_terms):
            assert 0 <= r.jsd_terms <= 1
        if r.jsd_topics is not None and not pd.isna(r.jsd_topics):
            assert 0 <= r.jsd_topics <= 1


@pytest.mark.parametrize("name,by", [("group_keyphrases", "group"), ("frame_suggestions", "frame"), ("keyphrases", "doc_id")])
def test_ranks_run_from_one(run, name, by):
    (df,) = _need(run, name)
    for key, g in _str(df, by).groupby(by):
        assert sorted(g["rank"]) == list(range(1, len(g) + 1)), f"{name}: ranks of {key}"


def test_group_keyphrases_score(run):
    """group_keyphrases: score = prevalence × distinctiveness, both in (0, 1],
    best first within each group, every group present."""
    (gk,) = _need(run, "group_keyphrases")
    gk = _str(gk, "group")
    assert ((gk["prevalence"] > 0) & (gk["prevalence"] <= 1)).all()
    assert ((gk["distinctiveness"] > 0) & (gk["distinctiveness"] <= 1)).all()
    assert (abs(gk["score"] - gk["prevalence"] * gk["distinctiveness"]) < 1e-12).all()
    for key, g in gk.groupby("group"):
        s = g.sort_values("rank")["score"].tolist()
        assert s == sorted(s, reverse=True), f"group_keyphrases of {key} not in score order"


def test_frame_suggestions(run):
    (fsug,) = _need(run, "frame_suggestions")
    assert (fsug["ppmi"] >= 0).all()
    assert (fsug["joint"] <= fsug["term_sentences"]).all()
    assert (fsug["joint"] > 0).all()
