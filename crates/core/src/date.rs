//! Calendar dates as users type them and as kojo stores them (`YYYY-MM-DD`). One parser for every
//! date field (answers' target dates, plan due dates, round periods, interview dates), so they all
//! accept the same spellings and refuse the same mistakes. Display lives in [`crate::format`].

use std::fmt;

/// The years kojo accepts: a typo such as `0007` or `20266` is refused rather than stored.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// The first date kojo accepts (1 January of the first of [`YEARS`]).
    pub const MIN: Date = Date {
        year: *YEARS.start(),
        month: 1,
        day: 1,
    };

    /// A date from numbers, if it exists and its year is in [`YEARS`].
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = YEARS.contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// `2026-03-31`, `2026/3/31` (and surrounding spaces); anything else is `None`.
    pub fn parse(s: &str) -> Option<Date> {
        let parts: Vec<&str> = s.trim().split(['-', '/']).collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        let digits =
            |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
        if !(y.len() == 4 && digits(y) && digits(m) && digits(d)) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    /// The stored form, `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(NotADate(text)))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

/// Text that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date")]
pub struct NotADate(pub String);

/// An optional date field: empty means none; anything else must be a date.
pub fn parse_optional(s: &str) -> Result<Option<Date>, NotADate> {
    match s.trim() {
        "" => Ok(None),
        d => Date::parse(d)
            .map(Some)
            .ok_or_else(|| NotADate(d.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spellings_people_type() {
        let d = |s: &str| Date::parse(s).map(|d| d.iso());
        assert_eq!(d("2026/3/31").as_deref(), Some("2026-03-31"));
        assert_eq!(d(" 2026-03-31 ").as_deref(), Some("2026-03-31"));
        assert_eq!(d("2028-02-29").as_deref(), Some("2028-02-29"));
        assert_eq!(d("2027-02-29"), None, "not a leap year");
        assert_eq!(d("31.03.2026"), None);
        assert_eq!(d("2026-13-01"), None);
        assert_eq!(d("2027/13/45"), None);
        assert_eq!(d("0007-01-01"), None, "year out of range");
        assert_eq!(d("26-01-01"), None, "two-digit year");
        assert_eq!(d("2026-+1-01"), None);
        assert_eq!(parse_optional("  "), Ok(None));
        assert_eq!(parse_optional("x"), Err(NotADate("x".into())));
    }
}
