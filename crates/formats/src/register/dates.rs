//! Dates as asset registers hold them: Excel date cells and serial numbers, `2026/3/31`,
//! `2026-03-31`, `2026.3.31`, `2026年3月31日`, `20260331`, 和暦 (`令和6年4月1日`, `R6.4.1`,
//! `H31/4/30`, `令和元年5月1日`, `㍻31年4月30日`), full-width digits, a month alone (`2027年3月`,
//! `2027/3`: its last day, as a 保守期限 of "March 2027" means), and a period (`2024/4/1～2027/3/31`,
//! `…まで`: its last day).

use kojo_core::date::{Date, days_in_month};
use unicode_normalization::UnicodeNormalization;

use crate::table_in::excel_serial_to_ymd;
use crate::xlsx_read::Value;

/// Serial numbers of 2000-01-01 and 2199-12-31: a plain number in a date column is taken as an
/// Excel date only in this range (a number such as 3 is not a date anyone meant).
const PLAIN_SERIAL_RANGE: std::ops::RangeInclusive<f64> = 36_526.0..=109_939.0;

/// The Japanese eras a register may name, with the Gregorian year before each era's first
/// (令和1 = 2019). The year of era year `n` is `base + n`, whatever the month: `H31/5/1` (a
/// date written after the era changed, as systems that were not updated print it) is
/// 2019-05-01, because what it means is not in doubt.
const ERAS: [(&str, i32); 8] = [
    ("令和", 2018),
    ("平成", 1988),
    ("昭和", 1925),
    ("大正", 1911),
    ("r", 2018),
    ("h", 1988),
    ("s", 1925),
    ("t", 1911),
];

/// The date of a cell, if it holds one (see the module documentation).
pub(crate) fn cell_date(value: &Value) -> Option<Date> {
    match value {
        Value::Date(serial) => serial_date(*serial),
        Value::Number(n) => number_date(*n),
        Value::Text(s) => text_date(s),
        Value::Bool(_) | Value::Error(_) => None,
    }
}

fn serial_date(serial: f64) -> Option<Date> {
    let (y, m, d) = excel_serial_to_ymd(serial)?;
    Date::new(y, m, d)
}

/// A number in a date column: an Excel serial of 2000–2199, or `20260331`.
fn number_date(n: f64) -> Option<Date> {
    if n.fract() != 0.0 {
        return None;
    }
    if PLAIN_SERIAL_RANGE.contains(&n) {
        return serial_date(n);
    }
    if (19_000_101.0..=22_001_231.0).contains(&n) {
        // In range and whole-numbered above: the digits are yyyymmdd.
        let n = kojo_core::num::trunc_i64(n);
        let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
        return Date::new(
            kojo_core::num::saturate(y),
            kojo_core::num::saturate(m),
            kojo_core::num::saturate(d),
        );
    }
    None
}

/// A date written as text.
pub fn text_date(s: &str) -> Option<Date> {
    let s: String = s.nfkc().collect();
    // A period ("2024/4/1～2027/3/31", "2027/3/31まで"): its end.
    let end = s
        .split(['~', '〜', '～'])
        .map(str::trim)
        .rfind(|p| !p.is_empty())?;
    let end = end
        .split("から")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .last()?;
    let end = end.strip_suffix("まで").unwrap_or(end);
    let compact: String = end
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if compact.is_empty() {
        return None;
    }
    if compact.bytes().all(|b| b.is_ascii_digit()) {
        return match compact.len() {
            8 => number_date(compact.parse::<f64>().ok()?),
            5 => number_date(compact.parse::<f64>().ok()?),
            _ => None,
        };
    }
    for (era, base) in ERAS {
        if let Some(rest) = compact.strip_prefix(era) {
            let (year, rest) = match rest.strip_prefix('元') {
                Some(after) => (1, after),
                None => {
                    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if digits == 0 || digits > 2 {
                        return None;
                    }
                    (rest[..digits].parse::<i32>().ok()?, &rest[digits..])
                }
            };
            if year < 1 {
                return None;
            }
            return month_day(base + year, rest);
        }
    }
    let digits = compact.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    month_day(compact[..4].parse().ok()?, &compact[4..])
}

