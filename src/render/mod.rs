//! Render: the loaded site and its computed KPIs → in-memory files. Never touches the disk
//! (except for a site's own template overrides, read through the theme loader).

pub mod chart_svg;
pub mod charts;
pub mod format;
pub mod markdown;
pub mod pages;
mod people;
pub mod plan_page;
mod report;
pub mod retro;
pub mod rollups;
pub mod theme;
mod verdict;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::compute::{CampaignKpis, summary, targets::Status};
use crate::model::catalog;
use crate::model::plan::PlaybookRef;
use crate::model::site::{CampaignData, Document, Site};
use crate::model::values::Date;
use crate::output::{Output, page_text, unescape_html};
use markdown::UrlMap;
pub(crate) use verdict::status_counts;

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Report date for every campaign (default: each campaign's last daily date).
    pub as_of: Option<Date>,
    /// A date shown in the footer (from `SOURCE_DATE_EPOCH`); never the wall clock.
    pub build_date: Option<String>,
    /// The site's theme folder, if it has one.
    pub theme_dir: Option<PathBuf>,
}

/// Renders every page of the site from its already computed KPIs (`kpis` in site order, as
/// [`crate::compute::site`] returns them).
pub fn render_computed(
    site: &Site,
    kpis: Vec<Option<CampaignKpis>>,
    opts: &RenderOptions,
) -> Result<Vec<Output>, minijinja::Error> {
    let out = std::sync::Mutex::new(Vec::new());
    render_computed_into(site, kpis, opts, &|o| {
        out.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(o);
        Ok::<_, minijinja::Error>(())
    })?;
    let mut out = out
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// [`render_computed`], handing each file to `sink` (from any thread, in no set order) as soon
/// as it is drawn instead of keeping the site: a campaign's pages are let go once handed over,
/// and only what the site-wide pages need of them (search entries, page paths) is kept.
pub fn render_computed_into<E>(
    site: &Site,
    kpis: Vec<Option<CampaignKpis>>,
    opts: &RenderOptions,
    sink: &(impl Fn(Output) -> Result<(), E> + Sync),
) -> Result<(), E>
where
    E: From<minijinja::Error> + Send,
{
    let renderer = pages::Renderer::new(site, opts);
    let previous = previous_campaigns(&site.campaigns);
    // Campaigns are independent of each other (a report reads only its predecessor's figures):
    // rendered in parallel.
    let campaigns: Vec<pages::CampaignPages> = site
        .campaigns
        .par_iter()
        .zip(&kpis)
        .zip(&previous)
        .map(|((c, k), p)| {
            let before = p.and_then(|j| Some((&site.campaigns[j], kpis[j].as_ref()?)));
            let mut pages = renderer.campaign(c, k.as_ref(), before)?;
            std::mem::take(&mut pages.outputs)
                .into_iter()
                .try_for_each(sink)?;
            Ok(pages)
        })
        .collect::<Result<_, E>>()?;
    let computed: Vec<(&CampaignData, Option<&CampaignKpis>)> = site
        .campaigns
        .iter()
        .zip(kpis.iter().map(Option::as_ref))
        .collect();
    let rendered: Vec<&pages::CampaignPages> = campaigns.iter().collect();
    renderer
        .site_pages(&computed, &rendered, &mut pages::PlaybookCache::default())?
        .into_par_iter()
        .try_for_each(sink)
}

/// One page of the search index: its URL, title and the text of its `<main>`, in the order the
/// index has always written them.
#[derive(Debug, serde::Serialize)]
pub(crate) struct SearchText {
    pub text: String,
    pub title: String,
    pub url: String,
}

/// The search entry of page `o`.
pub(crate) fn search_entry(o: &Output, site_title: &str) -> SearchText {
    use memchr::memmem;
    let bytes = &o.bytes[..];
    let suffix = format!(" · {site_title}</title>");
    let title = memmem::find(bytes, b"<title>")
        .map(|at| &bytes[at + "<title>".len()..])
        .and_then(|t| memmem::find(t, suffix.as_bytes()).map(|end| &t[..end]))
        .map_or_else(
            || o.path.clone(),
            |t| String::from_utf8_lossy(t).into_owned(),
        );
    // The first 4,000 characters of the main text, tags read as spaces, whitespace collapsed.
    // The page is read from `<main>` only until the limit: a report's charts come after its
    // verdict and tables, and their axes and labels are not text to search for anyway (they
    // are skipped whole; captions and data tables are searched).
    const LIMIT: usize = 4000;
    let mut text = String::with_capacity(LIMIT + 64);
    let mut count = 0;
    // The page is read as text once; `<` and `>` are ASCII, so every cut below falls between
    // characters.
    let page = page_text(bytes);
    let mut rest = memmem::find(page.as_bytes(), b"<main>").map_or("", |at| &page[at + 6..]);
    'page: while !rest.is_empty() {
        let lt = memchr::memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
        let segment = &rest[..lt];
        let segment = if segment.contains('&') {
            std::borrow::Cow::Owned(unescape_html(segment))
        } else {
            std::borrow::Cow::Borrowed(segment)
        };
        for word in segment.split_whitespace() {
            if count >= LIMIT {
                break 'page;
            }
            if count > 0 {
                text.push(' ');
                count += 1;
            }
            // A word that fits is copied whole; the one that reaches the limit is cut.
            let chars = word.chars().count();
            if count + chars <= LIMIT {
                text.push_str(word);
                count += chars;
                continue;
            }
            for ch in word.chars() {
                if count >= LIMIT {
                    break 'page;
                }
                text.push(ch);
                count += 1;
            }
        }
        rest = &rest[lt..];
        if rest.starts_with("</main") {
            break;
        }
        let skip = if rest.starts_with("<svg") {
            memmem::find(rest.as_bytes(), b"</svg>").map(|end| end + "</svg>".len())
        } else {
            memchr::memchr(b'>', rest.as_bytes()).map(|end| end + 1)
        };
        rest = &rest[skip.unwrap_or(rest.len())..];
    }
    SearchText {
        text,
        title: unescape_html(&title),
        url: o.path.clone(),
    }
}

