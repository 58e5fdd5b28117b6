"""Tracking quality and cost, HOG (detector=1) against BlazeFace (detector=0), for run_bench.py.

Runs build/bench/facewarp_tracking_quality (see tracking_quality.cpp for the measures, which are
those of ../shared/data/README.md) on the real footage of ../shared/data/test-only (when it is
there) and on the bundled synthetic clips, then for speed alone on two 720p inputs made here
with ffmpeg: one face (the webcam clip upscaled, or the astronaut photo when the test data is
absent) and four faces (the webcam and talking-face clips and their mirror images, 2x2), and on
the bundled 3-face 720p clip.
Every run has a time limit, so the part stays bounded (about 5-7 minutes on 2 cores).
"""

import json
import os
import subprocess
import sys

TEST_ONLY = os.path.join("..", "shared", "data", "test-only")
# key, path (relative to the source tree), frames, reference every K frames (0: none), still
QUALITY_CLIPS = [
    # The whole webcam clip (its first 300 frames are nearly still; it moves after frame 300,
    # where the recording repeats frames), and the talking face's first 50 seconds.
    ("webcam_cap12_400x300.mp4", os.path.join(TEST_ONLY, "webcam_cap12_400x300.mp4"), 1337, 5,
     False),
    ("talking_face_franck_360x288.mp4", os.path.join(TEST_ONLY, "talking_face_franck_360x288.mp4"),
     1200, 5, False),
    ("three_faces_pan_480x360.mp4", os.path.join(TEST_ONLY, "three_faces_pan_480x360.mp4"), 120, 5,
     False),
    ("astronaut_static_noise_640x480.mp4", os.path.join("assets", "astronaut_static_noise_640x480.mp4"),
     90, 3, True),
    ("astronaut_zoom_pan_rotate_512.mp4", os.path.join("assets", "astronaut_zoom_pan_rotate_512.mp4"),
     120, 5, False),
]
SPEED_FRAMES = 150
RUN_LIMIT_S = 240
# label, detector, smoothed as a file is (frames ahead) rather than as live video is
RUNS = (("HOG, live", 1, False), ("BlazeFace, live", 0, False), ("BlazeFace, file", 0, True))
DETECTORS = (("HOG", 1, False), ("BlazeFace", 0, False))

ONE_FACE_720P = "scale=960:720,pad=1280:720:160:0,fps=30,format=yuv420p"
FOUR_FACES_720P = (
    "[0:v]scale=480:360,pad=640:360:80:0,fps=30,split[a][b];[b]hflip[b2];"
    "[1:v]scale=450:360,pad=640:360:95:0,fps=30,split[c][d];[d]hflip[d2];"
    "[a][c][d2][b2]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,format=yuv420p")
