"""Helpers for the table-contract tests: where a run's tables live, how to
read them, and how the Arrow type strings of `framelens schema --json` map
onto what pyarrow, pandas, polars and DuckDB give back.

The table definitions come from the binary itself (`schema --json`), so a
table the pipeline adds is checked without touching these tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[2]

# Tables whose documented columns are a prefix: the documents table appends
# the corpus manifest's own metadata columns (see its description).
EXTENSIBLE_TABLES = {"documents"}

# Key-value metadata every Parquet file carries.
REQUIRED_KV = (
    "framelens.schema_version",
    "framelens.version",
    "framelens.config_hash",
    "framelens.table",
)

PART_NAME = re.compile(r"^part-\d{5}\.parquet$")


def _from_env(var: str, default: str) -> Path:
    """$var (relative to the working directory, as a shell user means it),
    else default relative to the repository root."""
    if os.environ.get(var):
        return Path(os.environ[var]).absolute()
    return REPO_ROOT / default


def out_dir() -> Path:
    """The run's output directory: $FRAMELENS_OUT, default <repo>/out."""
    return _from_env("FRAMELENS_OUT", "out")


def framelens_bin() -> Path:
    """The framelens binary: $FRAMELENS_BIN, default <repo>/bin/framelens."""
    return _from_env("FRAMELENS_BIN", "bin/framelens")