/// The page template prints the title as `<h1>`; a body that opens with the same `# title`
/// would show it twice, so that first heading is dropped.
pub(crate) fn drop_leading_title(html: &str, toc: &[markdown::TocEntry], title: &str) -> String {
    match toc.first() {
        Some(h) if h.level == 1 && h.text == title && html.starts_with("<h1") => html
            .split_once("</h1>")
            .map_or(html.to_string(), |(_, rest)| rest.trim_start().to_string()),
        _ => html.to_string(),
    }
}

pub(crate) fn ui_str<'a>(ui: &'a Value, key: &'a str) -> &'a str {
    ui.get(key).and_then(Value::as_str).unwrap_or(key)
}

pub(crate) fn doc_title(d: &Document) -> String {
    d.front.title.clone().unwrap_or_else(|| d.id.clone())
}

/// Source file → output page, for rewriting links in Markdown.
pub(crate) fn url_map(site: &Site) -> UrlMap {
    let mut map = BTreeMap::new();
    for p in &site.playbooks {
        map.insert(p.path.clone(), format!("playbooks/{}/index.html", p.id));
    }
    for c in &site.campaigns {
        let id = &c.plan.campaign.id;
        map.insert(c.plan_path.clone(), format!("campaigns/{id}/index.html"));
        if let Some(r) = &c.retro {
            map.insert(r.path.clone(), format!("campaigns/{id}/retro/index.html"));
        }
        // Prose a plan names is shown on the plan page.
        for doc in c.prose.values() {
            map.insert(doc.path.clone(), format!("campaigns/{id}/plan/index.html"));
        }
    }
    for source in site.assets.keys() {
        if let Ok(under) = source.strip_prefix("content") {
            let path = under.to_string_lossy().replace('\\', "/");
            map.insert(source.clone(), format!("files/{path}"));
        }
    }
    map
}

