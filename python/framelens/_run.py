"""framelens.run: the pipeline on a DataFrame, a list of dicts or a path."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Union

from ._binary import EXIT_OK, EXIT_PARTIAL, FramelensError, binary, message_of
from ._tables import Backend, PathLike, Run, load

log = logging.getLogger("framelens")

#: Rows converted and sent at a time: a pandas frame is never converted to
#: Arrow whole, and the binary starts on the first batch.
BATCH_ROWS = 4096


class FramelensWarning(UserWarning):
    """The run completed, but some documents failed (exit code 2); the
    returned Run's ``document_errors`` lists them."""


def run(
    data: Any = None,
    text: str = "text",
    group: Optional[str] = "group",
    id: Optional[str] = None,
    config: Union[None, PathLike, Mapping[str, Any]] = None,
    out: Optional[PathLike] = None,
    *,
    backend: Backend = "pandas",
    categories: bool = False,
    progress: Optional[bool] = None,
    **options: Any,
) -> Run:
    """Runs the framelens pipeline and returns the finished run.

    Parameters
    ----------
    data:
        One row per document: a pandas or polars DataFrame, a pyarrow Table,
        RecordBatch or RecordBatchReader, or a list of dicts. It is streamed
        to the binary as Arrow, batch by batch, without a temporary file.
        Or the path of a corpus (a folder, manifest or row dump; see
        docs/corpus.md). None analyses the built-in sample corpus.
    text, group, id:
        The columns holding the text, the comparison group and the document
        id. A missing "group" column puts every document in one group; id
        None uses an "id" column when there is one, else numbers the rows
        from 1. Every other column is kept as metadata: it becomes a column
        of the documents table.
    config:
        A YAML config file, or a dict of its keys (docs/config.md), e.g.
        ``{"topics": {"k": 8}, "compare": {"plan": "all_pairs"}}``.
    out:
        The output folder: new, empty or written by framelens. None: a new
        temporary folder, which is kept (``Run.path`` names it).
    backend, categories:
        How the returned Run gives its tables (see ``load``).
    progress:
        Show progress (tqdm, a widget under Jupyter, when it is installed).
        Default: under Jupyter or when standard error is a terminal.
    options:
        Any flag of ``framelens run``, with dashes as underscores: ``seed=42``,
        ``topics=8``, ``compare=["Democratic:Republican"]``,
        ``skip=["entities"]``, ``stages=["frames", "keyness"]``,
        ``clean="usenet"``, ``workers=4``, ``limit=1000``, ``format="both"``.

    Raises
    ------
    FramelensError
        When the run fails (exit code 1), with framelens's message: a column
        the data lacks, data without rows, a bad option or config, no
        document that could be analysed.

    Warns
    -----
    FramelensWarning
        When the run completed but some documents failed (exit code 2): the
        returned Run's ``document_errors`` lists them.
    """
    exe = binary()
    args: list[str] = [str(exe), "run"]
    batches: Optional[_Batches] = None
    if data is None:
        pass  # the built-in sample
    elif isinstance(data, (str, os.PathLike)):
        args += ["--corpus", os.fspath(data)]
    else:
        batches = _Batches.of(data)
        _check_columns(batches, text=text, group=group, id=id)
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
    args += _flags(options)
    try:
        summary = _execute(args, batches, progress)
    finally:
        for p in cleanup:
            p.unlink(missing_ok=True)
    r = load(out, backend=backend, categories=categories)
    r.summary = summary
    return r


