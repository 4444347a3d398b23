//! Why a file given to an import could not be used: kept as data with the import run, shown in
//! the reader's language (the JSON reader's own detail — serde's words — stays as it wrote it).

use kojo_formats::archive::ArchiveError;
use kojo_formats::csaf::ReadError;
use kojo_formats::csaf::dir::{HashKind, Problem, ProblemKind};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// Where in a JSON or CSV file the reader stopped, and what it expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub detail: String,
}

impl From<&ReadError> for Located {
    fn from(e: &ReadError) -> Located {
        Located {
            path: e.path.clone(),
            line: e.line,
            column: e.column,
            detail: e.message.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The file system's words.
    Io {
        detail: String,
    },
    NotCsaf(Located),
    NotKev(Located),
    /// A `.sha256`/`.sha512` file next to the document does not match it.
    HashMismatch {
        hash: String,
        expected: String,
        found: String,
    },
    HashFileInvalid {
        hash: String,
    },
    /// `index.txt`, a ROLIE feed or `provider-metadata.json` names a file that is not there.
    ListedButMissing {
        listed_in: String,
    },
    BadListing(Located),
    NotUtf8,
    Archive {
        error: ArchiveError,
    },
    /// An OSV record that does not read.
    NotOsv(Located),
    /// Attached to an asset, but none of CycloneDX, SPDX or CSAF.
    UnknownDocument,
    /// Attached to an asset, recognised as `format`, but not valid in it.
    BadDocument {
        format: String,
        at: Located,
    },
}

impl Reason {
    /// Why an asset document was refused.
    pub fn of_document(e: kojo_formats::asset_doc::DocError) -> Reason {
        use kojo_formats::asset_doc::DocError;
        match e {
            DocError::NotText => Reason::NotUtf8,
            DocError::Unknown => Reason::UnknownDocument,
            DocError::Invalid(format, e) => Reason::BadDocument {
                format: format.label().to_string(),
                at: (&e).into(),
            },
        }
    }
}

/// One file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub file: String,
    pub reason: Reason,
}

fn hash_name(kind: HashKind) -> String {
    match kind {
        HashKind::Sha256 => "sha256".into(),
        HashKind::Sha512 => "sha512".into(),
    }
}

impl From<Problem> for Failure {
    fn from(p: Problem) -> Failure {
        let reason = match p.kind {
            ProblemKind::Io(detail) => Reason::Io { detail },
            ProblemKind::Invalid(e) => Reason::NotCsaf((&e).into()),
            ProblemKind::HashMismatch {
                kind,
                expected,
                found,
            } => Reason::HashMismatch {
                hash: hash_name(kind),
                expected,
                found,
            },
            ProblemKind::HashFileInvalid(kind) => Reason::HashFileInvalid {
                hash: hash_name(kind),
            },
            ProblemKind::ListedButMissing { listed_in } => Reason::ListedButMissing {
                listed_in: listed_in.display().to_string(),
            },
            ProblemKind::BadListing(e) => Reason::BadListing((&e).into()),
        };
        Failure {
            file: p.file.display().to_string(),
            reason,
        }
    }
}

impl Failure {
    pub fn new(file: impl Into<String>, reason: Reason) -> Failure {
        Failure {
            file: file.into(),
            reason,
        }
    }

    /// The file and why, in one sentence.
    pub fn message(&self, lang: &Lang) -> String {
        let t = lang.t;
        let at = |l: &Located| {
            if l.line == 0 {
                l.path.clone()
            } else {
                t.fill(
                    t.vuln_fail_at_line,
                    &[("line", &l.line), ("column", &l.column), ("path", &l.path)],
                )
            }
        };
        let located = |template: &str, l: &Located| {
            t.fill(
                template,
                &[("file", &self.file), ("at", &at(l)), ("detail", &l.detail)],
            )
        };
        match &self.reason {
            Reason::Io { detail } => {
                t.fill(t.vuln_fail_io, &[("file", &self.file), ("detail", detail)])
            }
            Reason::NotCsaf(l) => located(t.vuln_fail_not_csaf, l),
            Reason::NotKev(l) => located(t.vuln_fail_not_kev, l),
            Reason::NotOsv(l) => located(t.vuln_fail_not_osv, l),
            Reason::UnknownDocument => {
                t.fill(t.vuln_fail_unknown_document, &[("file", &self.file)])
            }
            Reason::BadDocument { format, at: l } => t.fill(
                t.vuln_fail_bad_document,
                &[
                    ("file", &self.file),
                    ("format", format),
                    ("at", &at(l)),
                    ("detail", &l.detail),
                ],
            ),
            Reason::BadListing(l) => located(t.vuln_fail_bad_listing, l),
            Reason::HashMismatch {
                hash,
                expected,
                found,
            } => t.fill(
                t.vuln_fail_hash_mismatch,
                &[
                    ("file", &self.file),
                    ("hash", hash),
                    ("expected", expected),
                    ("found", found),
                ],
            ),
            Reason::HashFileInvalid { hash } => t.fill(
                t.vuln_fail_hash_file_invalid,
                &[("file", &self.file), ("hash", hash)],
            ),
            Reason::ListedButMissing { listed_in } => t.fill(
                t.vuln_fail_listed_missing,
                &[("file", &self.file), ("listed_in", listed_in)],
            ),
            Reason::NotUtf8 => t.fill(t.vuln_fail_not_utf8, &[("file", &self.file)]),
            Reason::Archive { error } => t.fill(
                t.vuln_fail_archive,
                &[
                    ("file", &self.file),
                    ("detail", &error.message(lang.locale)),
                ],
            ),
        }
    }
}

/// The failures stored with an import run (an unreadable list reads as none).
pub fn stored(json: &str) -> Vec<Failure> {
    serde_json::from_str(json).unwrap_or_default()
}