pub(crate) fn status_icon(s: Status) -> &'static str {
    match s {
        Status::Met => "✔",
        Status::OnTrack => "●",
        Status::AtRisk => "▲",
        Status::Missed => "✖",
        Status::Unknown => "?",
    }
}

pub(crate) fn status_key(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::OnTrack => "on_track",
        Status::AtRisk => "at_risk",
        Status::Missed => "missed",
        Status::Unknown => "unknown",
    }
}

pub(crate) fn role_title(c: &CampaignData, id: &str) -> String {
    c.plan
        .team
        .roles
        .iter()
        .find(|r| r.id == id)
        .map_or(id.to_string(), |r| r.title.clone())
}

/// A budget category's name, or its id if the plan has no such category.
pub(crate) fn category_name(c: &CampaignData, id: &str) -> String {
    c.plan
        .budget
        .categories
        .iter()
        .find(|x| x.id == id)
        .map_or(id.to_string(), |x| x.name.clone())
}

/// For each campaign, the one before it in the same community (same `community.name`): the
/// latest whose period ended before this one started. Its figures stand beside this one's goals.
pub fn previous_campaigns(campaigns: &[CampaignData]) -> Vec<Option<usize>> {
    campaigns
        .iter()
        .map(|c| {
            let name = c.plan.community.name.as_deref()?;
            let start = c.plan.campaign.period.start;
            campaigns
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.plan.community.name.as_deref() == Some(name)
                        && p.plan.campaign.period.end < start
                })
                .max_by(|(_, a), (_, b)| {
                    a.plan
                        .campaign
                        .period
                        .end
                        .cmp(&b.plan.campaign.period.end)
                        .then_with(|| b.plan.campaign.id.cmp(&a.plan.campaign.id))
                })
                .map(|(j, _)| j)
        })
        .collect()
}

/// A target's name: its metric's, with the target's own window beside it when that is not the
/// campaign's period (`30日活跃率（目标窗口 7/7–8/5）`), so one label never carries two values on
/// a page that also shows the metric over the whole campaign. `i` is its place in the plan.
pub(crate) fn target_name(c: &CampaignData, i: usize, ui: &Value) -> String {
    let Some(t) = c.plan.targets.get(i) else {
        return String::new();
    };
    let name = metric_name(c, &t.metric, ui);
    let period = c.plan.campaign.period;
    if t.window.start == period.start && t.window.end == period.end {
        return name;
    }
    let day = |d: crate::model::values::Date| {
        if d.year() == period.start.year() {
            format!("{}/{}", d.month(), d.day())
        } else {
            d.to_string()
        }
    };
    format!(
        "{name}{}{} {}–{}{}",
        ui_str(ui, "paren_open"),
        ui_str(ui, "target_window"),
        day(t.window.start),
        day(t.window.end),
        ui_str(ui, "paren_close")
    )
}

pub(crate) fn metric_name(c: &CampaignData, id: &str, ui: &Value) -> String {
    let zh = ui_str(ui, "lang") == "zh";
    if let Some(name) = family_member_name(c, id, zh) {
        return name;
    }
    if let Some(m) = catalog::lookup(id) {
        return if zh { m.zh.into() } else { m.en.into() };
    }
    // A funnel step is named by its stage: 环节转化率：行动.
    if let Some(stage) = id.strip_prefix("funnel_step_rate.")
        && let Some(s) = c
            .plan
            .funnel
            .iter()
            .flat_map(|f| f.stages.iter())
            .find(|s| s.id == stage)
    {
        return format!(
            "{}{}{}",
            ui_str(ui, "step_rate"),
            if zh { "：" } else { ": " },
            s.name
        );
    }
    if let Some(m) = c.plan.custom_metrics.iter().find(|m| m.id == id) {
        return if zh {
            m.name.zh.clone()
        } else {
            m.name.en.clone()
        };
    }
    id.to_string()
}

