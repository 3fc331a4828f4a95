"""Downloader figures, against the emulator's generated 1 GiB file on loopback.

- ``download_throughput_ratio``: our Downloader's throughput divided by curl's (``curl -s -o``)
  on the same file in the same run, rounds alternating, best of 4 each. Both are timed without
  process start-up: curl by its own ``%{time_total}``, ours around ``download()`` in a child.
- ``download_peak_rss_mb``: the peak RSS (VmHWM) of that child process, which imports only the
  downloader and downloads the file (the emulator runs in this process, not in the child).
- ``resume_retransfer_mib``: a download dropped by the server at 60 % is resumed; what the
  emulator sent in all, minus the file's size, in MiB. The worse of two cases: resumed within
  the same ``download()`` call, and resumed by a later call (file named by the server, so the
  later call must learn the name first).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..core.download import Downloader, DownloadItem
from ..core.http import make_session
from ..emulator.http import ensure_generated_file
from .common import BenchContext, figure

SIZE = 1 << 30
ROUNDS = 4
MIB = 1 << 20

CHILD = """
import json, sys, time
from scene_finder.core.download import DownloadItem, Downloader
from scene_finder.core.http import make_session

url, folder, name = sys.argv[1:4]
downloader = Downloader(make_session(), folder)
started = time.perf_counter()
[result] = downloader.download([DownloadItem(url, filename=name)])
seconds = time.perf_counter() - started
hwm_kb = 0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            hwm_kb = int(line.split()[1])
print(json.dumps({"status": result.status, "seconds": seconds, "size": result.path.stat().st_size,
                  "peak_rss_mb": hwm_kb / 1024}))
"""


def _curl_seconds(url: str, target: Path) -> float:
    output = subprocess.run(
        ["curl", "-s", "-f", "-o", str(target), "-w", "%{time_total}", url],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout
    if target.stat().st_size != SIZE:
        raise RuntimeError(f"curl downloaded {target.stat().st_size} bytes, not {SIZE}")
    return float(output.strip())


def _ours(ctx: BenchContext, url: str, folder: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of our downloader in a child process."""
    run = ctx.run_python(CHILD, url, str(folder), "ours.bin")
    if run.returncode != 0:
        raise RuntimeError(f"download child failed: {run.stderr.strip()[-2000:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    if report["status"] != "done" or report["size"] != SIZE:
        raise RuntimeError(f"download child did not download the file: {report}")
    # The child's own VmHWM is exact; the parent's sampling is the fallback off Linux.
    return report["seconds"], report["peak_rss_mb"] or run.peak_rss_mb


def throughput_and_rss(ctx: BenchContext) -> tuple[float, float]:
    url = ctx.emulator.generated_file_url(SIZE)
    folder = ctx.scratch_dir("throughput")
    _curl_seconds(url, folder / "warm-up.bin")  # fills the page cache with the served file
    (folder / "warm-up.bin").unlink()
    curl_times, our_times, peaks = [], [], []
    for _ in range(ROUNDS):
        curl_times.append(_curl_seconds(url, folder / "curl.bin"))
        (folder / "curl.bin").unlink()
        seconds, peak = _ours(ctx, url, folder)
        our_times.append(seconds)
        peaks.append(peak)
        (folder / "ours.bin").unlink()
    print(f"   curl {sorted(curl_times)} s, ours {sorted(our_times)} s", file=sys.stderr)
    return min(curl_times) / min(our_times), max(peaks)


def _retransferred(emulator, size: int) -> float:
    sent = sum(entry.bytes_sent for entry in emulator.log.entries("files"))
    return (sent - size) / MIB


def resume_retransfer(ctx: BenchContext) -> float:
    emulator = ctx.emulator
    url = emulator.generated_file_url(SIZE)
    session = make_session()
    worst = 0.0
    for case in ("same call", "later call"):
        folder = ctx.scratch_dir("resume-" + case.replace(" ", "-"))
        emulator.reset()
        emulator.faults.add("files", "*", "drop_at", byte=int(0.6 * SIZE))
        if case == "same call":
            [result] = Downloader(session, folder, retry_backoff=0.1).download([DownloadItem(url)])
        else:
            [failed] = Downloader(session, folder, max_attempts=1).download([DownloadItem(url)])
            if failed.status != "failed":
                raise RuntimeError("the dropped download did not stop")
            [result] = Downloader(session, folder).download([DownloadItem(url)])
        if result.status != "done" or result.path.stat().st_size != SIZE:
            raise RuntimeError(f"resumed download ({case}) did not complete: {result.error}")
        retransferred = _retransferred(emulator, SIZE)
        print(f"   resume ({case}): {retransferred:.3f} MiB sent twice, {emulator.log.count('files')} requests",
              file=sys.stderr)
        worst = max(worst, retransferred)
        shutil.rmtree(folder)
    emulator.reset()
    return worst


def run(ctx: BenchContext) -> dict:
    ensure_generated_file(Path(ctx.emulator.config.cache_dir) / "generated" / f"{SIZE}.bin", SIZE)
    ratio, peak_rss = throughput_and_rss(ctx)
    retransfer = resume_retransfer(ctx)
    return {
        "download_throughput_ratio": figure(round(ratio, 3), "x curl throughput", ">= 0.9"),
        "download_peak_rss_mb": figure(round(peak_rss, 1), "MiB", "< 100"),
        "resume_retransfer_mib": figure(round(retransfer, 3), "MiB", "<= 1"),
    }
