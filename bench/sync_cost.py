#!/usr/bin/env python3
"""What the journal's fdatasync costs on this disk, by how the file is grown.

Every 250 waits for one fdatasync of the spool's segment (shared by the messages of a group
commit). Appending changes the file's size, so each sync writes the inode (or commits the
filesystem journal) as well as the data; writing over a segment zeroed in advance syncs data
alone; fallocate()d blocks sit between the two (their extents are still converted on write).

    bench/sync_cost.py [DIR] [WRITES] [BYTES]     (defaults: bench/.. tmp dir, 4000, 2200)

Prints the median and 99th percentile of write+fdatasync for each way, three rounds
interleaved (the disk varies from second to second).
"""
import ctypes
import os
import sys
import tempfile
import time

SEGMENT = 32 << 20  # the journal's default segment size
FALLOC_FL_KEEP_SIZE = 1


def one(path, way, writes, size):
    flags = os.O_WRONLY | os.O_CREAT | (0 if way == "zeroed" else os.O_APPEND)
    fd = os.open(path, flags, 0o640)
    try:
        if way == "zeroed":
            for _ in range(SEGMENT // (1 << 20)):
                os.write(fd, b"\0" * (1 << 20))
            os.fsync(fd)
        elif way == "fallocated":
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.fallocate(fd, FALLOC_FL_KEEP_SIZE, ctypes.c_long(0), ctypes.c_long(SEGMENT)) != 0:
                raise OSError(ctypes.get_errno(), "fallocate")
            os.fsync(fd)
        record = b"x" * size
        took = []
        offset = 0
        for _ in range(writes):
            start = time.perf_counter()
            if way == "zeroed":
                os.pwrite(fd, record, offset)
            else:
                os.write(fd, record)
            offset += size
            os.fdatasync(fd)
            took.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        os.unlink(path)
    took.sort()
    return took[len(took) // 2] * 1e3, took[int(len(took) * 0.99)] * 1e3


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir()
    writes = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 2200
    path = os.path.join(directory, "spampot-sync-cost.%d" % os.getpid())
    print("| file grown by | round | median ms | p99 ms |")
    print("|---|---|---|---|")
    for rnd in range(1, 4):
        for way in ("appended", "fallocated", "zeroed"):
            p50, p99 = one(path, way, writes, size)
            print("| %s | %d | %.3f | %.3f |" % (way, rnd, p50, p99), flush=True)


if __name__ == "__main__":
    main()
