#!/usr/bin/env python3
"""Differential test of tiaoshu's identifier detection against independent
references (issue 14 item 5).

Writes thousands of synthetic values per identifier -- valid ones,
near-misses and look-alikes of other types -- in three shapes (a headered
CSV, header-less ``----`` lines, Chinese sentences), scans each file with
tiaoshu (``--evidence --reveal``, bare phones counted), and compares every
value's outcome with what the references say:

* resident ID: python-stdnum ``stdnum.cn.ric`` (check digit, birth date,
  birth place);
* mobile: libphonenumber's metadata (``phonenumbers``: a valid CN number of
  type MOBILE or FIXED_LINE_OR_MOBILE);
* e-mail: ``email-validator`` (syntax only, no DNS);
* bank card: ``stdnum.luhn`` for the check digit, with the card schemes'
  published prefixes and lengths (the table in the README).

A value agrees when the reference's "valid" is tiaoshu's "that identifier,
valid", and the reference's "invalid" is tiaoshu's "not valid as that
identifier" (an untrue one, or none: a near-miss need not be an attempt).
Every intended disagreement, where the SPEC deliberately differs from a
reference, is in ALLOWED with its reason; those values are reported, not
counted against agreement.

Usage: differential.py TIAOSHU_BINARY WORKDIR
Prints the agreement table; exits 1 when an everyday form agrees below 100%
or the whole below 99.5%.
"""

import csv
import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import email_validator
import phonenumbers
from stdnum import luhn, numdb
from stdnum.cn import ric

SEED = 14
PER_KIND = 1200

# Where the SPEC differs from a reference on purpose: (identifier, tag) ->
# reason. A generated value carries a tag when it is of such a case.
ALLOWED = {
    ("resident_id", "retired_county"): (
        "county codes are not checked (SPEC §2.1): real IDs keep codes of counties "
        "merged or renamed since; stdnum checks them against its table"
    ),
    ("resident_id", "before_1900"): (
        "a birth date before 1900-01-01 is untrue (SPEC §1.3); stdnum accepts it"
    ),
    ("resident_id", "future"): (
        "a birth date after today is untrue; stdnum accepts any real date"
    ),
    ("email", "tld"): (
        "a top-level domain is two or more letters (as every one in the root zone); "
        "email-validator, without DNS, accepts `6com` and `n`"
    ),
    ("mobile", "landline_form"): (
        "under a phone header a fixed line is checked by the form of its area code "
        "(010, 02x + 8 digits; 0xxx + 7-8), not against libphonenumber's list of area codes"
    ),
}


def spec_difference(kind, v):
    """The ALLOWED tag of a value the SPEC judges otherwise than the
    reference, or None."""
    if kind == "resident_id" and len(v) == 18 and v[:17].isdigit():
        if v[-1].upper() != check_char(v[:17]):
            return None
        try:
            born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
        except ValueError:
            return None
        if born < dt.date(1900, 1, 1):
            return "before_1900"
        if born > dt.date.today():
            return "future"
        try:
            ric.get_birth_place(v)
        except Exception:
            return "retired_county"
    if kind == "email" and "@" in v:
        tld = v.rsplit(".", 1)[-1]
        if not (len(tld) >= 2 and tld.isalpha()):
            return "tld"
    if kind == "mobile" and v.startswith("0"):
        return "landline_form"
    return None


