#!/usr/bin/env bash
# Runs the peer comparison (make bench-peers): TF-IDF agreement with
# scikit-learn on the sample papers, then the 20 Newsgroups topic-model table.
# FRAMELENS_PEERS_VENV: Python venv to create/use (default /tmp/peersvenv).
# FRAMELENS_PEERS_DIR: working folder for exported tokens/results (default /tmp/framelens-peers).
# PEERS_ARGS: extra arguments for peers.py (e.g. --slow for LdaMulticore and online LDA).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${FRAMELENS_PEERS_VENV:-/tmp/peersvenv}"
DIR="${FRAMELENS_PEERS_DIR:-/tmp/framelens-peers}"
if [ ! -x "$VENV/bin/python" ]; then
	python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r bench/peers/requirements.txt
mkdir -p "$DIR"
go build -o "$DIR/peers" ./bench/peers
"$DIR/peers" -papers -out "$DIR"
"$VENV/bin/python" bench/peers/peers.py --dir "$DIR" --tfidf
"$DIR/peers" -out "$DIR" -k 20 -seed 1 -workers 2
"$VENV/bin/python" bench/peers/peers.py --dir "$DIR" --k 20 --seed 1 ${PEERS_ARGS:-}
