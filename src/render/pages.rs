//! The site's pages in two parts: each campaign's own pages (report, plan, post-mortem, KPI
//! JSON) with their search entries, which depend on that campaign alone; then the pages drawn
//! from every campaign (portfolio, playbooks, roll-ups, search, sitemap). A full build renders
//! both; `serve` re-renders only the campaigns an edit touched and keeps the others' pages.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::markdown::{self, UrlMap, relative_url};
use super::{
    CampaignCharts, PlaybookIndex, RenderOptions, budget_charts, category_name, charts, doc_title,
    drop_leading_title, format, plan_page, report, result_charts, retro, role_title, rollups,
    search_entry, status_counts, summary, theme, ui_str, url_map, verdict,
};
use crate::compute::CampaignKpis;
use crate::model::site::{CampaignData, Document, Language, Site};
use crate::output::Output;

/// What every page of one build shares: templates, words, settings, links.
pub struct Renderer<'s> {
    site: &'s Site,
    env: minijinja::Environment<'static>,
    lang: &'static str,
    ui: Value,
    /// `ui` and the site settings as template values, converted once: cloning one is a
    /// reference count, where converting them for each of thousands of pages copied every
    /// string again.
    shared_ui: minijinja::Value,
    shared_site: minijinja::Value,
    build_date: Option<String>,
    urls: UrlMap,
    /// The site title as pages print it, which search entries strip from page titles.
    escaped_title: String,
    /// The playbooks, by id and by file, for the campaign reports' links.
    playbooks: PlaybookIndex<'s>,
}

/// One campaign's pages and their search-index entries.
#[derive(Debug, Clone, Default)]
pub struct CampaignPages {
    /// The files, in the order rendered.
    pub outputs: Vec<Output>,
    /// The paths of the pages among them, for the sitemap (kept when the files are handed
    /// on).
    pub pages: Vec<String>,
    /// A search entry for each HTML page among them.
    pub search: Vec<SearchEntry>,
}

/// One page's search entry: its URL and title, listed on the search page, and the whole entry
/// (with the page's text) as JSON, serialized once: the index joins every page's, and a
/// rebuild joins the kept pages' as they are.
#[derive(Debug, Clone)]
pub struct SearchEntry {
    url: String,
    title: String,
    json: String,
}

/// Playbook pages from an earlier build, kept while the settings, links, playbook text and
/// backlinks they were drawn from are unchanged: a playbook page changes only when a campaign
/// that names it does.
#[derive(Debug, Default)]
pub struct PlaybookCache {
    /// The site settings and link map the pages were drawn with.
    context: String,
    /// Page path → the page and what it was drawn from.
    pages: BTreeMap<String, KeptPlaybook>,
}

#[derive(Debug)]
struct KeptPlaybook {
    body: String,
    backlinks: Vec<Backlink>,
    page: Output,
    search: SearchEntry,
}

/// A step of the breadcrumb trail: its label, and its link unless it is the page itself.
#[derive(Debug, Serialize)]
pub(crate) struct Crumb {
    label: String,
    href: Option<String>,
}

fn crumb(label: &str, href: Option<String>) -> Crumb {
    Crumb {
        label: label.to_string(),
        href,
    }
}

/// What every page's template reads besides `ui` and `site`; a page's own context may replace
/// `charts`.
#[derive(Debug, Serialize)]
struct Base<'a> {
    lang: &'static str,
    root: String,
    page_title: &'a str,
    crumbs: Vec<Crumb>,
    build_date: &'a Option<String>,
    charts: [(); 0],
}

/// `x` as a template value, converted without a `serde_json` tree on the way.
fn template_value(x: &impl Serialize) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(x))
}

/// The search page: every page's link.
#[derive(Debug, Serialize)]
struct SearchPage<'a> {
    pages: Vec<Listed<'a>>,
}

/// The portfolio: a row per campaign and the chart comparing them.
#[derive(Debug, Serialize)]
struct Portfolio {
    campaigns: Vec<CampaignRow>,
    charts: Vec<charts::Chart>,
}

/// The playbook list.
#[derive(Debug, Serialize)]
struct List<'a> {
    items: Vec<ListItem<'a>>,
}

/// A page with nothing of its own to show (the 404).
#[derive(Debug, Serialize)]
struct Nothing {}

/// A page of titled sections (glossary, roll-ups, a plan without figures yet).
#[derive(Debug, Serialize)]
struct Sections<'a, S: Serialize> {
    intro: Option<&'a str>,
    sections: S,
    charts: Vec<charts::Chart>,
}