def check_char(body17):
    """stdnum's check character for a 17-digit body (its calc_check_digit
    takes the whole number, check character included)."""
    return ric.calc_check_digit(body17 + "0")


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.counties = self._counties()

    def _counties(self):
        """County codes stdnum knows (its cn/loc table), for valid IDs."""
        db = numdb.get("cn/loc")
        r = random.Random(1)
        out = []
        provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
                     41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
        tries = 0
        while len(out) < 400 and tries < 200000:
            tries += 1
            code = "%02d%02d%02d" % (r.choice(provinces), r.randint(1, 30), r.randint(1, 40))
            info = {k: v for _, props in db.info(code) for k, v in props.items()}
            county = info.get("county", "")
            if county and not county.startswith("["):
                out.append(code)
        return sorted(set(out))

    def date(self, lo=1935, hi=2012):
        start = dt.date(lo, 1, 1).toordinal()
        end = dt.date(hi, 12, 31).toordinal()
        return dt.date.fromordinal(self.r.randint(start, end))

    def resident_id(self):
        body = self.r.choice(self.counties) + self.date().strftime("%Y%m%d") + "%03d" % self.r.randint(0, 999)
        return body + check_char(body)

    def mobile(self):
        prefix = self.r.choice(["130", "135", "138", "139", "150", "152", "158", "170", "176",
                                "180", "186", "188", "189", "191", "199", "166", "147"])
        return prefix + "%08d" % self.r.randint(0, 99999999)

    def email(self):
        local = self.r.choice(["zhangwei", "li.na", "wang_fang", "zw88", "lei+jie", "lei=jie",
                               "chen-yu", "a", "x.y.z", "user123"]) + str(self.r.randint(0, 9999))
        domain = self.r.choice(["qq.com", "163.com", "126.com", "example.cn", "mail.example.com",
                                "sina.com.cn", "foxmail.com"])
        return local + "@" + domain

    def card(self):
        prefix, length = self.r.choice([("622202", 16), ("622848", 19), ("621700", 19),
                                        ("6217", 16), ("4", 16), ("51", 16), ("3528", 16)])
        body = prefix + "".join(self.r.choice("0123456789") for _ in range(length - len(prefix) - 1))
        return body + luhn.calc_check_digit(body)


def near_misses_of(g, kind, v):
    """Values a digit away, transposed, with a wrong check, or re-written."""
    out = []
    digits = [i for i, c in enumerate(v) if c.isdigit()]
    if digits:
        i = g.r.choice(digits)
        d = str((int(v[i]) + g.r.randint(1, 9)) % 10)
        out.append(("one_digit", v[:i] + d + v[i + 1:]))
    if len(v) > 3:
        i = g.r.randint(0, len(v) - 2)
        if v[i] != v[i + 1]:
            out.append(("transposed", v[:i] + v[i + 1] + v[i] + v[i + 2:]))
    if kind == "resident_id":
        wrong = g.r.choice([c for c in "0123456789X" if c != v[-1]])
        out.append(("wrong_check", v[:-1] + wrong))
        out.append(("impossible_date", v[:10] + "0230" + v[14:17] + check_char(v[:10] + "0230" + v[14:17])))
        if v[-1] == "X":
            out.append(("lowercase_x", v[:-1] + "x"))
    if kind == "mobile":
        out.append(("unallocated", "154" + v[3:]))
        out.append(("short", v[:-1]))
    if kind == "card":
        wrong = str((int(v[-1]) + 1) % 10)
        out.append(("wrong_check", v[:-1] + wrong))
    if kind == "email":
        out.append(("double_dot", v.replace("@", "..x@", 1)))
        out.append(("no_tld", v.rsplit(".", 1)[0]))
    return out


FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def forms_of(g, kind, v):
    """Everyday notations of one valid value (all must agree)."""
    out = [("plain", v)]
    if kind == "mobile":
        out += [("+86", "+86" + v), ("+86 spaced", "+86 %s %s %s" % (v[:3], v[3:7], v[7:])),
                ("0086-", "0086-" + v), ("dashed", "%s-%s-%s" % (v[:3], v[3:7], v[7:]))]
    if kind == "card":
        out.append(("spaced", " ".join(v[i:i + 4] for i in range(0, len(v), 4))))
    out.append(("fullwidth", v.translate(FULLWIDTH)))
    return out


