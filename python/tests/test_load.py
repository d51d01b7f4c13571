"""framelens.load: tables read lazily as pandas (ArrowDtype) or polars;
every key a plain string, so that every pair of tables joins on its keys;
the keyness and kwic helpers agree with the tables."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import framelens

# Columns that refer to a key of another table under the same name, besides
# the declared keys (as in examples/tests/test_key_types.py).
REFERENCE_COLUMNS = ("group_a", "group_b")


def test_load_is_lazy(pandas_run):
    r = framelens.load(pandas_run.path)
    assert "tokens" in r.tables and "no_such_table" not in r.tables
    assert set(r.tables) == set(r.manifest["rows"]) and len(r.tables) >= 20
    assert r.tables._cache == {}, "a table was read before it was used"
    docs = r.tables["documents"]
    assert set(r.tables._cache) == {"documents"}
    assert r.tables["documents"] is docs  # read once
    with pytest.raises(KeyError, match="not a table of this run"):
        r.tables["no_such_table"]


def test_pandas_types_are_arrow(pandas_run):
    docs = framelens.load(pandas_run.path).tables["documents"]
    assert all(isinstance(t, pd.ArrowDtype) for t in docs.dtypes), docs.dtypes
    assert docs["doc_id"].dtype == pd.ArrowDtype(pa.string())
    cat = framelens.load(pandas_run.path, categories=True).tables["tokens"]
    assert isinstance(cat["lemma"].dtype, pd.CategoricalDtype)


def _keys(schema: dict) -> dict[str, list[str]]:
    """Each table's key columns and reference columns."""
    out = {}
    for t in schema["tables"]:
        cols = {c["name"] for c in t["columns"]}
        out[t["name"]] = sorted(set(t.get("key") or []) | (cols & set(REFERENCE_COLUMNS)))
    return out


def _pairs(run, schema):
    keys = _keys(schema)
    names = [n for n in keys if n in run.tables]
    for col in sorted({c for n in names for c in keys[n]}):
        having = [n for n in names if col in keys[n]]
        for a, b in itertools.combinations(having, 2):
            yield col, a, b


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_every_pair_of_tables_joins_on_its_keys(pandas_run, schema, backend):
    """Every two tables that share a key column join on it as they are
    loaded, and the join finds exactly the values both hold (the set
    intersection, computed in Python)."""
    r = framelens.load(pandas_run.path, backend=backend)
    pairs = list(_pairs(r, schema))
    assert ("doc_id", "documents", "tokens") in pairs and len(pairs) >= 100
    failed = {}
    for col, a, b in pairs:
        ta, tb = r.tables[a], r.tables[b]
        if backend == "pandas":
            left, right = ta[[col]].drop_duplicates(), tb[[col]].drop_duplicates()
            got = {str(v) for v in left.merge(right, on=col)[col]}
            want = {str(v) for v in left[col]} & {str(v) for v in right[col]}
            ok_type = left[col].dtype == right[col].dtype
        else:
            left, right = ta.select(col).unique(), tb.select(col).unique()
            got = {str(v) for v in left.join(right, on=col)[col].to_list()}
            want = {str(v) for v in left[col].to_list()} & {str(v) for v in right[col].to_list()}
            ok_type = left.schema[col] == right.schema[col]
        if got != want or not ok_type:
            failed[(col, a, b)] = f"joined {len(got)} values, the sets share {len(want)}; types {ok_type}"
    assert not failed, failed
    # Whole tables: every token finds its document.
    docs, tokens = r.tables["documents"], r.tables["tokens"]
    if backend == "pandas":
        assert len(docs[["doc_id", "n_words"]].merge(tokens, on="doc_id")) == len(tokens)
    else:
        assert docs.select("doc_id", "n_words").join(tokens, on="doc_id").height == tokens.height


def test_keys_are_strings_in_both_backends(pandas_run, schema):
    keys = _keys(schema)
    pd_run, pl_run = framelens.load(pandas_run.path), framelens.load(pandas_run.path, backend="polars")
    for name in ["documents", "tokens", "keyness", "frames", "entities"]:
        stored = pd_run.arrow(name).schema
        for col in keys[name]:
            if pa.types.is_dictionary(stored.field(col).type):
                assert pd_run.tables[name][col].dtype == pd.ArrowDtype(pa.string()), (name, col)
                assert pl_run.tables[name].schema[col] == pl.String, (name, col)


def test_keyness_helper_matches_the_table(pandas_run):
    k = pandas_run.keyness("Democratic:Republican", top=5)
    assert k.equals(pandas_run.keyness("Democratic vs Republican", top=5))
    assert list(k["side"]) == ["Democratic"] * 5 + ["Republican"] * 5
    # By hand from the whole table.
    t = pandas_run.tables["keyness"]
    t = t[(t["comparison"] == "Democratic vs Republican") & (t["feature_kind"] == "term")]
    for side, got in k.groupby("side"):
        want = t[t["side"] == side].assign(a=lambda d: d["z"].abs()).sort_values("a", ascending=False).head(5)
        assert list(got["feature"]) == list(want["feature"])
    pl_k = framelens.load(pandas_run.path, backend="polars").keyness("Democratic:Republican", top=5)
    assert pl_k["feature"].to_list() == list(k["feature"])
    with pytest.raises(KeyError, match="Democratic vs Republican"):
        pandas_run.keyness("Whig:Federalist")


def test_kwic_helper_matches_the_tokens(pandas_run):
    """Every concordance line of a word is one of its tokens, and every
    token of it has a line."""
    lines = pandas_run.kwic("terror*", group="Republican")
    toks = pandas_run.tables["tokens"]
    want = toks[(toks["group"] == "Republican") & toks["lower"].str.startswith("terror")]
    assert len(lines) == len(want) > 10
    assert set(lines["doc_id"]) == set(want["doc_id"])
    assert all(re.match(r"terror", m, re.I) for m in lines["match"])
    assert len(pandas_run.kwic("terror*", group="Republican", limit=3)) == 3