/// A page listed on the search page.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    url: &'a str,
    title: &'a str,
}

/// A playbook on the playbook list.
#[derive(Debug, Serialize)]
struct ListItem<'a> {
    href: String,
    title: String,
    summary: &'a Option<String>,
}

/// A campaign that names a playbook, on the playbook's page.
#[derive(Debug, PartialEq, Serialize)]
struct Backlink {
    href: String,
    name: String,
    status_counts: Vec<verdict::StatusCount>,
}

/// A playbook's page.
#[derive(Debug, Serialize)]
struct Playbook<'a> {
    summary: &'a Option<String>,
    toc: Vec<crate::model::markdown::TocEntry>,
    body: String,
    backlinks: &'a [Backlink],
}

/// A campaign's row on the portfolio.
#[derive(Debug, Serialize)]
struct CampaignRow {
    id: String,
    name: String,
    start: String,
    end: String,
    owner: String,
    owner_id: String,
    status_counts: Vec<verdict::StatusCount>,
    /// Spent of the total budget, when figures exist.
    spent: Option<String>,
    /// The categories over budget or near it.
    flagged: Vec<Flagged>,
    open_actions: usize,
    /// The report's next step in one line (the first open action, or what to do about the goal
    /// furthest behind while it runs).
    next: Option<String>,
    budget_used: Option<f64>,
    eac_vs_budget: Option<f64>,
    has_retro: bool,
}

/// A budget category over budget or near it.
#[derive(Debug, Serialize)]
struct Flagged {
    name: String,
    status: &'static str,
    status_label: String,
}