def reference(kind, v):
    """The reference's verdict on v as `kind`: True valid, False not."""
    v = v.translate({ord(c): ord(c) - 0xFEE0 for c in map(chr, range(0xFF01, 0xFF5F))})
    if kind == "resident_id":
        try:
            return ric.is_valid(v)
        except KeyError:
            # stdnum 2.2 raises on a city-level code with no county entry:
            # it names no county, so the number is not valid to stdnum.
            return False
    if kind == "mobile":
        try:
            n = phonenumbers.parse(v, "CN")
        except phonenumbers.NumberParseException:
            return False
        t = phonenumbers.number_type(n)
        return (phonenumbers.is_valid_number(n) and n.country_code == 86
                and t in (phonenumbers.PhoneNumberType.MOBILE,
                          phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE))
    if kind == "email":
        try:
            email_validator.validate_email(v, check_deliverability=False)
            return True
        except email_validator.EmailNotValidError:
            return False
    if kind == "card":
        d = v.replace(" ", "").replace("-", "")
        if not d.isdigit() or not luhn.is_valid(d):
            return False
        n = len(d)
        schemes = [("62", range(16, 20)), ("81", range(16, 20)), ("4", (13, 16, 19)),
                   ("51", (16,)), ("52", (16,)), ("53", (16,)), ("54", (16,)), ("55", (16,)),
                   ("34", (15,)), ("37", (15,)), ("6011", range(16, 20)), ("65", range(16, 20))]
        if any(d.startswith(p) and n in ls for p, ls in schemes):
            return True
        p4 = int(d[:4]) if n >= 4 else 0
        return (2221 <= p4 <= 2720 and n == 16) or (3528 <= p4 <= 3589 and 16 <= n <= 19)
    raise ValueError(kind)


DETECTOR = {"resident_id": "resident_id", "mobile": "mobile", "email": "email", "card": "bank_card"}
HEADER = {"resident_id": "身份证号", "mobile": "手机号", "email": "邮箱", "card": "银行卡号"}
SENTENCES = ["客户的号码是{}，请核实。", "（{}）已登记", "备注：{}，已回访", "他说{}是对的"]


def values(g):
    """(kind, tag, everyday, value) for every generated value."""
    out = []
    make = {"resident_id": g.resident_id, "mobile": g.mobile, "email": g.email, "card": g.card}
    for kind, mk in make.items():
        seen = set()
        while len(seen) < PER_KIND // 4:
            seen.add(mk())
        for v in sorted(seen):
            assert reference(kind, v), f"the generator made an invalid {kind}: {v}"
            for tag, f in forms_of(g, kind, v):
                out.append((kind, tag, True, f))
            for tag, f in near_misses_of(g, kind, v):
                out.append((kind, tag, False, f))
    # Dates the SPEC judges where stdnum does not (allow-listed).
    for _ in range(40):
        c = g.r.choice(g.counties)
        for tag, d in [("before_1900", g.date(1850, 1899)), ("future", dt.date(2031, 5, 5))]:
            body = c + d.strftime("%Y%m%d") + "%03d" % g.r.randint(0, 999)
            out.append(("resident_id", tag, False, body + check_char(body)))
    # Look-alikes of other types: order numbers, timestamps, amounts.
    for _ in range(200):
        out.append(("none", "order_number", False, "%018d" % g.r.randint(10 ** 16, 10 ** 17)))
        out.append(("none", "timestamp", False, str(g.r.randint(1_600_000_000_000, 1_700_000_000_000))))
    return out


