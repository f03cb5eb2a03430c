//! What charts-rs does not do, done on or beside its SVG: the colour palette and its dark
//! counterpart, nice axis scales, the CJK font stack on the root element, dashes in the legend,
//! vertical annotations (phases, milestones, fired triggers), signed waterfall labels and goal
//! sparklines. Each function says whether it post-processes charts-rs output or draws by hand.

use charts_rs::Color;

/// Series colours: the light value is what the SVG is drawn with (and what prints); the dark
/// value replaces it under `prefers-color-scheme: dark` through the theme's
/// `.chart [stroke="…"]` / `.chart [fill="…"]` rules. Every value has at least 3:1 contrast
/// against its page background (`#FFFFFF` light, `#15191E` dark); a test checks both.
pub const SERIES: [(&str, &str); 7] = [
    ("#2F6F9F", "#7CB4E0"),
    ("#C2410C", "#FF9E6B"),
    ("#1E7B4A", "#6FCF97"),
    ("#7B4FB0", "#C3A6FF"),
    ("#8A5A00", "#F2C94C"),
    ("#B4235A", "#FF8AB3"),
    ("#0F766E", "#5FD4C8"),
];

/// Over budget (a waterfall step up) and a fired trigger.
pub const BAD: (&str, &str) = ("#C0392B", "#FF8A80");
/// Under budget (a waterfall step down).
pub const GOOD: (&str, &str) = ("#1E7B4A", "#6FCF97");
/// Totals in a waterfall and milestones.
pub const NEUTRAL: (&str, &str) = ("#2F6F9F", "#7CB4E0");
/// charts-rs's axis and label grey, used for phase boundaries too.
pub const MUTED: (&str, &str) = ("#6E7079", "#9AA5B1");
/// charts-rs's legend text.
pub const TEXT: (&str, &str) = ("#464646", "#E4E7EB");

/// Every colour pair the theme's dark rules must cover.
pub fn all_pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    SERIES.into_iter().chain([BAD, GOOD, NEUTRAL, MUTED, TEXT])
}

/// A `#RRGGBB` constant as a charts-rs colour.
pub fn color(hex: &str) -> Color {
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    (byte(1), byte(3), byte(5)).into()
}

/// The series colours in drawing order.
pub fn series_colors() -> Vec<Color> {
    SERIES.iter().map(|(light, _)| color(light)).collect()
}

/// WCAG contrast ratio of two `#RRGGBB` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |hex: &str| {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// A value axis from `lo` to `hi` on round steps (1, 2, 2.5 or 5 × 10ⁿ), 4 to 7 intervals, always
/// including zero: `(min, max, intervals)` for charts-rs's `min`, `max` and `split_number`, which
/// otherwise divides the data's range evenly into labels such as 680 and 1.4k.
pub fn nice_axis(lo: f32, hi: f32) -> (f32, f32, usize) {
    nice_axis_in(lo, hi, 4..=7)
}

/// [`nice_axis`] with two or three intervals: for a value axis across a phone's narrow plot,
/// where five labels such as `80,000` do not fit side by side (charts-rs then drops one and
/// moves the others off their ticks).
pub fn nice_axis_narrow(lo: f32, hi: f32) -> (f32, f32, usize) {
    nice_axis_in(lo, hi, 2..=3)
}

fn nice_axis_in(lo: f32, hi: f32, allowed: std::ops::RangeInclusive<usize>) -> (f32, f32, usize) {
    let lo = lo.min(0.0);
    let hi = hi.max(0.0);
    let span = f64::from(hi - lo);
    if !span.is_finite() || span <= 0.0 {
        return (lo, lo + 1.0, *allowed.start());
    }
    let mut best: Option<(f64, f64, usize)> = None;
    let magnitude = 10f64.powf((span / 5.0).log10().floor());
    for scale in [magnitude / 10.0, magnitude, magnitude * 10.0] {
        for base in [1.0, 2.0, 2.5, 5.0] {
            let step = base * scale;
            let min = (f64::from(lo) / step).floor() * step;
            let max = (f64::from(hi) / step).ceil() * step;
            let intervals = ((max - min) / step).round() as usize;
            if !allowed.contains(&intervals) {
                continue;
            }
            // The tightest fit wins; ties go to fewer intervals.
            if best.is_none_or(|(bmin, bmax, bn)| (max - min, intervals) < (bmax - bmin, bn)) {
                best = Some((min, max, intervals));
            }
        }
    }
    match best {
        Some((min, max, n)) => (min as f32, max as f32, n),
        None => (lo, hi, *allowed.start()),
    }
}

