package pdf

import (
	"fmt"
	"reflect"

	lpdf "github.com/ledongthuc/pdf"
)

// pageRef is one leaf of the page tree with what it inherits.
type pageRef struct {
	v      lpdf.Value
	res    lpdf.Value
	box    rect // CropBox, else MediaBox, in user space
	rotate int
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) w() float64 { return r.x1 - r.x0 }
func (r rect) h() float64 { return r.y1 - r.y0 }

const (
	maxTreeDepth = 64
	maxPages     = 100000
)

// pageRefs walks the page tree itself rather than calling Reader.Page(i) for each page: that
// is quadratic, follows Parent links without a limit, and loops on a cyclic tree.
func (d *document) pageRefs() (refs []pageRef, err error) {
	defer func() {
		if r := recover(); r != nil {
			refs, err = nil, fmt.Errorf("%s: %w: page tree: %v", d.name, ErrDamaged, panicError(r))
		}
	}()
	d.br.arm(d.f.size()*64+64<<20, max(d.opt.PageTime, openTime))
	root := d.r.Trailer().Key("Root").Key("Pages")
	if root.Kind() != lpdf.Dict {
		return nil, fmt.Errorf("%s: %w: no page tree", d.name, ErrNoPages)
	}
	seen := map[uint64]bool{}
	var walk func(n lpdf.Value, parentID uint64, inh pageRef, depth int)
	walk = func(n lpdf.Value, parentID uint64, inh pageRef, depth int) {
		if depth > maxTreeDepth || len(refs) >= maxPages || n.Kind() != lpdf.Dict {
			return
		}
		if id, ok := objID(n); ok && id != parentID {
			if seen[id] {
				return
			}
			seen[id] = true
			parentID = id
		}
		if r := n.Key("Resources"); r.Kind() == lpdf.Dict {
			inh.res = r
		}
		if b, ok := boxOf(n.Key("MediaBox")); ok {
			inh.box = b
		}
		if b, ok := boxOf(n.Key("CropBox")); ok {
			inh.box = intersect(inh.box, b)
		}
		if r := n.Key("Rotate"); r.Kind() == lpdf.Integer {
			inh.rotate = int(((r.Int64()%360)+360)%360) / 90 * 90
		}
		kids := n.Key("Kids")
		if kids.Kind() == lpdf.Array && n.Key("Type").Name() != "Page" {
			for i := 0; i < kids.Len() && len(refs) < maxPages; i++ {
				walk(kids.Index(i), parentID, inh, depth+1)
			}
			return
		}
		inh.v = n
		refs = append(refs, inh)
	}
	walk(root, 0, pageRef{box: rect{0, 0, 612, 792}}, 0)
	if len(refs) == 0 {
		return nil, fmt.Errorf("%s: %w", d.name, ErrNoPages)
	}
	return refs, nil
}

func boxOf(v lpdf.Value) (rect, bool) {
	if v.Kind() != lpdf.Array || v.Len() != 4 {
		return rect{}, false
	}
	a, b, c, e := v.Index(0).Float64(), v.Index(1).Float64(), v.Index(2).Float64(), v.Index(3).Float64()
	r := rect{min(a, c), min(b, e), max(a, c), max(b, e)}
	if r.w() < 1 || r.h() < 1 {
		return rect{}, false
	}
	return r, true
}

func intersect(a, b rect) rect {
	r := rect{max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1)}
	if r.w() < 1 || r.h() < 1 {
		return a
	}
	return r
}

// objID returns the object number and generation a Value was loaded from, which the library
// keeps in an unexported field. A direct object carries its parent's number, so callers
// compare with the parent before trusting it. It is used for caches and cycle checks only;
// when the field cannot be read, there is no identity and nothing is cached.
func objID(v lpdf.Value) (uint64, bool) {
	rv := reflect.ValueOf(v)
	f := rv.FieldByName("ptr")
	if !f.IsValid() || f.Kind() != reflect.Struct {
		return 0, false
	}
	id, gen := f.FieldByName("id"), f.FieldByName("gen")
	if !id.IsValid() || !gen.IsValid() || !id.CanUint() || !gen.CanUint() {
		return 0, false
	}
	if id.Uint() == 0 {
		return 0, false
	}
	return id.Uint()<<16 | gen.Uint(), true
}
