"""The SIGHAN 2005 PKU test set in Traditional characters, for measuring
segmentation of Traditional text (docs/EVAL.md): the test lines converted by
OpenCC s2t (opencc-python-reimplemented 0.1.7, an implementation independent
of the Go port framelens converts back with), the gold words cut from the
converted lines by the gold words' lengths. Writes OUT/pku_test_trad.utf8
and OUT/pku_test_trad_gold.utf8; never into the repository.

    python bench/peers/pku_traditional.py ../shared/eval/segmentation/sighan2005 /tmp/pku-trad
"""
import os
import sys

from opencc import OpenCC


def main(d, out):
    cc = OpenCC("s2t")
    test = open(f"{d}/pku_test.utf8", encoding="utf-8").read().lstrip("\ufeff").rstrip("\n").split("\n")
    gold = open(f"{d}/pku_test_gold.utf8", encoding="utf-8").read().lstrip("\ufeff").rstrip("\n").split("\n")
    ot, og, changed, total = [], [], 0, 0
    for line, gl in zip(test, gold):
        tl = cc.convert(line)
        assert len(tl) == len(line), line
        changed += sum(a != b for a, b in zip(line, tl))
        total += len(line)
        flat, pos, ws = "".join(c for c in tl if not c.isspace()), 0, []
        for w in gl.split():
            ws.append(flat[pos:pos + len(w)])
            pos += len(w)
        ot.append(tl)
        og.append("  ".join(ws))
    os.makedirs(out, exist_ok=True)
    open(f"{out}/pku_test_trad.utf8", "w", encoding="utf-8").write("\n".join(ot) + "\n")
    open(f"{out}/pku_test_trad_gold.utf8", "w", encoding="utf-8").write("\n".join(og) + "\n")
    print(f"characters changed {changed} of {total} ({changed / total:.1%})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
