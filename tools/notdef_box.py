"""Gives the bundled font's .notdef a one-em frame (Noto's own, as pyftsubset keeps it with
--notdef-outline), so charts-rs measures a character outside the subset — a rare hanzi, an
emoji — as one ideograph wide instead of zero. Run after tools/subset_font.sh."""
import sys

from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

path = sys.argv[1] if len(sys.argv) > 1 else "themes/default/fonts/NotoSansSC-qunce.otf"
font = TTFont(path)
charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
old = charstrings[".notdef"]
pen = T2CharStringPen(1000, None)
# An outer frame over the ideograph's ink box (50–950), an inner one reversed to cut it out.
for x0, y0, x1, y1, outer in [(50, -120, 950, 880, True), (100, -70, 900, 830, False)]:
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if not outer:
        corners = [corners[0], corners[3], corners[2], corners[1]]
    pen.moveTo(corners[0])
    for corner in corners[1:]:
        pen.lineTo(corner)
    pen.closePath()
charstrings[".notdef"] = pen.getCharString(private=old.private, globalSubrs=old.globalSubrs)
font.save(path)