/// The name of a member of a member-level family: `retention_membership.7` → 7日成员留存,
/// `tier_share.core` → 层级占比：核心用户 (the tier's or activity's name from the plan).
fn family_member_name(c: &CampaignData, id: &str, zh: bool) -> Option<String> {
    let (family, suffix) = id.split_once('.')?;
    let tier = || {
        c.plan
            .community
            .tiers
            .iter()
            .find(|t| t.id == suffix)
            .map_or(suffix.to_string(), |t| t.name.clone())
    };
    let activity = || {
        c.plan
            .activities
            .iter()
            .find(|a| a.id == suffix)
            .map_or(suffix.to_string(), |a| a.name.clone())
    };
    Some(match (family, zh) {
        ("retention_membership", true) => format!("{suffix}日成员留存"),
        ("retention_membership", false) => format!("{suffix}-day membership retention"),
        ("retention_activity", true) => format!("{suffix}日活跃留存"),
        ("retention_activity", false) => format!("{suffix}-day activity retention"),
        ("tier_share", true) => format!("层级占比：{}", tier()),
        ("tier_share", false) => format!("Tier share: {}", tier()),
        ("tier_conversion", true) => format!("层级转化率：{}", tier()),
        ("tier_conversion", false) => format!("Tier conversion: {}", tier()),
        ("event_attendance_rate", true) => format!("单场参与率：{}", activity()),
        ("event_attendance_rate", false) => format!("Attendance: {}", activity()),
        _ => return None,
    })
}

/// A metric id as an HTML anchor (`funnel_step_rate.x` → `funnel_step_rate-x`).
/// A risk's trigger in words and the watched value in its own unit: `月流失率 > 12.0%`, and the
/// current value like `12.9%` (never `0.129` beside a page that says 12.9%).
pub(crate) fn trigger_words(
    c: &CampaignData,
    item: &crate::model::plan::Risk,
    value: Option<f64>,
    ui: &Value,
) -> (String, String) {
    let Some(t) = &item.trigger else {
        return ("—".into(), "—".into());
    };
    let op = match t.op {
        crate::model::plan::CompareOp::Gt => ">",
        crate::model::plan::CompareOp::Ge => "≥",
        crate::model::plan::CompareOp::Lt => "<",
        crate::model::plan::CompareOp::Le => "≤",
    };
    match (&t.metric, &t.check) {
        (Some(m), _) => (
            format!(
                "{} {op} {}",
                metric_name(c, m, ui),
                format::metric_value(c, m, Some(t.value.value()))
            ),
            format::metric_value(c, m, value),
        ),
        (None, Some(check)) => {
            let name = ui_str(ui, &format!("check_{check}")).to_string();
            let shown = |v: f64| {
                if check == "coverage_low" {
                    format::pct(Some(v))
                } else {
                    crate::model::values::fmt_num(v)
                }
            };
            (
                format!("{name} {op} {}", shown(t.value.value())),
                value.map_or("—".into(), shown),
            )
        }
        (None, None) => ("—".into(), "—".into()),
    }
}

/// A risk level in the page's language (`low`, `medium`, `high`, `critical`; other names a
/// plan defines are shown as written).
pub(crate) fn level_word(level: Option<&str>, ui: &Value) -> String {
    match level {
        None => "—".into(),
        Some(l) => {
            let key = format!("level_{l}");
            let word = ui_str(ui, &key);
            if word == key {
                l.to_string()
            } else {
                word.to_string()
            }
        }
    }
}

pub(crate) fn anchor(id: &str) -> String {
    // `retention_membership.7` is explained by its family's entry in the glossary.
    match catalog::lookup(id) {
        Some(entry) if entry.id != id => entry.id.to_string(),
        _ => id.replace('.', "-"),
    }
}

