"""framelens from Python: run the pipeline on a DataFrame and load its tables.

    import framelens
    run = framelens.run(df, text="text", group="party", seed=42)
    run.tables["keyness"]                  # pandas (join-safe string keys)
    run.keyness("Democratic:Republican").head()
    run.kwic("talent*", group="Democratic")
    framelens.load("out/", backend="polars")

The work is done by the framelens binary that this package carries (or
$FRAMELENS_BIN): `run` streams the rows to it as Arrow, it writes the same
Parquet tables as `framelens run`, and `load` reads them. The helpers are
thin wrappers over the tables and the binary, never a second
implementation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

from ._version import __version__

__all__ = ["run", "load", "Run", "FramelensError", "binary", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]

#: Exit codes of the binary (docs/errors.md).
EXIT_OK, EXIT_FAILED, EXIT_PARTIAL = 0, 1, 2


class FramelensError(RuntimeError):
    """The binary stopped with an error; the message is framelens's own."""

    def __init__(self, message: str, exit_code: int, stderr: str = ""):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr


def binary() -> Path:
    """The framelens binary used: $FRAMELENS_BIN, else the one in this package."""
    env = os.environ.get("FRAMELENS_BIN")
    if env:
        p = Path(env)
        if not p.exists():
            raise FramelensError(f"FRAMELENS_BIN={env}: no such file", EXIT_FAILED)
        return p
    exe = "framelens.exe" if os.name == "nt" else "framelens"
    p = Path(__file__).resolve().parent / "bin" / exe
    if not p.exists():
        raise FramelensError(
            f"the framelens binary is missing from the package ({p}): reinstall with "
            "`pip install ./python` from a checkout (needs Go) or a wheel, or set FRAMELENS_BIN",
            EXIT_FAILED,
        )
    return p


