"""Fixtures of the framelens package's tests.

The corpus is real text: twelve State of the Union addresses, 2003–2014
(George W. Bush, Republican; Barack Obama, Democratic), from the shared
benchmark data beside the repository (../shared/bench/sotu, or
$FRAMELENS_SHARED/bench/sotu). That data is never copied into the
repository: without it the tests that need it skip with a message, and
fail under CI (CI=true), which always has it.

The binary is the package's own, or $FRAMELENS_BIN.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import framelens

YEARS = range(2003, 2015)


def shared_root() -> Path | None:
    env = os.environ.get("FRAMELENS_SHARED")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for d in [Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parent, *Path(__file__).resolve().parents]:
        if (d / "go.mod").exists():
            cand = d.parent / "shared"
            return cand if cand.is_dir() else None
    return None


def shared(rel: str) -> Path:
    root = shared_root()
    if root is not None and (root / rel).exists():
        return root / rel
    msg = f"shared data {rel} not found beside the repository (../shared); this test needs it"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " and CI must run it")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def sotu() -> pd.DataFrame:
    """Twelve SOTU addresses: id, party, year, president, text."""
    base = shared("bench/sotu")
    rows = []
    for line in (base / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        m = json.loads(line)
        if m["year"] in YEARS:
            text = (base / "txt" / f"{m['id']}.txt").read_text(encoding="utf-8")
            rows.append({"id": m["id"], "party": m["party"], "year": m["year"], "president": m["name"], "text": text})
    df = pd.DataFrame(rows)
    assert len(df) == len(YEARS) and set(df["party"]) == {"Democratic", "Republican"}
    return df


@pytest.fixture(scope="session")
def pandas_run(sotu, tmp_path_factory) -> framelens.Run:
    return framelens.run(sotu, group="party", out=tmp_path_factory.mktemp("pandas") / "out", seed=7, progress=False)


@pytest.fixture(scope="session")
def polars_run(sotu, tmp_path_factory) -> framelens.Run:
    df = pl.from_pandas(sotu)
    return framelens.run(
        df, group="party", out=tmp_path_factory.mktemp("polars") / "out", seed=7, backend="polars", progress=False
    )


@pytest.fixture(scope="session")
def file_run(sotu, tmp_path_factory) -> framelens.Run:
    """The same rows as a JSONL file, run from its path."""
    d = tmp_path_factory.mktemp("file")
    p = d / "sotu.jsonl"
    sotu.to_json(p, orient="records", lines=True, force_ascii=False)
    return framelens.run(p, group="party", out=d / "out", seed=7, progress=False)


@pytest.fixture(scope="session")
def schema() -> dict:
    """`framelens schema --json`: every table's columns and key."""
    import subprocess

    res = subprocess.run([str(framelens.binary()), "schema", "--json"], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def pytest_report_header(config):
    try:
        exe = framelens.binary()
    except framelens.FramelensError as e:
        exe = f"missing ({e})"
    return [f"framelens package: {Path(framelens.__file__).parent} ({framelens.__version__}), binary: {exe}"]
