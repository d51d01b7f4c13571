"""examples/run_notebook.py: runs under this interpreter, fails on a failing
cell, never rewrites the notebook."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

import contract

SCRIPT = contract.REPO_ROOT / "examples" / "run_notebook.py"


def _write(path: Path, *sources: str) -> bytes:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return path.read_bytes()


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_runs_under_this_interpreter_and_leaves_the_file_alone(tmp_path):
    nb = tmp_path / "ok.ipynb"
    seen = tmp_path / "seen.txt"
    before = _write(
        nb,
        f"import sys, os\nopen({str(seen)!r}, 'w').write(sys.executable + '\\n' + os.getcwd())",
        "x = 1 + 1\nx",
    )
    executed = tmp_path / "executed.ipynb"
    res = _run(str(nb), "--cwd", str(tmp_path), "--output", str(executed))
    assert res.returncode == 0, res.stderr
    exe, cwd = seen.read_text().split("\n")
    assert Path(exe) == Path(sys.executable)
    assert Path(cwd).resolve() == tmp_path.resolve()
    assert nb.read_bytes() == before, "the notebook file was rewritten"
    out = nbformat.read(executed, as_version=4)
    assert out.cells[1].outputs[0]["data"]["text/plain"] == "2"


def test_fails_on_an_error_and_names_the_cell(tmp_path):
    nb = tmp_path / "bad.ipynb"
    before = _write(nb, "a = 1", "raise ValueError('framelens-broken-cell')", "b = 2")
    digest = hashlib.sha256(before).hexdigest()
    res = _run(str(nb))
    assert res.returncode == 1
    assert "cell 1" in res.stderr
    assert "framelens-broken-cell" in res.stderr
    assert "ValueError" in res.stderr
    assert hashlib.sha256(nb.read_bytes()).hexdigest() == digest


def test_refuses_to_overwrite_the_notebook(tmp_path):
    nb = tmp_path / "same.ipynb"
    _write(nb, "1")
    res = _run(str(nb), "--output", str(nb))
    assert res.returncode == 2


def test_committed_notebook_is_clean():
    """The example notebook is stored without outputs or execution counts."""
    path = contract.REPO_ROOT / "examples" / "notebooks" / "compare_framing.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for i, c in enumerate(code):
        assert c.get("outputs") == [], f"code cell {i} has outputs"
        assert c.get("execution_count") is None, f"code cell {i} has an execution count"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
