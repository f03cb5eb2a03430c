//! `data:`: where the exports are and how to read them.

use super::*;

/// `data:` — where the exports are and how to read them (docs/data.md#sources).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSources {
    /// Daily aggregates (one row per day, or per day and group).
    #[serde(default)]
    pub daily: Option<DataSource>,
    /// Message and membership event logs (one row per event), aggregated per day.
    #[serde(default)]
    pub events: Option<OneOrMany<DataSource>>,
    /// The spend ledger: one source or several (a finance export and ad-platform reports).
    #[serde(default)]
    pub ledger: Option<OneOrMany<DataSource>>,
    #[serde(default)]
    pub members: Option<DataSource>,
    #[serde(default)]
    pub activities: Option<DataSource>,
    #[serde(default)]
    pub progress: Option<DataSource>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub path: String,
    #[serde(default)]
    pub encoding: Option<Encoding>,
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default)]
    pub percent_scale: Option<PercentScale>,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub group_column: Option<String>,
    #[serde(default)]
    pub missing: Option<MissingPolicy>,
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    #[serde(default)]
    pub status_map: BTreeMap<String, String>,
    #[serde(default)]
    pub optional: bool,
    /// How timestamps with an explicit offset name their day; detected per file when absent.
    #[serde(default)]
    pub timestamps: Option<TimestampMode>,
    /// Event sources: the days the log is complete for (a day without events inside is 0).
    #[serde(default)]
    pub covers: Option<Period>,
    /// Spend sources: the budget category every row of this source belongs to (an ad
    /// platform's report for one category), instead of a category column.
    #[serde(default)]
    pub category: Option<String>,
    /// Workbooks: the sheet to read (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Spend sources: the date of every entry (`2026-02-28`), for a report that carries none
    /// (an "All time" download); it overrides a profile's own way of dating entries.
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub entry_date: Option<Date>,
    /// Daily sources: what one row stands for, `daily`, `weekly`, `monthly` or `"days:N"`, when
    /// the spacing of the rows cannot tell (detected otherwise: the smallest gap between dates).
    #[serde(default)]
    pub granularity: Option<String>,
    /// Members and activities sources: headers that name a person (姓名, 昵称, 手机 …) the team
    /// accepts in the file. Such a column is refused unless listed here; listed, it may only be
    /// the member id, which is kept as a keyed hash (docs/members.md#privacy).
    #[serde(default)]
    pub pseudonymize: Vec<String>,
    /// Members sources: the export's tier words (or tags) → the plan's tier ids
    /// (`community.tiers`), when they differ; `""` for a word that is no tier (a city tag),
    /// which then raises no warning.
    #[serde(default)]
    pub tier_map: BTreeMap<String, String>,
    /// Members sources without a `left_on` column: the day the list was exported (it lists
    /// the members of that day). Who was a member on another day cannot be told from it.
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub exported_on: Option<Date>,
}

/// One item or a list of them (`data.events: {path: …}` or `data.events: [{…}, {…}]`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// By hand rather than `untagged`: a mapping is read as one item and a list as several, so a
/// typo inside an item is reported as that item's unknown key, not "did not match any variant".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source (a mapping) or a list of sources")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    /// The items, with the field path of each (`data.events` or `data.events[1]`).
    pub fn items(&self, field: &str) -> Vec<(String, &T)> {
        match self {
            OneOrMany::One(x) => vec![(field.to_string(), x)],
            OneOrMany::Many(xs) => xs
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("{field}[{i}]"), x))
                .collect(),
        }
    }
}

impl DataSources {
    /// The gap policy (`data.daily.missing`), or the default when there is no daily export.
    pub fn missing_policy(&self) -> MissingPolicy {
        self.daily
            .as_ref()
            .and_then(|d| d.missing)
            .unwrap_or_default()
    }
}

/// How a timestamp with an explicit offset names its day (docs/rules.md#day-buckets-and-instants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimestampMode {
    /// Each value names the calendar day as written (`2020-09-03T00:00:00+00:00` is 09-03 in any
    /// timezone): platform exports that bucket by day.
    DayBuckets,
    /// Each value is a moment, converted to the plan's timezone before the day is taken.
    Instants,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Auto,
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    #[serde(alias = "gbk")]
    Gb18030,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PercentScale {
    Auto,
    Fraction,
    Percent,
}

/// Gap handling (docs/rules.md#general-rules G2/G3): forward fill limit and the coverage below
/// which KPIs are partial.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissingPolicy {
    #[serde(default = "default_ffill")]
    pub max_ffill_days: u32,
    #[serde(default = "default_coverage")]
    pub min_coverage: Ratio,
}

impl Default for MissingPolicy {
    fn default() -> Self {
        MissingPolicy {
            max_ffill_days: default_ffill(),
            min_coverage: default_coverage(),
        }
    }
}

fn default_ffill() -> u32 {
    3
}

fn default_coverage() -> Ratio {
    Ratio(0.9)
}