fn campaign_row(c: &CampaignData, k: Option<&CampaignKpis>, ui: &Value) -> CampaignRow {
    use crate::compute::budget::BudgetStatus;
    let s = k.map(|k| summary::summarize(&c.plan, k));
    let campaign = &c.plan.campaign;
    CampaignRow {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        start: campaign.period.start.to_string(),
        end: campaign.period.end.to_string(),
        owner: role_title(c, &campaign.owner),
        owner_id: campaign.owner.clone(),
        status_counts: k.map(|k| status_counts(k, ui)).unwrap_or_default(),
        spent: k.map(|k| {
            let t = &k.budget.total;
            format!(
                "{} / {}",
                format::spend_in(t.ac_total, &campaign.currency, ui),
                format::money_in(t.bac_total, &campaign.currency)
            )
        }),
        flagged: k
            .map(|k| {
                k.budget
                    .categories
                    .iter()
                    .filter(|b| matches!(b.status, BudgetStatus::Over | BudgetStatus::Warn))
                    .map(|b| Flagged {
                        name: category_name(c, &b.id),
                        status: format::budget_key(b.status),
                        status_label: ui_str(ui, format::budget_key(b.status)).to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        open_actions: c.action_items.iter().filter(|a| a.status.is_open()).count(),
        next: k
            .zip(s.as_ref())
            .and_then(|(k, s)| verdict::next_step_of(c, k, s, ui)),
        budget_used: s.as_ref().and_then(|s| s.budget_used),
        eac_vs_budget: s.as_ref().and_then(|s| s.eac_vs_budget),
        has_retro: c.retro.is_some() && k.is_some(),
    }
}

/// Portfolio › campaign › `part` (its plan or post-mortem), from a page one folder below the
/// campaign's report.
fn campaign_part_crumbs(home: Crumb, name: &str, part: &str) -> Vec<Crumb> {
    vec![
        home,
        crumb(name, Some("../index.html".into())),
        crumb(part, None),
    ]
}

impl<'s> Renderer<'s> {
    /// A renderer for `site` with the site's theme (`opts.theme_dir`) and footer date.
    pub fn new(site: &'s Site, opts: &RenderOptions) -> Self {
        let ui = crate::model::i18n::ui_with(site.config.language, &site.config.ui_words);
        Renderer {
            site,
            env: theme::environment(opts.theme_dir.clone()),
            lang: match site.config.language {
                Language::ZhCn => "zh-CN",
                Language::En => "en",
            },
            shared_ui: template_value(&ui),
            shared_site: template_value(&site.config),
            ui,
            build_date: opts.build_date.clone(),
            urls: url_map(site),
            escaped_title: format::escape(&site.config.title),
            playbooks: PlaybookIndex::new(&site.playbooks),
        }
    }

    /// The link map pages are drawn with (source file → page).
    pub fn urls(&self) -> &UrlMap {
        &self.urls
    }

    fn ui(&self, key: &'static str) -> &str {
        ui_str(&self.ui, key)
    }

    /// Portfolio › the site-wide section `key` (glossary, budget, …), from its index page.
    fn section_crumbs(&self, key: &'static str) -> Vec<Crumb> {
        vec![
            crumb(self.ui("portfolio"), Some("../index.html".into())),
            crumb(self.ui(key), None),
        ]
    }

    /// One page through template `name`, at `path`, with the shared context and `extra`.
    fn page(
        &self,
        name: &str,
        path: &str,
        title: &str,
        crumbs: Vec<Crumb>,
        extra: &impl Serialize,
    ) -> Result<Output, minijinja::Error> {
        self.page_with(name, path, title, crumbs, template_value(extra))
    }

    /// [`Renderer::page`] with a context already made of template values: a large page's data
    /// goes to the template without a `serde_json` tree to build and free on the way.
    fn page_with(
        &self,
        name: &str,
        path: &str,
        title: &str,
        crumbs: Vec<Crumb>,
        extra: minijinja::Value,
    ) -> Result<Output, minijinja::Error> {
        let base = Base {
            lang: self.lang,
            root: "../".repeat(path.matches('/').count()),
            page_title: title,
            crumbs,
            build_date: &self.build_date,
            charts: [],
        };
        // The last map wins: the page's own values (its charts) over the defaults.
        let ctx = minijinja::context! {
            ui => self.shared_ui.clone(),
            site => self.shared_site.clone(),
            ..minijinja::value::merge_maps([
                template_value(&base),
                extra,
            ])
        };
        let html = self.env.get_template(name)?.render(ctx)?;
        Ok(Output {
            path: path.to_string(),
            bytes: html.into_bytes().into(),
        })
    }

    /// The search entries of the HTML pages among `outputs` (not the 404).
    fn search_entries(&self, outputs: &[Output]) -> Vec<SearchEntry> {
        outputs
            .iter()
            .filter(|o| o.path.ends_with(".html") && o.path != "404.html")
            .map(|o| self.search_entry(o))
            .collect()
    }

    fn search_entry(&self, page: &Output) -> SearchEntry {
        let entry = search_entry(page, &self.escaped_title);
        SearchEntry {
            url: page.path.clone(),
            title: entry.title.clone(),
            json: serde_json::to_string(&entry).unwrap_or_default(),
        }
    }

    /// A campaign's own pages: its report (or a page saying it has no data yet), KPI JSON,
    /// plan and post-mortem.
    /// `previous` is the campaign before this one in its community, with its figures.
    pub fn campaign(
        &self,
        c: &CampaignData,
        k: Option<&CampaignKpis>,
        previous: Option<(&CampaignData, &CampaignKpis)>,
    ) -> Result<CampaignPages, minijinja::Error> {
        let ui = &self.ui;
        let mut out = Vec::new();
        let id = &c.plan.campaign.id;
        let base = format!("campaigns/{id}/");
        let name = &c.plan.campaign.name;
        let home = |path: &str| crumb(self.ui("portfolio"), Some(relative_url(path, "index.html")));
        let days = c.daily.by_day_through(k.map(|k| k.as_of));
        // Charts are the costly part of a page: drawn once, shown on the report and the
        // post-mortem.
        let figures = k.map(|k| CampaignCharts {
            results: result_charts(c, k, &days, ui),
            budget: budget_charts(c, k, ui),
            sparks: charts::goal_sparklines(c, k, &days),
        });
        let path = format!("{base}index.html");
        if let (Some(k), Some(figures)) = (k, &figures) {
            let ctx = report::report(c, k, previous, figures, &self.playbooks, ui, &path);
            out.push(self.page(
                "campaign.html",
                &path,
                name,
                vec![home(&path), crumb(name, None)],
                &ctx,
            )?);
            let json = serde_json::to_string_pretty(&k.to_json(c)).unwrap_or_default() + "\n";
            out.push(Output {
                path: format!("{base}kpis.json"),
                bytes: json.into_bytes().into(),
            });
        } else {
            out.push(self.page(
                "sections.html",
                &path,
                name,
                vec![home(&path), crumb(name, None)],
                &Sections {
                    intro: Some(self.ui("no_kpis")),
                    sections: [(); 0],
                    charts: Vec::new(),
                },
            )?);
        }
        let plan_path = format!("{base}plan/index.html");
        let sections = plan_page::sections(
            c,
            ui,
            &self.urls,
            &plan_path,
            self.site.config.allow_raw_html,
        );
        out.push(self.page_with(
            "sections.html",
            &plan_path,
            &format!("{} · {}", name, self.ui("plan")),
            campaign_part_crumbs(home(&plan_path), name, self.ui("plan")),
            minijinja::context! {
                intro => c.plan.campaign.tags.join(" · "),
                sections => template_value(&sections),
            },
        )?);
        if let (Some(retro), Some(k), Some(figures)) = (&c.retro, k, &figures) {
            let retro_path = format!("{base}retro/index.html");
            let ctx = retro::retro_context(
                c,
                k,
                retro,
                &days,
                figures,
                ui,
                &self.urls,
                &retro_path,
                self.site.config.allow_raw_html,
            );
            out.push(self.page(
                "retro.html",
                &retro_path,
                &format!("{} · {}", name, self.ui("retro")),
                campaign_part_crumbs(home(&retro_path), name, self.ui("retro")),
                &ctx,
            )?);
        }
        let search = self.search_entries(&out);
        let pages = out
            .iter()
            .filter(|o| o.path.ends_with(".html"))
            .map(|o| o.path.clone())
            .collect();
        Ok(CampaignPages {
            outputs: out,
            pages,
            search,
        })
    }

    /// Every file but the campaigns' own pages: static files, linked files, portfolio,
    /// playbooks, glossary, roll-ups, 404, search and sitemap. `computed` and `campaigns` are
    /// in site order; playbook pages whose inputs did not change are taken from `cache`.
    pub fn site_pages(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
        campaigns: &[&CampaignPages],
        cache: &mut PlaybookCache,
    ) -> Result<Vec<Output>, minijinja::Error> {
        // The roll-up of budgets is the largest of these pages: drawn beside all the others.
        let (budget, others) = rayon::join(
            || self.budget_page(computed),
            || -> Result<_, minijinja::Error> {
                let mut out = self.static_and_linked_files();
                out.push(self.portfolio_page(computed)?);
                let playbooks = self.playbook_pages(computed, cache, &mut out)?;
                out.push(self.glossary_page(computed)?);
                out.push(self.risks_page(computed)?);
                out.push(self.page("404.html", "404.html", "404", Vec::new(), &Nothing {})?);
                Ok((out, playbooks))
            },
        );
        let (mut out, playbooks) = others?;
        out.push(budget?);

        // Search: an index of every page's title and main text, as JSON for machines and as
        // a script for the search page (a script loads from file://, a fetch does not).
        let own = self.search_entries(&out);
        let mut entries: Vec<&SearchEntry> = own.iter().collect();
        for (page, search) in &playbooks {
            out.push(page.clone());
            entries.push(search);
        }
        entries.extend(campaigns.iter().flat_map(|c| &c.search));
        entries.sort_by(|a, b| a.url.cmp(&b.url));
        let pages: Vec<Listed> = entries
            .iter()
            .map(|e| Listed {
                url: &e.url,
                title: &e.title,
            })
            .collect();
        out.push(self.page(
            "search.html",
            "search/index.html",
            self.ui("search"),
            self.section_crumbs("search"),
            &SearchPage { pages },
        )?);
        let mut index_json = String::from("[");
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                index_json.push(',');
            }
            index_json.push_str(&e.json);
        }
        index_json.push(']');
        out.push(Output {
            path: "search-index.json".into(),
            bytes: format!("{index_json}\n").into_bytes().into(),
        });
        out.push(Output {
            path: "search-index.js".into(),
            bytes: format!("window.QUNCE_INDEX = {index_json};\n")
                .into_bytes()
                .into(),
        });

        // Sitemap: every HTML page but the 404.
        let mut pages: Vec<&str> = out
            .iter()
            .map(|o| o.path.as_str())
            .filter(|p| p.ends_with(".html"))
            .chain(campaigns.iter().flat_map(|c| &c.pages).map(String::as_str))
            .filter(|p| *p != "404.html")
            .collect();
        pages.sort_unstable();
        let mut sitemap = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in pages {
            sitemap.push_str(&format!("  <url><loc>{p}</loc></url>\n"));
        }
        sitemap.push_str("</urlset>\n");
        out.push(Output {
            path: "sitemap.xml".into(),
            bytes: sitemap.into_bytes().into(),
        });
        Ok(out)
    }

    /// The theme's static files and the files pages link to (published under files/).
    fn static_and_linked_files(&self) -> Vec<Output> {
        let site = self.site;
        let mut out: Vec<Output> = theme::STATIC
            .iter()
            .map(|(p, b)| Output {
                path: p.to_string(),
                bytes: bytes::Bytes::from_static(b),
            })
            .collect();
        // Files the pages link to, published under files/ (the link rewriting uses the same
        // map).
        out.extend(site.assets.iter().filter_map(|(source, bytes)| {
            self.urls.get(source).map(|path| Output {
                path: path.clone(),
                bytes: bytes.clone().into(),
            })
        }));

        out
    }

    /// The portfolio: every campaign's row, and the chart comparing them.
    fn portfolio_page(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ) -> Result<Output, minijinja::Error> {
        let (site, ui) = (self.site, &self.ui);
        let campaigns: Vec<CampaignRow> = computed
            .iter()
            .map(|(c, k)| campaign_row(c, *k, ui))
            .collect();
        let bars: Vec<_> = campaigns
            .iter()
            .zip(computed)
            .map(|(r, (c, _))| (chart_name(c), r.budget_used, r.eac_vs_budget))
            .collect();
        let charts: Vec<charts::Chart> = charts::portfolio(
            &bars,
            (
                self.ui("chart_portfolio"),
                self.ui("budget_used"),
                self.ui("eac_vs_budget"),
            ),
            &charts::TopWords {
                top: self.ui("chart_top_eac"),
                others: self.ui("chart_others"),
            },
        )
        .into_iter()
        .collect();
        self.page(
            "index.html",
            "index.html",
            &site.config.title,
            Vec::new(),
            &Portfolio { campaigns, charts },
        )
    }

    /// The playbook list and each playbook's page (kept from `cache` when unchanged).
    /// The playbook list (into `out`) and each playbook's page with its search entry (kept
    /// from `cache` when unchanged).
    fn playbook_pages(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
        cache: &mut PlaybookCache,
        out: &mut Vec<Output>,
    ) -> Result<Vec<(Output, SearchEntry)>, minijinja::Error> {
        let site = self.site;
        let items: Vec<ListItem> = site
            .playbooks
            .iter()
            .map(|p| ListItem {
                href: format!("{}/index.html", p.id),
                title: doc_title(p),
                summary: &p.front.summary,
            })
            .collect();
        out.push(self.page(
            "list.html",
            "playbooks/index.html",
            self.ui("playbooks"),
            self.section_crumbs("playbooks"),
            &List { items },
        )?);
        let context = serde_json::to_string(&(&site.config, &self.urls)).unwrap_or_default();
        if cache.context != context {
            *cache = PlaybookCache {
                context,
                pages: BTreeMap::new(),
            };
        }
        let naming = campaigns_naming(&site.playbooks, computed);
        let mut kept = BTreeMap::new();
        let mut pages = Vec::new();
        for (p, naming) in site.playbooks.iter().zip(naming) {
            let path = format!("playbooks/{}/index.html", p.id);
            let backlinks = self.backlinks(&path, naming.iter().map(|&i| computed[i]));
            let entry = match cache.pages.remove(&path) {
                Some(entry) if entry.body == p.body && entry.backlinks == backlinks => entry,
                _ => {
                    let page = self.playbook(p, &path, &backlinks)?;
                    let search = self.search_entry(&page);
                    KeptPlaybook {
                        body: p.body.clone(),
                        backlinks,
                        page,
                        search,
                    }
                }
            };
            pages.push((entry.page.clone(), entry.search.clone()));
            kept.insert(path, entry);
        }
        cache.pages = kept;
        Ok(pages)
    }

    fn glossary_page(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ) -> Result<Output, minijinja::Error> {
        let ui = &self.ui;
        self.page(
            "sections.html",
            "kpis/index.html",
            self.ui("glossary"),
            self.section_crumbs("glossary"),
            &Sections {
                intro: None,
                sections: rollups::glossary(computed, ui),
                charts: Vec::new(),
            },
        )
    }

    fn budget_page(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ) -> Result<Output, minijinja::Error> {
        let ui = &self.ui;
        let sections = rollups::budget_rollup(computed, ui);
        let charts = charts::budget_rollup(
            &computed
                .iter()
                .filter_map(|(c, k)| {
                    let t = &(*k)?.budget.total;
                    let f = crate::compute::window::to_f64;
                    Some((
                        c.plan.campaign.currency.to_ascii_uppercase(),
                        chart_name(c),
                        f(t.bac_total),
                        t.ac_total.map(f),
                    ))
                })
                .collect::<Vec<_>>(),
            (
                self.ui("chart_budget_rollup"),
                self.ui("total_budget"),
                self.ui("spent"),
            ),
            &charts::TopWords {
                top: self.ui("chart_top_budget"),
                others: self.ui("chart_others"),
            },
        );
        // A thousand campaigns' tables: typed, straight into template values.
        self.page_with(
            "sections.html",
            "budget/index.html",
            self.ui("budget"),
            self.section_crumbs("budget"),
            minijinja::context! {
                intro => rollups::budget_headline(computed, ui),
                sections => template_value(&sections),
                charts => template_value(&charts),
            },
        )
    }

    fn risks_page(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ) -> Result<Output, minijinja::Error> {
        let (site, ui) = (self.site, &self.ui);
        let cells: Vec<(u32, u32)> = site
            .campaigns
            .iter()
            .flat_map(|c| c.plan.risks.iter().flat_map(|r| r.items.iter()))
            .map(|i| (i.probability, i.impact))
            .collect();
        self.page(
            "sections.html",
            "risks/index.html",
            self.ui("risks"),
            self.section_crumbs("risks"),
            &Sections {
                intro: None,
                sections: rollups::risk_rollup(computed, ui),
                charts: charts::risk_heatmap(
                    &cells,
                    (
                        self.ui("heatmap"),
                        self.ui("probability"),
                        self.ui("impact"),
                    ),
                )
                .into_iter()
                .collect(),
            },
        )
    }

    /// Links to `campaigns` (those that name one playbook) from its page at `path`, with
    /// their target verdicts.
    fn backlinks<'c>(
        &self,
        path: &str,
        campaigns: impl Iterator<Item = (&'c CampaignData, Option<&'c CampaignKpis>)>,
    ) -> Vec<Backlink> {
        campaigns
            .map(|(c, k)| Backlink {
                href: relative_url(
                    path,
                    &format!("campaigns/{}/index.html", c.plan.campaign.id),
                ),
                name: c.plan.campaign.name.clone(),
                status_counts: k.map(|k| status_counts(k, &self.ui)).unwrap_or_default(),
            })
            .collect()
    }

    fn playbook(
        &self,
        p: &Document,
        path: &str,
        backlinks: &[Backlink],
    ) -> Result<Output, minijinja::Error> {
        let site = self.site;
        let mut r = markdown::render(
            &p.body,
            &p.path,
            path,
            &self.urls,
            site.config.allow_raw_html,
        );
        r.html = drop_leading_title(&r.html, &r.toc, &doc_title(p));
        self.page(
            "document.html",
            path,
            &doc_title(p),
            vec![
                crumb(self.ui("portfolio"), Some("../../index.html".into())),
                crumb(self.ui("playbooks"), Some("../index.html".into())),
                crumb(&doc_title(p), None),
            ],
            &Playbook {
                summary: &p.front.summary,
                toc: r.toc,
                body: r.html,
                backlinks,
            },
        )
    }
}

/// For each playbook (in order), the campaigns (indices into `computed`, in order) whose plan
/// names it, by id or by path: one pass over the plans, not one per playbook.
fn campaigns_naming(
    playbooks: &[Document],
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
) -> Vec<Vec<usize>> {
    let by_id: BTreeMap<&str, usize> = playbooks
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let by_path: BTreeMap<&std::path::Path, usize> = playbooks
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_path(), i))
        .collect();
    let mut naming = vec![Vec::new(); playbooks.len()];
    for (ci, (c, _)) in computed.iter().enumerate() {
        let mut named = std::collections::BTreeSet::new();
        for r in &c.plan.playbooks {
            named.extend(by_id.get(r.id.as_str()).copied());
            let path = std::path::Path::new("content").join(&r.path);
            named.extend(by_path.get(path.as_path()).copied());
        }
        for i in named {
            naming[i].push(ci);
        }
    }
    naming
}

/// A campaign's name on a chart that compares campaigns: without its community's name in front
/// (`暖焙烘焙研习社 · 春季「21天早餐面包打卡」` → `春季「21天早餐面包打卡」`), so that campaigns
/// of one community differ in the words a narrow axis keeps.
fn chart_name(c: &CampaignData) -> String {
    let name = &c.plan.campaign.name;
    let short = c
        .plan
        .community
        .name
        .as_deref()
        .and_then(|community| name.strip_prefix(community))
        .map(|rest| rest.trim_start_matches([' ', '·', '・', '：', ':', '-', '—', '|']))
        .filter(|rest| !rest.is_empty());
    short.unwrap_or(name).to_string()
}
