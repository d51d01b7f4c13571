"""Times framelens.run on a DataFrame against the CLI on the same rows.

    python python/bench.py                       # 10,000 20 Newsgroups posts, 3 rounds
    python python/bench.py --corpus ungdc --docs 10000 --rounds 3

The frame is built from real text in ../shared/bench: 20 Newsgroups posts
(taken round-robin over the 20 groups, group = newsgroup) or the first UN
General Debate speeches (group = decade). The CLI reads the same rows
written to a JSONL file (`framelens run --corpus FILE.jsonl`); the package
streams the frame to the binary (`framelens.run(df)`). Both use the same
binary and flags. Each round times CLI and package back to back, in
alternating order, because the machine's load drifts; the ratio of
medians is the result. The keyness tables of the two are checked equal.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import framelens


def shared() -> Path:
    env = os.environ.get("FRAMELENS_SHARED")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for d in here.parents:
        if (d / "go.mod").exists():
            return d.parent / "shared"
    sys.exit("bench: ../shared not found; set FRAMELENS_SHARED")


def newsgroups(n: int) -> pd.DataFrame:
    base = shared() / "bench" / "20newsgroups-train"
    groups = sorted(p for p in base.iterdir() if p.is_dir())
    files = {g.name: sorted(g.iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0) for g in groups}
    rows, i = [], 0
    while len(rows) < n and any(i < len(f) for f in files.values()):
        for g, fs in files.items():
            if i < len(fs) and len(rows) < n:
                b = fs[i].read_bytes()
                try:
                    text = b.decode("utf-8")
                except UnicodeDecodeError:
                    text = b.decode("latin-1")
                rows.append({"id": f"{g}/{fs[i].name}", "group": g, "text": text})
        i += 1
    return pd.DataFrame(rows)


def ungdc(n: int) -> pd.DataFrame:
    rows = []
    with gzip.open(shared() / "bench" / "ungdc.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if len(rows) >= n:
                break
            r = json.loads(line)
            rows.append({"id": r["id"], "group": f"{r['year'] // 10 * 10}s", "year": r["year"], "text": r["text"]})
    return pd.DataFrame(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=["20ng", "ungdc"], default="20ng")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=0, help="--workers of both (0: the binary's default)")
    ap.add_argument("--backend", choices=["pandas", "polars"], default="pandas", help="the frame given to framelens.run")
    args = ap.parse_args()

    df = newsgroups(args.docs) if args.corpus == "20ng" else ungdc(args.docs)
    flags = {"seed": 1}
    if args.corpus == "20ng":
        flags["clean"] = "usenet"
    if args.workers:
        flags["workers"] = args.workers
    frame = df
    if args.backend == "polars":
        import polars as pl

        frame = pl.from_pandas(df)
    tmp = Path(tempfile.mkdtemp(prefix="framelens-bench-"))
    data = tmp / "corpus.jsonl"
    df.to_json(data, orient="records", lines=True, force_ascii=False)
    exe = str(framelens.binary())
    print(f"{args.corpus}: {len(df)} documents, {df['text'].str.len().sum() / 1e6:.1f} M characters, "
          f"{data.stat().st_size / 1e6:.1f} MB of JSONL; binary {exe} ({framelens.binary_version()}); flags {flags}", flush=True)

    def cpu(who: int) -> float:
        r = resource.getrusage(who)
        return r.ru_utime + r.ru_stime

    def timed(f) -> tuple[float, float]:
        """Wall seconds, and CPU seconds of the binary and of this process
        (the CPU time is less at the mercy of the machine's other load)."""
        c0, s0, t0 = cpu(resource.RUSAGE_CHILDREN), cpu(resource.RUSAGE_SELF), time.perf_counter()
        f()
        wall = time.perf_counter() - t0
        return wall, cpu(resource.RUSAGE_CHILDREN) - c0 + cpu(resource.RUSAGE_SELF) - s0

    def cli(out: Path) -> tuple[float, float]:
        cmd = [exe, "run", "--quiet", "--corpus", str(data), "--out", str(out)]
        for k, v in flags.items():
            cmd += ["--" + k, str(v)]
        return timed(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL))

    def package(out: Path) -> tuple[float, float]:
        return timed(lambda: framelens.run(frame, out=out, progress=False, **flags))

    times: dict[str, list[float]] = {"cli": [], "package": []}
    cpus: dict[str, list[float]] = {"cli": [], "package": []}
    for i in range(args.rounds):
        order = [("cli", cli), ("package", package)]
        if i % 2:
            order.reverse()
        for name, f in order:
            wall, c = f(tmp / f"{name}-{i}")
            times[name].append(wall)
            cpus[name].append(c)
            print(f"round {i + 1}: {name:8s} {wall:7.1f} s wall, {c:7.1f} s CPU", flush=True)
    a = framelens.load(tmp / "cli-0").arrow("keyness")
    b = framelens.load(tmp / "package-0").arrow("keyness")
    same = a.to_pylist() == b.to_pylist()
    cm, pm = statistics.median(times["cli"]), statistics.median(times["package"])
    ccm, cpm = statistics.median(cpus["cli"]), statistics.median(cpus["package"])
    ratios = [p / c for c, p in zip(times["cli"], times["package"])]
    print(f"median wall: cli {cm:.1f} s, framelens.run ({args.backend}) {pm:.1f} s, ratio {pm / cm:.3f}; "
          f"per-round ratios {[round(r, 3) for r in ratios]}")
    print(f"median CPU: cli {ccm:.1f} s, framelens.run {cpm:.1f} s, ratio {cpm / ccm:.3f}")
    print(f"keyness tables {'identical' if same else 'DIFFER'}")
    print(f"all wall: cli {[round(x, 1) for x in times['cli']]}, package {[round(x, 1) for x in times['package']]}")
    print(f"outputs kept in {tmp}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
