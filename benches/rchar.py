"""Bytes a command read, as the kernel counts them.

Usage: python3 benches/rchar.py COMMAND [ARG ...]

Prints `rchar read_bytes` from /proc/PID/io, read after the command has
exited and before it is reaped: rchar is every byte the process got from
read(2)/pread(2) (page cache or disk), read_bytes what came from the block
device. Linux only.
"""
import os
import subprocess
import sys

p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# Wait for the exit without reaping, so that /proc/PID/io still holds the totals.
os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
with open(f"/proc/{p.pid}/io") as f:
    io = dict(line.split(": ") for line in f.read().splitlines() if line)
p.wait()
print(int(io["rchar"]), int(io["read_bytes"]))
