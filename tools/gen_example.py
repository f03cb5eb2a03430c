#!/usr/bin/env python3
"""Writes the example site's CSV exports under data/, deterministically.

Daily rows come from a small seeded member-level simulation, so columns agree with each other:
members reconcile with joined − left, uniques never exceed members, speakers never exceed active
members. Ledgers and progress files are explicit tables. Run from the repository root:

    python3 tools/gen_example.py
"""
import csv
import datetime as dt
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def simulate(seed, start, end, members0, join_rate, leave_rate, active_p, speak_p, boost=None, lurkers=0.4):
    """Yields one dict per day with canonical values. A share of members are lurkers who are
    almost never active, so 30-day uniques stay well below the member count."""
    rng = random.Random(seed)
    lurker = lambda m: random.Random(seed * 100003 + m).random() < lurkers
    members = {i: start - dt.timedelta(days=rng.randint(1, 90)) for i in range(members0)}
    last_active = {}
    next_id = members0
    for day_index, d in enumerate(days(start, end)):
        b = boost(day_index) if boost else 1.0
        joined = sum(1 for _ in range(3) if rng.random() < join_rate * b)
        left_ids = [m for m in list(members) if rng.random() < leave_rate]
        for m in left_ids:
            del members[m]
        for _ in range(joined):
            members[next_id] = d
            next_id += 1
        active = [m for m in members if rng.random() < min(0.95, active_p * b * (0.01 if lurker(m) else 1.0))]
        speakers = [m for m in active if rng.random() < speak_p]
        for m in active:
            last_active[m] = d
        active30 = sum(1 for m in members if m in last_active and (d - last_active[m]).days < 30)
        active7 = sum(1 for m in members if m in last_active and (d - last_active[m]).days < 7)
        messages = sum(rng.randint(1, 6) for _ in speakers)
        checkins = sum(1 for m in active if rng.random() < 0.7)
        aware = len(members) // 2 + rng.randint(0, 20)
        interest = int(aware * rng.uniform(0.4, 0.6))
        decision = int(interest * rng.uniform(0.5, 0.7))
        action = int(decision * rng.uniform(0.7, 0.9))
        orders = action + rng.randint(0, 3)
        aov = rng.uniform(80, 130)
        paid = round(orders * aov, 2)
        refunds = round(paid * rng.choice([0, 0, 0, 0.05]), 2)
        yield {
            "date": d,
            "members": len(members),
            "joined": joined,
            "left": len(left_ids),
            "active_members": len(active),
            "speakers": len(speakers),
            "messages": messages,
            "checkins": checkins,
            "active_members_7d": active7,
            "active_members_30d": active30,
            "posts": rng.randint(3, 9),
            "quality_posts": rng.randint(0, 3),
            "funnel_awareness": aware,
            "funnel_interest": interest,
            "funnel_decision": decision,
            "funnel_action": action,
            "orders": orders,
            "buyers": action,
            "gmv": round(paid * 1.08, 2),
            "paid_revenue": paid,
            "refunds": refunds,
            "attributed_revenue": round(paid * 0.9, 2),
            "sentiment_pos": rng.randint(3, 10),
            "sentiment_neg": rng.randint(0, 3),
            "ops_hours": round(rng.uniform(1.5, 3.0), 1),
        }


def write(path, header, rows, bom=False):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def money(x):
    return f"{x:.2f}"


# --- Campaign 1: nuanbake-spring-2025 (met its goals), canonical English headers -------------
spring = list(simulate(11, dt.date(2025, 3, 3), dt.date(2025, 4, 27), 100, 0.35, 0.0012, 0.55, 0.55, lurkers=0.3))
cols = ["date", "members", "joined", "left", "active_members", "speakers", "messages", "checkins",
        "active_members_7d", "active_members_30d", "posts", "quality_posts", "funnel_awareness",
        "funnel_interest", "funnel_decision", "funnel_action", "orders", "buyers", "gmv",
        "paid_revenue", "refunds", "attributed_revenue", "sentiment_pos", "sentiment_neg", "ops_hours"]
