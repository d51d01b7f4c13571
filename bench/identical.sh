#!/usr/bin/env bash
# identical.sh — proof that a framelens binary writes the same table bytes as another.
#
# Usage
#   bench/identical.sh BIN OUTROOT          run binary BIN over the corpora and variants below
#   bench/identical.sh compare [--allow-new] A.tsv B.tsv
#                                           compare two hashes.tsv files (A: baseline, B: candidate)
#
# Run mode writes OUTROOT/<corpus>-<variant>/ (framelens output folders) and OUTROOT/hashes.tsv:
# one row per table file — corpus, variant, path relative to the output folder, sha256 — and
# OUTROOT/within.txt, the check that every variant of a corpus wrote the same tables. It exits
# non-zero when a run fails or two variants of one corpus differ. Files hashed: every file of the
# output folder except run.json (timings), shard.json, the ledger .framelens-out.json, the state
# folder .framelens/, report.html and *.png.
#
# Corpora (CORPORA="sample sotu un1000" by default; a subset is allowed):
#   sample   the built-in sample (no --corpus; 2 documents, so blocks of 1 document below)
#   sotu     SOTU addresses grouped by party: CORPUS_DIR/sotu.jsonl, a manifest (id, absolute path,
#            group=party) built from $SHARED/bench/sotu/meta.jsonl, read with --allow-outside-paths
#   un1000   the first 1,000 UN General Debate speeches, grouped by --group-column iso3
#            (CORPUS_DIR/un1000.jsonl = zcat $SHARED/bench/ungdc.jsonl.gz | head -1000)
# CORPUS_DIR (default OUTROOT) holds the two manifests, built when absent; their path is in the
# config hash inside every table file, so runs to be compared must share it.
# SHARED is $FRAMELENS_SHARED, else ../shared beside the repository holding this script.
#
# Variants of each corpus (B = 50 documents a block, 1 for the sample):
#   w1       --workers 1
#   w2       --workers 2
#   b50      --workers 2 --block-docs B, uninterrupted (b1 for the sample)
#   resume   --workers 2 --block-docs B killed with SIGKILL as soon as the first block state
#            (.framelens/block-*.gob.gz) appears, then the same command with --resume
#   shard    --shard 0/2 and --shard 1/2 (--block-docs B) into <corpus>-shard-0 and -1, then
#            framelens merge --out <corpus>-shard <corpus>-shard-0 <corpus>-shard-1
# Within one binary, w1 = w2 and b50 = resume = shard must hold byte for byte. block_docs is part of
# the config hash that every Parquet file carries in its metadata, and it sets the part-file
# layout, so w2 and b50 cannot be byte-identical. within.txt compares their rows instead, with
# bench/tablesum (a digest of every table's columns and values in row order, file metadata and part
# files aside; OUTROOT/rows.tsv), as information: at 45a9b38 the block size already changes the last
# bits of group_keyphrases' score and prevalence on SOTU (floats summed per block, then merged).
# tablesum is $TABLESUM, else an executable tablesum beside this script, else built from bench/tablesum.
# `tablesum -dump TABLE DIR` prints a table's rows, to see how two runs differ. ROWS=0 skips this
# (a few minutes under load).
#
# Compare mode prints every file of A that B lacks (MISSING) or hashes differently (DIFFERS), and
# every file only B has (NEW); it exits 1 on MISSING or DIFFERS, and on NEW unless --allow-new.
#
# Time: 12.5 min of CPU (user) for the three corpora; 76 min on the 2-core machine under a load of ~40.
# CORPORA="sample sotu" is about a quarter of that.
set -euo pipefail

die() { echo "identical.sh: $*" >&2; exit 2; }

