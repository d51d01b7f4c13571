package tokenize

import (
	"context"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// TestChineseSegmentationPKU scores Chinese word segmentation on the SIGHAN
// 2005 PKU test set (docs/EVAL.md). jieba 0.42.1 scores F1 0.8183 in its
// default mode (HMM on) and 0.8358 with HMM=False on the same file with the
// same scoring (bench/peers/jieba_pku.py); framelens 0.8271.
func TestChineseSegmentationPKU(t *testing.T) {
	dir := sharedtest.Path(t, "eval/segmentation/sighan2005")
	tk, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tk.EvalChineseSegmentation(context.Background(), dir+"/pku_test.utf8", dir+"/pku_test_gold.utf8")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PKU test: P %.4f R %.4f F1 %.4f (%d lines)", rep.Precision(), rep.Recall(), rep.F1(), rep.Lines)
	if rep.F1() < 0.8183 {
		t.Errorf("F1 %.4f below jieba's default 0.8183", rep.F1())
	}
}
