package corpus

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const post = `---
title: "Why talent stays"
date: 2024-05-01
authors: [Jane Doe, Li Wei]
tags: [migration, policy]
lang: en
draft: false
reading_minutes: 4
---

# Why talent stays

Belonging and cultural identity keep scientists at home more than salaries do.
`

// A blog post's front matter is metadata: it fills title, authors, year and
// Meta, and none of its lines reaches the analysed text.
func TestMarkdownFrontMatter(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "blog", "post.md"), []byte(post))
	writeFile(t, filepath.Join(dir, "blog", "grouped.md"), []byte("---\ngroup: retention\n---\nReturnees cite family and language as reasons to stay.\n"))
	writeFile(t, filepath.Join(dir, "blog", "bad.md"), []byte("---\ntitle: [unclosed\n---\nA text whose front matter is broken.\n"))
	writeFile(t, filepath.Join(dir, "blog", "rule.md"), []byte("---\nA text that opens with a thematic break and never closes it.\n"))
	docs, _ := openAll(t, dir, Options{})
	byID := map[string]*Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}

	d := byID["blog/post"]
	if d.Title != "Why talent stays" || !reflect.DeepEqual(d.Authors, []string{"Jane Doe", "Li Wei"}) || d.Year != 2024 || d.Lang != "en" {
		t.Errorf("fields: title %q authors %q year %d lang %q", d.Title, d.Authors, d.Year, d.Lang)
	}
	wantMeta := map[string]any{"date": "2024-05-01", "tags": "migration; policy", "draft": false, "reading_minutes": int64(4)}
	if !reflect.DeepEqual(d.Meta, wantMeta) {
		t.Errorf("meta %#v, want %#v", d.Meta, wantMeta)
	}
	if strings.Contains(d.Raw, "tags:") || strings.Contains(d.Raw, "---") || !strings.HasPrefix(d.Raw, "\n# Why talent stays") {
		t.Errorf("raw %q", d.Raw)
	}
	if d.Group != "blog" {
		t.Errorf("no group in the front matter: the folder's, got %q", d.Group)
	}
	if g := byID["blog/grouped"].Group; g != "retention" {
		t.Errorf("the front matter's group wins over the folder's: got %q", g)
	}
	if b := byID["blog/bad"]; !strings.Contains(strings.Join(b.Warnings, "|"), "front matter is not valid YAML") || strings.Contains(b.Raw, "unclosed") {
		t.Errorf("broken front matter: warnings %q raw %q", b.Warnings, b.Raw)
	}
	if r := byID["blog/rule"]; !strings.Contains(r.Raw, "thematic break") {
		t.Errorf("an unclosed rule is text: %q", r.Raw)
	}

	// A manifest row's values win over the front matter; what the row
	// leaves empty keeps the front matter's.
	writeFile(t, filepath.Join(dir, "manifest.yaml"), []byte("- {path: blog/post.md, group: security, title: From the manifest}\n"))
	docs, _ = openAll(t, dir, Options{})
	for _, d := range docs {
		if d.ID == "blog/post" && (d.Group != "security" || d.Title != "From the manifest" || d.Year != 2024 || d.Meta["tags"] != "migration; policy") {
			t.Errorf("with a manifest row: group %q title %q year %d meta %v", d.Group, d.Title, d.Year, d.Meta)
		}
	}
}