compare() {
	local allow_new=0
	if [[ "${1:-}" == --allow-new ]]; then allow_new=1; shift; fi
	[[ $# -eq 2 ]] || die "usage: identical.sh compare [--allow-new] A.tsv B.tsv"
	[[ -f "$1" ]] || die "compare: $1: no such file"
	[[ -f "$2" ]] || die "compare: $2: no such file"
	awk -F'\t' -v allow_new="$allow_new" -v A="$1" -v B="$2" '
		FNR == 1 { next }                       # header
		FILENAME == A { a[$1 "\t" $2 "\t" $3] = $4; order[++n] = $1 "\t" $2 "\t" $3; next }
		{ b[$1 "\t" $2 "\t" $3] = $4; border[++m] = $1 "\t" $2 "\t" $3 }
		END {
			bad = 0; new = 0; same = 0
			for (i = 1; i <= n; i++) {
				k = order[i]
				if (!(k in b)) { print "MISSING\t" k; bad++ }
				else if (a[k] != b[k]) { print "DIFFERS\t" k; bad++ }
				else same++
			}
			for (i = 1; i <= m; i++) if (!(border[i] in a)) { print "NEW\t" border[i]; new++ }
			printf "%d identical, %d missing or different, %d new (%s)\n", same, bad, new,
				(allow_new ? "new allowed" : "new not allowed") > "/dev/stderr"
			if (bad > 0 || (new > 0 && !allow_new)) exit 1
		}' "$1" "$2"
}

if [[ "${1:-}" == compare ]]; then
	shift
	compare "$@"
	exit $?
fi

[[ $# -eq 2 ]] || die "usage: identical.sh BIN OUTROOT | identical.sh compare [--allow-new] A.tsv B.tsv"
BIN=$(realpath "$1")
OUTROOT=$2
[[ -x "$BIN" ]] || die "$BIN: not an executable"
mkdir -p "$OUTROOT"
OUTROOT=$(realpath "$OUTROOT")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SHARED=${FRAMELENS_SHARED:-$HERE/../../shared}
CORPORA=${CORPORA:-sample sotu un1000}
# The corpus path is part of the config hash that every table file holds: two binaries compare
# byte for byte only when they read the same manifest paths, so give both the same CORPUS_DIR.
CORPUS_DIR=${CORPUS_DIR:-$OUTROOT}
mkdir -p "$CORPUS_DIR"
CORPUS_DIR=$(realpath "$CORPUS_DIR")
LOG=$OUTROOT/log.txt
: >"$LOG"

say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }

# fl runs the binary quietly, its output appended to the log; a failure stops the script.
fl() {
	echo "+ framelens $*" >>"$LOG"
	if ! "$BIN" "$@" >>"$LOG" 2>&1; then
		say "FAILED: framelens $* (see $LOG)"
		exit 1
	fi
}

# corpus_args prints the corpus flags of corpus $1, one per line, building its input first.
corpus_args() {
	case $1 in
	sample) ;;
	sotu)
		local meta=$SHARED/bench/sotu/meta.jsonl txt
		[[ -f "$meta" ]] || die "$meta missing: set FRAMELENS_SHARED to the shared data folder"
		txt=$(realpath "$SHARED/bench/sotu/txt")
		if [[ ! -s "$CORPUS_DIR/sotu.jsonl" ]]; then
			# meta.jsonl is one flat JSON object a line; jq is not assumed.
			python3 - "$meta" "$txt" >"$CORPUS_DIR/sotu.jsonl" <<-'EOF'
				import json, sys
				for line in open(sys.argv[1]):
				    r = json.loads(line)
				    print(json.dumps({"id": r["id"], "path": f"{sys.argv[2]}/{r['id']}.txt", "group": r["party"]}))
			EOF
		fi
		printf '%s\n' --corpus "$CORPUS_DIR/sotu.jsonl" --allow-outside-paths
		;;
	un1000)
		local gz=$SHARED/bench/ungdc.jsonl.gz
		[[ -f "$gz" ]] || die "$gz missing: set FRAMELENS_SHARED to the shared data folder"
		if [[ ! -s "$CORPUS_DIR/un1000.jsonl" ]]; then
			# head closes the pipe early; zcat's SIGPIPE is expected.
			(zcat "$gz" || true) | head -1000 >"$CORPUS_DIR/un1000.jsonl"
		fi
		printf '%s\n' --corpus "$CORPUS_DIR/un1000.jsonl" --group-column iso3
		;;
	*) die "unknown corpus $1 (sample, sotu, un1000)" ;;
	esac
}

# fresh removes an output folder of an earlier run of this script.
fresh() { rm -rf -- "$OUTROOT/$1"; }

