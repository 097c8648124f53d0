#!/usr/bin/env python3
"""Write a large synthetic mysqldump (extended INSERTs) to stdout or a file,
to check that the SQL reader streams: memory must not grow with the dump.

    python3 benches/gen_sqldump.py --gib 2 > /tmp/big.sql
    /usr/bin/time -v target/release/tiaoshu scan /tmp/big.sql --json /dev/null

Rows: id, name, mobile, id_card, address, note; 1000 tuples per INSERT
statement. Values are synthetic (valid check digits) and repeat every
1,000,000 rows, so dedup has duplicates to find but a bounded key set.
"""
import argparse
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def rid(i):
    body = "110101%04d%02d%02d%03d" % (1960 + i % 40, 1 + i % 12, 1 + i % 28, i % 1000)
    s = sum(int(c) * w for c, w in zip(body, W))
    return body + "10X98765432"[s % 11]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--out", default="-")
    ap.add_argument("--one-statement", action="store_true",
                    help="all tuples in ONE INSERT statement (no `;` until the end)")
    a = ap.parse_args()
    out = sys.stdout.buffer if a.out == "-" else open(a.out, "wb")
    target = int(a.gib * (1 << 30))
    out.write(b"-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\n"
              b"DROP TABLE IF EXISTS `users`;\nCREATE TABLE `users` (\n"
              b"  `id` int NOT NULL,\n  `name` varchar(32),\n  `mobile` varchar(16),\n"
              b"  `id_card` varchar(18),\n  `address` varchar(128),\n  `note` text,\n"
              b"  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\nLOCK TABLES `users` WRITE;\n")
    written, i = 0, 0
    while written < target:
        tuples = []
        for _ in range(1000):
            k = i % 1_000_000
            name = SURNAMES[k % 20] + GIVEN[(k // 20) % 20]
            tuples.append("(%d,'%s','1%d%08d','%s','北京市东城区%d号','it\\'s row %d')" % (
                i, name, 38 + k % 2, k, rid(k), k % 500, i))
            i += 1
        if a.one_statement:
            head = "INSERT INTO `users` VALUES " if written == 0 else ",\n"
            stmt = (head + ",".join(tuples)).encode()
        else:
            stmt = ("INSERT INTO `users` VALUES " + ",".join(tuples) + ";\n").encode()
        out.write(stmt)
        written += len(stmt)
    if a.one_statement:
        out.write(b";\n")
    out.write(b"UNLOCK TABLES;\n")
    out.close()
    print(f"{i} rows, {written} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
