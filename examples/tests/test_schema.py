"""Every documented table exists under its documented layout and carries
exactly the documented Arrow schema, field descriptions and file metadata."""

from __future__ import annotations

import pyarrow.parquet as pq

import contract


def test_schema_lists_tables(schema):
    names = [t["name"] for t in schema["tables"]]
    assert len(names) == len(set(names)), f"duplicate table names: {names}"
    for core in ("documents", "sentences", "tokens", "terms", "frames", "keyness"):
        assert core in names
    for t in schema["tables"]:
        assert t["layout"] in ("file", "parts"), t["name"]
        assert t.get("description"), f"{t['name']}: no table description"
        cols = [c["name"] for c in t["columns"]]
        assert len(cols) == len(set(cols)), f"{t['name']}: duplicate columns"
        for k in t.get("key") or []:
            assert k in cols, f"{t['name']}: key column {k} is not a column"


def test_layout(table):
    """file tables are <name>.parquet; parts tables are <name>/part-NNNNN.parquet."""
    p = table.path
    if table.layout == "file":
        assert p.is_file(), f"{p} missing"
        assert not (table.root / table.name).exists(), (
            f"{table.name} is a file table but {table.root / table.name} exists too"
        )
        return
    assert p.is_dir(), f"{p}/ missing"
    assert not (table.root / f"{table.name}.parquet").exists()
    entries = sorted(x.name for x in p.iterdir())
    stray = [e for e in entries if not contract.PART_NAME.match(e)]
    assert not stray, f"{p}: files that are not part-NNNNN.parquet: {stray}"
    assert entries, f"{p}/ has no part files"
    # Parts are numbered 0, 1, 2, … without gaps.
    nums = [int(e[5:10]) for e in entries]
    assert nums == list(range(len(nums))), f"{p}: part numbers {nums}"


def test_no_undocumented_outputs(run):
    """Every Parquet output is a documented table (no stray or leftover files)."""
    documented = set()
    for t in run.tables.values():
        documented.add(t.path.name)
    found = {
        x.name
        for x in run.root.iterdir()
        if x.suffix == ".parquet" or (x.is_dir() and any(x.glob("*.parquet")))
    }
    assert found <= documented, f"undocumented outputs: {sorted(found - documented)}"
    leftovers = [x.name for x in run.root.rglob("*") if x.name.endswith((".tmp", ".partial"))]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def test_arrow_schema(table):
    """Columns in order, with the documented types and nullability, in every file."""
    documented = [
        (c["name"], contract.normalise_type_string(c["type"]), bool(c["nullable"]))
        for c in table.columns
    ]
    for f in table.files:
        s = pq.read_schema(f)
        got = [(x.name, contract.go_type_string(x.type), x.nullable) for x in s]
        if table.name in contract.EXTENSIBLE_TABLES:
            head, extra = got[: len(documented)], got[len(documented):]
            assert head == documented, f"{f}: {head} != {documented}"
            # Corpus-specific columns: optional values, never clashing names.
            for name, _, nullable in extra:
                assert nullable, f"{f}: extra column {name} must be nullable"
        else:
            assert got == documented, (
                f"{f}:\n  got        {got}\n  documented {documented}"
            )


def test_field_descriptions(table):
    """Every field carries its description in the field metadata."""
    want = {c["name"]: c["description"] for c in table.columns}
    for f in table.files:
        for field in pq.read_schema(f):
            md = field.metadata or {}
            desc = md.get(b"description", b"").decode("utf-8")
            assert desc.strip(), f"{f}: field {field.name} has no description"
            if field.name in want:
                assert desc == want[field.name], (
                    f"{f}: field {field.name}: {desc!r} != documented {want[field.name]!r}"
                )
        for c in table.columns:
            assert c.get("description", "").strip(), (
                f"schema: {table.name}.{c['name']} has no description"
            )


def test_file_metadata(table, run, schema):
    """framelens.* key-value metadata, agreeing with the schema and run.json."""
    rj = run.run_json
    for f in table.files:
        kv = {
            k.decode(): v.decode()
            for k, v in (pq.read_schema(f).metadata or {}).items()
        }
        missing = [k for k in contract.REQUIRED_KV if k not in kv]
        assert not missing, f"{f}: missing key-value metadata {missing}"
        assert kv["framelens.table"] == table.name, f
        assert kv["framelens.schema_version"] == str(schema["schema_version"]), f
        assert kv["framelens.version"] == rj["framelens_version"], f
        assert kv["framelens.config_hash"] == rj["config_hash"], f
        if "framelens.key" in kv:
            assert kv["framelens.key"].split(",") == table.key, f


def test_part_schemas_agree(table):
    """All part files of a streamed table have one schema (readers concat them)."""
    schemas = [pq.read_schema(f) for f in table.files]
    for f, s in zip(table.files[1:], schemas[1:]):
        assert s.equals(schemas[0], check_metadata=False), f"{f} differs from part 0"
