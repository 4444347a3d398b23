//! The expressions the CISA corpus actually contains, each with versions inside and outside.

use super::*;

fn spec(s: &str) -> VersionSpec {
    VersionSpec::parse(s)
}

fn eval(s: &str, v: &str) -> Eval {
    let version = Version::parse(v).unwrap_or_else(|| panic!("test version {v:?}"));
    spec(s).evaluate(Some(&version))
}

/// Every `inside` version is affected, every `outside` one is not.
fn check(s: &str, inside: &[&str], outside: &[&str]) {
    let parsed = spec(s);
    assert_eq!(parsed.status, ParseStatus::Parsed, "{s:?} → {parsed:?}");
    for v in inside {
        assert_eq!(
            eval(s, v),
            Eval::Affected,
            "{v} should be in {s:?} ({parsed:?})"
        );
    }
    for v in outside {
        assert_eq!(
            eval(s, v),
            Eval::NotAffected,
            "{v} should be outside {s:?} ({parsed:?})"
        );
    }
}

#[test]
fn simple_bounds() {
    check(
        "< V2.1.4",
        &["2.1.3", "V1.0", "2.1.3.9"],
        &["2.1.4", "V2.2"],
    );
    check("<= 2.74C", &["2.74", "2.74C", "2.74B"], &["2.74D", "2.75"]);
    check("<=18", &["18", "17.9"], &["19", "18.0.1"]);
    check(">= V2.3", &["2.3", "10"], &["2.2.9"]);
    check("=< 3.5.20304", &["3.5.20304"], &["3.5.20305"]);
    check("<V19", &["18.99"], &["19"]);
}

#[test]
fn intervals_written_with_a_space_a_pipe_or_words() {
    check(">= V6.2 < V7.1", &["6.2", "7.0.9"], &["6.1", "7.1"]);
    check(
        ">= 1.215Z | <= 1.270G",
        &["1.215Z", "1.250", "1.270G"],
        &["1.215Y", "1.270H"],
    );
    check(
        ">=V13.1.0|<13.1.2",
        &["13.1.0", "13.1.1"],
        &["13.0.9", "13.1.2"],
    );
    check(">=v6.6.9|<v6.06.10", &["6.6.9"], &["6.6.10", "6.6.8"]);
    check(">= V2.0 and < V2.1.3", &["2.0", "2.1.2"], &["1.9", "2.1.3"]);
    check(
        "1.265B -1.285X",
        &["1.265B", "1.285X"],
        &["1.265A", "1.286"],
    );
    check("1.275M—1.280S", &["1.275M", "1.280S"], &["1.280T"]);
    check("13.2.1-13.2.4", &["13.2.1", "13.2.4"], &["13.2.5"]);
    check("between 2.0 and 2.5", &["2.0", "2.5"], &["2.6"]);
    check("from 1.0 to 1.4", &["1.0", "1.4"], &["1.5"]);
    check("prior to v3.20", &["3.19"], &["3.20"]);
    check("2.0 and prior", &["2.0", "1.0"], &["2.0.1"]);
    check("3.0 or later", &["3.0", "4"], &["2.9"]);
    check("up to and including 4.2", &["4.2"], &["4.3"]);
}

#[test]
fn vers_strings_including_the_non_conformant_all_scheme() {
    assert_eq!(spec("vers:all/*").ranges, vec![Range::All]);
    check("vers:all/<V7.0.3", &["7.0.2"], &["7.0.3"]);
    check(
        "vers:all/>=V1.80<V2.20",
        &["1.80", "2.19"],
        &["1.79", "2.20"],
    );
    check(
        "vers:generic/>=1.0.0|<2.0.0|>=3.0.0|<4.0.0",
        &["1.5", "3.5"],
        &["2.5", "4.0"],
    );
}

#[test]
fn all_versions_with_and_without_a_bound() {
    check("All versions", &["1", "99.9"], &[]);
    check("All versions < V3.X.16", &[], &[]);
    check(
        "All versions < V14 SP1 Update 10",
        &["14 SP1 Update 9", "13"],
        &["14 SP1 Update 10", "14 SP2"],
    );
    check(
        "All versions V14 < V14 SP3",
        &["14", "14 SP2"],
        &["13.9", "14 SP3"],
    );
    check("< V4.8 HF4", &["4.8 HF3", "4.7"], &["4.8 HF4"]);
    check("<=9.90_SP_6", &["9.90 SP 5"], &["9.90_SP_7"]);
}

