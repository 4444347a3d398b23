//! Zip archives of files (an advisory tree uploaded as one file): every file's name and bytes.
//! The limits of [`crate::limits`] are checked from the zip directory before anything is
//! expanded, and reading an entry never goes past its declared size (the zip reader stops with
//! an error), so an archive cannot expand beyond [`ARCHIVE_MAX_TOTAL_BYTES`].

use std::io::{Cursor, Read};

use kojo_core::Locale;
use kojo_core::format::int;

use crate::limits::{ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_ENTRY_BYTES, ARCHIVE_MAX_TOTAL_BYTES};
use crate::text::{fill, msg};

/// One file of an archive (directories are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path inside the archive.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an archive was not read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArchiveError {
    /// The zip reader's own words.
    Unreadable(String),
    TooManyEntries {
        found: u64,
    },
    EntryTooLarge {
        name: String,
        size: u64,
    },
    TooLarge {
        size: u64,
    },
}

impl ArchiveError {
    /// The problem in `locale`, with the limit it broke.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        let n = |v: u64| int(i64::try_from(v).unwrap_or(i64::MAX));
        match self {
            ArchiveError::Unreadable(detail) => fill(m.archive_unreadable, &[("detail", detail)]),
            ArchiveError::TooManyEntries { found } => fill(
                m.archive_too_many_entries,
                &[("found", &n(*found)), ("max", &n(ARCHIVE_MAX_ENTRIES))],
            ),
            ArchiveError::EntryTooLarge { name, size } => fill(
                m.archive_entry_too_large,
                &[
                    ("name", name),
                    ("found", &n(*size)),
                    ("max", &n(ARCHIVE_MAX_ENTRY_BYTES)),
                ],
            ),
            ArchiveError::TooLarge { size } => fill(
                m.archive_too_large,
                &[("found", &n(*size)), ("max", &n(ARCHIVE_MAX_TOTAL_BYTES))],
            ),
        }
    }
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

/// Whether the bytes start like a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Every file of the archive, in the archive's order.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry>, ArchiveError> {
    let unreadable = |e: zip::result::ZipError| ArchiveError::Unreadable(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let count = zip.len() as u64;
    if count > ARCHIVE_MAX_ENTRIES {
        return Err(ArchiveError::TooManyEntries { found: count });
    }
    // Sizes first, from the directory: nothing is expanded before the whole archive passes.
    let mut total = 0u64;
    let mut files = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(unreadable)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(unreadable)?.into_owned();
        let size = entry.size();
        if size > ARCHIVE_MAX_ENTRY_BYTES {
            return Err(ArchiveError::EntryTooLarge { name, size });
        }
        total = total.saturating_add(size);
        files.push((i, name, size));
    }
    if total > ARCHIVE_MAX_TOTAL_BYTES {
        return Err(ArchiveError::TooLarge { size: total });
    }
    let mut out = Vec::with_capacity(files.len());
    for (i, name, size) in files {
        let entry = zip.by_index(i).map_err(unreadable)?;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry
            .take(size)
            .read_to_end(&mut bytes)
            .map_err(|e| ArchiveError::Unreadable(format!("{name}: {e}")))?;
        out.push(Entry { name, bytes });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_every_file_in_order() {
        let z = zip_of(&[("a/x.json", b"{}"), ("b.csv", b"cveID\n")]);
        assert!(is_zip(&z));
        let e = entries(&z).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].name, "a/x.json");
        assert_eq!(e[1].bytes, b"cveID\n");
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_expanded() {
        let big = vec![b' '; usize::try_from(ARCHIVE_MAX_ENTRY_BYTES).unwrap() + 1];
        let z = zip_of(&[("big.json", &big)]);
        assert!(z.len() < 200_000, "deflated to {} bytes", z.len());
        let err = entries(&z).unwrap_err();
        assert!(matches!(err, ArchiveError::EntryTooLarge { ref name, .. } if name == "big.json"));
        assert!(err.message(Locale::Ja).contains("big.json"));
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let err = entries(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(matches!(err, ArchiveError::Unreadable(_)));
    }
}
