package sheet

import (
	"fmt"
	"io"
	"runtime"
	"testing"
)

// BenchmarkWriteXLSX10k writes a 10,000-row, 32-column sheet with the streaming writer and
// reports the heap the writer grew (MB-heap) besides time and allocations.
func BenchmarkWriteXLSX10k(b *testing.B) {
	cols := make([]Column, 32)
	for i := range cols {
		cols[i] = Column{Header: fmt.Sprintf("column %d", i)}
	}
	cols[2].Values = []string{"functional", "non-functional", "experience", "defect", "other"}
	rows := make([][]any, 10000)
	for r := range rows {
		row := make([]any, len(cols))
		for c := range row {
			switch c % 4 {
			case 0:
				row[c] = fmt.Sprintf("REQ-%04d", r)
			case 1:
				row[c] = int64(r % 10)
			case 2:
				row[c] = "functional"
			default:
				row[c] = "客服坐席可以查看排队中的会话 and a longer English sentence about it"
			}
		}
		rows[r] = row
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := WriteXLSX(io.Discard, []Data{{Name: "requirement", Columns: cols, Rows: rows}}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapSys-before.HeapSys)/(1<<20), "MB-heap")
}