def _flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword options as the CLI's flags: topics=10 -> --topics 10,
    skip=["entities"] -> --skip entities (repeated), stages=["frames",
    "keyness"] -> --stages frames,keyness, quiet=True -> --quiet."""
    args: list[str] = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple, set, frozenset)):
            if key == "stages":  # one comma-separated value
                args += [flag, ",".join(map(str, value))]
            else:
                for v in value:
                    args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


class _Batches:
    """The rows of a frame as an Arrow schema and a lazy sequence of record
    batches, each converted when it is sent."""

    def __init__(self, schema, batches: Iterable, num_rows: Optional[int]):
        self.schema = schema
        self.batches = batches
        self.num_rows = num_rows

    @classmethod
    def of(cls, data: Any) -> "_Batches":
        import pyarrow as pa

        if isinstance(data, pa.Table):
            return cls._table(data)
        if isinstance(data, pa.RecordBatch):
            return cls._table(pa.Table.from_batches([data]))
        if isinstance(data, pa.RecordBatchReader):
            return cls(*_plain(data.schema, data), None)
        mod = type(data).__module__
        if mod.startswith("polars"):
            if type(data).__name__ == "LazyFrame":
                raise TypeError("framelens.run: give a polars DataFrame (LazyFrame.collect()), not a LazyFrame")
            return cls._table(data.to_arrow())
        if mod.startswith("pandas"):
            if type(data).__name__ != "DataFrame":
                raise TypeError(f"framelens.run: give a pandas DataFrame, not a {type(data).__name__}")
            return cls._pandas(data)
        if isinstance(data, (list, tuple)):
            if data and not all(isinstance(r, Mapping) for r in data):
                raise TypeError("framelens.run: a list of data must hold dicts (one per document)")
            return cls._table(pa.Table.from_pylist(list(data)))
        raise TypeError(
            "framelens.run: data must be a pandas or polars DataFrame, a pyarrow Table, "
            f"a list of dicts, a path or None (the built-in sample), not {type(data).__name__}"
        )

    @classmethod
    def _table(cls, table) -> "_Batches":
        schema, batches = _plain(table.schema, table.to_batches(max_chunksize=BATCH_ROWS))
        return cls(schema, batches, table.num_rows)

    @classmethod
    def _pandas(cls, df) -> "_Batches":
        """A pandas frame converted BATCH_ROWS rows at a time, with the
        types of the first batch; a column whose first batch holds only
        missing values has no type yet, so such a frame is converted whole."""
        import pyarrow as pa

        n = len(df)
        first = pa.RecordBatch.from_pandas(df.iloc[:BATCH_ROWS], preserve_index=False)
        if any(pa.types.is_null(f.type) for f in first.schema) and n > BATCH_ROWS:
            return cls._table(pa.Table.from_pandas(df, preserve_index=False))
        schema = first.schema

        def gen() -> Iterator:
            yield first
            for start in range(BATCH_ROWS, n, BATCH_ROWS):
                yield pa.RecordBatch.from_pandas(df.iloc[start : start + BATCH_ROWS], schema=schema, preserve_index=False)

        schema, batches = _plain(schema, gen())
        return cls(schema, batches, n)


def _plain(schema, batches: Iterable):
    """Arrow's string and binary views (polars' native strings) as large
    strings and binaries, which every Arrow reader knows."""
    import pyarrow as pa

    def plain(t):
        if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t):
            return pa.large_string()
        if hasattr(pa.types, "is_binary_view") and pa.types.is_binary_view(t):
            return pa.large_binary()
        return t

    target = pa.schema([f.with_type(plain(f.type)) for f in schema], metadata=schema.metadata)
    if target.equals(schema):
        return schema, batches
    return target, (b.cast(target) for b in batches)


def _check_columns(b: _Batches, text: str, group: Optional[str], id: Optional[str]) -> None:
    """The column arguments name columns of the data, as the binary would
    check them, but naming the argument; and the data has rows."""
    if b.num_rows == 0:
        raise FramelensError("framelens.run: the data has no rows: there is no document to analyse")
    names = list(b.schema.names)
    have = ", ".join(names) if names else "none"
    if text not in names and "path" not in names:
        raise FramelensError(f"framelens.run: text={text!r} is not a column of the data (its columns: {have})")
    for role, col, default in (("group", group, "group"), ("id", id, None)):
        if col is not None and col != default and col not in names:
            raise FramelensError(f"framelens.run: {role}={col!r} is not a column of the data (its columns: {have})")


def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """The binary's progress (JSON lines on its standard error) as a tqdm
    bar — a widget under Jupyter — when tqdm is installed; else nothing."""

    def __init__(self, enabled: bool, total: Optional[int]):
        self.bar = None
        if not enabled:
            return
        try:
            # tqdm.auto: a widget under Jupyter, which needs ipywidgets;
            # without it a text bar, and no warning about it.
            if importlib.util.find_spec("ipywidgets") is None:
                from tqdm.std import tqdm
            else:
                from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=total, unit=" docs", desc="framelens: documents")
        self.stage = "documents"

    def update(self, event: Mapping[str, Any]) -> None:
        if self.bar is None:
            return
        docs, stage = event.get("docs"), event.get("stage")
        if isinstance(docs, int) and docs >= self.bar.n:
            self.bar.update(docs - self.bar.n)
        if stage and stage != self.stage:
            self.stage = stage
            self.bar.set_description_str(f"framelens: {stage}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _execute(args: list[str], batches: Optional[_Batches], progress: bool) -> str:
    """Runs the binary, streaming batches to its standard input as an Arrow
    IPC stream; returns what it printed (the run's summary)."""
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if batches is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    bar = _Progress(progress, batches.num_rows if batches is not None else None)
    err_lines: list[str] = []
    out_chunks: list[bytes] = []

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
            if " level=WARN " in line or " level=ERROR " in line:
                log.warning("%s", line.split(" ", 1)[1] if line.startswith("time=") else line)
            err_lines.append(line)

    def read_stdout() -> None:
        assert proc.stdout is not None
        out_chunks.append(proc.stdout.read())

    send_error: list[BaseException] = []

    def send() -> None:
        import pyarrow as pa

        assert batches is not None and proc.stdin is not None
        try:
            w = pa.ipc.new_stream(proc.stdin, batches.schema)
            for batch in batches.batches:
                w.write_batch(batch)
            # Only now the end-of-stream marker: the binary takes a stream
            # that stops without it (an error here) as incomplete.
            w.close()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the binary stopped reading: its exit status says why
        except BaseException as e:  # a row that does not convert, ...
            send_error.append(e)
            proc.kill()  # rather than let it analyse part of the data
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    threads = [threading.Thread(target=read_stderr, daemon=True), threading.Thread(target=read_stdout, daemon=True)]
    if batches is not None:
        threads.append(threading.Thread(target=send, daemon=True))
    for t in threads:
        t.start()
    try:
        code = proc.wait()
    except BaseException:  # KeyboardInterrupt: stop the binary too
        _stop(proc)
        raise
    finally:
        for t in threads:
            t.join(timeout=30)
        bar.close()
    if send_error:
        raise send_error[0]
    stderr = "\n".join(err_lines)
    if code == EXIT_OK:
        return b"".join(out_chunks).decode("utf-8", "replace")
    message = message_of(err_lines) or f"framelens exited with status {code}"
    if code == EXIT_PARTIAL:
        warnings.warn(f"framelens: {message}", FramelensWarning, stacklevel=3)
        return b"".join(out_chunks).decode("utf-8", "replace")
    raise FramelensError(message, code, stderr)


def _stop(proc: subprocess.Popen) -> None:
    """Interrupts the binary as Ctrl-C would (it stops cleanly), then kills
    it if it has not stopped within 10 seconds."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGINT if os.name != "nt" else signal.CTRL_BREAK_EVENT)
        proc.wait(timeout=10)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        proc.kill()
        proc.wait()
