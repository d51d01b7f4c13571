"""A key column has one type in every table, so that pandas, polars and
DuckDB join any two tables on it without a cast.

polars refuses to join a Categorical (a dictionary-encoded column) with a
String: `documents.join(tokens, on="doc_id")` raised SchemaError while
`documents.doc_id` was a plain string and `tokens.doc_id` dictionary-encoded.
Every pair of tables that share a key column is joined here, on the distinct
values of the column, and the result is checked against the intersection of
the two value sets computed in Python.
"""

from __future__ import annotations

import itertools

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

# Columns that refer to a key of another table under the same name, besides
# the declared keys (`Key:` in docs/tables.md).
REFERENCE_COLUMNS = ("group_a", "group_b")


def _key_columns(run) -> list[str]:
    names = set(REFERENCE_COLUMNS)
    for t in run.tables.values():
        names.update(t.key)
    return sorted(names)


def _present(run, name: str):
    return [t for t in run.with_columns(name) if t.files and all(f.exists() for f in t.files)]


def _pairs(run):
    for name in _key_columns(run):
        for a, b in itertools.combinations(_present(run, name), 2):
            yield name, a, b


def test_every_key_column_has_one_type(run):
    """The documented type and the type in the files, across tables."""
    bad = {}
    for name in _key_columns(run):
        tables = _present(run, name)
        documented = {t.name: t.column(name)["type"] for t in tables}
        stored = {t.name: str(pq.read_schema(t.files[0]).field(name).type) for t in tables}
        if len(set(documented.values())) > 1 or len(set(stored.values())) > 1:
            bad[name] = {"documented": documented, "stored": stored}
    assert not bad, f"key columns with more than one type: {bad}"


def test_key_pairs_exist(run):
    """The sample run has the pairs the issue was about."""
    pairs = {(n, a.name, b.name) for n, a, b in _pairs(run)}
    assert ("doc_id", "documents", "tokens") in pairs
    assert ("comparison", "keyness", "comparisons") in pairs or ("comparison", "comparisons", "keyness") in pairs
    assert len(pairs) >= 100


def _values(t, name: str) -> set[str]:
    return {str(v) for v in t.polars.get_column(name).unique().to_list()}


def test_polars_joins_every_pair_without_a_cast(run):
    failed = {}
    for name, a, b in _pairs(run):
        left = pl.scan_parquet(a.glob).select(name).unique()
        right = pl.scan_parquet(b.glob).select(name).unique()
        try:
            got = left.join(right, on=name).collect()
        except Exception as e:  # SchemaError, ComputeError …
            failed[(name, a.name, b.name)] = f"{type(e).__name__}: {e}"[:200]
            continue
        want = _values(a, name) & _values(b, name)
        have = {str(v) for v in got.get_column(name).to_list()}
        if have != want:
            failed[(name, a.name, b.name)] = f"joined {len(have)} values, the sets share {len(want)}"
    assert not failed, failed


def test_duckdb_joins_every_pair(run):
    failed = {}
    for name, a, b in _pairs(run):
        q = f"""SELECT count(*) FROM (SELECT DISTINCT "{name}" FROM read_parquet('{a.glob}')) l
                JOIN (SELECT DISTINCT "{name}" FROM read_parquet('{b.glob}')) r USING ("{name}")"""
        try:
            ((n,),) = duckdb.sql(q).fetchall()
        except duckdb.Error as e:
            failed[(name, a.name, b.name)] = str(e)[:200]
            continue
        want = len(_values(a, name) & _values(b, name))
        if n != want:
            failed[(name, a.name, b.name)] = f"joined {n} values, the sets share {want}"
    assert not failed, failed


@pytest.mark.parametrize("child", ["tokens", "frames", "doc_vectors", "similarity"])
def test_documents_join_in_polars_and_pandas(run, child):
    """The join of the issue, on whole tables: every row finds its document."""
    docs = run["documents"]
    t = run[child]
    if not t.files:
        pytest.skip(f"{child} not written by this run")
    joined = docs.polars.select("doc_id", "n_words").join(t.polars, on="doc_id")
    assert joined.height == t.polars.height
    merged = docs.pandas[["doc_id", "n_words"]].merge(t.pandas, on="doc_id")
    assert len(merged) == len(t.pandas)