/// A campaign's charts: results (docs/rules.md#outline item 4) and budget.
pub(crate) struct CampaignCharts {
    /// Members, speakers, activity, churn, funnel, revenue.
    pub results: Vec<charts::Chart>,
    /// By category, the bridge, the burn-up.
    pub budget: Vec<charts::Chart>,
    /// Each target's sparkline for its goal card, in `k.targets` order.
    pub sparks: Vec<Option<String>>,
}

/// The playbooks a plan's references can point at, looked up by id and by file: a campaign
/// report had scanned every playbook for each reference, building a path for each comparison.
pub(crate) struct PlaybookIndex<'s> {
    playbooks: &'s [Document],
    by_id: HashMap<&'s str, usize>,
    by_path: HashMap<&'s Path, usize>,
}

impl<'s> PlaybookIndex<'s> {
    pub(crate) fn new(playbooks: &'s [Document]) -> Self {
        let mut by_id = HashMap::with_capacity(playbooks.len());
        let mut by_path = HashMap::with_capacity(playbooks.len());
        for (i, p) in playbooks.iter().enumerate() {
            by_id.entry(p.id.as_str()).or_insert(i);
            by_path.entry(p.path.as_path()).or_insert(i);
        }
        PlaybookIndex {
            playbooks,
            by_id,
            by_path,
        }
    }

    /// The first playbook, in site order, with the reference's id or at its file
    /// (`content/<path>`).
    pub(crate) fn find(&self, r: &PlaybookRef) -> Option<&'s Document> {
        let by_id = self.by_id.get(r.id.as_str()).copied();
        let file = Path::new("content").join(&r.path);
        let by_path = self.by_path.get(file.as_path()).copied();
        by_id
            .into_iter()
            .chain(by_path)
            .min()
            .map(|i| &self.playbooks[i])
    }
}

/// The charts of results (docs/rules.md#outline item 4), shared by the report and the post-mortem.
pub(crate) fn result_charts(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &charts::Days,
    ui: &Value,
) -> Vec<charts::Chart> {
    [
        charts::members_trend(
            c,
            k,
            days,
            (
                charts::Captions {
                    with: ui_str(ui, "chart_members"),
                    without: ui_str(ui, "chart_members_plain"),
                },
                ui_str(ui, "members"),
                ui_str(ui, "trajectory"),
            ),
        ),
        charts::speakers(
            c,
            k,
            days,
            (
                charts::Captions {
                    with: ui_str(ui, "chart_speakers"),
                    without: ui_str(ui, "chart_speakers_plain"),
                },
                ui_str(ui, "speakers"),
                ui_str(ui, "target_value"),
                ui_str(ui, "floor"),
            ),
        ),
        charts::activity_rate(
            c,
            k,
            days,
            (
                [
                    charts::Captions {
                        with: ui_str(ui, "chart_activity_daily_target"),
                        without: ui_str(ui, "chart_activity_daily"),
                    },
                    charts::Captions {
                        with: ui_str(ui, "chart_activity"),
                        without: ui_str(ui, "chart_activity_both"),
                    },
                ],
                ui_str(ui, "active_rate_pct"),
                ui_str(ui, "active_rate_30d_pct"),
                ui_str(ui, "target_value"),
            ),
        ),
        charts::churn(
            c,
            k,
            days,
            (
                charts::Captions {
                    with: ui_str(ui, "chart_churn"),
                    without: ui_str(ui, "chart_churn_plain"),
                },
                ui_str(ui, "churn_pct"),
                ui_str(ui, "target_value"),
            ),
        ),
        charts::funnel(
            c,
            k,
            days,
            (ui_str(ui, "chart_funnel"), ui_str(ui, "people")),
        ),
        charts::revenue_vs_cost(
            c,
            k,
            days,
            (
                ui_str(ui, "chart_revenue"),
                ui_str(ui, "revenue"),
                ui_str(ui, "cost"),
            ),
        ),
    ]
    .into_iter()
    .flatten()
    .map(|chart| dated(chart, ui))
    .collect()
}