# resume_run runs framelens with the arguments after $1 into $1, kills it with SIGKILL when the
# first block state appears, and runs it again with --resume.
resume_run() {
	local out=$1 pid state killed=0
	shift
	echo "+ framelens run --out $out $* (SIGKILL at the first block state)" >>"$LOG"
	"$BIN" run --out "$out" "$@" >>"$LOG" 2>&1 &
	pid=$!
	state=$out/.framelens
	while kill -0 "$pid" 2>/dev/null; do
		if compgen -G "$state/block-[0-9]*.gob.gz" >/dev/null; then
			kill -KILL "$pid" 2>/dev/null && killed=1
			break
		fi
		sleep 0.02
	done
	wait "$pid" 2>/dev/null || true
	if [[ $killed -eq 1 ]]; then
		say "  killed after $(ls "$state" | grep -c '^block-') block state(s); resuming"
	else
		# The run ended before a block state was seen: the variant then tests nothing.
		say "  WARNING: $out: the run ended before it could be killed; resume not exercised"
		echo "resume-not-exercised $out" >>"$OUTROOT/warnings.txt"
	fi
	fl run --out "$out" "$@" --resume
}

# hash_dir appends the table files of output folder $1 (corpus $2, variant $3) to hashes.tsv.
hash_dir() {
	local dir=$OUTROOT/$1
	(cd "$dir" && find . -type f \
		! -path './.framelens/*' ! -name .framelens-out.json ! -path './run.json' ! -path './shard.json' \
		! -name 'report.html' ! -name '*.png' -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
		printf '%s\t%s\t%s\t%s\n' "$2" "$3" "$f" "$(sha256sum -- "$f" | cut -d' ' -f1)"
	done) >>"$OUTROOT/hashes.tsv"
}