ASTRONAUT_720P = "scale=-2:720,pad=1280:720:(ow-iw)/2:0,format=yuv420p"
GROUP6_720P = "scale=-2:720,pad=1280:720:(ow-iw)/2:0,format=yuv420p"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def quality(binary, clip, frames, reference_every, runs="1,0"):
    cmd = [binary, clip, "--frames", str(frames), "--detectors", runs,
           "--reference-every", str(reference_every)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        log(f"{' '.join(cmd)}: over {RUN_LIMIT_S} s, left out")
        return None
    if proc.returncode != 0:
        log(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
        return None
    return json.loads(proc.stdout)


def ffmpeg(args):
    subprocess.run(["ffmpeg", "-v", "error", "-y"] + args, check=True)


def make_720p_inputs(source_dir, tmp):
    """(key, label, path, faces, how) of the 720p speed inputs."""
    one = os.path.join(tmp, "one_face_real_720p.mp4")
    four = os.path.join(tmp, "four_faces_real_720p.mp4")
    webcam = os.path.join(source_dir, TEST_ONLY, "webcam_cap12_400x300.mp4")
    franck = os.path.join(source_dir, TEST_ONLY, "talking_face_franck_360x288.mp4")
    if os.path.exists(webcam) and os.path.exists(franck):
        ffmpeg(["-i", webcam, "-vf", ONE_FACE_720P, "-frames:v", str(SPEED_FRAMES), one])
        ffmpeg(["-i", webcam, "-i", franck, "-filter_complex", FOUR_FACES_720P,
                "-frames:v", str(SPEED_FRAMES), four])
        return [
            ("one_face_720p", one, 1, "webcam_cap12 upscaled 2.4x to 960x720, centred in 1280x720"),
            ("four_faces_720p", four, 4,
             "2x2 of 640x360 cells: webcam_cap12 (scaled to 480x360), talking_face_franck "
             "(450x360) and the mirror image of each"),
        ]
    ffmpeg(["-loop", "1", "-i", os.path.join(source_dir, "assets", "astronaut.png"), "-vf",
            ASTRONAUT_720P, "-frames:v", str(SPEED_FRAMES), "-r", "30", one])
    ffmpeg(["-loop", "1", "-i", os.path.join(source_dir, "assets", "group6.jpg"), "-vf",
            GROUP6_720P, "-frames:v", str(SPEED_FRAMES), "-r", "30", four])
    return [
        ("one_face_720p", one, 1, "assets/astronaut.png fitted to 720p (test-only clips absent)"),
        ("four_faces_720p", four, 4, "assets/group6.jpg fitted to 720p (test-only clips absent)"),
    ]


def tracking_part(source_dir, build_dir, tmp):
    binary = os.path.join(build_dir, "bench", "facewarp_tracking_quality")
    results = {"quality": [], "speed": []}
    for key, rel, frames, every, still in QUALITY_CLIPS:
        path = os.path.join(source_dir, rel)
        if not os.path.exists(path):
            log(f"tracking: {rel} absent, left out")
            continue
        log(f"tracking quality {key} ({frames} frames)")
        r = quality(binary, path, frames, every, "1,0,0f")
        if r is not None:
            r.update({"key": key, "still": still, "synthetic": rel.startswith("assets")})
            results["quality"].append(r)
    inputs = make_720p_inputs(source_dir, tmp) + [
        ("group3_720p", os.path.join(source_dir, "assets", "group3_pan_1280x720.mp4"), 3,
         "assets/group3_pan_1280x720.mp4, the 3-face reference clip of the end-to-end tables"
         " (a pan over a photo; faces leave and enter at the edges)")]
    for key, path, faces, how in inputs:
        log(f"tracking speed {key}")
        r = quality(binary, path, SPEED_FRAMES, 0)
        if r is not None:
            r.update({"key": key, "faces": faces, "how": how})
            results["speed"].append(r)
    return results


def fmt(v, digits=4):
    return "-" if v is None or v < 0 else f"{v:.{digits}f}"


def tracking_table(results):
    lines = [
        "Tracking (`facewarp_tracking_quality`, tracker alone, detection on the frames it is due,"
        " default parameters but the detector; measures of ../shared/data/README.md in outer"
        " eye-corner distances; raw = dlib's HOG at full resolution and its predictor on each"
        " frame independently; jitter only on the still clip, lag against raw on every 5th"
        " frame; lag, in frame: only raw's faces whose box lies inside the frame, since on a face cut"
        " by the frame's edge raw's landmarks squeeze the face into the picture; live: smoothed"
        " as live video is, file: as a file is, 0.1 s of frames ahead):",
        "",
        "| clip | frames | detector | coverage | faces/frame | still jitter (raw) | noise (raw) |"
        " raw / noise | lag | lag, in frame | CPU ms/frame |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results.get("quality", []):
        label = r["key"] + (" (synthetic)" if r["synthetic"] else " (real)")
        for name, det, files in RUNS:
            run = next((x for x in r["runs"]
                        if x["detector"] == det and x.get("files", False) == files), None)
            if run is None:
                continue
            jitter = (f"{fmt(run['jitter'])} ({fmt(r['raw_jitter'])})" if r["still"] else "-")
            ratio = (r["raw_noise"] / run["noise"]) if run["noise"] > 0 else None
            lines.append(
                f"| {label} | {r['frames']} | {name} | {run['coverage']:.3f} | "
                f"{run['faces_mean']:.2f} | {jitter} | {fmt(run['noise'])} ({fmt(r['raw_noise'])}) |"
                f" {'-' if ratio is None else f'{ratio:.1f}x'} | {fmt(run['lag'])} |"
                f" {fmt(run.get('lag_inside'))} | {run['cpu_ms']:.1f} |")
    lines += [
        "",
        "720p, tracker alone (detection synchronous, where and when the tracker finds it due;"
        " fps = frames / wall time on this machine; one detection = the detector and the found"
        " faces' landmarks on a first frame or photo (every small-face tile); on a followed"
        " frame = the whole frame, the tiles over the small faces followed and one more tile,"
        " no landmarks: the most a later detection runs):",
        "",
        "| input | faces | detector | faces/frame | CPU ms/frame | fps | one detection, CPU ms |"
        " on a followed frame, CPU ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results.get("speed", []):
        for name, det, files in DETECTORS:
            run = next((x for x in r["runs"]
                        if x["detector"] == det and x.get("files", False) == files), None)
            if run is None:
                continue
            fps = 1000.0 / run["wall_ms"] if run["wall_ms"] > 0 else 0.0
            lines.append(f"| {r['key']} | {r['faces']} | {name} | {run['faces_mean']:.2f} |"
                         f" {run['cpu_ms']:.1f} | {fps:.1f} | {run['detect_cpu_ms']:.1f} |"
                         f" {run.get('follow_detect_cpu_ms', -1):.1f} |")
    lines.append("")
    for r in results.get("speed", []):
        lines.append(f"- {r['key']}: {r['how']}.")
    return "\n".join(lines) + "\n"