/// The charts module draws without the page's words; its data tables say "date".
fn dated(mut chart: charts::Chart, ui: &Value) -> charts::Chart {
    if chart.header.first().is_some_and(|h| h == "date") {
        chart.header[0] = ui_str(ui, "date").to_string();
    }
    chart
}

/// The budget charts: plan against actual per category, and the burn-up.
pub(crate) fn budget_charts(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Vec<charts::Chart> {
    let charts = [
        charts::budget_by_category(
            c,
            k,
            (
                ui_str(ui, "chart_budget"),
                ui_str(ui, "current"),
                ui_str(ui, "ev_ac"),
            ),
        ),
        // While a campaign runs, budget not yet spent is not a saving: say so.
        charts::budget_bridge(
            c,
            k,
            if k.as_of < c.plan.campaign.period.end {
                (
                    charts::Captions {
                        with: ui_str(ui, "chart_bridge_running"),
                        without: ui_str(ui, "chart_bridge_running_plain"),
                    },
                    ui_str(ui, "budget_total"),
                    ui_str(ui, "actual_cost_so_far"),
                    ui_str(ui, "committed_unpaid"),
                    ui_str(ui, "owed_total"),
                )
            } else {
                (
                    charts::Captions {
                        with: ui_str(ui, "chart_bridge"),
                        without: ui_str(ui, "chart_bridge_plain"),
                    },
                    ui_str(ui, "budget_total"),
                    ui_str(ui, "actual_cost"),
                    ui_str(ui, "committed_unpaid"),
                    ui_str(ui, "owed_total"),
                )
            },
        ),
        charts::burn_up(
            c,
            k,
            ui_str(ui, "chart_burnup"),
            [
                ui_str(ui, "ev_pv"),
                ui_str(ui, "ev_ac"),
                ui_str(ui, "ev_ev"),
            ],
        ),
    ];
    charts.into_iter().flatten().map(|c| dated(c, ui)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_playbook_reference_finds_the_first_playbook_with_its_id_or_at_its_file() {
        let doc = |id: &str, path: &str| Document {
            path: path.into(),
            id: id.into(),
            front: Default::default(),
            body: String::new(),
            body_line: 1,
            links: Vec::new(),
            too_deep_at: None,
        };
        let playbooks = [
            doc("welcome", "content/playbooks/welcome.md"),
            doc("renamed", "content/playbooks/faq.md"),
            doc("faq", "content/playbooks/other.md"),
        ];
        let index = PlaybookIndex::new(&playbooks);
        let find = |id: &str, path: &str| {
            let r = PlaybookRef {
                id: id.into(),
                title: String::new(),
                path: path.into(),
            };
            index.find(&r).map(|p| p.id.clone())
        };
        // By id, by file (written as the plan writes it), and the earlier of the two.
        assert_eq!(find("welcome", "playbooks/none.md"), Some("welcome".into()));
        assert_eq!(find("none", "playbooks/./faq.md"), Some("renamed".into()));
        assert_eq!(find("faq", "playbooks/faq.md"), Some("renamed".into()));
        assert_eq!(find("none", "playbooks/none.md"), None);
    }

    #[test]
    fn search_text_skips_charts_and_stops_at_the_limit() {
        let page = |main: &str| Output {
            path: "p/index.html".into(),
            bytes: format!(
                "<html><title>报告 · 站点</title><main>{main}</main><footer>页脚</footer>"
            )
            .into_bytes()
            .into(),
        };
        let entry = search_entry(
            &page("<h1>报告</h1><svg><text>轴</text></svg><p>A&amp;B<b>x</b>y</p>"),
            "站点",
        );
        assert_eq!(entry.title, "报告");
        assert_eq!(entry.text, "报告 A&B x y");
        // 2,500 two-character words: 7,499 characters joined; the first 4,000 are kept.
        let long = vec!["词语"; 2500].join(" ");
        let entry = search_entry(&page(&long), "站点");
        let text = &entry.text;
        assert_eq!(text.chars().count(), 4000);
        assert!(text.starts_with("词语 词语") && !text.ends_with(' '));
    }
}