write("data/nuanbake-spring-2025/daily.csv", cols,
      [[r["date"].isoformat() if c == "date" else (money(r[c]) if isinstance(r[c], float) and c not in ("ops_hours",) else r[c]) for c in cols] for r in spring])
write("data/nuanbake-spring-2025/ledger.csv",
      ["date", "entry_id", "category", "work_package", "amount", "status", "description", "vendor"],
      [
          ["2025-03-03", "SP-001", "ops_tech", "wp_scrm", "2000.00", "paid", "SCRM工具3月订阅", "某SCRM服务商"],
          ["2025-03-05", "SP-002", "promotion", "wp_creative", "3600.00", "accrued", "春季海报与短视频", "某设计工作室"],
          ["2025-03-10", "SP-003", "ops_tech", "wp_h5", "3500.00", "accrued", "打卡H5页面", "某外包团队"],
          ["2025-03-12", "SP-004", "incentives", "wp_checkin_prizes", "3000.00", "paid", "打卡奖品首批", "某礼品供应商"],
          ["2025-03-17", "SP-005", "promotion", "wp_kol", "4000.00", "paid", "KOC首轮合作", "某KOL撮合机构"],
          ["2025-03-22", "SP-006", "incentives", "wp_salon_gifts", "2300.00", "accrued", "沙龙①伴手礼", "某礼品供应商"],
          ["2025-03-25", "SP-007", "incentives", "wp_checkin_prizes", "-150.00", "accrued", "奖品退货冲抵", "某礼品供应商"],
          ["2025-04-01", "SP-008", "ops_tech", "wp_scrm", "2000.00", "paid", "SCRM工具4月订阅", "某SCRM服务商"],
          ["2025-04-02", "SP-009", "promotion", "wp_ads", "3500.00", "paid", "信息流投放", "某广告平台"],
          ["2025-04-07", "SP-010", "promotion", "wp_kol", "3800.00", "paid", "KOC第二轮", "某KOL撮合机构"],
          ["2025-04-12", "SP-011", "incentives", "wp_salon_gifts", "2500.00", "accrued", "沙龙②伴手礼", "某礼品供应商"],
          ["2025-04-15", "SP-012", "reserve", "", "600.00", "accrued", "物料加急费", "某印刷厂"],
          ["2025-04-20", "SP-013", "incentives", "wp_checkin_prizes", "3600.00", "paid", "打卡奖品次批", "某礼品供应商"],
      ])
wp_spring = ["wp_creative", "wp_kol", "wp_ads", "wp_scrm", "wp_h5", "wp_checkin_prizes", "wp_salon_gifts"]
rows = []
for week, d in enumerate(days(dt.date(2025, 3, 9), dt.date(2025, 4, 27))):
    if d.weekday() != 6:
        continue
for i, d in enumerate([dt.date(2025, 3, 9) + dt.timedelta(days=7 * k) for k in range(8)]):
    frac = (i + 1) / 8
    for wp in wp_spring:
        pct = min(100, round(100 * frac * (1.3 if wp in ("wp_creative", "wp_h5") else 1.0)))
        rows.append([d.isoformat(), wp, pct])
write("data/nuanbake-spring-2025/progress.csv", ["as_of", "work_package", "percent_complete"], rows)

# --- Campaign 2: nuanbake-summer-2025 (missed some, overspent promotion), Chinese SCRM headers --
summer = list(simulate(25, dt.date(2025, 7, 7), dt.date(2025, 8, 31), 150, 0.40, 0.0030, 0.45, 0.45, lurkers=0.6))
zh = [("日期", "date"), ("群名称", None), ("群成员数", "members"), ("入群人数", "joined"), ("退群人数", "left"),
      ("活跃人数", "active_members"), ("发言人数", "speakers"), ("发言数", "messages"), ("签到人数", "checkins"),
      ("近30日活跃人数", "active_members_30d"), ("内容数", "posts"), ("精华数", "quality_posts"),
      ("曝光人数", "funnel_awareness"), ("点击人数", "funnel_interest"), ("加购人数", "funnel_decision"),
      ("支付人数", "funnel_action"), ("订单数", "orders"), ("实付金额(元)", "paid_revenue"), ("退款金额(元)", "refunds"),
      ("社群归因销售额(元)", "attributed_revenue"), ("正面声量", "sentiment_pos"), ("负面声量", "sentiment_neg"), ("群主", None)]
