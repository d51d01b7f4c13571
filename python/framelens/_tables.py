"""framelens.load: a finished run's tables, read when first used."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Literal, Mapping, Optional, Sequence, Union

from ._binary import EXIT_FAILED, FramelensError, binary, message_of

if TYPE_CHECKING:
    import pyarrow as pa

PathLike = Union[str, "os.PathLike[str]"]
Backend = Literal["pandas", "polars"]


class Tables(Mapping[str, Any]):
    """The tables of a run by name (docs/tables.md), each read the first
    time it is used and kept. ``"tokens" in run.tables`` and
    ``list(run.tables)`` read nothing."""

    def __init__(self, run: "Run"):
        self._run = run
        self._cache: Dict[str, Any] = {}

    def _names(self) -> Dict[str, List[str]]:
        return self._run.manifest.get("tables") or {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._names():
            raise KeyError(f"{name!r} is not a table of this run (its tables: {', '.join(self)})")
        if name not in self._cache:
            self._cache[name] = self._run._frame(self._run.arrow(name))
        return self._cache[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._names()))

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"<framelens tables: {', '.join(self)}>"


class Run:
    """A finished framelens run: its folder, its manifest (run.json) and
    its tables.

    Attributes
    ----------
    path: the run's folder.
    manifest: run.json as a dict (config, inputs, rows per table, timings,
        document_errors).
    tables: the tables by name, read lazily as pandas or polars frames.
    backend: "pandas" or "polars".
    categories: whether dictionary-encoded columns stay categoricals.
    summary: what ``framelens run`` printed (a Run from ``framelens.run``),
        else None.
    """

    def __init__(self, path: PathLike, backend: Backend = "pandas", categories: bool = False):
        if backend not in ("pandas", "polars"):
            raise ValueError(f"backend must be 'pandas' or 'polars', not {backend!r}")
        self.path = Path(path)
        self.backend: Backend = backend
        self.categories = categories
        manifest = self.path / "run.json"
        if not manifest.is_file():
            raise FramelensError(
                f"{self.path}: no run.json, so not a finished framelens run "
                "(an interrupted run is completed with `framelens run --resume` and the same --out)",
                EXIT_FAILED,
            )
        self.manifest: Dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        self.tables = Tables(self)
        self.summary: Optional[str] = None

    def __repr__(self) -> str:
        docs = (self.manifest.get("rows") or {}).get("documents", "?")
        return f"<framelens.Run {str(self.path)!r}: {docs} documents, {len(self.tables)} tables, {self.backend}>"

    @property
    def document_errors(self) -> List[str]:
        """The documents that failed and were left out (run.json)."""
        return list(self.manifest.get("document_errors") or [])

    @property
    def comparisons(self) -> List[str]:
        """The labels of the run's comparisons, e.g. "Democratic vs Republican"."""
        if "comparisons" not in self.tables:
            return []
        return [str(c) for c in self.arrow("comparisons").column("comparison").to_pylist()]

    # -- tables ------------------------------------------------------------

    def files(self, name: str) -> List[Path]:
        """The files holding a table: its one file, or the part files of
        its folder (Parquet when the run wrote Parquet, else Arrow). For
        DuckDB (``read_parquet([...])``) and polars' scan_parquet."""
        entries = (self.manifest.get("tables") or {}).get(name)
        if not entries:
            raise KeyError(f"{name!r} is not a table of this run (its tables: {', '.join(self.tables)})")
        out: List[Path] = []
        for ext in (".parquet", ".arrow"):
            for e in entries:
                p = self.path / e
                if p.is_dir():
                    out = sorted(p.glob("part-*" + ext))
                elif e.endswith(ext) and p.is_file():
                    out = [p]
                if out:
                    return out
        raise FramelensError(f"{self.path}: the files of table {name!r} ({', '.join(entries)}) are missing", EXIT_FAILED)

    def arrow(self, name: str) -> "pa.Table":
        """A table as a pyarrow Table, as stored (keys dictionary-encoded)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = []
        for f in self.files(name):
            if f.suffix == ".arrow":
                with pa.memory_map(str(f)) as src:
                    parts.append(pa.ipc.open_file(src).read_all())
            else:
                parts.append(pq.read_table(str(f)))
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts)

    def _frame(self, table: "pa.Table") -> Any:
        """The table for the backend. Dictionary-encoded columns (every key)
        are decoded to strings unless categories=True: a polars Categorical
        does not join a String, and pandas categoricals with different
        categories join as objects."""
        import pyarrow as pa

        if not self.categories:
            cols, changed = [], False
            for field, col in zip(table.schema, table.columns):
                if pa.types.is_dictionary(field.type):
                    col, changed = col.cast(field.type.value_type), True
                cols.append(col)
            if changed:
                table = pa.table(cols, names=table.column_names)
        if self.backend == "polars":
            import polars as pl

            return pl.from_arrow(table)
        import pandas as pd

        def mapper(t: "pa.DataType") -> Any:
            return None if pa.types.is_dictionary(t) else pd.ArrowDtype(t)

        return table.to_pandas(types_mapper=mapper)

    # -- helpers -------------------------------------------------------------

    def keyness(
        self,
        comparison: Optional[str] = None,
        kind: str = "term",
        top: Optional[int] = 20,
        side: Optional[str] = None,
    ) -> Any:
        """The most distinctive features of a comparison: the keyness
        table's rows of one feature kind, the ``top`` of each side by |z|,
        ordered by comparison, side (group_a's first) and |z| descending.

        comparison: a label ("Democratic vs Republican") or "A:B" as given
            to --compare; None: every comparison.
        kind: term, ngram, keyphrase, entity or topic (feature_kind).
        top: rows per comparison and side; None: all.
        side: only the features over-used by this group (a value of the
            side column, the group_a or group_b of the comparison).
        """
        import pyarrow.compute as pc

        t = self.arrow("keyness")
        labels = sorted({str(c) for c in t.column("comparison").to_pylist()})
        mask = pc.equal(t["feature_kind"].cast("string"), kind)
        if comparison is not None:
            label = comparison
            if label not in labels and ":" in label:
                a, b = label.split(":", 1)
                label = f"{a} vs {b}"
            if label not in labels:
                raise KeyError(f"no comparison {comparison!r} in the keyness table (its comparisons: {', '.join(labels)})")
            mask = pc.and_(mask, pc.equal(t["comparison"].cast("string"), label))
        if side is not None:
            mask = pc.and_(mask, pc.equal(t["side"].cast("string"), side))
        t = t.filter(mask)
        # Sorted on plain copies (Arrow sorts no dictionary column): side A
        # before side B.
        comp, sd = t["comparison"].cast("string"), t["side"].cast("string")
        t = t.append_column("_c", comp).append_column("_b", pc.not_equal(sd, t["group_a"].cast("string")))
        t = t.append_column("_abs_z", pc.abs(t["z"]))
        t = t.sort_by([("_c", "ascending"), ("_b", "ascending"), ("_abs_z", "descending")])
        t = t.drop_columns(["_c", "_b", "_abs_z"])
        if top is not None and t.num_rows:
            keep, seen = [], {}
            for i, k in enumerate(zip(t.column("comparison").to_pylist(), t.column("side").to_pylist())):
                seen[k] = seen.get(k, 0) + 1
                if seen[k] <= top:
                    keep.append(i)
            t = t.take(keep)
        return self._frame(t)

    def kwic(
        self,
        pattern: str,
        group: Union[None, str, Sequence[str]] = None,
        window: int = 8,
        limit: Optional[int] = None,
        form: str = "lower",
    ) -> Any:
        """The concordance of a word, wildcard or phrase: ``framelens kwic``
        on this run ("talent*", "research security"; form "lemma" matches
        inflections, "text" is case-sensitive)."""
        import pyarrow.parquet as pq

        fd, tmp = tempfile.mkstemp(prefix="framelens-kwic-", suffix=".parquet")
        os.close(fd)
        args = [str(binary()), "kwic", "--window", str(window), "--form", form, "--format", "parquet", "--output", tmp]
        for g in [group] if isinstance(group, str) else list(group or []):
            args += ["--group", g]
        if limit:
            args += ["--limit", str(limit)]
        args += ["--", str(self.path), pattern]
        try:
            res = subprocess.run(args, capture_output=True, text=True, check=False)
            if res.returncode != 0:
                raise FramelensError(message_of(res.stderr.splitlines()) or "framelens kwic failed", res.returncode, res.stderr)
            return self._frame(pq.read_table(tmp))
        finally:
            Path(tmp).unlink(missing_ok=True)


def load(out: PathLike, backend: Backend = "pandas", categories: bool = False) -> Run:
    """Opens the folder of a finished run (``framelens run --out``). Tables
    are read when first used.

    backend: "pandas" (every column an ArrowDtype, as with
        ``dtype_backend="pyarrow"``) or "polars".
    categories: keep dictionary-encoded columns (the keys: doc_id, group,
        comparison, ...) as categoricals: smaller, but joins then need the
        same categories on both sides. Default: plain strings, which join
        across tables, backends and tools as they are.
    """
    return Run(out, backend=backend, categories=categories)
