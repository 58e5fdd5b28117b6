"""HTTP measurements for scripts/bench: `facewarp serve` requests per second with 1 and 2
workers, and a live run's frame rate with its --control API polled 50 times a second against
the same run without it."""

import http.client
import json
import os
import re
import statistics
import subprocess
import threading
import time


def _start(cmd, env=None):
    """Starts a facewarp server; returns (process, host, port) once it announces its address."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    for raw in proc.stderr:
        m = re.search(r"http://([0-9.]+):([0-9]+)", raw.decode(errors="replace"))
        if m:
            # Keep draining stderr so the server never blocks on a full pipe.
            threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()
            return proc, m.group(1), int(m.group(2))
    proc.wait()
    raise RuntimeError(f"{' '.join(cmd)} did not start")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve_rate(facewarp, image_path, workers, seconds=6.0, warmup_s=1.0):
    """Requests/s of POST /api/v1/faces with `image_path`, 2 clients per worker (so the queue
    never runs dry), measured after a warm-up; latency p50/p95 and 503s counted."""
    with open(image_path, "rb") as f:
        body = f.read()
    proc, host, port = _start([facewarp, "serve", "127.0.0.1:0", "--workers", str(workers),
                               "--queue", str(2 * workers)])
    lock = threading.Lock()
    latencies, busy, failed = [], [0], [0]
    t_start = time.monotonic() + warmup_s
    t_end = t_start + seconds

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while True:
            t0 = time.monotonic()
            if t0 >= t_end:
                break
            conn.request("POST", "/api/v1/faces", body, {"Content-Type": "image/png"})
            resp = conn.getresponse()
            resp.read()
            t1 = time.monotonic()
            if t0 < t_start:
                continue
            with lock:
                if resp.status == 200:
                    latencies.append((t1 - t0) * 1000.0)
                elif resp.status == 503:
                    busy[0] += 1
                else:
                    failed[0] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(2 * workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _stop(proc)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0
    return {"workers": workers, "clients": 2 * workers, "seconds": seconds,
            "requests_per_s": len(latencies) / seconds, "p50_ms": pick(0.5), "p95_ms": pick(0.95),
            "busy_503": busy[0], "failed": failed[0]}


def live_with_control(facewarp, clip, tmp, frames, poll_hz=50.0):
    """The same paced live run without and with --control polled poll_hz times a second
    (GET /api/v1/stats and /api/v1/params in turn); the --stats of each."""
    results = {}
    for mode in ("without", "with"):
        stats_path = os.path.join(tmp, f"live_{mode}.json")
        out_path = os.path.join(tmp, "live.y4m")
        cmd = [facewarp, "--headless", "--realtime", "--input", clip, "--output", out_path,
               "--backend", "cpu", "--frames", str(frames), "--stats", stats_path]
        polls = [0]
        if mode == "with":
            proc, host, port = _start(cmd + ["--control", "127.0.0.1:0"])
            stop = threading.Event()

            def poller():
                conn = http.client.HTTPConnection(host, port, timeout=10)
                period = 1.0 / poll_hz
                next_t = time.monotonic()
                paths = ("/api/v1/stats", "/api/v1/params")
                while not stop.is_set():
                    try:
                        conn.request("GET", paths[polls[0] % 2])
                        conn.getresponse().read()
                        polls[0] += 1
                    except (OSError, http.client.HTTPException):
                        break
                    next_t += period
                    time.sleep(max(0.0, next_t - time.monotonic()))

            t = threading.Thread(target=poller)
            t.start()
            t0 = time.monotonic()
            proc.wait()
            wall = time.monotonic() - t0
            stop.set()
            t.join()
        else:
            t0 = time.monotonic()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall = time.monotonic() - t0
        with open(stats_path) as f:
            stats = json.load(f)
        stats["polls_per_s"] = polls[0] / wall if wall > 0 else 0.0
        results[mode] = stats
        if os.path.exists(out_path):
            os.remove(out_path)
    return results


def http_table(http):
    """Markdown for the report."""
    lines = ["### HTTP: `facewarp serve` (POST /api/v1/faces, astronaut.png 512x512)", "",
             "| workers | clients | requests/s | latency p50 ms | latency p95 ms | 503s |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in http.get("serve", []):
        lines.append(f"| {r['workers']} | {r['clients']} | {r['requests_per_s']:.1f} | "
                     f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['busy_503']} |")
    live = http.get("live_control")
    if live:
        lines += ["", "### Live run with the control API polled 50 times a second "
                      "(one_face_720p, cpu, --realtime)", "",
                  "| control API | polls/s | fps | CPU ms/frame | latency p50 ms | latency p95 ms "
                  "| frames dropped |", "|---|---:|---:|---:|---:|---:|---:|"]
        for mode in ("without", "with"):
            s = live[mode]
            lat = s.get("stages", {}).get("latency", {})
            lines.append(f"| {mode} | {s['polls_per_s']:.1f} | {s['fps']:.1f} | "
                         f"{s['cpu_ms_per_frame']:.2f} | {lat.get('p50_ms', 0):.1f} | "
                         f"{lat.get('p95_ms', 0):.1f} | {s['frames_dropped']} |")
    return "\n".join(lines) + "\n"