def zh_cell(r, key, header):
    if key is None:
        return "研习社1群" if header == "群名称" else "小焙"
    v = r[key]
    if key == "date":
        return f"{v.year}/{v.month}/{v.day}"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return v
write("data/exports/群统计_2025-07.csv", [h for h, _ in zh], [[zh_cell(r, k, h) for h, k in zh] for r in summer if r["date"].month == 7], bom=True)
write("data/exports/群统计_2025-08.csv", [h for h, _ in zh], [[zh_cell(r, k, h) for h, k in zh] for r in summer if r["date"].month == 8], bom=True)
write("data/nuanbake-summer-2025/ledger.csv",
      ["日期", "单号", "费用类别", "项目编号", "金额", "状态", "摘要", "供应商"],
      [
          ["2025-07-07", "FY-002", "工具订阅", "wp_scrm", "2,000.00", "已付款", "SCRM工具7月订阅", "某SCRM服务商"],
          ["2025-07-08", "FY-001", "内容外包", "wp_creative", "¥3,800.00", "已发生", "海报+短视频首批", "某设计工作室"],
          ["2025-07-09", "FY-003", "ops_tech", "wp_h5", "2,800.00", "已发生", "活动H5页面开发", "某外包团队"],
          ["2025-07-10", "FY-004", "ops_tech", "wp_dashboard", "2,100.00", "已发生", "数据看板与埋点", "某外包团队"],
          ["2025-07-12", "FY-005", "奖品", "wp_checkin_prizes", "3,200.00", "已付款", "打卡奖品首批", "某礼品供应商"],
          ["2025-07-15", "FY-007", "KOL合作费", "wp_kol", "6,500.00", "已付款", "3位KOC首轮合作", "某KOL撮合机构"],
          ["2025-07-19", "FY-008", "奖品", "wp_salon_gifts", "1,800.00", "已发生", "沙龙①伴手礼", "某礼品供应商"],
          ["2025-07-20", "FY-012", "备用金", "", "800.00", "已发生", "物料加急费", "某印刷厂"],
          ["2025-07-24", "FY-013", "广告投放", "wp_ads", "4,200.00", "已付款", "信息流投放第一期", "某广告平台"],
          ["2025-07-28", "FY-014", "返现", "wp_cashback", "900.00", "已付款", "连续签到返现", ""],
          ["2025-08-01", "FY-020", "KOL合作费", "wp_kol", "5,000.00", "已签约", "第二轮合作", "某KOL撮合机构"],
          ["2025-08-02", "FY-015", "奖品", "wp_salon_gifts", "1,900.00", "已发生", "沙龙②伴手礼", "某礼品供应商"],
          ["2025-08-03", "FY-021", "奖品", "wp_checkin_prizes", "-120.00", "已发生", "奖品退货冲抵", "某礼品供应商"],
          ["2025-08-05", "FY-016", "流量采买", "wp_ads", "4,600.00", "已付款", "信息流投放第二期", "某广告平台"],
          ["2025-08-06", "FY-017", "ops_tech", "wp_outsource", "1,500.00", "已发生", "临时外包人力", "某外包团队"],
          ["2025-08-07", "FY-018", "工具订阅", "wp_scrm", "2,000.00", "已付款", "SCRM工具8月订阅", "某SCRM服务商"],
          ["2025-08-12", "FY-022", "KOL合作费", "wp_kol", "7,800.00", "已付款", "KOL尾款（超支）", "某KOL撮合机构"],
          ["2025-08-15", "FY-023", "奖品", "wp_vouchers", "3,600.00", "已发生", "积分兑换券", ""],
          ["2025-08-20", "FY-024", "返现", "wp_cashback", "1,700.00", "已付款", "连续签到返现", ""],
          ["2025-08-23", "FY-025", "奖品", "wp_salon_gifts", "1,500.00", "已发生", "沙龙③伴手礼", "某礼品供应商"],
          ["2025-08-27", "FY-026", "备用金", "", "300.00", "已发生", "用户投诉补偿", ""],
          ["2025-08-29", "FY-027", "奖品", "wp_checkin_prizes", "2,700.00", "已付款", "打卡奖品次批", "某礼品供应商"],
      ], bom=True)