#[test]
fn several_trains_each_have_their_own_bound() {
    let s = "<V33.017_V34.014_V35.013_V36.011";
    check(
        s,
        &["32.5", "33.016", "34.013", "36.010"],
        &["33.017", "34.014", "35.013", "37.1"],
    );
    check(
        "<= 2.0.11 / 3.0.11",
        &["2.0.11", "3.0.10", "1.0"],
        &["2.0.12", "3.0.12"],
    );
    assert_eq!(
        eval("<V33.017_V35.013", "34.1"),
        Eval::Unknown(Uncertain::UnknownTrain)
    );
}

#[test]
fn lists_of_exact_versions() {
    check("8.001|8.002|9.001", &["8.001", "9.001"], &["9.002"]);
    assert_eq!(
        eval("8.001|8.002|9.001", "8.0015"),
        Eval::Unknown(Uncertain::UnlistedVersion)
    );
    check(
        "<= 1.12.0.27 | 1.12.13.2 | 1.12.14.5",
        &["1.12.0.27", "1.12.13.2"],
        &["1.12.14.6"],
    );
    check("V8.3", &["8.3", "8.3.0"], &["8.4"]);
    check("1.3.0 | 1.3.1 | 1.3.2", &["1.3.1"], &["1.3.3"]);
}

#[test]
fn wildcards_cover_a_prefix() {
    check("12.2.*", &["12.2", "12.2.9"], &["12.3", "12.1.9"]);
    check("14.x", &["14.0.1"], &["15.0"]);
    check(">= 3.x | <= 3.2.2", &["3.0", "3.2.2"], &["3.2.3", "2.9"]);
}

#[test]
fn dates_are_ranges_of_dates() {
    check(
        "<April/19/2023",
        &["April/18/2023", "2023-04-18"],
        &["2023-04-19"],
    );
    check("<8/30/2024", &["8/29/2024"], &["8/30/2024"]);
    check("<= 2019-09-21", &["2019-09-21"], &["2019-09-22"]);
    check("< january 20 2017.", &["2017-01-19"], &["2017-01-20"]);
    assert_eq!(
        eval("<8/30/2024", "1.2"),
        Eval::Unknown(Uncertain::Incomparable)
    );
}

#[test]
fn conditions_are_captured_and_make_a_match_need_checking() {
    let s = spec("<= 1.4 (if VP6E5000 is installed)");
    assert_eq!(s.status, ParseStatus::Parsed);
    assert_eq!(s.conditions, vec!["if vp6e5000 is installed"]);
    assert_eq!(
        eval("<= 1.4 (if VP6E5000 is installed)", "1.3"),
        Eval::Unknown(Uncertain::Condition)
    );
    // A condition narrows the set; a version outside the range stays outside.
    assert_eq!(
        eval("<= 1.4 (if VP6E5000 is installed)", "1.5"),
        Eval::NotAffected
    );
    let s = spec("All versions only when running on ROX II < V2.15.1");
    assert_eq!(s.ranges, vec![Range::All]);
    assert_eq!(s.conditions, vec!["only when running on rox ii < v2.15.1"]);
    assert_eq!(
        eval("All versions only when running on ROX II < V2.15.1", "1"),
        Eval::Unknown(Uncertain::Condition)
    );
    // A condition that names versions may widen the set: never "not affected" on it.
    let s = "< R02 (or Software Version 1.1.13166)";
    assert_eq!(eval(s, "R03"), Eval::Unknown(Uncertain::Condition));
    let s = spec("NMC2 <= 6.9.8");
    assert_eq!(s.conditions, vec!["nmc2"]);
    assert_eq!(spec("<=(R4.10)").conditions, Vec::<String>::new());
    check("<=(R4.10)", &["R4.10"], &["R4.11"]);
}

#[test]
fn cisco_style_versions_keep_their_parentheses() {
    check("15.2(4a)EA5", &["15.2(4a)EA5"], &["15.2(4a)EA6"]);
}

#[test]
fn what_cannot_be_read_is_reported_never_guessed() {
    for s in ["SCADA Web Server", "No version", "LNL-X3300", "ESP32", ""] {
        let p = spec(s);
        assert_eq!(p.status, ParseStatus::Unparsed, "{s:?} → {p:?}");
        assert_eq!(
            p.evaluate(Version::parse("1.0").as_ref()),
            Eval::Unknown(Uncertain::Unparsed)
        );
    }
    // Nothing known about the asset's version: never "not affected".
    assert_eq!(
        spec("< 2.0").evaluate(None),
        Eval::Unknown(Uncertain::AssetVersionMissing)
    );
    assert_eq!(spec("vers:all/*").evaluate(None), Eval::Affected);
}
