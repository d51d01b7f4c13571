#!/usr/bin/env python3
"""Peer comparison for framelens's vectorize and topics packages.

Reads what `go run ./bench/peers` wrote (tokens, vocabulary, TF-IDF matrix,
framelens results) and
  * checks framelens's TF-IDF against scikit-learn's TfidfVectorizer on the
    same tokens (max |difference| must be <= 1e-9),
  * fits scikit-learn and gensim topic models on the same tokens and
    vocabulary, timing each fit (wall and CPU seconds),
  * scores every model, framelens's included, with gensim's c_npmi (top 10
    words, 10-token boolean sliding windows over the same token lists) and
    topic diversity (unique share of the top 25), and prints one table.

  python peers.py --dir /tmp/framelens-peers            # 20 Newsgroups
  python peers.py --dir /tmp/framelens-peers --tfidf    # sample papers, every scheme
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def read_matrix(path, shape=None):
    with open(path) as f:
        rows, cols = map(int, f.readline().split())
        data = np.loadtxt(f, dtype=np.float64, ndmin=2)
    if data.size == 0:
        return sp.csr_matrix((rows, cols))
    return sp.csr_matrix((data[:, 2], (data[:, 0].astype(int), data[:, 1].astype(int))), shape=(rows, cols))


def split(s):
    return s.split()


def check_tfidf(name, go, ref):
    diff = abs(go - ref).max() if go.nnz or ref.nnz else 0.0
    ok = diff <= 1e-9
    print(f"tfidf {name:10s} shape {go.shape} nnz {go.nnz:8d} max|go - python| = {diff:.3e} {'OK' if ok else 'FAIL'}")
    return ok


def tfidf_papers(d):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    docs = read_lines(os.path.join(d, "papers-tokens.txt"))
    vocab = read_lines(os.path.join(d, "papers-vocab.txt"))
    ok = True
    for scheme in ["sklearn", "sublinear", "idf_plain", "bm25"]:
        go = read_matrix(os.path.join(d, f"papers-{scheme}.tsv"))
        if scheme in ("sklearn", "sublinear", "idf_plain"):
            v = TfidfVectorizer(analyzer=split, sublinear_tf=(scheme == "sublinear"),
                                smooth_idf=(scheme != "idf_plain"))
            v.fit(docs)
            if scheme == "idf_plain":
                v.idf_ = v.idf_ - 1.0  # framelens's idf_plain is ln(n/df), sklearn's ln(n/df)+1
            ref = v.transform(docs)
            names = list(v.get_feature_names_out())
        else:
            cv = CountVectorizer(analyzer=split)
            tf = cv.fit_transform(docs).astype(np.float64).tocsr()
            names = list(cv.get_feature_names_out())
            n = tf.shape[0]
            df = np.bincount(tf.indices, minlength=tf.shape[1])
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            dl = np.asarray(tf.sum(axis=1)).ravel()
            avgdl = dl.mean()
            k1, b = 1.2, 0.75
            rows = np.repeat(np.arange(n), np.diff(tf.indptr))
            t = tf.data
            w = idf[tf.indices] * t * (k1 + 1) / (t + k1 * (1 - b + b * dl[rows] / avgdl))
            ref = sp.csr_matrix((w, tf.indices, tf.indptr), shape=tf.shape)
            from sklearn.preprocessing import normalize
            ref = normalize(ref)
        if names != vocab:
            print(f"tfidf {scheme}: vocabularies differ ({len(names)} vs {len(vocab)} terms)")
            ok = False
            continue
        ok &= check_tfidf(scheme, go, ref)
    return ok


def top_words(components, vocab, n, exclusivity=0.0):
    """Top n words per topic, by weight or, with exclusivity γ > 0, by
    w·(w/Σ_topics |w|)^γ as framelens's default TopTerms ranks them."""
    comp = np.asarray(components, dtype=np.float64)
    if exclusivity > 0:
        total = np.abs(comp).sum(axis=0)
        share = np.divide(comp, total, out=np.zeros_like(comp), where=total > 0)
        comp = np.where(comp > 0, comp * np.power(np.clip(share, 0, None), exclusivity), 0.0)
    return [[vocab[j] for j in np.argsort(-row, kind="stable")[:n]] for row in comp]


