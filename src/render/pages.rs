//! The site's pages in two parts: each campaign's own pages (report, plan, post-mortem, KPI
//! JSON) with their search entries, which depend on that campaign alone; then the pages drawn
//! from every campaign (portfolio, playbooks, roll-ups, search, sitemap). A full build renders
//! both; `serve` re-renders only the campaigns an edit touched and keeps the others' pages.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::markdown::{self, UrlMap, relative_url};
use super::{
    CampaignCharts, PlaybookIndex, RenderOptions, budget_charts, campaign_context, campaign_row,
    charts, doc_title, drop_leading_title, format, plan_page, result_charts, retro, rollups,
    search_entry, status_counts, theme, ui_str, url_map,
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
    title: Value,
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
    backlinks: Value,
    page: Output,
    search: SearchEntry,
}

fn crumb(label: &str, href: Option<String>) -> Value {
    json!({"label": label, "href": href})
}

/// Portfolio › campaign › `part` (its plan or post-mortem), from a page one folder below the
/// campaign's report.
fn campaign_part_crumbs(home: Value, name: &str, part: &str) -> Value {
    json!([
        home,
        crumb(name, Some("../index.html".into())),
        crumb(part, None)
    ])
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
            shared_ui: minijinja::Value::from(minijinja::value::Serde(&ui)),
            shared_site: minijinja::Value::from(minijinja::value::Serde(&site.config)),
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
    fn section_crumbs(&self, key: &'static str) -> Value {
        json!([
            crumb(self.ui("portfolio"), Some("../index.html".into())),
            crumb(self.ui(key), None)
        ])
    }

    /// One page through template `name`, at `path`, with the shared context and `extra`.
    fn page(
        &self,
        name: &str,
        path: &str,
        title: &str,
        crumbs: Value,
        extra: Value,
    ) -> Result<Output, minijinja::Error> {
        let extra = minijinja::Value::from(minijinja::value::Serde(&extra));
        self.page_with(name, path, title, crumbs, extra)
    }

    /// [`Renderer::page`] with a context already made of template values: a large page's data
    /// goes to the template without a `serde_json` tree to build and free on the way.
    fn page_with(
        &self,
        name: &str,
        path: &str,
        title: &str,
        crumbs: Value,
        extra: minijinja::Value,
    ) -> Result<Output, minijinja::Error> {
        let root = "../".repeat(path.matches('/').count());
        let base = json!({
            "lang": self.lang, "root": root, "page_title": title,
            "crumbs": crumbs, "build_date": self.build_date, "charts": [],
        });
        // The last map wins: the page's own values (its charts) over the defaults.
        let ctx = minijinja::context! {
            ui => self.shared_ui.clone(),
            site => self.shared_site.clone(),
            ..minijinja::value::merge_maps([
                minijinja::Value::from(minijinja::value::Serde(&base)),
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
            title: entry["title"].clone(),
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
            let ctx = campaign_context(c, k, previous, figures, &self.playbooks, ui, &path);
            out.push(self.page(
                "campaign.html",
                &path,
                name,
                json!([home(&path), crumb(name, None)]),
                ctx,
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
                json!([home(&path), crumb(name, None)]),
                json!({"intro": self.ui("no_kpis"), "sections": []}),
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
                sections => minijinja::Value::from(minijinja::value::Serde(&sections)),
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
                ctx,
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
                out.push(self.page("404.html", "404.html", "404", json!([]), json!({}))?);
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
        let pages: Vec<Value> = entries
            .iter()
            .map(|e| json!({"url": e.url, "title": e.title}))
            .collect();
        out.push(self.page(
            "search.html",
            "search/index.html",
            self.ui("search"),
            self.section_crumbs("search"),
            json!({"pages": pages}),
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
        let rows: Vec<Value> = computed
            .iter()
            .map(|(c, k)| campaign_row(c, *k, ui))
            .collect();
        self.page(
            "index.html",
            "index.html",
            &site.config.title,
            json!([]),
            json!({"campaigns": rows, "charts": charts::portfolio(
                &rows.iter().zip(computed).map(|(r, (c, _))| (chart_name(c), r["budget_used"].as_f64(), r["eac_vs_budget"].as_f64())).collect::<Vec<_>>(),
                (self.ui("chart_portfolio"), self.ui("budget_used"), self.ui("eac_vs_budget")),
                &charts::TopWords { top: self.ui("chart_top_eac"), others: self.ui("chart_others") },
            ).into_iter().collect::<Vec<_>>()}),
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
        let items: Vec<Value> = site
            .playbooks
            .iter()
            .map(|p| json!({"href": format!("{}/index.html", p.id), "title": doc_title(p), "summary": p.front.summary}))
            .collect();
        out.push(self.page(
            "list.html",
            "playbooks/index.html",
            self.ui("playbooks"),
            self.section_crumbs("playbooks"),
            json!({"items": items}),
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
            json!({"intro": (), "sections": rollups::glossary(computed, ui)}),
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
                        c.plan.campaign.name.clone(),
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
                intro => (),
                sections => minijinja::Value::from(minijinja::value::Serde(&sections)),
                charts => minijinja::Value::from(minijinja::value::Serde(&charts)),
            },
        )
    }

    fn risks_page(
        &self,
        computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ) -> Result<Output, minijinja::Error> {
        let (site, ui) = (self.site, &self.ui);
        self.page(
            "sections.html",
            "risks/index.html",
            self.ui("risks"),
            self.section_crumbs("risks"),
            json!({"intro": (), "sections": rollups::risk_rollup(computed, ui), "charts": charts::risk_heatmap(
                &site.campaigns.iter().flat_map(|c| c.plan.risks.iter().flat_map(|r| r.items.iter().map(|i| (i.probability, i.impact)))).collect::<Vec<_>>(),
                (self.ui("heatmap"), self.ui("probability"), self.ui("impact")),
            ).into_iter().collect::<Vec<_>>()}),
        )
    }

    /// Links to `campaigns` (those that name one playbook) from its page at `path`, with
    /// their target verdicts.
    fn backlinks<'c>(
        &self,
        path: &str,
        campaigns: impl Iterator<Item = (&'c CampaignData, Option<&'c CampaignKpis>)>,
    ) -> Value {
        campaigns
            .map(|(c, k)| {
                json!({"href": relative_url(path, &format!("campaigns/{}/index.html", c.plan.campaign.id)), "name": c.plan.campaign.name,
                       "status_counts": k.map(|k| status_counts(k, &self.ui)).unwrap_or_default()})
            })
            .collect()
    }

    fn playbook(
        &self,
        p: &Document,
        path: &str,
        backlinks: &Value,
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
            json!([crumb(self.ui("portfolio"), Some("../../index.html".into())), crumb(self.ui("playbooks"), Some("../index.html".into())), crumb(&doc_title(p), None)]),
            json!({"summary": p.front.summary, "toc": r.toc, "body": r.html, "backlinks": backlinks}),
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