# same prints whether variants $2 and $3 of corpus $1 hashed alike, and the files that differ.
same() {
	local diffs
	diffs=$(awk -F'\t' -v c="$1" -v x="$2" -v y="$3" '
		$1 == c && $2 == x { a[$3] = $4 }
		$1 == c && $2 == y { b[$3] = $4 }
		END {
			for (k in a) if (!(k in b)) print "  only in " x ": " k; else if (a[k] != b[k]) print "  differs: " k
			for (k in b) if (!(k in a)) print "  only in " y ": " k
		}' "$OUTROOT/hashes.tsv" | LC_ALL=C sort)
	if [[ -z "$diffs" ]]; then
		echo "$1: $2 = $3 ($(awk -F'\t' -v c="$1" -v x="$2" '$1 == c && $2 == x' "$OUTROOT/hashes.tsv" | wc -l) files)"
		return 0
	fi
	echo "$1: $2 != $3 ($(grep -c . <<<"$diffs") files)"
	echo "$diffs"
	return 1
}

ROWS=${ROWS:-1}
TABLESUM=${TABLESUM:-}
if [[ $ROWS == 1 ]]; then
	if [[ -z "$TABLESUM" && -x "$HERE/tablesum" && ! -d "$HERE/tablesum" ]]; then
		TABLESUM=$HERE/tablesum
	elif [[ -z "$TABLESUM" && -d "$HERE/tablesum" ]]; then
		(cd "$HERE/tablesum" && go build -o "$OUTROOT/tablesum" .) || die "cannot build $HERE/tablesum"
		TABLESUM=$OUTROOT/tablesum
	fi
	[[ -x "$TABLESUM" ]] || die "no tablesum: set TABLESUM, keep bench/tablesum beside this script, or ROWS=0"
fi

# same_rows prints whether the tables of w2 and $2 (b50) of corpus $1 hold the same rows.
same_rows() {
	local diffs
	diffs=$(awk -F'\t' -v x="$1-w2" -v y="$1-$2" '
		$1 == x { a[$2] = $3 " rows " $4 }
		$1 == y { b[$2] = $3 " rows " $4 }
		END {
			for (k in a) if (!(k in b)) print "  only in w2: " k; else if (a[k] != b[k]) print "  rows differ: " k " (" a[k] " / " b[k] ")"
			for (k in b) if (!(k in a)) print "  only in " y ": " k
		}' "$OUTROOT/rows.tsv" | LC_ALL=C sort)
	if [[ -z "$diffs" ]]; then
		echo "$1: rows of w2 = rows of $2 ($(awk -F'\t' -v x="$1-w2" '$1 == x' "$OUTROOT/rows.tsv" | wc -l) tables)"
		return 0
	fi
	echo "$1: rows of w2 != rows of $2"
	echo "$diffs"
	return 1
}

printf 'corpus\tvariant\tfile\tsha256\n' >"$OUTROOT/hashes.tsv"
printf 'folder\ttable\trows\tsha256\n' >"$OUTROOT/rows.tsv"
rm -f "$OUTROOT/warnings.txt"
say "binary $BIN ($("$BIN" version 2>&1 | head -1)); corpora: $CORPORA"
start=$SECONDS
for c in $CORPORA; do
	mapfile -t args < <(corpus_args "$c")
	# The command substitution above cannot stop the script: check its input here.
	[[ $c == sample || -s "$CORPUS_DIR/$c.jsonl" ]] || die "$c: could not build its corpus"
	bd=50
	[[ $c == sample ]] && bd=1
	t0=$SECONDS
	for v in w1 w2; do
		fresh "$c-$v"
		say "$c $v"
		fl run --out "$OUTROOT/$c-$v" "${args[@]}" --workers "${v#w}" --progress none
		hash_dir "$c-$v" "$c" "$v"
	done
	fresh "$c-b$bd"
	say "$c b$bd"
	fl run --out "$OUTROOT/$c-b$bd" "${args[@]}" --workers 2 --block-docs "$bd" --progress none
	hash_dir "$c-b$bd" "$c" "b$bd"
	if [[ $ROWS == 1 ]]; then
		say "$c rows of w2 and b$bd (tablesum)"
		"$TABLESUM" "$OUTROOT/$c-w2" "$OUTROOT/$c-b$bd" | sed "s|$OUTROOT/||" >>"$OUTROOT/rows.tsv"
	fi

	fresh "$c-resume"
	say "$c resume"
	resume_run "$OUTROOT/$c-resume" "${args[@]}" --workers 2 --block-docs "$bd" --progress none
	hash_dir "$c-resume" "$c" resume

	say "$c shard"
	for i in 0 1; do
		fresh "$c-shard-$i"
		fl run --out "$OUTROOT/$c-shard-$i" "${args[@]}" --workers 2 --block-docs "$bd" --shard "$i/2" --progress none
	done
	fresh "$c-shard"
	fl merge --out "$OUTROOT/$c-shard" "$OUTROOT/$c-shard-0" "$OUTROOT/$c-shard-1"
	hash_dir "$c-shard" "$c" shard
	say "$c done in $((SECONDS - t0)) s"
done

# Within one binary: w1 = w2, and b = resume = shard, byte for byte; w2 against b is information.
{
	echo "# within-binary identity, $(date -u +%FT%TZ), $BIN"
	for c in $CORPORA; do
		bd=b50
		[[ $c == sample ]] && bd=b1
		same "$c" w1 w2 || true
		same "$c" "$bd" resume || true
		same "$c" "$bd" shard || true
		# Information, not a failure: at 45a9b38 block_docs already changes the last bits of
		# group_keyphrases' score and prevalence (per-block float sums); the comparison with the
		# baseline's hashes, b50 included, is what catches a change.
		[[ $ROWS == 1 ]] && { same_rows "$c" "$bd" | sed 's/^/# block size: /' || true; }
		same "$c" w2 "$bd" | sed 's/^/# block size, bytes: /' | head -3 || true
	done
	if [[ -f "$OUTROOT/warnings.txt" ]]; then sed 's/^/WARNING: /' "$OUTROOT/warnings.txt"; fi
	echo "# total $((SECONDS - start)) s"
} | tee "$OUTROOT/within.txt"
# Lines without # are the checks that must hold.
if grep -v '^#' "$OUTROOT/within.txt" | grep -q ' != '; then
	say "within-binary identity FAILED (see $OUTROOT/within.txt)"
	exit 1
fi
say "within-binary identity holds; hashes in $OUTROOT/hashes.tsv"
