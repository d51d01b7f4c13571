package pipeline

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// keepWindow is an analysis whose partial keeps a window on the
// document's text, as a Map that keys a map by token forms does.
type keepWindow struct{}

type windowPartial struct{ Kept []string }

func (p *windowPartial) Merge(o stage.Partial) error {
	p.Kept = append(p.Kept, o.(*windowPartial).Kept...)
	return nil
}

func (keepWindow) Name() string              { return "keep_window" }
func (keepWindow) Tables() []*output.Table   { return nil }
func (keepWindow) Config() any               { return struct{}{} }
func (keepWindow) NewPartial() stage.Partial { return &windowPartial{} }
func (keepWindow) Map(_ context.Context, in stage.MapInput) (stage.Partial, error) {
	return &windowPartial{Kept: []string{in.Doc.Clean[:5]}}, nil
}
func (keepWindow) Reduce(context.Context, stage.Partial, stage.Env) error { return nil }

// within says whether s's bytes lie inside text's.
func within(s, text string) bool {
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return p >= lo && p < lo+uintptr(len(text))
}

// A saved block's partials hold no window on its documents' texts: the
// texts are let go once saved, and a kept window would keep each whole
// text alive until the run ends.
func TestSavedPartialsHoldNoText(t *testing.T) {
	text := strings.Repeat("Visas and sanctions restrict talent mobility. ", 1000)
	a := keepWindow{}
	kept := text[:5]
	if !within(kept, text) {
		t.Fatal("the test's window is not a window")
	}
	b := &blockState{Format: stateFormat, analyses: []stage.Corpus{a},
		parts: []stage.Partial{&windowPartial{Kept: []string{kept}}},
		Docs:  []*docState{{ID: "d1", Row: docRow{Clean: text}}}}
	if err := b.save(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	got := b.parts[0].(*windowPartial).Kept
	if len(got) != 1 || got[0] != "Visas" {
		t.Fatalf("partial after save: %q, want [Visas]", got)
	}
	if within(got[0], text) {
		t.Error("the saved block's partial still holds a window on the document's text")
	}
	if b.Docs[0].Row.Clean != text {
		t.Error("save changed the document's text")
	}
}
