//! The outline of a post-mortem's human part (`retro.md`): the `##` sections the page places,
//! with the Chinese and English names that select them, and which a final one must fill.

/// A human section of docs/rules.md#human-sections that the page places in the outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// 总结 Summary.
    Summary,
    /// 关键偏差说明 Variance explanations.
    Variances,
    /// 时间线 Timeline (optional annotations).
    Timeline,
    /// 分阶段回顾 Phase review.
    Phases,
    /// 转化漏斗 Funnel analysis.
    Funnel,
    /// 风险回顾 Risk review.
    Risks,
    /// 做得好的 What went well.
    WentWell,
    /// 做得不好的 What went wrong.
    WentWrong,
    /// 侥幸之处 Where we got lucky.
    Lucky,
    /// 根因分析 Root causes.
    RootCauses,
    /// 下期调整建议 Changes for next plan.
    NextPlan,
}

impl Section {
    /// Every section with the Chinese and English heading names that select it.
    pub const ALL: &[(Section, &'static str, &'static str)] = &[
        (Section::Summary, "总结", "summary"),
        (Section::Variances, "关键偏差说明", "variance explanations"),
        (Section::Timeline, "时间线", "timeline"),
        (Section::Phases, "分阶段回顾", "phase review"),
        (Section::Funnel, "转化漏斗", "funnel"),
        (Section::Risks, "风险回顾", "risk review"),
        (Section::WentWell, "做得好的", "what went well"),
        (Section::WentWrong, "做得不好的", "what went wrong"),
        (Section::Lucky, "侥幸之处", "where we got lucky"),
        (Section::RootCauses, "根因分析", "root causes"),
        (Section::NextPlan, "下期调整建议", "changes for next plan"),
    ];

    /// The section a `##` heading names: it starts with the Chinese name or the English one.
    pub fn of_heading(text: &str) -> Option<Section> {
        let lower = text.trim().to_lowercase();
        Section::ALL
            .iter()
            .find(|(_, zh, en)| lower.starts_with(zh) || lower.starts_with(en))
            .map(|(s, _, _)| *s)
    }
}

/// The sections a final post-mortem must fill (README "Post-mortems"): the rest are optional.
pub const REQUIRED: &[Section] = &[
    Section::Summary,
    Section::Variances,
    Section::Risks,
    Section::WentWell,
    Section::WentWrong,
    Section::Lucky,
    Section::RootCauses,
    Section::NextPlan,
];