# ---------------------------------------------------------------------------
# run


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _options_to_flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword options become the CLI's flags: topics=10 -> --topics 10,
    skip=["entities"] -> --skip entities, clean="transcript" -> --clean
    transcript, quiet=True -> --quiet."""
    args: list[str] = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = _flag(key)
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple, set)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


def _to_arrow(data: Any, text: str):
    """A pandas or polars DataFrame, a pyarrow Table or a list of dicts as
    an Arrow table (zero-copy where the library allows it)."""
    import pyarrow as pa

    if isinstance(data, pa.Table):
        return data
    mod = type(data).__module__
    if mod.startswith("polars"):
        return data.to_arrow()
    if mod.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, (list, tuple)):
        if not data:
            raise FramelensError("framelens.run: the data has no rows", EXIT_FAILED)
        return pa.Table.from_pylist(list(data))
    raise TypeError(
        f"framelens.run: data must be a pandas or polars DataFrame, a pyarrow Table, "
        f"a list of dicts or a path, not {type(data).__name__}"
    )


def _check_columns(table, **columns: Optional[str]) -> None:
    names = table.column_names
    for role, col in columns.items():
        if col is not None and col not in names:
            raise FramelensError(
                f"framelens.run: {role}={col!r} is not a column of the data (columns: {', '.join(names)})",
                EXIT_FAILED,
            )
    if table.num_rows == 0:
        raise FramelensError("framelens.run: the data has no rows", EXIT_FAILED)


class _Progress:
    """Shows the binary's progress (JSON lines on stderr) with tqdm when it
    is installed (a notebook widget under Jupyter), else nothing."""

    def __init__(self, enabled: bool):
        self.bar = None
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=None, unit=" docs", desc="framelens")

    def update(self, event: Mapping[str, Any]) -> None:
        if self.bar is None:
            return
        docs = event.get("docs")
        if isinstance(docs, int):
            self.bar.n = docs
        self.bar.set_postfix_str(str(event.get("stage", "")))
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(
    data: Any,
    text: str = "text",
    group: Optional[str] = "group",
    id: Optional[str] = None,
    config: Union[None, PathLike, Mapping[str, Any]] = None,
    out: Optional[PathLike] = None,
    *,
    backend: str = "pandas",
    progress: Optional[bool] = None,
    **options: Any,
) -> "Run":
    """Runs the framelens pipeline and returns the finished run.

    data: a pandas or polars DataFrame, a pyarrow Table or a list of dicts
        (one row per document), streamed to the binary as Arrow without a
        temporary file; or a path to a corpus (folder, manifest, row dump).
    text, group, id: the columns holding the text, the comparison group and
        the document id (id None: rows are numbered; group None: one group).
    config: a YAML config file, or a dict of config keys (docs/config.md).
    out: the output folder (None: a new temporary folder, kept).
    backend: "pandas" or "polars", for the tables of the returned Run.
    progress: show progress (default: when running under Jupyter or a TTY).
    options: any flag of `framelens run`, e.g. seed=42, topics=8,
        skip=["entities"], clean="transcript", workers=4, limit=1000.

    Raises FramelensError with framelens's message when the run fails (exit
    code 1). When it completes but some documents failed (exit code 2) a
    warning lists them and the Run is returned.
    """
    exe = binary()
    args: list[str] = [str(exe), "run"]
    stdin_table = None
    if isinstance(data, (str, os.PathLike)):
        args += ["--corpus", os.fspath(data)]
    else:
        stdin_table = _to_arrow(data, text)
        _check_columns(stdin_table, text=text, group=group, id=id)
        args += ["--corpus", "-"]
    if text != "text":
        args += ["--text-column", text]
    if group is not None and group != "group":
        args += ["--group-column", group]
    if id is not None:
        args += ["--id-column", id]
    cleanup: list[Path] = []
    if config is not None:
        if isinstance(config, Mapping):
            fd, cpath = tempfile.mkstemp(prefix="framelens-config-", suffix=".yaml")
            with os.fdopen(fd, "w") as f:
                json.dump(dict(config), f)  # JSON is YAML
            cleanup.append(Path(cpath))
            args += ["--config", cpath]
        else:
            args += ["--config", os.fspath(config)]
    if out is None:
        out = tempfile.mkdtemp(prefix="framelens-")
    args += ["--out", os.fspath(out)]
    if progress is None:
        progress = _interactive()
    args += ["--progress", "json"] if progress else ["--quiet"]
    args += _options_to_flags(options)
    try:
        _execute(args, stdin_table, progress)
    finally:
        for p in cleanup:
            p.unlink(missing_ok=True)
    return load(out, backend=backend)


def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except Exception:
        return False


def _execute(args: list[str], table, progress: bool) -> None:
    """Runs the binary, feeding table to it as an Arrow IPC stream."""
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if table is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    bar = _Progress(progress)
    err_lines: list[str] = []

    def read_stderr() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("{"):
                try:
                    bar.update(json.loads(line))
                    continue
                except ValueError:
                    pass
            err_lines.append(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    out_thread = threading.Thread(target=lambda: proc.stdout.read() if proc.stdout else None, daemon=True)
    out_thread.start()
    if table is not None:
        import pyarrow as pa

        assert proc.stdin is not None
        try:
            with pa.ipc.new_stream(proc.stdin, table.schema) as w:
                for batch in table.to_batches(max_chunksize=2048):
                    w.write_batch(batch)
        except (BrokenPipeError, OSError):
            pass  # the binary stopped reading: its exit code says why
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass
    code = proc.wait()
    reader.join()
    out_thread.join()
    bar.close()
    stderr = "\n".join(err_lines)
    if code == EXIT_OK:
        return
    message = _message(err_lines) or f"framelens exited with status {code}"
    if code == EXIT_PARTIAL:
        warnings.warn(f"framelens: {message}", stacklevel=3)
        return
    raise FramelensError(message, code, stderr)


def _message(lines: Sequence[str]) -> str:
    """The error the binary printed ("framelens: …"), else its last line."""
    for line in reversed(lines):
        if line.startswith("framelens:"):
            return line[len("framelens:"):].strip()
    return lines[-1].strip() if lines else ""


# ---------------------------------------------------------------------------
# load


class Tables(Mapping[str, Any]):
    """The tables of a run, read on first use."""

    def __init__(self, run: "Run"):
        self._run = run
        self._cache: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in self._run.manifest.get("tables", {}):
            raise KeyError(f"{name!r} is not a table of this run (tables: {', '.join(self)})")
        if name not in self._cache:
            self._cache[name] = self._run._frame(self._run.arrow(name))
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._run.manifest.get("tables", {})))

    def __len__(self) -> int:
        return len(self._run.manifest.get("tables", {}))


class Run:
    """A finished framelens run: its folder, run.json and tables."""

    def __init__(self, path: PathLike, backend: str = "pandas", categories: bool = False):
        self.path = Path(path)
        if backend not in ("pandas", "polars"):
            raise ValueError(f"backend must be 'pandas' or 'polars', not {backend!r}")
        self.backend = backend
        self.categories = categories
        manifest = self.path / "run.json"
        if not manifest.exists():
            raise FramelensError(
                f"{self.path}: no run.json: not a finished framelens run (an interrupted one resumes with --resume)",
                EXIT_FAILED,
            )
        self.manifest: dict[str, Any] = json.loads(manifest.read_text())
        self.tables = Tables(self)

    def __repr__(self) -> str:
        return f"<framelens.Run {self.path} ({len(self.tables)} tables, {self.backend})>"

    def arrow(self, name: str):
        """A table as a pyarrow Table (its file or directory of part files)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        paths = self.manifest.get("tables", {}).get(name)
        if not paths:
            raise KeyError(f"{name!r} is not a table of this run")
        p = self.path / next((x for x in paths if not x.endswith(".arrow")), paths[0])
        if p.suffix == ".arrow":
            with pa.memory_map(str(p)) as src:
                return pa.ipc.open_file(src).read_all()
        return pq.read_table(str(p))

    def _frame(self, table):
        """The table for the chosen backend. Dictionary-encoded columns are
        decoded to strings unless categories=True, so that keys join across
        tables and tools without casts."""
        import pyarrow as pa

        if not self.categories:
            cols = []
            for field, col in zip(table.schema, table.columns):
                if pa.types.is_dictionary(field.type):
                    col = col.cast(field.type.value_type)
                cols.append(col)
            table = pa.table(cols, names=table.column_names)
        if self.backend == "polars":
            import polars as pl

            return pl.from_arrow(table)
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)

    def keyness(self, comparison: Optional[str] = None, kind: str = "term", top: Optional[int] = 20):
        """The keyness rows of one comparison and feature kind, most
        distinctive first (the keyness table, filtered and ordered)."""
        import pyarrow.compute as pc

        t = self.arrow("keyness")
        mask = pc.equal(t["feature_kind"].cast("string"), kind)
        if comparison is not None:
            mask = pc.and_(mask, pc.equal(t["comparison"].cast("string"), comparison))
        t = t.filter(mask)
        order = "rank" if "rank" in t.column_names else "z"
        if order == "z":
            t = t.append_column("_abs_z", pc.abs(t["z"])).sort_by([("_abs_z", "descending")]).drop(["_abs_z"])
        else:
            t = t.sort_by([("rank", "ascending")])
        if top is not None:
            t = t.slice(0, top)
        return self._frame(t)

    def kwic(
        self,
        pattern: str,
        group: Union[None, str, Sequence[str]] = None,
        window: int = 8,
        limit: Optional[int] = None,
        form: str = "lower",
    ):
        """The concordance of a word, wildcard or phrase (`framelens kwic`)."""
        import pyarrow.parquet as pq

        fd, tmp = tempfile.mkstemp(prefix="framelens-kwic-", suffix=".parquet")
        os.close(fd)
        args = [str(binary()), "kwic", "--window", str(window), "--form", form, "--format", "parquet", "-o", tmp]
        groups = [group] if isinstance(group, str) else list(group or [])
        for g in groups:
            args += ["--group", g]
        if limit:
            args += ["--limit", str(limit)]
        args += [str(self.path), pattern]
        try:
            res = subprocess.run(args, capture_output=True, text=True, check=False)
            if res.returncode != 0:
                raise FramelensError(_message(res.stderr.splitlines()) or "kwic failed", res.returncode, res.stderr)
            return self._frame(pq.read_table(tmp))
        finally:
            Path(tmp).unlink(missing_ok=True)


def load(out: PathLike, backend: str = "pandas", categories: bool = False) -> Run:
    """Opens a finished run's folder. Tables are read when first used.

    backend: "pandas" (ArrowDtype columns) or "polars".
    categories: keep dictionary-encoded columns as categoricals (smaller,
        but keys then need care in joins); default: plain strings.
    """
    return Run(out, backend=backend, categories=categories)
