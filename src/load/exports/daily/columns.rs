//! The header → column plan of one daily file: canonical columns, derived ones, the date, group
//! and source columns, and the day/month evidence of its date column.

use super::*;

/// Builds the header → column plan for one file, reporting mapping problems.
pub(super) fn plan_columns(
    rel: &Path,
    headers: &[String],
    settings: &SourceSettings,
    table: &mut DailyTable,
    cumulative: &mut BTreeMap<usize, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileColumns> {
    let profile = settings.profile.as_ref();
    let explicit = |canonical: &str| -> Vec<String> {
        let mut out: Vec<String> = settings
            .columns
            .get(canonical)
            .cloned()
            .into_iter()
            .collect();
        if canonical == "group_id"
            && let Some(g) = &settings.group_column
        {
            out.insert(0, g.clone());
        }
        if let Some(p) = profile
            && let Some(list) = p.columns.get(canonical)
        {
            out.extend(list.to_vec());
        }
        out
    };
    let only_named = profile.is_some_and(|p| p.only_named);
    let aliases = |canonical: &str, list: &[&str]| -> Vec<String> {
        if only_named {
            return Vec::new();
        }
        std::iter::once(canonical)
            .chain(list.iter().copied())
            .map(str::to_string)
            .collect()
    };
    let mut wanted = vec![
        Candidates {
            canonical: "date".into(),
            explicit: explicit("date"),
            aliases: aliases("date", DATE_ALIASES),
        },
        Candidates {
            canonical: "group_id".into(),
            explicit: explicit("group_id"),
            aliases: aliases("group_id", GROUP_ALIASES),
        },
        Candidates {
            canonical: "source".into(),
            explicit: explicit("source"),
            aliases: aliases("source", SOURCE_ALIASES),
        },
    ];
    for col in DAILY_COLUMNS {
        wanted.push(Candidates {
            canonical: col.name.into(),
            explicit: explicit(col.name),
            aliases: aliases(col.name, col.aliases),
        });
    }
    // Unknown canonical names in the plan or profile are typos worth catching.
    let known: Vec<&str> = daily_names().collect();
    let mut named: Vec<&String> = settings.columns.keys().collect();
    if let Some(p) = profile {
        named.extend(p.columns.keys());
        named.extend(p.derived.keys());
    }
    for name in named {
        if !known.contains(&name.as_str()) {
            let mut d = Diagnostic::error(
                "unknown-column",
                &settings.declared_in,
                format!("`{name}` is not a canonical daily column"),
            )
            .field(format!("data.{}.columns.{name}", settings.name))
            .expected("a canonical daily column (docs/reference.md#daily-export-columns)");
            if let Some(best) = did_you_mean(name, known.iter().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            diags.push(d);
        }
    }
    let mut ignore: Vec<String> = profile.map(|p| p.ignore.clone()).unwrap_or_default();
    if let Some(p) = profile {
        ignore.extend(p.breakdown.iter().cloned());
        for d in p.derived.values() {
            ignore.push(d.from_pct.clone());
            ignore.push(d.times.clone());
        }
    }
    let map = map_headers(headers, &wanted, &ignore);
    let header_text = headers.join(&(settings.delimiter as char).to_string());
    let mut fatal = false;
    for problem in &map.problems {
        fatal = true;
        diags.push(crate::load::exports::mapping_diagnostic(
            rel, headers, problem, settings,
        ));
    }
    for &i in map.unmapped.iter().filter(|_| !only_named) {
        diags.push(
            Diagnostic::warning(
                "unmapped-header",
                rel,
                format!(
                    "header `{}` is not mapped to any canonical column; ignored",
                    headers[i]
                ),
            )
            .at(1, 1)
            .snippet(header_text.clone())
            .help(format!(
                "map it in `data.{}.columns`, or list it under `ignore` in a profile",
                settings.name
            )),
        );
    }
    let Some(&date) = map.columns.get("date") else {
        diags.push(
            Diagnostic::error("missing-column", rel, "no date column")
                .at(1, 1)
                .snippet(header_text)
                .expected("a header such as date, 日期 or 统计日期")
                .help(format!(
                    "map it: `data.{}.columns: {{date: <your header>}}`",
                    settings.name
                )),
        );
        return None;
    };
    let group = map.columns.get("group_id").copied();
    let mut breakdown = map.columns.contains_key("source");
    if let Some(p) = profile {
        let keys: Vec<String> = headers.iter().map(|h| normalize(h).key).collect();
        breakdown |= p.breakdown.iter().any(|b| keys.contains(&normalize(b).key));
    }
    let mut values = Vec::new();
    for (ci, col) in DAILY_COLUMNS.iter().enumerate() {
        if let Some(&hi) = map.columns.get(col.name) {
            if breakdown && col.nature != Nature::Additive {
                fatal = true;
                diags.push(
                    Diagnostic::error(
                        "breakdown-not-additive",
                        rel,
                        format!("`{}` cannot be summed across a breakdown: it is a stock or unique count", col.name),
                    )
                    .at(1, 1)
                    .snippet(header_text.clone())
                    .field(format!("column `{}`", headers[hi]))
                    .help("export this column in a file without a breakdown (one row per date and group)"),
                );
                continue;
            }
            if let Some(p) = profile
                && p.cumulative
                    .iter()
                    .any(|c| normalize(c).key == normalize(&headers[hi]).key)
            {
                cumulative.insert(ci, headers[hi].clone());
            }
            values.push((ci, hi));
            table.present.insert(col.name);
        }
    }
    let mut derived = Vec::new();
    if let Some(p) = profile {
        let find = |h: &str| {
            headers
                .iter()
                .position(|x| normalize(x).key == normalize(h).key)
        };
        for (name, spec) in &p.derived {
            let (Some(target), Some(pct)) = (daily_index(name), find(&spec.from_pct)) else {
                continue;
            };
            if map.columns.contains_key(name.as_str()) {
                continue;
            }
            let times =
                match daily_index(&spec.times).filter(|ci| values.iter().any(|(c, _)| c == ci)) {
                    Some(ci) => TimesSource::Column(ci),
                    None => match find(&spec.times) {
                        Some(hi) => TimesSource::Header(hi),
                        None => continue,
                    },
                };
            let header = &headers[pct];
            let percent = match settings.percent_scale {
                PercentScale::Percent => true,
                PercentScale::Fraction => false,
                PercentScale::Auto => {
                    let key = normalize(header).key;
                    let looks = ["pct", "%", "占比", "率"].iter().any(|m| key.contains(m));
                    if looks {
                        diags.push(
                            Diagnostic::warning("percent-scale", rel, format!("`{header}` is read as a percentage (0–100)"))
                                .at(1, 1)
                                .help(format!("set `data.{}.percent_scale: percent` (or `fraction`) to make this explicit", settings.name)),
                        );
                    }
                    looks
                }
            };
            let scale = if percent {
                Decimal::new(1, 2)
            } else {
                Decimal::ONE
            };
            derived.push(DerivedCol {
                target,
                pct,
                times,
                scale,
            });
            table.present.insert(DAILY_COLUMNS[target].name);
        }
    }
    if fatal {
        return None;
    }
    Some(FileColumns {
        date,
        group,
        values,
        breakdown,
        derived,
    })
}

/// Reads only the date column to find a value that settles day/month order
/// (docs/rules.md#cell-values).
pub(super) fn scan_order(
    abs: &Path,
    encoding: crate::load::exports::UsedEncoding,
    sheet: Option<&str>,
    delimiter: u8,
    date: usize,
    header_line: usize,
) -> Option<DayMonth> {
    crate::load::exports::rescan_column(abs, encoding, sheet, delimiter, date, header_line)
        .find_map(|t| value::order_evidence(&t))
}
