#!/usr/bin/env bash
# Regenerates themes/default/fonts/NotoSansSC-qunce.otf: Noto Sans CJK SC (Debian fonts-noto-cjk)
# subset to ASCII, common punctuation and the GB2312 level-1 hanzi, for chart text measurement.
set -euo pipefail
pip install -q fonttools
python3 - > /tmp/qunce-chars.txt <<'PY'
chars = set(chr(c) for c in range(0x20, 0x7f))
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars |= set("，。、；：？！“”‘’（）《》「」『』【】—…·％×÷±≤≥→↑↓★●▲✔✖￥")
print("".join(sorted(chars)), end="")
PY
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file=/tmp/qunce-chars.txt --layout-features='' --no-hinting --desubroutinize \
  --output-file="$(dirname "$0")/../themes/default/fonts/NotoSansSC-qunce.otf"
python3 "$(dirname "$0")/notdef_box.py" "$(dirname "$0")/../themes/default/fonts/NotoSansSC-qunce.otf"