/// The fonts the SVG asks the reader's browser for: the font the layout was measured with first,
/// then the common CJK system fonts of the same metrics class (ideographs are one em wide in all
/// of them), so a reader without Noto still sees text that fits.
const FONT_STACK: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif";

/// Post-processes charts-rs output: drops the font family charts-rs repeats on every `<text>`
/// and names the font stack once on the root (text inherits it), and adds `role="img"` and an
/// accessible `<title>`.
pub fn finish(svg: &str, family: &str, title: &str) -> String {
    let repeated = format!(" font-family=\"{family}\"");
    let escaped = super::format::escape(title);
    // Written in one pass: the root's own attributes, the font stack, role and title, then
    // the rest with the repeated family dropped (the family has no `>`, so the root tag ends
    // where it did).
    let mut out = String::with_capacity(svg.len() + FONT_STACK.len() + escaped.len() + 48);
    let rest = match svg.find('>') {
        Some(i) if svg.starts_with("<svg") => {
            replace_into(&mut out, &svg[..i], &repeated, "");
            out.push_str(" font-family=\"");
            out.push_str(FONT_STACK);
            out.push_str("\" role=\"img\"><title>");
            out.push_str(&escaped);
            out.push_str("</title>");
            &svg[i + 1..]
        }
        _ => svg,
    };
    replace_into(&mut out, rest, &repeated, "");
    out
}

/// Post-processes charts-rs's legend: its sample line for a series is solid whatever the
/// series' dashes, so a dashed reference line would be told apart by colour alone. The legend
/// comes before the plot; only its `<line stroke-width="2" … stroke="C"/>` samples are touched.
pub fn dash_legend(mut svg: String, dashes: &[(String, String)]) -> String {
    if dashes.is_empty() {
        return svg;
    }
    let plot = find(&svg, "<g stroke=\"").unwrap_or(svg.len());
    let mut legend = svg[..plot].to_string();
    for (color, dash) in dashes {
        legend = replace_all(
            &legend,
            &format!(" stroke=\"{color}\"/>"),
            &format!(" stroke=\"{color}\" stroke-dasharray=\"{dash}\"/>"),
        );
    }
    svg.replace_range(..plot, &legend);
    svg
}

/// What a vertical annotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A phase starts.
    Phase,
    /// A milestone is due.
    Milestone,
    /// A risk trigger first fired.
    Trigger,
}

/// A vertical line at the `index`-th point of a line chart, labelled at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The point (0-based) of the first series.
    pub index: usize,
    /// The words shown (cut to fit before the next mark; the whole text is the line's title).
    pub label: String,
    /// Phase, milestone or trigger: its colour and dashes.
    pub kind: MarkKind,
}

