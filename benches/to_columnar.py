"""Converts a generated CSV corpus to Parquet and Arrow IPC (pyarrow).

Usage: python3 benches/to_columnar.py /tmp/bench/mixed_100m.csv

Writes, next to it: NAME.parquet (zstd, row groups of 131,072 rows),
NAME_1grp.parquet (one row group) and NAME.arrow (65,536-row batches). Every
column is read as a string, as the CSV holds it.
"""
import sys

import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

src = sys.argv[1]
stem = src.rsplit(".", 1)[0]
with open(src, encoding="utf-8") as f:
    names = f.readline().rstrip("\r\n").split(",")
table = pc.read_csv(src, convert_options=pc.ConvertOptions(column_types={n: pa.string() for n in names}))
pq.write_table(table, stem + ".parquet", row_group_size=128 * 1024, compression="zstd")
pq.write_table(table, stem + "_1grp.parquet", row_group_size=table.num_rows, compression="zstd")
with ipc.new_file(stem + ".arrow", table.schema) as w:
    for batch in table.to_batches(max_chunksize=65536):
        w.write_batch(batch)
print(table.num_rows, "rows")
