"""Markdown tables from the benchmark's results (the dict run_bench.py writes as JSON)."""

STAGES = ("capture", "detect", "landmarks", "warp", "readback", "output")


def _f(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def _stage(stats, name):
    stage = (stats or {}).get("stages", {}).get(name)
    if not stage or not stage.get("count", 1) or stage["p95_ms"] == 0:
        return "-"
    return f"{stage['p50_ms']:.2f} / {stage['p95_ms']:.2f}"


def _micro(results, name):
    entry = results.get("micro", {}).get(name)
    return None if not entry or "ms" not in entry else entry["ms"]


def _fps(ms):
    return None if not ms else 1000.0 / ms


def _ratio(a, b):
    return None if not a or not b else a / b


def _core_percent(stats):
    """CPU load of a live run in percent of one core: its CPU per frame at the rate it ran
    (the run's own figures, from the first frame on: model loading is left out)."""
    if not stats or not stats.get("fps") or stats.get("cpu_ms_per_frame") is None:
        return None
    return 0.1 * stats["cpu_ms_per_frame"] * stats["fps"]


def _throughput_table(results):
    rows = ["| clip | backend | fps | CPU ms/frame | peak RSS MB | "
            + " | ".join(f"{s} p50 / p95 ms" for s in STAGES) + " | wall / ffmpeg's |",
            "|---|---|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|"]
    for key, clip in results["clips"].items():
        ffmpeg = results["ffmpeg_decode"].get(key) or {}
        for backend in ("cpu", "gl"):
            s = results["throughput"].get(f"{key}/{backend}")
            if not s:
                rows.append(f"| {clip['label']} | {backend} | failed |" + " |" * (len(STAGES) + 3))
                continue
            ratio = s.get("ffmpeg_ratio")
            rows.append(f"| {clip['label']} | {backend} | {_f(s['fps'])} | "
                        f"{_f(s['cpu_ms_per_frame'], 2)} | {_f(s['peak_rss_mb'], 0)} | "
                        + " | ".join(_stage(s, st) for st in STAGES)
                        + f" | {_f(ratio, 2)} |")
    return rows


def _live_table(results):
    rows = ["| clip | backend | latency p50 ms | latency p95 ms | CPU ms/frame | "
            "% of one core | frames dropped | detect p95 ms | warp p95 ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, s in results["live"].items():
        clip, backend = key.split("/")
        label = results["clips"][clip]["label"]
        if not s:
            rows.append(f"| {label} | {backend} | failed | | | | | | |")
            continue
        lat = s["stages"].get("latency", {})
        rows.append(f"| {label} | {backend} | {_f(lat.get('p50_ms'))} | "
                    f"{_f(lat.get('p95_ms'))} | {_f(s['cpu_ms_per_frame'], 2)} | "
                    f"{_f(_core_percent(s), 1)} | {s['frames_dropped']} | {_f(s['stages']['detect']['p95_ms'])} | "
                    f"{_f(s['stages']['warp']['p95_ms'], 2)} |")
    return rows


def _ffmpeg_table(results):
    rows = ["| clip | ffmpeg -threads 1 decode to y4m, fps | ffmpeg CPU ms/frame | "
            "facewarp cpu fps | facewarp cpu CPU ms/frame | facewarp wall / ffmpeg's | "
            "the same from the first frame on |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for key, clip in results["clips"].items():
        ff = results["ffmpeg_decode"].get(key) or {}
        fw = results["throughput"].get(f"{key}/cpu") or {}
        rows.append(f"| {clip['label']} | {_f(ff.get('fps'))} | "
                    f"{_f(ff.get('cpu_ms_per_frame'), 2)} | {_f(fw.get('fps'))} | "
                    f"{_f(fw.get('cpu_ms_per_frame'), 2)} | {_f(fw.get('ffmpeg_ratio'), 2)} | "
                    f"{_f(fw.get('ffmpeg_ratio_frames'), 2)} |")
    return rows


def _micro_table(results, cases):
    rows = ["| case | wall ms | CPU ms | per second |", "|---|---:|---:|---:|"]
    micro = results.get("micro", {})
    for name, label in cases:
        entry = micro.get(name)
        if not entry:
            continue
        if "skipped" in entry:
            rows.append(f"| {label} | {entry['skipped']} | | |")
            continue
        counters = [f"{int(entry[k])} {k}" for k in ("faces", "ops") if k in entry]
        if counters:
            label += f" ({', '.join(counters)})"
        cpu = _f(entry["cpu_ms"], 3) + (" (all threads)" if entry.get("process_cpu") else "")
        rows.append(f"| {label} | {_f(entry['ms'], 3)} | {cpu} | {_f(_fps(entry['ms']), 0)} |")
    return rows


WARP_CASES = [
    ("BM_CpuWarp_OneFace720p", "CPU warp, 720p, one face (thin + eyes)"),
    ("BM_CpuWarp_Group3_720p", "CPU warp, 720p, group3 clip frame 0"),
    ("BM_CpuWarpYuv_Group3_720p", "CPU warp on I420 planes (headless path), 720p, group3 frame 0"),
    ("BM_CpuWarp_Astronaut512", "CPU warp, 512x512, one face"),
    ("BM_CpuWarpSeedGeometry_OneFace720p", "CPU warp, 720p, seed geometry (2 cheek ops)"),
    ("BM_CpuWarpSeedGeometry_Astronaut512", "CPU warp, 512x512, seed geometry"),
    ("BM_SeedWarp_OneFace720p", "seed's sequential per-pixel warp in C++, 720p"),
    ("BM_SeedWarp_Astronaut512", "seed's sequential per-pixel warp in C++, 512x512"),
    ("BM_FrameCopy720p", "720p frame copy"),
    ("BM_GlWarp_OneFace720p", "GL warp + upload + readback, 720p, one face"),
    ("BM_GlWarp_Group3_720p", "GL warp + upload + readback, 720p, group3 clip frame 0"),
    ("BM_GlFloor_720p", "GL floor: upload + pass-through draw + readback, 720p"),
    ("BM_CpuLooks_OneFace720p", "CPU looks (age 1 + skin_smooth 1), 720p, one face"),
    ("BM_CpuLooks_FourFaces720p", "CPU looks (age 1 + skin_smooth 1), 720p, four faces (group6)"),
    ("BM_PlanLooks_FourFaces720p", "looks planning (mesh + colour samples), four faces"),
    ("BM_GlWarp_FourFaces720p", "GL warp + upload + readback, 720p, four faces (group6)"),
    ("BM_GlWarpLooks_OneFace720p", "GL warp + looks (age 1 + skin_smooth 1) + readback, 720p, one face"),
    ("BM_GlWarpLooks_FourFaces720p", "GL warp + looks + readback, 720p, four faces (group6)"),
    ("BM_GlUpload_720p", "GL upload alone, 720p"),
    ("BM_GlReadback_720p", "GL readback alone, 720p"),
]
TRACKING_CASES = [(f"BM_HogDetector_Group3/{w}", f"HOG detector alone, detect_width {w}")
                  for w in (320, 480, 640, 960, 1280)] + [
    (f"BM_Detect_Group3/{w}", f"Detect (HOG + landmarks + check per hit), detect_width {w}")
    for w in (320, 480, 640, 960, 1280)] + [
    ("BM_Landmarks_Group3", "68-point predictor, per face"),
    ("BM_AlignedScore_Group3", "aligned-score check, per face"),
    ("BM_ToGrey_720p", "grey conversion, 720p"),
]
IO_CASES = [
    ("BM_BgrToI420_720p", "BGR to I420, 720p"),
    ("BM_BgrToYuyv_720p", "BGR to YUYV, 720p"),
    ("BM_Y4mWriteFrame_720p", "y4m frame (I420 + write) to /dev/null, 720p"),
    ("BM_DecodeFrame_Group3_720p", "decode one 720p frame (capture module, wall)"),
]


def _targets(results):
    tp = results["throughput"]
    live = results["live"]
    rows = ["| target (DESIGN.md) | measured | met |", "|---|---|---|"]

    def row(text, values, ok):
        rows.append(f"| {text} | {values} | {'yes' if ok else 'no'} |")

    one = [tp.get(f"one_face_720p/{b}") or {} for b in ("cpu", "gl")]
    three = [tp.get(f"group3_720p/{b}") or {} for b in ("cpu", "gl")]
    fps = [s.get("fps") or 0 for s in one]
    row(">= 60 fps end to end, 720p, one face",
        f"cpu {_f(fps[0])}, gl {_f(fps[1])} (3 faces: cpu {_f(three[0].get('fps'))}, "
        f"gl {_f(three[1].get('fps'))})", min(fps) >= 60)
    cpu = [s.get("cpu_ms_per_frame") or 1e9 for s in one]
    row("<= 15 ms CPU per frame, 720p, one face",
        f"cpu {_f(cpu[0], 2)}, gl {_f(cpu[1], 2)} (3 faces: cpu "
        f"{_f(three[0].get('cpu_ms_per_frame'), 2)}, gl {_f(three[1].get('cpu_ms_per_frame'), 2)})",
        max(cpu) <= 15)
    warp = _fps(_micro(results, "BM_CpuWarp_OneFace720p"))
    row(">= 300 fps CPU warp stage, 720p, one face", f"{_f(warp, 0)} fps", (warp or 0) >= 300)
    ratio = _ratio(_micro(results, "BM_GlWarp_OneFace720p"), _micro(results, "BM_GlFloor_720p"))
    ratio3 = _ratio(_micro(results, "BM_GlWarp_Group3_720p"), _micro(results, "BM_GlFloor_720p"))
    row("GL warp within 1.5x of upload + draw + readback (llvmpipe)",
        f"{_f(ratio, 2)}x (group3 clip frame 0: {_f(ratio3, 2)}x)",
        ratio is not None and ratio <= 1.5)
    lat = [((live.get(f"one_face_720p/{b}") or {}).get("stages", {}).get("latency", {})
            .get("p95_ms")) for b in ("cpu", "gl")]
    row("<= 33 ms capture-to-output latency p95, live",
        f"cpu {_f(lat[0])} ms, gl {_f(lat[1])} ms",
        all(v is not None and v <= 33 for v in lat))
    g3 = tp.get("group3_720p/cpu") or {}
    g3_gl = tp.get("group3_720p/gl") or {}
    ratio = g3.get("ffmpeg_ratio")
    row("headless wall <= 2.0x ffmpeg -threads 1 decoding, 720p, 3 faces",
        f"cpu {_f(ratio, 2)}x ({_f(g3.get('ffmpeg_ratio_frames'), 2)}x without start-up), "
        f"gl {_f(g3_gl.get('ffmpeg_ratio'), 2)}x",
        ratio is not None and ratio <= 2.0)
    row("<= 6 ms CPU per frame, 720p, 3 faces",
        f"cpu {_f(g3.get('cpu_ms_per_frame'), 2)}, gl {_f(g3_gl.get('cpu_ms_per_frame'), 2)}",
        (g3.get("cpu_ms_per_frame") or 1e9) <= 6.0)
    load = _core_percent(live.get("group3_720p/cpu"))
    row("live 720p30, 3 faces, under 20% of one core",
        f"cpu {_f(load, 1)}%, gl {_f(_core_percent(live.get('group3_720p/gl')), 1)}%",
        load is not None and load < 20.0)
    rows.append("| <= 0.5 ms warp pass, 1080p, 8 faces, real GPU | not measured: no GPU machine "
                "was available | - |")
    return rows


def write_reports(results):
    m = results["machine"]
    seed = _ratio(_micro(results, "BM_SeedWarp_OneFace720p"),
                  _micro(results, "BM_CpuWarpSeedGeometry_OneFace720p"))
    seed512 = _ratio(_micro(results, "BM_SeedWarp_Astronaut512"),
                     _micro(results, "BM_CpuWarpSeedGeometry_Astronaut512"))
    gl = results.get("gl_renderer") or "no GL context"
    lines = [
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs, Linux {m['kernel']}, {m['date']}, "
        f"load average {m.get('load_average_at_start', '-')} at the start; GL: {gl}.", "",
        "### Targets", "", *_targets(results), "",
        "### End to end, headless, as fast as possible (y4m output; median of runs by fps)", "",
        *_throughput_table(results), "",
        f"### Live: input paced at its frame rate ({results['live_mode']})", "",
        *_live_table(results), "",
        "### ffmpeg's own decode to y4m, one thread (the floor for a decode-and-write tool)", "",
        *_ffmpeg_table(results), "",
        "### Warp stage", "", *_micro_table(results, WARP_CASES), "",
        f"The seed's sequential warp takes {_f(seed)}x the CPU backend's time on the same "
        f"geometry at 720p ({_f(seed512)}x at 512x512).", "",
        "### Tracking (group3 clip frame 0, 1280x720)", "", *_micro_table(results, TRACKING_CASES), "",
        "### Colour conversion and I/O", "", *_micro_table(results, IO_CASES), "",
    ]
    if results.get("http"):
        from http_bench import http_table
        lines.append(http_table(results["http"]))
    return "\n".join(lines)