def diversity(tops):
    words = [w for t in tops for w in t]
    return len(set(words)) / len(words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.environ.get("FRAMELENS_PEERS_DIR", "/tmp/framelens-peers"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--model-seed", type=int, default=-1, help="seed for the models (default: --seed)")
    ap.add_argument("--go-results", default="framelens.json", help="framelens results file in --dir")
    ap.add_argument("--tfidf", action="store_true", help="check the sample papers' TF-IDF for every scheme")
    ap.add_argument("--slow", action="store_true", help="also fit sklearn online LDA and gensim LdaMulticore")
    ap.add_argument("--only", default="", help="comma-separated subset of peer model names")
    args = ap.parse_args()
    if args.tfidf:
        sys.exit(0 if tfidf_papers(args.dir) else 1)

    from gensim.corpora import Dictionary
    from gensim.matutils import Sparse2Corpus
    from gensim.models import CoherenceModel, LdaModel, LdaMulticore
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    import sklearn, gensim
    from threadpoolctl import threadpool_info

    texts = [l.split() for l in read_lines(os.path.join(args.dir, f"tokens-seed{args.seed}.txt"))]
    vocab = read_lines(os.path.join(args.dir, "vocab.txt"))
    print(f"sklearn {sklearn.__version__}, gensim {gensim.__version__}, numpy {np.__version__}; "
          f"BLAS: {[(i.get('internal_api'), i.get('num_threads'), i.get('architecture')) for i in threadpool_info()]}")
    print(f"{len(texts)} documents, {sum(map(len, texts))} tokens, vocabulary {len(vocab)}")
    counts = CountVectorizer(analyzer=split, vocabulary=vocab).fit_transform([" ".join(t) for t in texts])
    counts = counts.astype(np.float64).tocsr()
    tfidf = TfidfTransformer().fit_transform(counts)
    tfidf_ok = check_tfidf("20ng", read_matrix(os.path.join(args.dir, "tfidf.tsv")), tfidf)

    dictionary = Dictionary(texts)

    def npmi(tops):
        cm = CoherenceModel(topics=[t[:10] for t in tops], texts=texts, dictionary=dictionary,
                            coherence="c_npmi", window_size=10, topn=10, processes=1)
        return cm.get_coherence()

    id2word = dict(enumerate(vocab))
    gcorpus = Sparse2Corpus(counts.astype(np.int64), documents_columns=False)
    k, seed = args.k, (args.model_seed if args.model_seed >= 0 else args.seed)

    reranked = []

    def fit_sk_nmf():
        m = NMF(n_components=k, init="nndsvda", random_state=seed).fit(tfidf)
        reranked.append(("  same, top terms ranked γ=0.5", top_words(m.components_, vocab, 25, 0.5), m.n_iter_))
        return top_words(m.components_, vocab, 25), m.n_iter_

    def fit_sk_lda_batch():
        m = LatentDirichletAllocation(n_components=k, learning_method="batch", random_state=seed).fit(counts)
        return top_words(m.components_, vocab, 25), m.n_iter_

    def fit_sk_lda_online():
        m = LatentDirichletAllocation(n_components=k, learning_method="online", random_state=seed).fit(counts)
        return top_words(m.components_, vocab, 25), m.n_iter_

    def fit_gensim(cls, **kw):
        def f():
            m = cls(corpus=gcorpus, id2word=id2word, num_topics=k, passes=5, random_state=seed, **kw)
            return [[w for w, _ in m.show_topic(t, topn=25)] for t in range(k)], 5
        return f

    peers = [("sklearn NMF (cd, nndsvda)", fit_sk_nmf),
             ("sklearn LDA batch", fit_sk_lda_batch),
             ("gensim LdaModel 5 passes", fit_gensim(LdaModel))]
    if args.slow:
        peers += [("gensim LdaMulticore", fit_gensim(LdaMulticore, workers=2)),
                  ("sklearn LDA online", fit_sk_lda_online)]
    if args.only:
        keep = args.only.split(",")
        peers = [p for p in peers if any(s in p[0] for s in keep)]

    rows = []
    for name, fit in peers:
        c0, t0 = time.process_time(), time.perf_counter()
        tops, it = fit()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append((name, npmi(tops), None, diversity(tops), wall, cpu, it))
        print(f"  fitted {name}: {wall:.2f} s", flush=True)
        for rname, rtops, rit in reranked:
            rows.append((rname, npmi(rtops), None, diversity(rtops), wall, cpu, rit))
        reranked.clear()

    go_path = os.path.join(args.dir, args.go_results)
    if os.path.exists(go_path):
        with open(go_path) as f:
            for r in json.load(f):
                rows.append((r["model"], npmi(r["top"]), r["npmi"], r["diversity"], r["wall_s"], r["cpu_s"], r["iter"]))

    print()
    print(f"{'model':28s} {'NPMI(gensim)':>12s} {'NPMI(Go)':>10s} {'div@25':>7s} {'wall s':>7s} {'CPU s':>7s} {'iter':>5s}")
    for name, g, own, div, wall, cpu, it in rows:
        o = f"{own:10.4f}" if own is not None else f"{'':10s}"
        print(f"{name:28s} {g:12.4f} {o} {div:7.3f} {wall:7.2f} {cpu:7.2f} {it:5d}")
    agree = [abs(g - own) for _, g, own, *_ in rows if own is not None]
    if agree:
        print(f"\nGo c_npmi vs gensim c_npmi on the same top words: max |difference| = {max(agree):.2e}")
    sys.exit(0 if tfidf_ok else 1)


if __name__ == "__main__":
    main()
