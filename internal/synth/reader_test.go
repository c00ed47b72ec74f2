package synth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// textFile is a decoded text object: the header fields and every data line
// split on single spaces. This tiny reader is independent of the generator
// on purpose: it checks the bytes on disk, not the generator's structs.
type textFile struct {
	header []string
	lines  [][]string
	tail   string // partial last line of a truncated object
	err    error  // decoding error (truncated objects)
}

func readText(t *testing.T, path string) textFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		t.Fatalf("%s: not gzip", path)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	data, rerr := io.ReadAll(zr)
	var tf textFile
	tf.err = rerr
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		tf.tail = string(data[i+1:])
		data = data[:i+1]
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), " ")
		if tf.header == nil {
			tf.header = f
			continue
		}
		tf.lines = append(tf.lines, f)
	}
	return tf
}

// get returns the value of a named field in a line.
func (tf *textFile) get(line []string, name string) string {
	for i, h := range tf.header {
		if h == name && i < len(line) {
			return line[i]
		}
	}
	return ""
}

// hashTree returns the SHA-256 of every regular file under dir, keyed by
// slash path.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