wp_summer = ["wp_creative", "wp_kol", "wp_ads", "wp_scrm", "wp_dashboard", "wp_h5", "wp_outsource",
             "wp_checkin_prizes", "wp_salon_gifts", "wp_vouchers", "wp_cashback"]
rows = []
for i, d in enumerate([dt.date(2025, 7, 13) + dt.timedelta(days=7 * k) for k in range(8)]):
    frac = (i + 1) / 8
    for wp in wp_summer:
        pct = min(100.0, round(100 * frac * (0.85 if wp in ("wp_kol", "wp_ads") else 1.0), 1))
        rows.append([d.isoformat(), wp, pct])
# Milestones are marked done by a `milestone:<id>` row at 100: two of the three came in late.
rows += [["2025-07-13", "milestone:m_sop", 100], ["2025-07-13", "milestone:m_admins", 50],
         ["2025-07-20", "milestone:m_admins", 100], ["2025-08-03", "milestone:m_funnel_live", 0],
         ["2025-08-10", "milestone:m_funnel_live", 100]]
write("data/nuanbake-summer-2025/progress.csv", ["as_of", "work_package", "percent_complete"], rows)

# --- Campaign 3: runclub-21day-2026 (running), two groups, canonical headers -------------------
north = simulate(31, dt.date(2026, 11, 2), dt.date(2026, 11, 22), 80, 0.30, 0.0015, 0.60, 0.50, lurkers=0.3)
south = simulate(47, dt.date(2026, 11, 2), dt.date(2026, 11, 22), 70, 0.25, 0.0020, 0.55, 0.45, lurkers=0.3)
gcols = ["date", "group_id", "members", "joined", "left", "active_members", "speakers", "messages", "checkins", "ops_hours"]
rows = []
for a, b in zip(north, south):
    for gid, r in (("run_north", a), ("run_south", b)):
        rows.append([r["date"].isoformat(), gid] + [r[c] for c in gcols[2:]])
write("data/runclub-21day-2026/daily.csv", gcols, rows)
write("data/runclub-21day-2026/ledger.csv",
      ["date", "entry_id", "category", "work_package", "amount", "status", "description"],
      [
          ["2026-11-02", "RC-001", "ops_tech", "wp_app", "1200.00", "paid", "打卡小程序订阅"],
          ["2026-11-03", "RC-002", "incentives", "wp_medals", "2400.00", "accrued", "完赛奖牌定制"],
          ["2026-11-06", "RC-003", "promotion", "wp_posters", "1500.00", "accrued", "招募海报"],
          ["2026-11-12", "RC-004", "incentives", "wp_medals", "-200.00", "accrued", "奖牌返工退款"],
          ["2026-11-15", "RC-005", "promotion", "wp_kol", "2000.00", "committed", "跑步博主合作（已签约）"],
          ["2026-11-18", "RC-006", "reserve", "", "350.00", "accrued", "雨天备用场地"],
      ])
write("data/runclub-21day-2026/progress.csv", ["as_of", "work_package", "percent_complete"],
      [["2026-11-08", "wp_app", 40], ["2026-11-08", "wp_medals", 30], ["2026-11-08", "wp_posters", 80], ["2026-11-08", "wp_kol", 0],
       ["2026-11-15", "wp_app", 55], ["2026-11-15", "wp_medals", 50], ["2026-11-15", "wp_posters", 100], ["2026-11-15", "wp_kol", 10],
       ["2026-11-22", "wp_app", 70], ["2026-11-22", "wp_medals", 60], ["2026-11-22", "wp_posters", 100], ["2026-11-22", "wp_kol", 20]])
print("wrote data/ for the example site")
