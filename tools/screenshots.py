#!/usr/bin/env python3
"""Screenshots of the first screen of the example's campaign reports, as a reader sees them:
390x844 (a phone) and 1280x900 (a laptop), with the CJK font every reader's phone has.

    cargo run --release -- build --out /tmp/site
    python3 tools/screenshots.py /tmp/site docs/screenshots

Headless Chromium keeps its window wider than a phone, so each page is shown in an iframe of
the exact size and the shot is cropped to it (Pillow). Needs Debian's `chromium` and
`fonts-noto-cjk`.
"""
import pathlib
import subprocess
import sys
import tempfile

from PIL import Image

CAMPAIGNS = ["nuanbake-summer-2025", "runclub-21day-2026"]
SIZES = [(390, 844), (1280, 900)]


def shoot(page: pathlib.Path, width: int, height: int, out: pathlib.Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        frame = pathlib.Path(tmp) / "frame.html"
        frame.write_text(
            '<!doctype html><meta charset="utf-8"><style>body{margin:0}</style>'
            f'<iframe src="{page.as_uri()}" width="{width}" height="{height}" '
            'style="border:0;display:block"></iframe>'
        )
        raw = pathlib.Path(tmp) / "raw.png"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={max(width, 500)},{height}", "--virtual-time-budget=3000",
             f"--screenshot={raw}", frame.as_uri()],
            check=True, capture_output=True,
        )
        Image.open(raw).crop((0, 0, width, height)).save(out, optimize=True)


def main() -> None:
    site, out = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for campaign in CAMPAIGNS:
        page = site / "campaigns" / campaign / "index.html"
        for width, height in SIZES:
            shoot(page, width, height, out / f"{campaign}-{width}.png")
            print(f"{campaign}-{width}.png")


if __name__ == "__main__":
    main()
