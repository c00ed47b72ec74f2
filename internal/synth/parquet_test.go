package synth

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// checkParquet reads every Parquet object back with pqarrow and checks the
// AWS column names and types, nullability, codec and row counts.
func checkParquet(t *testing.T, dir string, m *Manifest) {
	wantFields, _, err := parseFormat(m.FlowLogs[3].Format)
	if err != nil {
		t.Fatal(err)
	}
	nulls := map[string]int{}
	var big int
	for _, f := range m.Files {
		if f.Format != "parquet" {
			continue
		}
		rdr, err := file.OpenParquetFile(filepath.Join(dir, f.Path), false)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		md := rdr.MetaData()
		for i, fd := range wantFields {
			col := md.Schema.Column(i)
			phys := map[colKind]parquet.Type{kindInt32: parquet.Types.Int32, kindInt64: parquet.Types.Int64,
				kindString: parquet.Types.ByteArray}[fd.kind()]
			if col.Name() != fd.column() || col.PhysicalType() != phys {
				t.Fatalf("%s: column %d is %s %s, want %s %s", f.Path, i, col.Name(), col.PhysicalType(), fd.column(), phys)
			}
			cc, err := md.RowGroup(0).ColumnChunk(i)
			if err != nil || cc.Compression() != compress.Codecs.Gzip {
				t.Fatalf("%s: column %s not gzip (%v)", f.Path, col.Name(), err)
			}
		}
		fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if int(tbl.NumRows()) != f.Records {
			t.Errorf("%s: %d rows, manifest %d", f.Path, tbl.NumRows(), f.Records)
		}
		for i, fd := range wantFields {
			fld := tbl.Schema().Field(i)
			want := map[colKind]arrow.DataType{kindInt32: arrow.PrimitiveTypes.Int32, kindInt64: arrow.PrimitiveTypes.Int64,
				kindString: arrow.BinaryTypes.String}[fd.kind()]
			if !arrow.TypeEqual(fld.Type, want) || !fld.Nullable {
				t.Fatalf("%s: %s is %s nullable=%v", f.Path, fld.Name, fld.Type, fld.Nullable)
			}
			for _, c := range tbl.Column(i).Data().Chunks() {
				nulls[fld.Name] += c.NullN()
				if fld.Name == "bytes" {
					for _, v := range c.(*array.Int64).Int64Values() {
						if v > 1<<31 {
							big++
						}
					}
				}
				if fld.Name == "version" && c.Len() > 0 && c.(*array.Int32).Value(0) != 5 {
					t.Errorf("%s: version %d", f.Path, c.(*array.Int32).Value(0))
				}
			}
		}
		tbl.Release()
		_ = rdr.Close()
	}
	if nulls["traffic_path"] == 0 || nulls["srcaddr"] == 0 || nulls["account_id"] != 0 || big == 0 {
		t.Errorf("nulls %v, records over 2^31 bytes %d", nulls, big)
	}
}
