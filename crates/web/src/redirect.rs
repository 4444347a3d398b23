//! Where kojo may send a browser after a form: only a path on kojo itself. Every redirect
//! target taken from a request (`next` on the sign-in page and the language switch, the page
//! to come back to after signing in) goes through [`local_path`].
//!
//! A browser does not read a `Location` the way a string check does: the WHATWG URL parser
//! drops tabs and newlines (`/\t/evil.example` becomes `//evil.example`, another host), treats
//! `\` as `/` (`/\evil.example`), and resolves `..` segments (`/a/..//evil.example`). So the
//! target is refused when it holds any control character or a backslash, and otherwise parsed
//! with the `url` crate (an implementation of that standard) against a placeholder origin: it
//! must stay on that origin with a path starting with exactly one `/`. What is returned is the
//! parsed form, i.e. what the browser would request.

use url::Url;

/// The placeholder origin targets are resolved against (`.invalid` is reserved, RFC 2606).
const BASE: &str = "http://kojo.invalid/";

/// `next` as a path on kojo itself, or `/` when it could lead anywhere else.
pub fn local_path(next: &str) -> String {
    checked(next).unwrap_or_else(|| "/".to_string())
}

fn checked(next: &str) -> Option<String> {
    // C0 controls, DEL and C1 controls, and backslashes (browsers read `\` as `/`).
    if next.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    if !next.starts_with('/') || next.starts_with("//") {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let url = base.join(next).ok()?;
    let path = url.path();
    if url.origin() != base.origin() || !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let mut out = path.to_string();
    if let Some(q) = url.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = url.fragment() {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_pass_and_keep_their_query() {
        assert_eq!(local_path("/admin/orgs?x=1"), "/admin/orgs?x=1");
        assert_eq!(local_path("/rounds/3#links"), "/rounds/3#links");
        assert_eq!(local_path("/会社"), "/%E4%BC%9A%E7%A4%BE");
    }

    #[test]
    fn anything_that_could_leave_kojo_becomes_the_home_page() {
        for attack in [
            "",
            "evil.example",
            "//evil.example",
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\u{b}/evil.example",
            "/\u{0}/x",
            "/\u{7f}/x",
            "/\u{85}/x",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "javascript:alert(1)",
            "https://evil.example/",
            "http:/evil.example",
            " //evil.example",
            "/a/..//evil.example",
            "/./..//evil.example",
            "/.//evil.example",
        ] {
            let got = local_path(attack);
            let resolved = Url::parse(BASE).unwrap().join(&got).unwrap();
            assert_eq!(
                resolved.host_str(),
                Some("kojo.invalid"),
                "{attack:?} → {got}"
            );
            assert!(
                !got.starts_with("//") && got.starts_with('/'),
                "{attack:?} → {got}"
            );
        }
    }
}
