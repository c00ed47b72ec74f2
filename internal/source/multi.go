package source

import (
	"context"
	"fmt"
	"io"
)

// Multi reads several sources as one: their listings concatenated in order, each object opened
// by the source that listed it.
type Multi struct {
	srcs    []Source
	owner   map[string]Source
	skipped []Skipped
}

var _ Source = (*Multi)(nil)

// NewMulti returns a source over srcs.
func NewMulti(srcs ...Source) *Multi { return &Multi{srcs: srcs} }

// List lists every source in turn.
func (m *Multi) List(ctx context.Context) ([]Object, error) {
	m.owner, m.skipped = map[string]Source{}, nil
	var out []Object
	for _, s := range m.srcs {
		objs, err := s.List(ctx)
		if err != nil {
			return nil, err
		}
		if sk, ok := s.(interface{ Skipped() []Skipped }); ok {
			m.skipped = append(m.skipped, sk.Skipped()...)
		}
		for _, o := range objs {
			if _, dup := m.owner[o.URI]; dup {
				continue
			}
			m.owner[o.URI] = s
			out = append(out, o)
		}
	}
	return out, nil
}

// Skipped returns what the sources' last listings left out on purpose.
func (m *Multi) Skipped() []Skipped { return m.skipped }

// Open opens o with the source that listed it.
func (m *Multi) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	s, ok := m.owner[o.URI]
	if !ok {
		return nil, fmt.Errorf("open %s: not listed", o.URI)
	}
	return s.Open(ctx, o)
}
