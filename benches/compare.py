#!/usr/bin/env python3
"""Side-by-side speed of tiaoshu and what one would use instead, on one file.

    python3 benches/compare.py FILE [--tiaoshu PATH] [--runs 5] [--slice-mb 10]
                               [--markdown OUT.md] [--json-out OUT.json] [--skip presidio,...]

Only speed is compared here, never output: the tools count different things
(ripgrep counts matching lines, DuckDB and Presidio check shapes, not check
digits), so their answers are not checked against tiaoshu's.

What runs, on FILE unless said otherwise:

  tiaoshu   tiaoshu scan FILE --json /dev/null, with the default thread count
            (the reference every ratio is taken against), --threads 1 and
            --threads 2 (for the two-thread speedup), and once more on SLICE
  rg        rg -c with the four identifier shapes (RG_PATTERNS), one -e each;
            as typed, and with --no-unicode
  cat, wc   sh -c 'cat FILE > /dev/null' and wc -l FILE: the I/O floor
  duckdb    python3 benches/duckdb_count.py FILE --threads 2: read_csv +
            a classify-and-count-distinct query (see that file)
  presidio  python3 benches/presidio_scan.py SLICE: Presidio's AnalyzerEngine,
            regex recognizers only, one analyze() per line (see that file)

SLICE is the first --slice-mb MB of FILE, cut after the last whole line (in a
temporary directory); Presidio is too slow for the whole file. Its ratio is
per MB: (its seconds per MB of SLICE) / (tiaoshu's seconds per MB of FILE).

Method: FILE is read once to warm the page cache. Every command then runs
once untimed under /usr/bin/time -f %M, for its peak RSS (this also warms the
binaries and Python's imports), and then --runs timed times, interleaved
round-robin (A B C ... A B C ...) so that drift hits all of them alike. Wall
time is time.perf_counter() around spawn and wait, so it includes process
start-up, and for the Python tools the interpreter and import time. Peak RSS
covers the children a command waits for (cat under sh). MB = 10^6 bytes,
MiB = 2^20 bytes.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCHES = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHES)
GNU_TIME = "/usr/bin/time"
MB = 1_000_000
MIB = 1 << 20

# The identifier shapes given to ripgrep; duckdb_count.py and presidio_scan.py
# use the same four. No word boundaries: they are not needed to find the
# values (the workload is "find lines holding an identifier"), and a user
# typing these would not add them. rg -c counts lines with at least one match.
# ripgrep runs twice: as typed (\d is Unicode-aware by default), and with
# --no-unicode (\d = [0-9], same lines here), which is much faster with this
# alternation in ripgrep 13 and is what an expert would pass.
RG_PATTERNS = {
    "P_ID": r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
    "P_MOBILE": r"1[3-9]\d{9}",
    "P_EMAIL": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "P_CARD": r"[3-6]\d{15,18}",
}

TOOLS = ["tiaoshu", "rg", "cat", "wc", "duckdb", "presidio"]


class Command:
    """One benchmarked command and its measurements."""

    def __init__(self, tool, shown, argv, on_slice=False, ok=(0,)):
        self.tool = tool
        self.shown = shown        # for the table, with FILE / SLICE placeholders
        self.argv = argv
        self.on_slice = on_slice  # input is SLICE rather than FILE
        self.ok = ok              # exit codes that are not failures
        self.runs = []            # timed runs: [{"wall_s", "user_s", "sys_s", "exit"}]
        self.rss_kib = None       # peak RSS from the untimed run under GNU time

    def _spawn(self, argv, err):
        """Run argv to completion; return (exit code, wall seconds, rusage)."""
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if p.returncode not in self.ok:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace")
            sys.exit(f"compare.py: {' '.join(self.argv)} exited with {p.returncode}\n{tail}")
        return p.returncode, wall, ru

    def measure_rss(self):
        """One untimed run under /usr/bin/time -f %M, for the peak RSS.

        Not ru_maxrss from our own wait4(): Linux carries a process's
        high-water mark across exec, so a child forked (or vforked) from this
        Python process would report at least Python's own RSS. GNU time forks
        the command from a ~2 MB process instead."""
        with tempfile.NamedTemporaryFile("r") as out, tempfile.TemporaryFile() as err:
            self._spawn([GNU_TIME, "-f", "%M", "-o", out.name] + self.argv, err)
            # "Command exited with non-zero status N" may precede the figure.
            self.rss_kib = int(out.read().split()[-1])

    def run_once(self):
        """One timed run: wall time, and CPU time of the command and its children."""
        with tempfile.TemporaryFile() as err:
            code, wall, ru = self._spawn(self.argv, err)
        self.runs.append({"wall_s": wall, "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
                          "exit": code})

    def walls(self):
        return [r["wall_s"] for r in self.runs]

    def median(self):
        return statistics.median(self.walls())

    def peak_rss_mb(self):
        return self.rss_kib * 1024 / MB


def progress(msg):
    """Round-by-round progress on stderr (overwriting itself on a terminal)."""
    if sys.stderr.isatty():
        print("\r" + " " * 40 + "\r" + (msg or ""), end="", file=sys.stderr, flush=True)
    elif msg:
        print(msg, file=sys.stderr, flush=True)


def make_slice(src, dst, limit):
    """Copy the first `limit` bytes of src to dst, cut after the last newline."""
    with open(src, "rb") as f:
        data = f.read(limit)
        more = f.read(1) != b""
    if more:
        cut = data.rfind(b"\n")
        if cut >= 0:
            data = data[:cut + 1]
    with open(dst, "wb") as f:
        f.write(data)
    return len(data)


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
        return out.splitlines()[0].strip() if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine_info():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                ram_kib = int(line.split()[1])
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu,
            "ram_gib": round(ram_kib / (1 << 20), 1),
            "kernel": platform.release(), "python": platform.python_version()}


def loadavg():
    """The 1-minute load average: other work on the machine skews every figure."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def versions(tiaoshu):
    def pkg(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"
    return {"tiaoshu": first_line([tiaoshu, "--version"]),
            "ripgrep": first_line(["rg", "--version"]),
            "duckdb": pkg("duckdb"), "presidio-analyzer": pkg("presidio-analyzer")}


def build_commands(a, file, slice_path):
    py = sys.executable
    tiaoshu_ok = (0, 2)  # 2 is the "serious" verdict, not a failure
    cmds = [Command("tiaoshu", "tiaoshu scan FILE --json /dev/null",
                    [a.tiaoshu, "scan", file, "--json", "/dev/null"], ok=tiaoshu_ok)]
    for n in (1, 2):
        cmds.append(Command("tiaoshu", f"tiaoshu scan FILE --json /dev/null --threads {n}",
                            [a.tiaoshu, "scan", file, "--json", "/dev/null", "--threads", str(n)],
                            ok=tiaoshu_ok))
    if "presidio" not in a.skip:
        cmds.append(Command("tiaoshu", "tiaoshu scan SLICE --json /dev/null",
                            [a.tiaoshu, "scan", slice_path, "--json", "/dev/null"],
                            on_slice=True, ok=tiaoshu_ok))
    if "rg" not in a.skip:
        for flags in ([], ["--no-unicode"]):
            argv, shown = ["rg", "-c"] + flags, " ".join(["rg", "-c"] + flags)
            for name, pattern in RG_PATTERNS.items():
                argv += ["-e", pattern]
                shown += f" -e {name}"
            cmds.append(Command("ripgrep", shown + " FILE", argv + [file], ok=(0, 1)))
    if "cat" not in a.skip:
        cmds.append(Command("cat", "sh -c 'cat FILE > /dev/null'",
                            ["sh", "-c", 'cat "$1" > /dev/null', "sh", file]))
    if "wc" not in a.skip:
        cmds.append(Command("wc", "wc -l FILE", ["wc", "-l", file]))
    if "duckdb" not in a.skip:
        cmds.append(Command("duckdb", "python3 benches/duckdb_count.py FILE --threads 2",
                            [py, os.path.join(BENCHES, "duckdb_count.py"), file,
                             "--threads", "2"]))
    if "presidio" not in a.skip:
        cmds.append(Command("presidio", "python3 benches/presidio_scan.py SLICE",
                            [py, os.path.join(BENCHES, "presidio_scan.py"), slice_path],
                            on_slice=True))
    return cmds


def report(a, info, cmds, size, slice_size):
    """The Markdown report: header block, table, notes."""
    ref = cmds[0]
    ref_per_byte = ref.median() / size
    rows = []
    for c in cmds:
        n = slice_size if c.on_slice else size
        med = c.median()
        if c is ref:
            ratio = "1.00"
        elif c.on_slice:  # per-MB: seconds per byte here over tiaoshu's on FILE
            ratio = f"{(med / n) / ref_per_byte:.2f} (per MB)"
        else:
            ratio = f"{med / ref.median():.2f}"
        rows.append([c.tool, f"`{c.shown}`", str(len(c.runs)), f"{min(c.walls()):.3f}",
                     f"{med:.3f}", f"{n / MB / med:.1f}", f"{c.peak_rss_mb():.1f}", ratio])

    m, v = info["machine"], info["versions"]
    out = [
        "## tiaoshu side-by-side",
        "",
        f"- date: {info['date']}",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}; 1-min load average before the "
        f"first run {info['loadavg_start']:.2f}",
        f"- versions: {v['tiaoshu']}; {v['ripgrep']}; duckdb {v['duckdb']}; "
        f"presidio-analyzer {v['presidio-analyzer']}",
        f"- FILE: `{info['file']}`, {size:,} bytes = {size / MB:.1f} MB = {size / MIB:.1f} MiB",
    ]
    if slice_size is not None:
        out.append(f"- SLICE: first {slice_size:,} bytes of FILE, cut at a line boundary "
                   f"({slice_size / MB:.1f} MB = {slice_size / MIB:.1f} MiB)")
    out += [
        f"- method: page cache warmed with one `cat FILE > /dev/null`; one untimed run of "
        f"each command under `/usr/bin/time -f %M` for peak RSS (and warm-up), then "
        f"{a.runs} timed runs per command, round-robin interleaved; wall time includes "
        f"process start-up (and Python start-up and imports for duckdb and presidio); "
        f"MB = 10^6 bytes (MB/s x 0.954 = MiB/s); ratio = median / median of the first "
        f"tiaoshu row",
        "- ripgrep patterns (no word boundaries): "
        + "; ".join(f"{k} = `{p}`" for k, p in RG_PATTERNS.items()),
        "",
        "| tool | command | runs | min s | median s | MB/s | peak RSS MB | ratio to tiaoshu (median) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in rows]

    notes = []
    by_shown = {c.shown: c for c in cmds}
    t1 = by_shown.get("tiaoshu scan FILE --json /dev/null --threads 1")
    t2 = by_shown.get("tiaoshu scan FILE --json /dev/null --threads 2")
    if t1 and t2:
        notes.append(f"tiaoshu two-thread speedup (median --threads 1 / --threads 2): "
                     f"{t1.median() / t2.median():.2f}x")
    pres = by_shown.get("python3 benches/presidio_scan.py SLICE")
    tslice = by_shown.get("tiaoshu scan SLICE --json /dev/null")
    if pres:
        line = (f"Presidio: {slice_size / MB / pres.median():.2f} MB/s on SLICE; per MB it takes "
                f"{(pres.median() / slice_size) / ref_per_byte:.0f}x tiaoshu's time on FILE")
        if tslice:
            line += f", {pres.median() / tslice.median():.0f}x tiaoshu's time on the same SLICE"
        notes.append(line)
    if notes:
        out += [""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("file", help="the input file (CSV; JSONL works for DuckDB too)")
    ap.add_argument("--tiaoshu", default=os.path.join(REPO, "target", "release", "tiaoshu"),
                    help="tiaoshu binary (default: target/release/tiaoshu in this repository)")
    ap.add_argument("--runs", type=int, default=5, help="runs per command (at least 3; default 5)")
    ap.add_argument("--slice-mb", type=float, default=10,
                    help="size of the Presidio slice in MB (default 10)")
    ap.add_argument("--skip", default="", help=f"comma-separated tools to leave out: "
                    f"{', '.join(TOOLS[1:])}")
    ap.add_argument("--markdown", metavar="FILE", help="also write the Markdown report here")
    ap.add_argument("--json-out", metavar="FILE", help="write the raw timings as JSON here")
    a = ap.parse_args()
    a.skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    if a.runs < 3:
        ap.error("--runs must be at least 3")
    if a.skip - set(TOOLS[1:]):
        ap.error(f"--skip: unknown tool(s) {', '.join(sorted(a.skip - set(TOOLS[1:])))}")
    if not (os.path.isfile(a.tiaoshu) and os.access(a.tiaoshu, os.X_OK)):
        ap.error(f"no tiaoshu binary at {a.tiaoshu} (build it, or pass --tiaoshu)")
    if not os.access(GNU_TIME, os.X_OK):
        ap.error(f"{GNU_TIME} not found (apt-get install time)")
    for tool, exe in (("rg", "rg"), ("wc", "wc"), ("cat", "cat")):
        if tool not in a.skip and not shutil.which(exe):
            ap.error(f"{exe} not found in PATH (or --skip {tool})")
    file = os.path.abspath(a.file)
    if not os.path.isfile(file):
        ap.error(f"{a.file}: not a file")
    size = os.path.getsize(file)

    load_start = loadavg()
    if load_start > 0.5:
        print(f"compare.py: warning: 1-min load average {load_start:.2f} -- if something "
              "else is running, the figures will be skewed", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tiaoshu-compare-") as tmp:
        slice_path, slice_size = None, None
        if "presidio" not in a.skip:
            slice_path = os.path.join(tmp, "slice" + os.path.splitext(file)[1])
            slice_size = make_slice(file, slice_path, int(a.slice_mb * MB))
        cmds = build_commands(a, file, slice_path)

        # Warm the page cache; one untimed run each for peak RSS; then the
        # timed runs, round-robin.
        subprocess.run(["sh", "-c", 'cat "$1" > /dev/null', "sh", file], check=True)
        for r in range(a.runs + 1):
            progress(f"{'RSS run' if r == 0 else f'run {r}/{a.runs}'}")
            for c in cmds:
                c.measure_rss() if r == 0 else c.run_once()
        progress(None)

    info = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "machine": machine_info(), "versions": versions(a.tiaoshu),
            "file": file, "size_bytes": size, "slice_bytes": slice_size, "runs": a.runs,
            "loadavg_start": load_start, "loadavg_end": loadavg()}
    md = report(a, info, cmds, size, slice_size)
    print(md, end="")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(md)
    if a.json_out:
        info["commands"] = [
            {"tool": c.tool, "command": c.shown, "argv": c.argv,
             "input": "slice" if c.on_slice else "file",
             "min_s": min(c.walls()), "median_s": c.median(), "peak_rss_kib": c.rss_kib,
             "runs": c.runs}
            for c in cmds]
        with open(a.json_out, "w") as f:
            json.dump(info, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
