"""Downloader figures, against the emulator's generated files, on loopback and on the shaped link.

- ``download_throughput_ratio``: our Downloader's throughput divided by curl's (``curl -s -o``)
  on the same 1 GiB file in the same run, rounds alternating, best of 4 each. Both are timed
  without process start-up: curl by its own ``%{time_total}``, ours around ``download()`` in a
  child. On loopback this mostly compares read buffers (ours 4 MiB, curl's 100 KiB).
- ``download_throughput_ratio_shaped``: the same with a 256 MiB file on the shaped link (150 ms per
  request, 200 Mbit/s for the whole emulator), best of 2 each: what a user's network shows.
- ``download_peak_rss_mb``: the peak RSS (VmHWM) of that child process, which imports only the
  downloader and downloads the file (the emulator runs in this process, not in the child).
- ``resume_retransfer_mib``: a download torn at 60 % is resumed; what the emulator sent in all
  (counted as handed to the socket, also on connections the client reset), minus the file's
  size, in MiB. The worst of: dropped by the server and resumed within the same ``download()``
  call; dropped and resumed by a later call (file named by the server, so the later call must
  learn the name first); reset (TCP RST) mid-stream; the client process killed mid-write
  (SIGKILL), resumed by a later call.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..core.download import Downloader, DownloadItem
from ..core.http import make_session
from ..emulator.http import ensure_generated_file
from .common import BenchContext, child_env, figure

SIZE = 1 << 30
ROUNDS = 4
SHAPED_SIZE = 256 << 20
SHAPED_ROUNDS = 2
SHAPE = {"latency_ms": 150, "bandwidth_mbit": 200}
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


def _curl_seconds(url: str, target: Path, size: int) -> float:
    output = subprocess.run(
        ["curl", "-s", "-f", "-o", str(target), "-w", "%{time_total}", url],
        check=True, capture_output=True, text=True, timeout=600,
    ).stdout
    if target.stat().st_size != size:
        raise RuntimeError(f"curl downloaded {target.stat().st_size} bytes, not {size}")
    return float(output.strip())


def _ours(ctx: BenchContext, url: str, folder: Path, size: int) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of our downloader in a child process."""
    run = ctx.run_python(CHILD, url, str(folder), "ours.bin")
    if run.returncode != 0:
        raise RuntimeError(f"download child failed: {run.stderr.strip()[-2000:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    if report["status"] != "done" or report["size"] != size:
        raise RuntimeError(f"download child did not download the file: {report}")
    # The child's own VmHWM is exact; the parent's sampling is the fallback off Linux.
    return report["seconds"], report["peak_rss_mb"] or run.peak_rss_mb


def throughput_and_rss(ctx: BenchContext, size: int = SIZE, rounds: int = ROUNDS,
                       label: str = "loopback") -> tuple[float, float]:
    url = ctx.emulator.generated_file_url(size)
    folder = ctx.scratch_dir("throughput")
    _curl_seconds(url, folder / "warm-up.bin", size)  # fills the page cache with the served file
    (folder / "warm-up.bin").unlink()
    curl_times, our_times, peaks = [], [], []
    for _ in range(rounds):
        curl_times.append(_curl_seconds(url, folder / "curl.bin", size))
        (folder / "curl.bin").unlink()
        seconds, peak = _ours(ctx, url, folder, size)
        our_times.append(seconds)
        peaks.append(peak)
        (folder / "ours.bin").unlink()
    print(f"   {label}: curl {sorted(curl_times)} s, ours {sorted(our_times)} s", file=sys.stderr)
    return min(curl_times) / min(our_times), max(peaks)


def _retransferred(emulator, size: int) -> float:
    sent = sum(entry.bytes_sent for entry in emulator.log.entries("files", settle_seconds=10))
    return (sent - size) / MIB


def _killed_mid_write(ctx: BenchContext, url: str, folder: Path) -> None:
    """A client process killed (SIGKILL) at 60 %, while the server is writing to it."""
    emulator = ctx.emulator
    fault = emulator.faults.add("files", "*", "pause_at", byte=int(0.6 * SIZE), timeout=120)
    child = subprocess.Popen([ctx.python, "-c", CHILD, url, str(folder), "killed.bin"], env=child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not fault.reached.wait(120):
            raise RuntimeError("the download never reached 60 %")
        time.sleep(0.5)  # the client is writing what it received
    finally:
        child.kill()
        child.wait()
        fault.release()


def resume_retransfer(ctx: BenchContext) -> float:
    emulator = ctx.emulator
    url = emulator.generated_file_url(SIZE)
    session = make_session()
    worst = 0.0
    for case in ("same call", "later call", "reset mid-stream", "client killed"):
        folder = ctx.scratch_dir("resume-" + case.replace(" ", "-"))
        emulator.reset()
        if case == "client killed":
            _killed_mid_write(ctx, url, folder)
            [result] = Downloader(session, folder).download([DownloadItem(url, filename="killed.bin")])
        elif case == "later call":
            emulator.faults.add("files", "*", "drop_at", byte=int(0.6 * SIZE))
            [failed] = Downloader(session, folder, max_attempts=1).download([DownloadItem(url)])
            if failed.status != "failed":
                raise RuntimeError("the dropped download did not stop")
            [result] = Downloader(session, folder).download([DownloadItem(url)])
        else:
            kind = "reset_at" if case == "reset mid-stream" else "drop_at"
            emulator.faults.add("files", "*", kind, byte=int(0.6 * SIZE))
            [result] = Downloader(session, folder, retry_backoff=0.1).download([DownloadItem(url)])
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
    cache = Path(ctx.emulator.config.cache_dir) / "generated"
    ensure_generated_file(cache / f"{SIZE}.bin", SIZE)
    ensure_generated_file(cache / f"{SHAPED_SIZE}.bin", SHAPED_SIZE)
    ratio, peak_rss = throughput_and_rss(ctx)
    retransfer = resume_retransfer(ctx)
    ctx.emulator.set_shape(**SHAPE)
    try:
        shaped, shaped_rss = throughput_and_rss(ctx, SHAPED_SIZE, SHAPED_ROUNDS, "shaped link")
    finally:
        ctx.emulator.set_shape()
    return {
        "download_throughput_ratio": figure(round(ratio, 3), "x curl throughput (loopback)", ">= 0.9"),
        "download_throughput_ratio_shaped": figure(round(shaped, 3), "x curl throughput (shaped link)", ">= 0.95"),
        "download_peak_rss_mb": figure(round(max(peak_rss, shaped_rss), 1), "MiB", "< 100"),
        "resume_retransfer_mib": figure(round(retransfer, 3), "MiB (worst of drop, reset, killed client)", "<= 1"),
    }
