"""framelens.run on pandas and polars frames, a list of dicts and a path:
the same rows give the same analysis whichever way they arrive."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import framelens


def test_version_is_the_binarys():
    assert framelens.__version__ == framelens.binary_version() != ""


def test_python_m_framelens_runs_the_binary():
    want = subprocess.run([str(framelens.binary()), "version"], capture_output=True, text=True, check=True).stdout
    got = subprocess.run([sys.executable, "-m", "framelens", "version"], capture_output=True, text=True, check=True).stdout
    assert got == want and got.startswith(f"framelens {framelens.__version__} ")


def test_pandas_frame(pandas_run, sotu):
    docs = pandas_run.tables["documents"]
    assert isinstance(docs, pd.DataFrame)
    assert list(docs["doc_id"]) == list(sotu["id"])
    assert dict(zip(docs["doc_id"], docs["group"])) == dict(zip(sotu["id"], sotu["party"]))
    # The other columns are metadata: they become columns of documents.
    assert list(docs["president"]) == list(sotu["president"])
    assert list(docs["year"]) == list(sotu["year"])
    # The rows arrived on standard input, which run.json records as "-".
    (inp,) = pandas_run.manifest["inputs"]
    assert pandas_run.manifest["corpus"] == "-" and inp["path"] == "-" and inp["bytes"] > sotu["text"].str.len().sum()
    assert docs["source"].iloc[1] == "-:2"
    assert pandas_run.document_errors == []
    assert "Democratic vs Republican" in pandas_run.summary


def _same(a: pa.Table, b: pa.Table) -> bool:
    return a.cast(b.schema).equals(b) if a.schema != b.schema else a.equals(b)


@pytest.mark.parametrize("table", ["keyness", "frames", "tfidf", "entities", "topics", "frame_comparisons"])
def test_polars_pandas_and_file_agree(pandas_run, polars_run, file_run, table):
    """One analysis, three routes in: a pandas frame and a polars frame
    streamed as Arrow, and the rows written to JSONL and read from the file."""
    ref = file_run.arrow(table)
    assert ref.num_rows > 0
    for r in (pandas_run, polars_run):
        got = r.arrow(table)
        assert got.num_rows == ref.num_rows
        # Dictionaries may be laid out differently: compare decoded values.
        assert got.to_pylist() == ref.to_pylist(), f"{table} of the {r.backend} run differs from the file run"


def test_polars_frame(polars_run, sotu):
    docs = polars_run.tables["documents"]
    assert isinstance(docs, pl.DataFrame)
    assert docs["doc_id"].to_list() == list(sotu["id"])
    assert docs.schema["doc_id"] == pl.String and docs.schema["group"] == pl.String


def test_list_of_dicts(tmp_path):
    rows = [
        {"text": "Visa reviews tightened research security for visiting Chinese scholars in 2019.", "side": "restrict", "n": 1},
        {"text": "Export controls and sanctions restrict collaboration with foreign universities.", "side": "restrict", "n": 2},
        {"text": "Scientists who feel they belong stay: cultural identity draws talent home again.", "side": "retain", "n": 3},
    ]
    r = framelens.run(rows, group="side", out=tmp_path / "out", progress=False, stages="frames,keyness")
    docs = r.tables["documents"]
    # No id column: the rows are numbered from 1.
    assert list(docs["doc_id"]) == ["1", "2", "3"] and list(docs["n"]) == [1, 2, 3]
    frames = r.tables["frames"]
    sec = frames[(frames["frame"] == "security_restriction")].set_index("doc_id")["hits"]
    assert sec["1"] >= 1 and sec["2"] >= 1 and sec["3"] == 0


def test_path_input_records_the_file(file_run, sotu):
    (inp,) = file_run.manifest["inputs"]
    assert inp["path"] == "sotu.jsonl"
    assert file_run.manifest["rows"]["documents"] == len(sotu)


def test_stdin_hash_is_of_the_bytes_sent(tmp_path):
    """run.json's sha256 of "-" is the hash of the Arrow stream the package
    wrote: the same stream written to a file hashes the same."""
    rows = [{"id": "a", "text": "Visa reviews tightened research security for visiting scholars."}]
    r = framelens.run(rows, out=tmp_path / "out", progress=False, stages="frames")
    t = pa.Table.from_pylist(rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as w:
        for b in t.to_batches(max_chunksize=4096):
            w.write_batch(b)
    data = sink.getvalue().to_pybytes()
    (inp,) = r.manifest["inputs"]
    assert inp == {"path": "-", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_builtin_sample(tmp_path):
    r = framelens.run(None, out=tmp_path / "out", progress=False, stages="keyness")
    assert r.manifest["corpus"] == "built-in sample"
    assert set(r.tables["documents"]["group"]) == {"emotion_retention", "security_restriction"}


def test_progress_with_and_without_tqdm(tmp_path, monkeypatch, capsys):
    rows = [{"text": "Visa reviews tightened research security for visiting scholars.", "group": g} for g in "ab"]
    pytest.importorskip("tqdm")
    framelens.run(rows, out=tmp_path / "a", progress=True, stages="frames")
    assert "framelens" in capsys.readouterr().err  # the bar
    for m in ("tqdm", "tqdm.auto", "tqdm.std"):
        monkeypatch.setitem(sys.modules, m, None)  # as if tqdm were not installed
    r = framelens.run(rows, out=tmp_path / "b", progress=True, stages="frames")
    assert r.manifest["rows"]["documents"] == 2
    assert capsys.readouterr().err == ""
