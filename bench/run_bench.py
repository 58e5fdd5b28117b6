#!/usr/bin/env python3
"""Runs facewarp's benchmark and writes bench/results.json and bench/results.md.

Called by scripts/bench after the build, with a display (Xvfb) already set up. End to end:
facewarp headless on the reference clips (CPU and GL backends), paced ("live") runs for the
capture-to-output latency, ffmpeg's own decode of each clip to y4m (the floor for any
decode-and-write tool), the Google Benchmark microbenchmarks (facewarp_bench), and the
tracker's landmark quality and cost with each detector (tracking_report.py).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_report import write_reports
from http_bench import http_table, live_with_control, serve_rate
from tracking_report import tracking_part, tracking_table

ASSETS = "assets"
CLIPS = [
    # key, label, path (relative to the source tree, or None for the generated clip), faces
    ("group3_720p", "group3_pan_1280x720.mp4 (720p, 3 faces)", "assets/group3_pan_1280x720.mp4", 3),
    ("one_face_720p", "one_face_720p.mp4 (720p, 1 face)", None, 1),
    ("astronaut_512", "astronaut_zoom_pan_rotate_512.mp4 (512x512, 1 face)",
     "assets/astronaut_zoom_pan_rotate_512.mp4", 1),
]
ONE_FACE_FILTER = "scale=-2:720,pad=1280:720:(ow-iw)/2:0,format=yuv420p"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run_measured(cmd, env=None, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (returncode, wall_s, cpu_s, max_rss_mb, stderr text) of that process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, wall, cpu, usage.ru_maxrss / 1024.0, stderr


def make_one_face_clip(src_dir, tmp):
    path = os.path.join(tmp, "one_face_720p.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i",
                    os.path.join(src_dir, ASSETS, "astronaut.png"), "-vf", ONE_FACE_FILTER,
                    "-frames:v", "150", "-r", "30", path], check=True)
    return path


def facewarp_run(args, clip, backend, tmp, live):
    """One facewarp run; returns its stats with peak RSS and process CPU added, or None."""
    stats_path = os.path.join(tmp, "stats.json")
    out_path = os.path.join(tmp, "out.y4m")
    cmd = [args.facewarp, "--headless", "--input", clip, "--output", out_path,
           "--backend", backend, "--stats", stats_path]
    if live:
        cmd += ["--realtime", "--frames", str(args.live_frames)]
    for p in (stats_path, out_path):
        if os.path.exists(p):
            os.remove(p)
    rc, wall, cpu, rss, stderr = run_measured(cmd)
    if os.path.exists(out_path):
        os.remove(out_path)
    if rc != 0 or not os.path.exists(stats_path):
        log(f"{' '.join(cmd)} failed ({rc}): {stderr.strip().splitlines()[-1:]}")
        return None
    with open(stats_path) as f:
        stats = json.load(f)
    stats["peak_rss_mb"] = rss
    stats["process_wall_s"] = wall
    stats["process_cpu_s"] = cpu
    return stats


def gl_renderer(args, clip, tmp):
    """The GL renderer facewarp's GL backend gets (its debug log names it)."""
    out_path = os.path.join(tmp, "renderer.y4m")
    _, _, _, _, stderr = run_measured(
        [args.facewarp, "--headless", "--input", clip, "--output", out_path, "--backend", "gl",
         "--frames", "1", "--log-level", "debug"])
    if os.path.exists(out_path):
        os.remove(out_path)
    for line in stderr.splitlines():
        if "OpenGL context:" in line:
            return line.split("OpenGL context:", 1)[1].strip()
    return None


