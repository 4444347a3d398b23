//! Dates and numbers as Japanese users expect them. Japan has no daylight saving time, so
//! times are shown at a fixed UTC+9 (JST) whatever the server's time zone.

use crate::Locale;

const JST_OFFSET_MS: i64 = 9 * 3600 * 1000;

/// A calendar date and time of day in JST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JstDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl JstDateTime {
    /// From UTC milliseconds since the Unix epoch.
    pub fn from_millis(ms: i64) -> JstDateTime {
        let local = ms + JST_OFFSET_MS;
        let days = local.div_euclid(86_400_000);
        let in_day = local.rem_euclid(86_400_000) / 1000;
        let (year, month, day) = civil_from_days(days);
        JstDateTime {
            year,
            month,
            day,
            hour: crate::num::saturate::<u32, _>(in_day / 3600),
            minute: ((in_day % 3600) / 60) as u32,
        }
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = crate::num::saturate::<u32, _>(doy - (153 * mp + 2) / 5 + 1);
    let m = crate::num::saturate::<u32, _>(if mp < 10 { mp + 3 } else { mp - 9 });
    (
        crate::num::saturate::<i32, _>(if m <= 2 { y + 1 } else { y }),
        m,
        d,
    )
}

/// `2026年11月25日` / `25 Nov 2026`.
pub fn date(ms: i64, locale: Locale) -> String {
    let t = JstDateTime::from_millis(ms);
    ymd(t.year, t.month, t.day, locale)
}

/// A calendar date given as numbers.
pub fn ymd(year: i32, month: u32, day: u32, locale: Locale) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match locale {
        Locale::Ja => format!("{year}年{month}月{day}日"),
        Locale::En => format!("{day} {} {year}", MONTHS[(month.clamp(1, 12) - 1) as usize]),
    }
}

/// A stored ISO date (`2026-12-01`) as users read it; anything else is shown as it is.
pub fn iso_date(iso: &str, locale: Locale) -> String {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Some(y)), Some(Some(m)), Some(Some(d))) if (1..=12).contains(&m) => {
            ymd(y as i32, m, d, locale)
        }
        _ => iso.to_string(),
    }
}

/// A period of stored ISO dates, either end possibly open: `2026年12月1日 – 2027年1月31日`,
/// `2026年12月1日 –`, `– 2027年1月31日`, or empty when neither is set.
pub fn period(from: Option<&str>, to: Option<&str>, locale: Locale) -> String {
    let show = |d: Option<&str>| d.map(|d| iso_date(d, locale));
    match (show(from), show(to)) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("{a} –"),
        (None, Some(b)) => format!("– {b}"),
        (None, None) => String::new(),
    }
}

/// `2026年11月25日 19:45` / `25 Nov 2026 19:45 JST`.
pub fn datetime(ms: i64, locale: Locale) -> String {
    let t = JstDateTime::from_millis(ms);
    match locale {
        Locale::Ja => format!("{} {:02}:{:02}", date(ms, locale), t.hour, t.minute),
        Locale::En => format!("{} {:02}:{:02} JST", date(ms, locale), t.hour, t.minute),
    }
}

/// The Japanese era year (和暦) of a date: `令和8年` for 2026. Covers 平成 and 令和.
pub fn wareki_year(year: i32, month: u32, day: u32) -> String {
    let reiwa = (year, month, day) >= (2019, 5, 1);
    let (era, first) = if reiwa {
        ("令和", 2019)
    } else {
        ("平成", 1989)
    };
    match year - first + 1 {
        1 => format!("{era}元年"),
        n => format!("{era}{n}年"),
    }
}

/// The Japanese fiscal year (年度, April to March) a date falls in.
pub fn fiscal_year(year: i32, month: u32) -> i32 {
    if month >= 4 { year } else { year - 1 }
}

/// An integer with thousands separators: `1,234,567`.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Rounds half up to one decimal, as the 2022 report does (`65.05` → `65.1`).
pub fn round1(value: f64) -> f64 {
    // Work in tenths with a small epsilon so binary noise (65.05 = 65.04999…) rounds up.
    ((value * 10.0) + 0.5 + 1e-9).floor() / 10.0
}

/// A percentage with one decimal: `65.0%`.
pub fn percent(value: f64) -> String {
    format!("{:.1}%", round1(value))
}

#[cfg(test)]
mod tests {

    #[test]
    fn periods_read_as_dates_and_open_ends_show_no_dangling_dash() {
        assert_eq!(
            period(Some("2026-12-01"), Some("2027-01-31"), Locale::Ja),
            "2026年12月1日 – 2027年1月31日"
        );
        assert_eq!(period(Some("2026-12-01"), None, Locale::En), "1 Dec 2026 –");
        assert_eq!(period(None, None, Locale::Ja), "");
        assert_eq!(iso_date("not a date", Locale::Ja), "not a date");
    }

    use super::*;

    #[test]
    fn converts_to_jst() {
        // 2026-11-25T19:44:59Z is 2026-11-26 04:44 in Japan.
        let t = JstDateTime::from_millis(1_795_635_899_000);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2026, 11, 26, 4, 44)
        );
        let epoch = JstDateTime::from_millis(0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.hour),
            (1970, 1, 1, 9)
        );
        // A leap day.
        let leap = JstDateTime::from_millis(1_709_164_800_000); // 2024-02-29T00:00Z
        assert_eq!((leap.month, leap.day), (2, 29));
    }

    #[test]
    fn formats_dates_per_locale() {
        assert_eq!(date(1_795_635_899_000, Locale::Ja), "2026年11月26日");
        assert_eq!(date(1_795_635_899_000, Locale::En), "26 Nov 2026");
        assert_eq!(datetime(0, Locale::Ja), "1970年1月1日 09:00");
        assert_eq!(datetime(0, Locale::En), "1 Jan 1970 09:00 JST");
    }

    #[test]
    fn era_and_fiscal_years() {
        assert_eq!(wareki_year(2026, 11, 25), "令和8年");
        assert_eq!(wareki_year(2019, 5, 1), "令和元年");
        assert_eq!(wareki_year(2019, 4, 30), "平成31年");
        assert_eq!(fiscal_year(2023, 3), 2022);
        assert_eq!(fiscal_year(2023, 4), 2023);
    }

    #[test]
    fn numbers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(-2_700_000), "-2,700,000");
        assert_eq!(round1(65.05), 65.1);
        assert_eq!(round1(47.94), 47.9);
        assert_eq!(round1(47.95), 48.0);
        assert_eq!(percent(65.0), "65.0%");
    }
}
