#!/usr/bin/env python3
"""Many small files, as one zip and as a directory (issue 12 item 20).

    python3 benches/many_entries.py OUT_DIR [ENTRIES]

Writes OUT_DIR/many.zip (deflated) and OUT_DIR/zipdir/ holding the same
ENTRIES (default 50,000) CSV files of 5 synthetic people each (a name, a
mobile, a resident ID with a valid check character), 1,000 to a folder.
"""
import os
import sys
import zipfile

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(i):
    base = "110105199%01d%02d%02d%03d" % (i % 10, i % 12 + 1, i % 28 + 1, i % 1000)
    return base + "10X98765432"[sum(int(c) * w for c, w in zip(base, W)) % 11]


def main():
    out = sys.argv[1]
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    names = "张王李赵刘陈杨黄周吴"
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(os.path.join(out, "many.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for e in range(entries):
            rows = ["姓名,手机号,身份证号"]
            for k in range(5):
                i = e * 5 + k
                rows.append("%s%s,1%d%09d,%s" % (names[i % 10], names[(i // 10) % 10], 3 + i % 7, i, resident_id(i)))
            data = ("\n".join(rows) + "\n").encode()
            folder = "d%03d" % (e // 1000)
            z.writestr("%s/f%06d.csv" % (folder, e), data)
            os.makedirs(os.path.join(out, "zipdir", folder), exist_ok=True)
            with open(os.path.join(out, "zipdir", folder, "f%06d.csv" % e), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
