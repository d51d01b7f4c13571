"""Every table reads the same with pyarrow, pandas, polars and DuckDB, with
the dtypes a notebook user expects, no nulls where none are documented and
unique keys."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq

import contract


def _duck(sql: str):
    con = duckdb.connect()
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_row_counts_agree(table, run):
    meta_rows = sum(pq.read_metadata(f).num_rows for f in table.files)
    counts = {
        "parquet metadata": meta_rows,
        "pyarrow": table.arrow.num_rows,
        "pandas": len(table.pandas),
        "polars": table.polars.height,
        "duckdb": _duck(f"SELECT count(*) FROM read_parquet('{table.glob}')")[0][0],
    }
    rows = run.run_json.get("rows") or {}
    if table.name in rows:
        counts["run.json rows"] = rows[table.name]
    assert len(set(counts.values())) == 1, f"{table.name}: {counts}"


def test_run_json_lists_table(table, run):
    rj = run.run_json
    assert table.name in (rj.get("rows") or {}), f"run.json rows lacks {table.name}"
    listed = (rj.get("tables") or {}).get(table.name)
    assert listed, f"run.json tables lacks {table.name}"
    assert table.path.name in [str(x).rstrip("/").split("/")[-1] for x in listed]


def test_pandas_dtypes(table):
    df = table.pandas
    assert list(df.columns)[: len(table.columns)] == [c["name"] for c in table.columns]
    bad = []
    for c in table.columns:
        s = df[c["name"]]
        has_nulls = bool(s.isna().any())
        if not contract.pandas_dtype_ok(c["type"], s.dtype, has_nulls):
            bad.append(f"{c['name']}: {c['type']} read as {s.dtype}")
    assert not bad, f"{table.name}: " + "; ".join(bad)


def test_polars_dtypes(table):
    schema = table.polars.schema
    bad = []
    for c in table.columns:
        want = contract.polars_dtype(c["type"])
        if want is not None and schema[c["name"]] != want:
            bad.append(f"{c['name']}: {c['type']} read as {schema[c['name']]}, want {want}")
    assert not bad, f"{table.name}: " + "; ".join(bad)


def test_polars_lazy_scan(table):
    """pl.scan_parquet over the documented path pattern reads the same rows."""
    import polars as pl

    n = pl.scan_parquet(table.glob).select(pl.len()).collect().item()
    assert n == table.arrow.num_rows


def test_duckdb_types(table):
    con = duckdb.connect()
    try:
        desc = con.sql(f"DESCRIBE SELECT * FROM read_parquet('{table.glob}')").fetchall()
    finally:
        con.close()
    got = {row[0]: row[1] for row in desc}
    bad = []
    for c in table.columns:
        want = contract.duckdb_type(c["type"])
        if want is not None and got.get(c["name"]) != want:
            bad.append(f"{c['name']}: {c['type']} read as {got.get(c['name'])}, want {want}")
    assert not bad, f"{table.name}: " + "; ".join(bad)


def test_no_nulls_in_required_columns(table):
    """Non-nullable columns hold no null (Arrow) and no NaN (what pandas sees as missing)."""
    t = table.arrow
    df = table.pandas
    bad = []
    for c in table.columns:
        if c["nullable"]:
            continue
        nulls = t.column(c["name"]).null_count
        na = int(df[c["name"]].isna().sum())
        if nulls or na:
            bad.append(f"{c['name']}: {nulls} nulls, {na} NA in pandas")
    assert not bad, f"{table.name}: " + "; ".join(bad)


def test_key_unique(table):
    if not table.key:
        return
    df = table.pandas
    dup = df[df.duplicated(subset=table.key, keep=False)]
    assert dup.empty, (
        f"{table.name}: key {table.key} not unique; e.g.\n"
        f"{dup[table.key].head(10).to_string()}"
    )
