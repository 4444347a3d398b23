//! Rendering of kojo-formats' sentences: every text comes from `locales/*.toml` through
//! kojo-i18n's generated `Msg`, so a sentence missing in one language fails the build. Errors
//! carry data (line, column, value, limit); they become sentences only here, when shown.

use kojo_core::Locale;
use kojo_i18n::Msg;
pub(crate) use kojo_i18n::fill;

/// The message catalogue of `locale`.
pub(crate) fn msg(locale: Locale) -> &'static Msg {
    Msg::for_locale(locale)
}

/// A count or limit with thousands separators (`1,000,000`).
pub(crate) fn count(n: usize) -> String {
    kojo_core::format::int(i64::try_from(n).unwrap_or(i64::MAX))
}
