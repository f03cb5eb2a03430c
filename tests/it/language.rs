//! One vocabulary per language (#9): the example site's zh-CN pages show no snake_case id and
//! no English word in visible text outside `<code>` and `lang="en"` elements. What the plan
//! authors wrote themselves (a benchmark's source, an action item's text) is theirs to word; it
//! is listed below, page by page, with how often it may appear, so a generated English word can
//! never hide behind it.

use crate::common;

use std::collections::BTreeMap;

/// Elements whose text is not read as page prose: ids and formulas (`code`), scripts, styles,
/// the document title (the `<h1>` says the same).
const SKIPPED: &[&str] = &["script", "style", "code", "pre", "title"];
const VOID: &[&str] = &[
    "br", "img", "meta", "link", "input", "hr", "wbr", "source", "col", "area", "base",
];

/// The visible text of a page, with skipped elements, `lang="en"` and `hidden` subtrees left out.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut skipping = 0usize;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if skipping == 0 {
            out.push_str(&rest[..open]);
            out.push(' ');
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c);
        let tag = &rest[open + 1..close];
        rest = &rest[(close + 1).min(rest.len())..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            while let Some((open, skip)) = stack.pop() {
                skipping -= usize::from(skip);
                if open == name {
                    break;
                }
            }
            continue;
        }
        let name: String = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        let skip = SKIPPED.contains(&name.as_str())
            || tag.contains(" lang=\"en")
            || tag.contains(" hidden");
        skipping += usize::from(skip);
        stack.push((name, skip));
    }
    out
}

/// Words a Chinese reader should not meet: snake_case ids, and English words of three or more
/// letters (lower-case or capitalised). Acronyms (GMV, KOL, CPI) are names and pass.
fn english_words(text: &str) -> BTreeMap<String, usize> {
    let mut words = BTreeMap::new();
    let text = text
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"");
    for word in text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        let snake = word.contains('_');
        let lower = word.chars().all(|c| c.is_ascii_lowercase()) && letters >= 3;
        let capitalised = word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && word.chars().skip(1).all(|c| c.is_ascii_lowercase())
            && letters >= 3;
        if (snake || lower || capitalised) && word != "qunce" {
            *words.entry(word.to_string()).or_default() += 1;
        }
    }
    words
}

#[test]
fn the_scanner_finds_what_it_is_meant_to() {
    let html = "<p>状态 open · <code>t_active30</code> <span lang=\"en\">Net growth</span> funnel_step_rate.action GMV Daily</p><script>var x_y;</script>";
    let found = english_words(&visible_text(html));
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        ["Daily", "funnel_step_rate.action", "open"]
    );
}

/// Every page of the built example: its path under `public/` and its HTML, each a zh-CN page.
fn example_pages() -> Vec<(String, String)> {
    let site = common::built_example();
    let public = site.path().join("public");
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            html.contains("<html lang=\"zh-CN\""),
            "{page} is not a zh-CN page"
        );
        pages.push((page, html));
    }
    assert!(pages.len() >= 20, "only {} pages", pages.len());
    pages
}

#[test]
fn chinese_pages_speak_chinese() {
    // The example's own words are all Chinese too: no page of it may show an English word.
    let mut found = Vec::new();
    for (page, html) in example_pages() {
        for (word, count) in english_words(&visible_text(&html)) {
            found.push(format!("{page}: {word} ×{count}"));
        }
    }
    assert!(
        found.is_empty(),
        "English on Chinese pages:\n{}",
        found.join("\n")
    );
}

/// Earned-value acronyms, FTE, `pp` and file names a Chinese reader meets in visible text
/// (`<code>` and `lang="en"` left out, as above).
fn jargon(text: &str) -> BTreeMap<String, usize> {
    const ACRONYMS: &[&str] = &[
        "AC", "EV", "PV", "CPI", "SPI", "BAC", "EAC", "CV", "SV", "VAC", "TCPI", "FTE",
    ];
    let mut found = BTreeMap::new();
    for token in text
        .replace("&amp;", "&")
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|w| w.trim_matches('.'))
    {
        let points = token.ends_with("pp")
            && token[..token.len() - 2]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            && token.len() > 2;
        let file = [".csv", ".json", ".xlsx", ".yaml", ".md"]
            .iter()
            .any(|ext| token.ends_with(ext) && token.len() > ext.len());
        if ACRONYMS.contains(&token) || points || file {
            *found.entry(token.to_string()).or_default() += 1;
        }
    }
    found
}

#[test]
fn the_jargon_scanner_finds_what_it_is_meant_to() {
    let html = "<p>CPI 0.9 · -3.0pp · kpis.json · 成本绩效指数 <code>members.csv</code> <span lang=\"en\">EAC</span> GMV</p>";
    let found = jargon(&visible_text(html));
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        ["3.0pp", "CPI", "kpis.json"]
    );
}

/// Reader pages in Chinese use the Chinese earned-value words (实际成本, 挣值, 成本绩效指数 …),
/// never the acronyms, FTE, `pp` or a file name outside `<code>`; the KPI glossary (`kpis/`),
/// which names each measure's formula, is exempt.
#[test]
fn chinese_reader_pages_have_no_jargon() {
    let mut found = Vec::new();
    for (page, html) in example_pages() {
        if page.starts_with("kpis/") {
            continue;
        }
        for (word, count) in jargon(&visible_text(&html)) {
            found.push(format!("{page}: {word} ×{count}"));
        }
    }
    assert!(
        found.is_empty(),
        "jargon on Chinese pages:\n{}",
        found.join("\n")
    );
}

/// Stretches where an ASCII `: ` or ` (` follows Chinese text (tag boundaries, which
/// [`visible_text`] turns into spaces, are not in the way).
fn ascii_punctuation_after_chinese(text: &str) -> Vec<String> {
    let mut squeezed = String::new();
    for c in text.chars() {
        let last = squeezed.chars().next_back();
        if c.is_whitespace() && last.is_some_and(char::is_whitespace) {
            continue;
        }
        if c == ':' && last == Some(' ') {
            squeezed.pop();
        }
        squeezed.push(if c.is_whitespace() { ' ' } else { c });
    }
    let chars: Vec<char> = squeezed.chars().collect();
    let chinese = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '）';
    chars
        .windows(3)
        .enumerate()
        .filter(|(_, w)| {
            chinese(w[0]) && ((w[1] == ':' && w[2] == ' ') || (w[1] == ' ' && w[2] == '('))
        })
        .map(|(i, _)| {
            chars[i.saturating_sub(8)..(i + 10).min(chars.len())]
                .iter()
                .collect()
        })
        .collect()
}

#[test]
fn the_punctuation_scanner_finds_what_it_is_meant_to() {
    let html = "<li><a>人均月成本</a>: 远低于上限</li><td>未触发 <small>(月流失率)</small></td><p>成本绩效指数：0.9（备注）</p><p>GMV (USD): 10</p>";
    assert_eq!(
        ascii_punctuation_after_chinese(&visible_text(html)).len(),
        2
    );
}

/// Chinese pages punctuate in Chinese: no ASCII colon or opening parenthesis right after a
/// Chinese character or closing bracket (`发言人数: `, `未触发 (`) in visible text.
#[test]
fn chinese_pages_use_full_width_punctuation() {
    let mut found = Vec::new();
    for (page, html) in example_pages() {
        let text = visible_text(&html);
        for hit in ascii_punctuation_after_chinese(&text) {
            found.push(format!("{page}: …{hit}…"));
        }
    }
    assert!(
        found.is_empty(),
        "ASCII punctuation on Chinese pages:\n{}",
        found.join("\n")
    );
}