def write(shape, rows, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        if shape == "csv":
            w = csv.writer(f)
            w.writerow(["序号", "值"])
            for i, (_, _, _, v, _) in enumerate(rows):
                w.writerow([i + 1, v])
        elif shape == "lines":
            for i, (_, _, _, v, _) in enumerate(rows):
                f.write("记录%d----%s\n" % (i + 1, v))
        else:
            for i, (_, _, _, v, _) in enumerate(rows):
                f.write(SENTENCES[i % len(SENTENCES)].format(v) + "\n")


def scan(binary, path, evidence):
    subprocess.run([binary, "scan", str(path), "--json", str(evidence) + ".json", "--quiet",
                    "--evidence", str(evidence), "--reveal", "--policy", "bare_phone=count"],
                   check=False, stdout=subprocess.DEVNULL)
    out = {}
    with open(evidence, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ids = {}
            for part in row["identifiers"].split("; "):
                if "=" in part:
                    k, v = part.split("=", 1)
                    ids.setdefault(k, v)
            out[int(row["line"])] = (row["status"], ids)
    return out


def main():
    binary, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    g = Gen(SEED)
    base = values(g)
    results = {}  # (shape, kind, everyday) -> [agree, total]
    disagreements = []
    allowed_seen = {}
    for shape in ["csv", "lines", "sentences"]:
        for kind in ["resident_id", "mobile", "email", "card", "none"]:
            rows = [(k, t, e, v, None) for (k, t, e, v) in base if k == kind]
            if shape == "csv" and kind != "none":
                # The headered shape: the header names the identifier.
                path = work / f"{shape}_{kind}.csv"
                with open(path, "w", encoding="utf-8", newline="") as f:
                    w = csv.writer(f)
                    w.writerow(["序号", HEADER[kind]])
                    for i, (_, _, _, v, _) in enumerate(rows):
                        w.writerow([i + 1, v])
            else:
                path = work / f"{shape}_{kind}.{'csv' if shape == 'csv' else 'txt'}"
                write(shape, rows, path)
            seen = scan(binary, path, work / f"{shape}_{kind}.evidence.csv")
            first = 2 if shape == "csv" else 1
            for i, (k, tag, everyday, v, _) in enumerate(rows):
                status, ids = seen.get(i + first, (None, {}))
                if k == "none":
                    ok = not ids
                    ref = False
                    got = ",".join(sorted(ids)) or "none"
                else:
                    det = DETECTOR[k]
                    ref = reference(k, v)
                    mine = det in ids and status in ("counted", "duplicate")
                    got = (det + (" valid" if mine else " invalid")) if det in ids else (",".join(sorted(ids)) or "none")
                    ok = mine == ref
                key = (shape, k, everyday)
                r = results.setdefault(key, [0, 0])
                if not ok:
                    why = tag if (k, tag) in ALLOWED else spec_difference(k, v)
                    if (k, why) in ALLOWED:
                        allowed_seen[(k, why)] = allowed_seen.get((k, why), 0) + 1
                        continue
                r[1] += 1
                r[0] += ok
                if not ok:
                    disagreements.append((shape, k, tag, v, "valid" if ref else "invalid", got))
    total = [0, 0]
    print("| shape | identifier | forms | agree | values | % |")
    print("|---|---|---|---:|---:|---:|")
    failed = False
    for (shape, k, everyday), (a, n) in sorted(results.items()):
        total[0] += a
        total[1] += n
        pct = 100.0 * a / n if n else 100.0
        form = "everyday" if everyday else "near-miss / look-alike"
        print(f"| {shape} | {k} | {form} | {a} | {n} | {pct:.2f} |")
        if everyday and a != n:
            failed = True
    pct = 100.0 * total[0] / total[1]
    print(f"| all | | | {total[0]} | {total[1]} | {pct:.2f} |")
    for (k, tag), n in sorted(allowed_seen.items()):
        print(f"allowed: {k} {tag}: {n} values — {ALLOWED[(k, tag)]}")
    for d in disagreements[:40]:
        print("disagree: %s %s %s %r reference=%s tiaoshu=%s" % d)
    if pct < 99.5:
        failed = True
    json.dump({"results": {"|".join(map(str, k)): v for k, v in results.items()},
               "disagreements": disagreements}, open(work / "summary.json", "w"), ensure_ascii=False)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
