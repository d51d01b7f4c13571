"""Failures surface as FramelensError carrying framelens's message; a run
in which some documents failed warns."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import framelens

ROWS = [
    {"id": "a", "party": "x", "text": "Visa reviews tightened research security for visiting scholars."},
    {"id": "b", "party": "y", "text": "Universities welcomed talented researchers who felt at home and stayed."},
]


@pytest.mark.parametrize("frame", [pd.DataFrame, pl.DataFrame])
def test_bad_column_names(frame, tmp_path):
    df = frame(ROWS)
    with pytest.raises(framelens.FramelensError, match=r"text='body' is not a column of the data \(its columns: id, party, text\)"):
        framelens.run(df, text="body", out=tmp_path / "a", progress=False)
    with pytest.raises(framelens.FramelensError, match=r"group='partei' is not a column"):
        framelens.run(df, group="partei", out=tmp_path / "b", progress=False)
    with pytest.raises(framelens.FramelensError, match=r"id='key' is not a column"):
        framelens.run(df, id="key", group="party", out=tmp_path / "c", progress=False)


@pytest.mark.parametrize("frame", [pd.DataFrame(columns=["text", "group"]), pl.DataFrame({"text": [], "group": []}, schema={"text": pl.String, "group": pl.String}), []])
def test_empty_data(frame, tmp_path):
    with pytest.raises(framelens.FramelensError, match="no rows|no document"):
        framelens.run(frame, out=tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "run.json").exists()


def test_binary_errors_carry_its_message(tmp_path):
    """Errors only the binary finds: its message, its exit code."""
    with pytest.raises(framelens.FramelensError) as e:
        framelens.run(ROWS, group="party", out=tmp_path / "a", progress=False, topics=-1)
    assert e.value.exit_code == 1 and "topics" in str(e.value)
    with pytest.raises(framelens.FramelensError, match="not_a_key"):
        framelens.run(ROWS, group="party", out=tmp_path / "b", progress=False, config={"not_a_key": 1})
    with pytest.raises(framelens.FramelensError, match="flag provided but not defined"):
        framelens.run(ROWS, group="party", out=tmp_path / "c", progress=False, no_such_flag=3)
    # Every row without text: nothing could be analysed.
    blank = [dict(r, text="") for r in ROWS]
    with pytest.raises(framelens.FramelensError, match="no document analysed") as e:
        framelens.run(blank, group="party", out=tmp_path / "d", progress=False)
    assert "standard input" in str(e.value) or "-" in str(e.value)
    with pytest.raises(framelens.FramelensError, match="no such file|does not exist|missing"):
        framelens.run(tmp_path / "missing.jsonl", out=tmp_path / "e", progress=False)


def test_some_documents_failed_is_a_warning(tmp_path):
    rows = ROWS + [{"id": "c", "party": "y", "text": None}]
    with pytest.warns(framelens.FramelensWarning, match="1 of 3 documents failed"):
        r = framelens.run(rows, group="party", out=tmp_path / "out", progress=False, stages="frames")
    assert len(r.document_errors) == 1 and "-:3" in r.document_errors[0]
    assert list(r.tables["documents"]["doc_id"]) == ["a", "b"]


def test_a_row_that_does_not_convert_stops_the_run(tmp_path):
    """A value pyarrow cannot convert, in a batch after the first: the
    exception is raised, and the binary, which has read the first batch,
    does not finish a run on part of the data."""
    n = framelens._run.BATCH_ROWS + 10
    df = pd.DataFrame({"text": ["Visa reviews tightened research security."] * n, "score": [1] * n})
    df["score"] = df["score"].astype(object)
    df.loc[n - 1, "score"] = "not a number"
    with pytest.raises(Exception, match="not a number|int"):
        framelens.run(df, out=tmp_path / "out", progress=False, stages="frames")
    assert not (tmp_path / "out" / "run.json").exists()


def test_load_refuses_an_unfinished_run(tmp_path):
    with pytest.raises(framelens.FramelensError, match="no run.json"):
        framelens.load(tmp_path)