/// The rest of a date after its year: `年3月31日`, `/3/31`, `-03-31`, `.3.31`, or a month alone
/// (`年3月`, `/3`: its last day).
fn month_day(year: i32, rest: &str) -> Option<Date> {
    let mut chars = rest.chars();
    let sep = chars.next()?;
    let rest = chars.as_str();
    let (month, day) = match sep {
        '年' => {
            let (m, rest) = rest.split_once('月')?;
            let day = match rest {
                "" => None,
                d => Some(d.strip_suffix('日')?),
            };
            (m, day)
        }
        '/' | '-' | '.' => match rest.split_once(sep) {
            Some((m, d)) => (m, Some(d)),
            None => (rest, None),
        },
        _ => return None,
    };
    let number = |p: &str| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let month = number(month)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let day = match day {
        Some(d) => number(d)?,
        None => days_in_month(year, month),
    };
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        text_date(s).map(Date::iso)
    }

    #[test]
    fn gregorian_spellings() {
        assert_eq!(d("2026/3/31").as_deref(), Some("2026-03-31"));
        assert_eq!(d("2026-03-31").as_deref(), Some("2026-03-31"));
        assert_eq!(d("2026.3.31").as_deref(), Some("2026-03-31"));
        assert_eq!(d("2026年3月31日").as_deref(), Some("2026-03-31"));
        assert_eq!(d("２０２６／３／３１").as_deref(), Some("2026-03-31"));
        assert_eq!(d(" 2026 年 3 月 31 日 ").as_deref(), Some("2026-03-31"));
        assert_eq!(d("20260331").as_deref(), Some("2026-03-31"));
        assert_eq!(d("2026/2/29"), None, "not a leap year");
        assert_eq!(d("2026/13/1"), None);
        assert_eq!(d("26/3/31"), None, "two-digit year");
        assert_eq!(d("2026/3/31/1"), None);
        assert_eq!(d("2026年3月31"), None);
        assert_eq!(d("来年3月"), None);
        assert_eq!(d("-"), None);
    }

    #[test]
    fn japanese_eras() {
        assert_eq!(d("令和6年4月1日").as_deref(), Some("2024-04-01"));
        assert_eq!(d("令和元年5月1日").as_deref(), Some("2019-05-01"));
        assert_eq!(d("R6.4.1").as_deref(), Some("2024-04-01"));
        assert_eq!(d("r6/4/1").as_deref(), Some("2024-04-01"));
        assert_eq!(d("Ｒ６．４．１").as_deref(), Some("2024-04-01"));
        assert_eq!(d("H31/4/30").as_deref(), Some("2019-04-30"));
        assert_eq!(d("平成31年4月30日").as_deref(), Some("2019-04-30"));
        assert_eq!(d("㍻31年4月30日").as_deref(), Some("2019-04-30"));
        assert_eq!(d("S64.1.7").as_deref(), Some("1989-01-07"));
        assert_eq!(d("H31.5.1").as_deref(), Some("2019-05-01"));
        assert_eq!(d("令和0年1月1日"), None);
        assert_eq!(d("R100.1.1"), None);
        assert_eq!(d("X6.4.1"), None);
    }

    #[test]
    fn months_and_periods_end_on_their_last_day() {
        assert_eq!(d("2027年3月").as_deref(), Some("2027-03-31"));
        assert_eq!(d("2028/2").as_deref(), Some("2028-02-29"));
        assert_eq!(d("R9.3").as_deref(), Some("2027-03-31"));
        assert_eq!(d("2024/4/1～2027/3/31").as_deref(), Some("2027-03-31"));
        assert_eq!(d("2024/4/1〜2027/3/31").as_deref(), Some("2027-03-31"));
        assert_eq!(
            d("2024年4月から2027年3月まで").as_deref(),
            Some("2027-03-31")
        );
        assert_eq!(d("2027/3/31まで").as_deref(), Some("2027-03-31"));
    }

    #[test]
    fn cells() {
        assert_eq!(
            cell_date(&Value::Date(46_112.0)).map(Date::iso).as_deref(),
            Some("2026-03-31")
        );
        assert_eq!(
            cell_date(&Value::Number(46_112.0))
                .map(Date::iso)
                .as_deref(),
            Some("2026-03-31")
        );
        assert_eq!(
            cell_date(&Value::Number(20_260_331.0))
                .map(Date::iso)
                .as_deref(),
            Some("2026-03-31")
        );
        assert_eq!(cell_date(&Value::Number(3.0)), None);
        assert_eq!(cell_date(&Value::Number(46_112.5)), None);
        assert_eq!(cell_date(&Value::Bool(true)), None);
        assert_eq!(
            cell_date(&Value::Text("46112".into()))
                .map(Date::iso)
                .as_deref(),
            Some("2026-03-31")
        );
    }
}