def median_run(runs):
    runs = [r for r in runs if r is not None]
    if not runs:
        return None
    runs.sort(key=lambda r: r["fps"])
    best = dict(runs[len(runs) // 2])
    best["fps_all"] = [round(r["fps"], 1) for r in runs]
    return best


def ffmpeg_decode(clip, repeats):
    """ffmpeg decoding the clip to y4m on /dev/null: wall and CPU, median of repeats."""
    frames = int(subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=nb_read_frames", "-of", "csv=p=0", clip],
        capture_output=True, text=True, check=True).stdout.strip())
    walls, cpus = [], []
    for _ in range(repeats):
        rc, wall, cpu, _, _ = run_measured(
            ["ffmpeg", "-v", "error", "-i", clip, "-f", "yuv4mpegpipe", "-y", "/dev/null"])
        if rc == 0:
            walls.append(wall)
            cpus.append(cpu)
    if not walls:
        return None
    wall = statistics.median(walls)
    return {"frames": frames, "wall_s": wall, "fps": frames / wall,
            "cpu_ms_per_frame": 1000.0 * statistics.median(cpus) / frames}


def microbenchmarks(args, tmp):
    out = os.path.join(tmp, "micro.json")
    cmd = [args.bench_binary, f"--benchmark_min_time={args.micro_min_time}",
           "--benchmark_out_format=json", f"--benchmark_out={out}"]
    rc, _, _, _, stderr = run_measured(cmd)
    if rc != 0 or not os.path.exists(out):
        log(f"facewarp_bench failed ({rc}): {stderr.strip()[-400:]}")
        return {}
    with open(out) as f:
        doc = json.load(f)
    results = {}
    for b in doc.get("benchmarks", []):
        name = b["name"].replace("/process_time", "").replace("/real_time", "")
        entry = {"ms": b.get("real_time"), "cpu_ms": b.get("cpu_time"),
                 "process_cpu": "/process_time" in b["name"]}
        if b.get("error_occurred"):
            entry = {"skipped": b.get("error_message", "skipped")}
        for k in ("faces", "ops"):
            if k in b:
                entry[k] = b[k]
        results[name] = entry
    return results


def machine():
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {"cpu_model": model, "cpus": os.cpu_count(), "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d"),
            "load_average_at_start": round(os.getloadavg()[0], 2)}


def http_part(args, tmp, live_clip=None):
    if live_clip is None:
        live_clip = make_one_face_clip(args.source_dir, tmp)
    image = os.path.join(args.source_dir, ASSETS, "astronaut.png")
    results = {"serve": []}
    for workers in (1, 2):
        log(f"facewarp serve, {workers} worker(s)")
        results["serve"].append(serve_rate(args.facewarp, image, workers))
    log("live run with and without the control API polled 50/s")
    results["live_control"] = live_with_control(args.facewarp, live_clip, tmp, args.live_frames)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--live-frames", type=int, default=150)
    ap.add_argument("--micro-min-time", default="0.2")
    ap.add_argument("--only", choices=["http", "tracking"],
                    help="run one part only (http: serve requests/s, live run with --control;"
                         " tracking: landmark quality and tracker cost, HOG against BlazeFace)")
    args = ap.parse_args()
    args.facewarp = os.path.join(args.build_dir, "facewarp")
    args.bench_binary = os.path.join(args.build_dir, "bench", "facewarp_bench")

    tmp = tempfile.mkdtemp(prefix="facewarp-bench-")
    if args.only == "http":
        try:
            markdown = http_table(http_part(args, tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(markdown)
        return
    if args.only == "tracking":
        try:
            markdown = tracking_table(tracking_part(args.source_dir, args.build_dir, tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(markdown)
        return
    try:
        clips = {}
        for key, label, rel, faces in CLIPS:
            path = os.path.join(args.source_dir, rel) if rel else make_one_face_clip(
                args.source_dir, tmp)
            clips[key] = {"label": label, "path": path, "faces": faces}

        results = {"machine": machine(), "throughput": {}, "live": {}, "ffmpeg_decode": {},
                   "gl_renderer": gl_renderer(args, clips["astronaut_512"]["path"], tmp),
                   "live_mode": "facewarp --realtime"}
        for key, clip in clips.items():
            log(f"ffmpeg decode {key}")
            results["ffmpeg_decode"][key] = ffmpeg_decode(clip["path"], args.repeats)
            for backend in ("cpu", "gl"):
                log(f"facewarp {key} {backend} x{args.repeats}")
                runs = [facewarp_run(args, clip["path"], backend, tmp, live=False)
                        for _ in range(args.repeats)]
                results["throughput"][f"{key}/{backend}"] = median_run(runs)
        for key in ("one_face_720p", "group3_720p"):
            for backend in ("cpu", "gl"):
                log(f"facewarp live {key} {backend}")
                results["live"][f"{key}/{backend}"] = facewarp_run(
                    args, clips[key]["path"], backend, tmp, live=True)
        log("microbenchmarks")
        results["micro"] = microbenchmarks(args, tmp)
        results["http"] = http_part(args, tmp, clips["one_face_720p"]["path"])
        results["tracking"] = tracking_part(args.source_dir, args.build_dir, tmp)
        results["clips"] = {k: {"label": c["label"], "faces": c["faces"]} for k, c in clips.items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    markdown = write_reports(results) + "\n" + tracking_table(results["tracking"])
    with open(os.path.join(args.out_dir, "results.md"), "w") as f:
        f.write(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
