"""framelens from Python: run the pipeline on a DataFrame and load its tables.

    import framelens
    run = framelens.run(df, text="text", group="party", seed=42)
    run.tables["keyness"]                      # pandas, keys as plain strings
    run.keyness("Democratic:Republican")       # the top words of each side
    run.kwic("talent*", group="Democratic")    # the concordance
    framelens.load("out/", backend="polars")   # a finished run's tables

The work is done by the framelens binary installed with this package (or
$FRAMELENS_BIN): ``run`` streams the rows to it as Arrow, it writes the same
Parquet tables as ``framelens run``, and ``load`` reads them. The helpers are
thin wrappers over the tables and the binary, never a second implementation.
See docs/python.md.
"""

from __future__ import annotations

from ._binary import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    FramelensError,
    binary,
    binary_version,
)
from ._run import FramelensWarning, run
from ._tables import Run, Tables, load
from ._version import __version__

__all__ = [
    "run",
    "load",
    "Run",
    "Tables",
    "FramelensError",
    "FramelensWarning",
    "binary",
    "binary_version",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_PARTIAL",
    "EXIT_INTERRUPTED",
    "__version__",
]