def load_schema() -> dict:
    """`framelens schema --json`, parsed."""
    exe = framelens_bin()
    if not exe.exists():
        raise RuntimeError(
            f"framelens binary not found at {exe}: run `make build` "
            "or set FRAMELENS_BIN"
        )
    res = subprocess.run(
        [str(exe), "schema", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if res.returncode != 0:
        raise RuntimeError(f"{exe} schema --json failed: {res.stderr}")
    return json.loads(res.stdout)


# ---------------------------------------------------------------------------
# Arrow type strings.
#
# The schema documents types as Go Arrow prints them (`utf8`,
# `dictionary<values=utf8, indices=int32, ordered=false>`,
# `list<item: utf8, nullable>`). We print pyarrow types the same way and
# compare strings. Two differences are not the table's fault and are
# normalised away: Parquet names a list's element "element" where Arrow says
# "item", and some printers write ordered=0/1 instead of false/true.

_PA_SIMPLE = {
    "string": "utf8",
    "large_string": "large_utf8",
    "binary": "binary",
    "large_binary": "large_binary",
    "bool": "bool",
    "halffloat": "float16",
    "float": "float32",
    "double": "float64",
    "date32[day]": "date32",
    "date64[ms]": "date64",
    "null": "null",
}


def go_type_string(t: pa.DataType) -> str:
    """Print a pyarrow type the way Go's arrow package prints it."""
    s = str(t)
    if s in _PA_SIMPLE:
        return _PA_SIMPLE[s]
    if pa.types.is_integer(t):
        return s  # int8 … uint64 print alike
    if pa.types.is_dictionary(t):
        return (
            f"dictionary<values={go_type_string(t.value_type)}, "
            f"indices={go_type_string(t.index_type)}, "
            f"ordered={'true' if t.ordered else 'false'}>"
        )
    if pa.types.is_fixed_size_list(t):
        f = t.value_field
        nul = ", nullable" if f.nullable else ""
        return f"fixed_size_list<item: {go_type_string(f.type)}{nul}>[{t.list_size}]"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        f = t.value_field
        nul = ", nullable" if f.nullable else ""
        pre = "large_" if pa.types.is_large_list(t) else ""
        return f"{pre}list<item: {go_type_string(f.type)}{nul}>"
    if pa.types.is_struct(t):
        inner = ", ".join(f"{f.name}: {go_type_string(f.type)}" for f in t)
        return f"struct<{inner}>"
    return s  # timestamp[ms, tz=UTC], duration[s], … print alike


def normalise_type_string(s: str) -> str:
    s = re.sub(r"\b((?:large_)?list|fixed_size_list|list_view)<[^:<>,]+: ", r"\1<item: ", s)
    s = s.replace("ordered=0", "ordered=false").replace("ordered=1", "ordered=true")
    return s


def base_type(type_string: str) -> str:
    """`dictionary<values=utf8, …>` -> dictionary, `list<…>` -> list, else itself."""
    return type_string.split("<", 1)[0].split("[", 1)[0]


def list_item_type(type_string: str) -> str:
    m = re.match(r"^(?:large_)?list<[^:]+: (.*?)(?:, nullable)?>$", type_string)
    return m.group(1) if m else ""


def dict_value_type(type_string: str) -> str:
    m = re.match(r"^dictionary<values=([^,]+), ", type_string)
    return m.group(1) if m else ""


# pandas (pd.read_parquet defaults, pandas 3): a predicate per base type.
def pandas_dtype_ok(type_string: str, dtype, has_nulls: bool) -> bool:
    b = base_type(type_string)
    if b in ("utf8", "large_utf8"):
        return isinstance(dtype, pd.StringDtype)
    if b == "dictionary":
        return isinstance(dtype, pd.CategoricalDtype)
    if re.fullmatch(r"u?int(8|16|32|64)", b):
        # pandas has no null in numpy ints: a column with nulls becomes float64.
        return dtype == (np.dtype("float64") if has_nulls else np.dtype(b))
    if b in ("float32", "float64"):
        return dtype == np.dtype(b)
    if b == "bool":
        return dtype == (np.dtype("object") if has_nulls else np.dtype("bool"))
    if b in ("list", "large_list", "fixed_size_list", "struct"):
        return dtype == np.dtype("object")
    if b == "timestamp":
        return pd.api.types.is_datetime64_any_dtype(dtype)
    return True  # a type the contract does not pin down for pandas


_POLARS_SIMPLE = {
    "utf8": pl.String,
    "large_utf8": pl.String,
    "bool": pl.Boolean,
    "int8": pl.Int8,
    "int16": pl.Int16,
    "int32": pl.Int32,
    "int64": pl.Int64,
    "uint8": pl.UInt8,
    "uint16": pl.UInt16,
    "uint32": pl.UInt32,
    "uint64": pl.UInt64,
    "float32": pl.Float32,
    "float64": pl.Float64,
    "date32": pl.Date,
}


def polars_dtype(type_string: str):
    """The polars dtype a documented type reads as (None: not pinned down)."""
    b = base_type(type_string)
    if b in _POLARS_SIMPLE:
        return _POLARS_SIMPLE[b]
    if b == "dictionary" and dict_value_type(type_string) in ("utf8", "large_utf8"):
        return pl.Categorical
    if b in ("list", "large_list"):
        inner = polars_dtype(list_item_type(type_string))
        return pl.List(inner) if inner is not None else None
    return None


_DUCKDB_SIMPLE = {
    "utf8": "VARCHAR",
    "large_utf8": "VARCHAR",
    "bool": "BOOLEAN",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "uint8": "UTINYINT",
    "uint16": "USMALLINT",
    "uint32": "UINTEGER",
    "uint64": "UBIGINT",
    "float32": "FLOAT",
    "float64": "DOUBLE",
    "date32": "DATE",
}


def duckdb_type(type_string: str):
    """The DuckDB column type a documented type reads as (None: not pinned)."""
    b = base_type(type_string)
    if b in _DUCKDB_SIMPLE:
        return _DUCKDB_SIMPLE[b]
    if b == "dictionary":
        return duckdb_type(dict_value_type(type_string))
    if b in ("list", "large_list"):
        inner = duckdb_type(list_item_type(type_string))
        return inner + "[]" if inner else None
    return None


# ---------------------------------------------------------------------------
# Tables of one run.


class Table:
    """One documented table of a run, with lazily read (cached) contents."""

    def __init__(self, spec: dict, root: Path):
        self.spec = spec
        self.root = root
        self.name: str = spec["name"]
        self.layout: str = spec["layout"]
        self.key: list[str] = list(spec.get("key") or [])
        self.columns: list[dict] = spec["columns"]

    def __repr__(self) -> str:
        return f"Table({self.name})"

    @property
    def path(self) -> Path:
        """Where the table lives under the documented layout."""
        if self.layout == "file":
            return self.root / f"{self.name}.parquet"
        return self.root / self.name

    @property
    def files(self) -> list[Path]:
        """The Parquet files of the table (one, or the part files in order)."""
        if self.layout == "file":
            return [self.path]
        return sorted(self.path.glob("*.parquet"))

    @property
    def glob(self) -> str:
        """A path pattern that DuckDB and polars read the whole table with."""
        return str(self.path if self.layout == "file" else self.path / "*.parquet")

    @cached_property
    def arrow(self) -> pa.Table:
        if self.layout == "file":
            return pq.read_table(self.path)
        return pq.ParquetDataset(self.path).read()

    @cached_property
    def pandas(self) -> pd.DataFrame:
        return pd.read_parquet(self.path)

    @cached_property
    def polars(self) -> pl.DataFrame:
        return pl.read_parquet(self.glob)

    def column(self, name: str) -> dict | None:
        for c in self.columns:
            if c["name"] == name:
                return c
        return None

    def has(self, *names: str) -> bool:
        return all(self.column(n) is not None for n in names)


class Run:
    """A run's output directory read against the documented schema."""

    def __init__(self, root: Path, schema: dict):
        self.root = root
        self.schema = schema
        self.tables = {t["name"]: Table(t, root) for t in schema["tables"]}

    @cached_property
    def run_json(self) -> dict:
        return json.loads((self.root / "run.json").read_text(encoding="utf-8"))

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def with_columns(self, *names: str) -> list[Table]:
        return [t for t in self.tables.values() if t.has(*names)]


def get_ci(d: dict, key: str):
    """d[key] looked up case-insensitively (None when absent)."""
    for k, v in d.items():
        if k.lower() == key.lower():
            return v
    return None


# Known defects of the tables, reported to the pipeline's owner. Each marks
# its test as a strict expected failure, so the check suite stays usable while
# the defect is open and turns red (XPASS) the moment it is fixed: then delete
# the entry. Keys: (test function name, table parameter or None).
KNOWN_BUGS: dict[tuple[str, str | None], str] = {
}