/// The plot's geometry as charts-rs laid it out: the x of each point of the first series (its
/// path), and the top and bottom of the plot (first grid line, x-axis line).
struct Plot {
    xs: Vec<f32>,
    top: f32,
    bottom: f32,
    right: f32,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = find(tag, &format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn number(tag: &str, name: &str) -> Option<f32> {
    attr(tag, name)?.parse().ok()
}

/// `text` with every `from` replaced by `to`, as `str::replace` does, found with memchr's
/// searcher: charts are tens of kilobytes and each is post-processed several times.
pub fn replace_all(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    replace_into(&mut out, text, from, to);
    out
}

/// [`replace_all`], appending to `out`.
fn replace_into(out: &mut String, text: &str, from: &str, to: &str) {
    if from.is_empty() {
        out.push_str(&text.replace(from, to));
        return;
    }
    let mut last = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), from.as_bytes()) {
        // Matches may overlap (`aa` in `aaa`); `str::replace` takes them left to right.
        if at < last {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
}

/// Where `needle` first occurs in `haystack` (memchr's searcher: these look through whole
/// charts, where `str::find` was most of the annotation's cost).
fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

fn plot(svg: &str) -> Option<Plot> {
    let path = &svg[find(svg, "<path d=\"")?..];
    let d = attr(path, "d")?;
    let numbers: Vec<f32> = d
        .split(' ')
        .filter(|t| *t != "M" && *t != "L")
        .filter_map(|t| t.parse().ok())
        .collect();
    let xs = numbers.chunks(2).map(|p| p[0]).collect();
    let grid = &svg[find(svg, "<g stroke=\"#E0E6F2\"")?..];
    let top = number(&grid[find(grid, "<line")?..], "y1")?;
    let axis = &svg[find(svg, &format!("<g stroke=\"{}\"", MUTED.0))?..];
    let line = &axis[find(axis, "<line")?..];
    Some(Plot {
        xs,
        top,
        bottom: number(line, "y1")?,
        right: number(line, "x2")?,
    })
}

/// How many rows of labels annotations may take at the top of a plot.
const LABEL_ROWS: usize = 3;

/// Draws annotations by hand on a charts-rs line chart (charts-rs has horizontal mark lines and
/// areas, not vertical ones): a line per mark at its point's x, its label at the top of the
/// plot. Labels are staggered over up to three rows, each on the first row where the label
/// before it has ended, so close marks keep their words; only a label with no free row is cut
/// with "…" before the next one. Each label is haloed in the background colour so that a
/// series, target or benchmark line never strikes through it. `points` is the length of the
/// first series; if its path does not have that many points the chart is left as it is.
pub fn annotate(svg: String, family: &str, points: usize, marks: &[Mark]) -> String {
    if marks.is_empty() {
        return svg;
    }
    let Some(plot) = plot(&svg) else {
        return svg;
    };
    if plot.xs.len() != points {
        return svg;
    }
    let mut marks: Vec<&Mark> = marks.iter().filter(|m| m.index < points).collect();
    marks.sort_by_key(|m| m.index);
    let size = 12.0;
    let width = |s: &str| {
        charts_rs::measure_text_width_family(family, size, s)
            .map(|b| b.width())
            .unwrap_or(f32::MAX)
    };
    // Where each row's last label ends.
    let mut row_end = [f32::MIN; LABEL_ROWS];
    let mut out = String::from("<g class=\"annotations\">");
    for (i, m) in marks.iter().enumerate() {
        let x = plot.xs[m.index];
        let (colour, dash) = match m.kind {
            MarkKind::Phase => (MUTED.0, "2,3"),
            MarkKind::Milestone => (NEUTRAL.0, "6,3"),
            MarkKind::Trigger => (BAD.0, "6,3"),
        };
        let whole = width(&m.label);
        let left_edge = plot.xs.first().copied().unwrap_or(0.0);
        // Right of its line on the first row free there; else, near the plot's right edge,
        // left of it (ending at the line); else cut on the row that frees first.
        let right = (x + 3.0, x + 3.0 + whole);
        let left = (x - 3.0 - whole, x - 3.0);
        let free = |(from, to): (f32, f32), ends: &[f32; LABEL_ROWS]| {
            (from >= left_edge && to <= plot.right)
                .then(|| ends.iter().position(|end| *end + 4.0 <= from))
                .flatten()
        };
        let (row, start, shown) = if let Some(row) = free(right, &row_end) {
            (row, right.0, m.label.clone())
        } else if let Some(row) = free(left, &row_end) {
            (row, left.0, m.label.clone())
        } else {
            let row = (0..LABEL_ROWS)
                .min_by(|a, b| row_end[*a].total_cmp(&row_end[*b]))
                .unwrap_or(0);
            let next = marks
                .get(i + 1)
                .map_or(plot.right, |n| plot.xs[n.index])
                .min(plot.right);
            let room = if row_end[row] + 4.0 <= right.0 {
                plot.right - right.0
            } else {
                next - right.0 - 3.0
            };
            (row, right.0, fit(family, size, &m.label, room))
        };
        let title = super::format::escape(&m.label);
        out.push_str(&format!(
            "<g><title>{title}</title><line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1\" stroke-dasharray=\"{dash}\"/>",
            plot.top,
            plot.bottom
        ));
        if !shown.is_empty() {
            row_end[row] = row_end[row].max(start + width(&shown));
            out.push_str(&format!(
                "<text font-size=\"{size}\" x=\"{start:.1}\" y=\"{:.1}\" fill=\"{colour}\" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                plot.top + size + (size + 3.0) * row as f32,
                super::format::escape(&shown)
            ));
        }
        out.push_str("</g>");
    }
    out.push_str("</g>");
    drawn_over(svg, &out)
}

/// `svg` with `layer` drawn last, over everything charts-rs drew.
fn drawn_over(mut svg: String, layer: &str) -> String {
    if let Some(end) = svg.rfind("</svg>") {
        svg.insert_str(end, layer);
    }
    svg
}

/// `text` if it fits in `room` px at `size`, else as many characters as fit followed by "…";
/// empty when not even one does.
pub fn fit(family: &str, size: f32, text: &str, room: f32) -> String {
    let width = |s: &str| {
        charts_rs::measure_text_width_family(family, size, s)
            .map(|b| b.width())
            .unwrap_or(f32::MAX)
    };
    if width(text) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let cut: String = chars[..n].iter().chain(['…'].iter()).collect();
        if width(&cut) <= room {
            return cut;
        }
    }
    String::new()
}

/// Writes waterfall labels by hand over charts-rs's bars (its own labels are unsigned, without
/// separators, and clipped above the plot): `labels[i]` goes above the `i`-th bar when
/// `above[i]`, below it otherwise. Bars are the `<rect … data-total=…>` elements, in order.
pub fn waterfall_labels(svg: String, labels: &[(String, bool)]) -> String {
    let mut out = String::from("<g class=\"bar-labels\">");
    let mut rest = svg.as_str();
    let mut i = 0;
    while let Some(at) = rest.find("<rect ") {
        let tag = &rest[at..at + rest[at..].find('>').unwrap_or(0)];
        rest = &rest[at + 5..];
        if attr(tag, "data-total").is_none() {
            continue;
        }
        let (Some((label, above)), Some(x), Some(y), Some(w), Some(h)) = (
            labels.get(i),
            number(tag, "x"),
            number(tag, "y"),
            number(tag, "width"),
            number(tag, "height"),
        ) else {
            break;
        };
        let ty = if *above { y - 5.0 } else { y + h + 15.0 };
        out.push_str(&format!(
            "<text font-size=\"13\" x=\"{:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            x + w / 2.0,
            TEXT.0,
            super::format::escape(label)
        ));
        i += 1;
    }
    out.push_str("</g>");
    drawn_over(svg, &out)
}

/// Paints the waterfall's `i`-th bar (counting the `<rect … data-total=…>` elements, as
/// [`waterfall_labels`] does) `colour` when `paint[i]`: charts-rs colours a step by its sign
/// only, and a signed commitment is neither an overrun nor a saving.
pub fn paint_waterfall_bars(svg: String, paint: &[bool], colour: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    let mut i = 0;
    while let Some(at) = rest.find("<rect ") {
        let end = at + rest[at..].find('>').unwrap_or(0);
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        if attr(tag, "data-total").is_some() {
            if paint.get(i).copied().unwrap_or(false) {
                let mut painted = tag.to_string();
                for name in ["stroke", "fill"] {
                    if let Some(old) = attr(tag, name) {
                        painted = painted.replace(
                            &format!("{name}=\"{old}\""),
                            &format!("{name}=\"{colour}\""),
                        );
                    }
                }
                out.push_str(&painted);
            } else {
                out.push_str(tag);
            }
            i += 1;
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A goal card's sparkline, drawn by hand (a chart library's axes and legend do not fit in
/// 120 × 28 px): the metric as reported on each sample day, and the target as a dashed line.
/// Decorative: the card says the same in words, so it is hidden from screen readers.
pub fn sparkline(values: &[f64], target: Option<f64>) -> Option<String> {
    if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (w, h, pad) = (120.0, 28.0, 3.0);
    let all = values.iter().chain(target.iter()).copied();
    let lo = all.clone().fold(f64::INFINITY, f64::min);
    let hi = all.fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = |v: f64| pad + (hi - v) / span * (h - 2.0 * pad);
    let step = (w - 2.0 * pad) / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", pad + i as f64 * step, y(*v)))
        .collect();
    let mut svg = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-hidden=\"true\">"
    );
    if let Some(t) = target.filter(|t| t.is_finite()) {
        svg.push_str(&format!(
            "<line x1=\"0\" x2=\"{w}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"{1}\" stroke-width=\"1\" stroke-dasharray=\"3,2\"/>",
            y(t),
            MUTED.0
        ));
    }
    let last = points.last().cloned().unwrap_or_default();
    let (lx, ly) = last.split_once(',').unwrap_or(("0", "0"));
    svg.push_str(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/><circle cx=\"{lx}\" cy=\"{ly}\" r=\"2.5\" fill=\"{}\"/></svg>",
        points.join(" "),
        SERIES[0].0,
        SERIES[0].0
    ));
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The searcher's replacement is `str::replace`'s, overlapping matches included.
        #[test]
        fn replace_all_replaces_as_str_replace(
            text in "[ab 图]{0,24}",
            from in "[ab 图]{0,3}",
            to in "[xy]{0,2}",
        ) {
            proptest::prop_assert_eq!(replace_all(&text, &from, &to), text.replace(&from, &to));
        }
    }

    #[test]
    fn every_colour_reads_on_its_background() {
        for (light, dark) in all_pairs() {
            assert!(contrast(light, "#FFFFFF") >= 3.0, "{light} on white");
            assert!(contrast(dark, "#15191E") >= 3.0, "{dark} on the dark page");
        }
        // The check can fail: charts-rs's own green and yellow could not pass it.
        assert!(contrast("#91CC75", "#FFFFFF") < 3.0);
        assert!(contrast("#FAC858", "#FFFFFF") < 3.0);
    }

    #[test]
    fn the_theme_swaps_every_colour_in_dark_mode() {
        let css = include_str!("../../themes/default/static/style.css");
        let dark = css
            .split("@media (prefers-color-scheme: dark)")
            .skip(1)
            .collect::<String>();
        for (light, shade) in all_pairs() {
            for prop in ["stroke", "fill"] {
                let rule = format!(".chart [{prop}=\"{light}\"]");
                let at = dark
                    .find(&rule)
                    .unwrap_or_else(|| panic!("style.css lacks the dark rule {rule}"));
                let body = &dark[at..at + dark[at..].find('}').unwrap()];
                assert!(body.contains(shade), "{rule} should become {shade}: {body}");
            }
        }
    }

    #[test]
    fn axes_fall_on_round_steps() {
        // 3,980 people: 0–4,000 in steps of 1,000 (not 680, 1.4k, … 4.1k).
        assert_eq!(nice_axis(0.0, 3980.0), (0.0, 4000.0, 4));
        assert_eq!(nice_axis(0.0, 150.0), (0.0, 150.0, 6));
        assert_eq!(nice_axis(0.0, 93.4), (0.0, 100.0, 4));
        assert_eq!(nice_axis(0.0, 12.9), (0.0, 14.0, 7));
        // A step down below zero: −10,000 to 60,000 in steps of 10,000.
        let (min, max, n) = nice_axis(-1580.0, 60000.0);
        assert_eq!((min, max, n), (-10000.0, 60000.0, 7));
        assert_eq!(nice_axis(0.0, 0.0), (0.0, 1.0, 4));
    }

    #[test]
    fn a_phone_s_value_axis_has_two_or_three_steps() {
        // The budget roll-up's 60,000 with room for its label (× 1.3 = 78,000): 0, 50,000,
        // 100,000 fit 200 px where 0, 20,000 … 80,000 overlapped.
        assert_eq!(nice_axis_narrow(0.0, 78_000.0), (0.0, 100_000.0, 2));
        assert_eq!(nice_axis_narrow(0.0, 6_891.3), (0.0, 7_500.0, 3));
        assert_eq!(nice_axis_narrow(0.0, 0.0), (0.0, 1.0, 2));
    }

    #[test]
    fn labels_are_cut_to_the_room_they_have() {
        super::super::charts::fonts();
        let family = "Noto Sans CJK SC";
        assert_eq!(fit(family, 12.0, "基础搭建", 100.0), "基础搭建");
        // Three ideographs and an ellipsis take about 4 em; 40 px holds two and "…" at 12 px.
        let cut = fit(family, 12.0, "基础搭建阶段", 40.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 6, "{cut}");
        assert_eq!(fit(family, 12.0, "基础", 3.0), "");
    }

    #[test]
    fn legend_samples_get_the_series_dashes() {
        let svg = "<svg><g><line stroke-width=\"2\" x1=\"1\" stroke=\"#1E7B4A\"/></g><g stroke=\"#E0E6F2\"><path stroke=\"#1E7B4A\"/></g></svg>";
        let out = dash_legend(svg.to_string(), &[("#1E7B4A".into(), "6,4".into())]);
        assert!(out.contains("stroke=\"#1E7B4A\" stroke-dasharray=\"6,4\"/></g><g"));
        assert!(out.ends_with("<path stroke=\"#1E7B4A\"/></g></svg>"));
    }

    #[test]
    fn sparklines_put_the_target_where_the_values_are() {
        let svg = sparkline(&[10.0, 20.0, 30.0], Some(20.0)).unwrap();
        // Range 10–30 over 22 px from y = 3: the target (20) is at the middle, y = 14.
        assert!(svg.contains("y1=\"14.0\""), "{svg}");
        assert!(
            svg.contains("points=\"3.0,25.0 60.0,14.0 117.0,3.0\""),
            "{svg}"
        );
        assert!(sparkline(&[1.0], None).is_none());
        assert!(sparkline(&[1.0, f64::NAN], None).is_none());
    }

    #[test]
    fn annotations_stand_on_their_data_point() {
        super::super::charts::fonts();
        let family = "Noto Sans CJK SC";
        let data: Vec<f32> = (0..10).map(|i| (i * 3) as f32).collect();
        let x: Vec<String> = (1..=10).map(|d| format!("07-{d:02}")).collect();
        let mut chart =
            charts_rs::LineChart::new(vec![charts_rs::Series::new("a".into(), data)], x);
        chart.font_family = family.into();
        let svg = chart.svg().unwrap();
        let marks = [Mark {
            index: 3,
            label: "互动激活".into(),
            kind: MarkKind::Phase,
        }];
        let out = annotate(svg.clone(), family, 10, &marks);
        let path = attr(&svg[svg.find("<path d=").unwrap()..], "d").unwrap();
        let fourth_x: f32 = path
            .split(' ')
            .filter(|t| *t != "M" && *t != "L")
            .nth(6)
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            out.contains(&format!("<line x1=\"{fourth_x:.1}\"")),
            "{fourth_x}: {out}"
        );
        assert!(out.contains(">互动激活</text>"));
        // Marks a point apart each keep their whole label, staggered over three rows; a
        // fourth, with no row free yet, is cut before the next mark.
        let long = [
            "一二三四五六七八九十一二三四五六七八",
            "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛",
        ];
        let close: Vec<Mark> = (0..5)
            .map(|i| Mark {
                index: 3 + i,
                label: format!("{i}{}", long[i % 2]),
                kind: MarkKind::Milestone,
            })
            .collect();
        let out = annotate(svg.clone(), family, 10, &close);
        let layer = &out[out.find("<g class=\"annotations\">").unwrap()..];
        let texts: Vec<(String, String)> = layer
            .split("<text ")
            .skip(1)
            .map(|t| {
                let y = attr(&format!(" {t}"), "y").unwrap_or_default().to_string();
                let words = t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].to_string();
                (y, words)
            })
            .collect();
        for (i, (_, words)) in texts.iter().take(3).enumerate() {
            assert_eq!(*words, close[i].label, "{texts:?}");
        }
        let rows: std::collections::BTreeSet<&str> =
            texts.iter().take(3).map(|(y, _)| y.as_str()).collect();
        assert_eq!(rows.len(), 3, "{texts:?}");
        assert!(texts[3].1.ends_with('…'), "{texts:?}");
        // Labels are haloed so that no line strikes through them.
        assert!(out.contains("paint-order=\"stroke\""));
        // A chart whose first series has another length is left alone.
        assert_eq!(annotate(svg.clone(), family, 9, &marks), svg);
    }

    #[test]
    fn waterfall_labels_go_above_rises_and_below_falls() {
        let svg = "<svg><rect x=\"10\" y=\"50\" width=\"20\" height=\"30\" data-total=\"true\"/><rect x=\"40\" y=\"50\" width=\"20\" height=\"10\" data-total=\"false\"/></svg>";
        let out = waterfall_labels(
            svg.to_string(),
            &[("60,000".into(), true), ("-1,600".into(), false)],
        );
        assert!(
            out.contains("x=\"20.0\" y=\"45.0\" text-anchor=\"middle\" fill=\"#464646\">60,000<"),
            "{out}"
        );
        assert!(
            out.contains("x=\"50.0\" y=\"75.0\" text-anchor=\"middle\" fill=\"#464646\">-1,600<"),
            "{out}"
        );
    }
}
