"""Chinese word segmentation with jieba on the SIGHAN 2005 PKU test set,
scored as framelens's `eval segmentation --lang zh` scores it (word spans
over characters, white space ignored). Measurement only: jieba is never a
dependency of framelens.

    python bench/peers/jieba_pku.py ../shared/eval/segmentation/sighan2005
    python bench/peers/jieba_pku.py DIR pku_test_trad.utf8 pku_test_trad_gold.utf8   # bench/peers/pku_traditional.py
"""
import sys

import jieba


def spans(words):
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def main(d, test_name="pku_test.utf8", gold_name="pku_test_gold.utf8"):
    test = open(f"{d}/{test_name}", encoding="utf-8").read().lstrip("\ufeff").rstrip("\n").split("\n")
    gold = open(f"{d}/{gold_name}", encoding="utf-8").read().lstrip("\ufeff").rstrip("\n").split("\n")
    for hmm in (True, False):
        g = t = s = 0
        for line, gl in zip(test, gold):
            gw = gl.split()
            tw = [w for w in jieba.cut(line, HMM=hmm) if w.strip()]
            g += len(gw)
            t += len(tw)
            s += len(spans(gw) & spans(tw))
        p, r = s / t, s / g
        print(f"jieba {jieba.__version__} HMM={hmm}: lines {len(test)}, gold {g}, got {t}, right {s}")
        print(f"precision {p:.4f}  recall {r:.4f}  F1 {2 * p * r / (p + r):.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/segmentation/sighan2005", *sys.argv[2:4])
