//! Evidence attached to an answer (photos, PDFs): what kinds are accepted, known by the file's
//! first bytes ("magic bytes") and never by its name or the browser's claim, and how large.

use crate::codes;

codes!(
    /// The kinds of evidence file accepted.
    EvidenceKind {
        Jpeg = "jpeg",
        Png = "png",
        Webp = "webp",
        Pdf = "pdf",
    }
);

/// The largest evidence file accepted (10 MiB): a phone photo or a scanned page fits.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// At most this many files per answer.
pub const MAX_PER_ITEM: usize = 10;
/// File names are kept up to this many characters.
pub const NAME_MAX: usize = 200;

impl EvidenceKind {
    /// The kind the bytes are, by their signature.
    pub fn sniff(bytes: &[u8]) -> Option<EvidenceKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(EvidenceKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(EvidenceKind::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(EvidenceKind::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(EvidenceKind::Pdf)
        } else {
            None
        }
    }

    /// The media type sent with the file.
    pub fn media_type(self) -> &'static str {
        match self {
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Webp => "image/webp",
            EvidenceKind::Pdf => "application/pdf",
        }
    }

    /// What the upload field accepts (`accept="…"`).
    pub const ACCEPT: &'static str =
        ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf";
}

/// Why a file is not accepted as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge { size: usize },
    UnknownKind,
}

/// The kind of an evidence file, if it may be kept.
pub fn check(bytes: &[u8]) -> Result<EvidenceKind, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge { size: bytes.len() });
    }
    EvidenceKind::sniff(bytes).ok_or(Refused::UnknownKind)
}

/// The name a file is kept under: its last path segment, without control characters, at most
/// [`NAME_MAX`] characters; `fallback` when nothing is left.
pub fn clean_name(name: &str, fallback: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(NAME_MAX)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        fallback.to_string()
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_first_bytes() {
        assert_eq!(check(b"\xFF\xD8\xFF\xE0rest"), Ok(EvidenceKind::Jpeg));
        assert_eq!(check(b"\x89PNG\r\n\x1a\n...."), Ok(EvidenceKind::Png));
        assert_eq!(check(b"RIFF\0\0\0\0WEBPVP8 "), Ok(EvidenceKind::Webp));
        assert_eq!(check(b"%PDF-1.7\n"), Ok(EvidenceKind::Pdf));
        // An HTML page named photo.jpg, an executable, a RIFF that is not WebP: refused.
        assert_eq!(check(b"<html><script>"), Err(Refused::UnknownKind));
        assert_eq!(check(b"MZ\x90\0"), Err(Refused::UnknownKind));
        assert_eq!(check(b"RIFF\0\0\0\0WAVEfmt "), Err(Refused::UnknownKind));
        assert_eq!(check(b""), Err(Refused::Empty));
        let big = vec![0xFF; MAX_BYTES + 1];
        assert_eq!(
            check(&big),
            Err(Refused::TooLarge {
                size: MAX_BYTES + 1
            })
        );
    }

    #[test]
    fn names_keep_their_last_segment_without_control_characters() {
        assert_eq!(clean_name("C:\\写真\\制御盤.jpg", "x"), "制御盤.jpg");
        assert_eq!(clean_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(clean_name("a\u{0}b\r\n.pdf", "x"), "ab.pdf");
        assert_eq!(clean_name("..", "evidence"), "evidence");
        assert_eq!(clean_name(&"あ".repeat(300), "x").chars().count(), NAME_MAX);
    }
}
