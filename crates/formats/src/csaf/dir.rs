//! CSAF documents on disk: one file, a directory, or a provider's mirrored tree.
//!
//! [`read`] walks the tree once. Files named in `index.txt` (the CSAF directory-based
//! distribution), in a ROLIE feed (a JSON file with a top-level `feed`), or reached through
//! `provider-metadata.json` (its ROLIE feeds) are read, and so is every other `.json` document
//! in the tree; a file a listing names but the tree does not hold is reported. A document with a
//! `.sha512` or `.sha256` file next to it is read only if the hash matches; a mismatch is
//! reported and the document skipped (the `.sha256` file is checked when both exist). Every problem names its file.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use kojo_core::vuln::advisory::Advisory;
use serde::Deserialize;
use sha2::{Digest, Sha256, Sha512};

use super::{ReadError, from_json, parse};

/// What reading a path gave.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
}

/// One document read.
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    pub advisory: Advisory,
    /// The hash file that was checked, if there was one.
    pub verified: Option<HashKind>,
    /// The file as read (what an import stores, so every revision is kept as published).
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, hex: the same file imported twice is recognised.
    pub digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    Sha256,
    Sha512,
}

impl HashKind {
    pub fn extension(self) -> &'static str {
        match self {
            HashKind::Sha256 => "sha256",
            HashKind::Sha512 => "sha512",
        }
    }
}

/// A file that could not be used, and why.
#[derive(Debug)]
pub struct Problem {
    pub file: PathBuf,
    pub kind: ProblemKind,
}

#[derive(Debug)]
pub enum ProblemKind {
    /// The file could not be read.
    Io(String),
    /// Not a CSAF document kojo can read.
    Invalid(ReadError),
    /// The hash file does not match the document (which is skipped).
    HashMismatch {
        kind: HashKind,
        expected: String,
        found: String,
    },
    /// The hash file holds no hash.
    HashFileInvalid(HashKind),
    /// `index.txt`, a ROLIE feed or `provider-metadata.json` names a file that is not there.
    ListedButMissing { listed_in: PathBuf },
    /// A ROLIE feed or `provider-metadata.json` that could not be read.
    BadListing(ReadError),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.kind {
            ProblemKind::Io(e) => write!(f, "{file}: cannot read: {e}"),
            ProblemKind::Invalid(e) => write!(f, "{file}: not a readable CSAF document: {e}"),
            ProblemKind::HashMismatch {
                kind,
                expected,
                found,
            } => write!(
                f,
                "{file}: {} mismatch (expected {expected}, found {found}); skipped",
                kind.extension()
            ),
            ProblemKind::HashFileInvalid(kind) => {
                write!(
                    f,
                    "{file}: the .{} file holds no hash; skipped",
                    kind.extension()
                )
            }
            ProblemKind::ListedButMissing { listed_in } => {
                write!(f, "{file}: listed in {} but missing", listed_in.display())
            }
            ProblemKind::BadListing(e) => write!(f, "{file}: unreadable listing: {e}"),
        }
    }
}

/// Reads a file or a directory tree; see the module documentation.
pub fn read(path: &Path) -> Loaded {
    read_with(path, &mut |_, _, _| {})
}

/// [`read`], calling `progress(file, done, total)` after each document file.
pub fn read_with(path: &Path, progress: &mut dyn FnMut(&Path, usize, usize)) -> Loaded {
    let mut loaded = Loaded::default();
    if path.is_file() {
        read_document(path, &mut loaded);
        progress(path, 1, 1);
        return loaded;
    }
    let mut tree = Tree::default();
    if let Err(e) = tree.walk(path) {
        loaded.problems.push(Problem {
            file: path.to_path_buf(),
            kind: ProblemKind::Io(e.to_string()),
        });
        return loaded;
    }
    let known: HashSet<PathBuf> = tree.documents.iter().cloned().collect();
    let mut files: BTreeSet<PathBuf> = tree.documents.iter().cloned().collect();
    for (listed, listing) in tree.listed(path, &mut loaded.problems) {
        match resolve(path, &listed, &known) {
            Some(local) => {
                files.insert(local);
            }
            None => loaded.problems.push(Problem {
                file: PathBuf::from(listed),
                kind: ProblemKind::ListedButMissing { listed_in: listing },
            }),
        }
    }
    let files: Vec<PathBuf> = files.into_iter().collect();
    let total = files.len();
    let mut done = 0;
    for batch in files.chunks(BATCH) {
        for part in read_parallel(batch) {
            loaded.documents.extend(part.documents);
            loaded.problems.extend(part.problems);
        }
        for file in batch {
            done += 1;
            progress(file, done, total);
        }
    }
    loaded
}

/// Documents read between two progress reports.
const BATCH: usize = 64;

/// Reads the files on as many threads as the machine has cores (at most 4): reading, checking
/// the hash file and parsing are independent per file. The parts come back in order.
fn read_parallel(files: &[PathBuf]) -> Vec<Loaded> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let per = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    let mut loaded = Loaded::default();
                    for file in part {
                        read_document(file, &mut loaded);
                    }
                    loaded
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The files of a tree, sorted by kind.
#[derive(Default)]
struct Tree {
    documents: Vec<PathBuf>,
    indexes: Vec<PathBuf>,
    feeds: Vec<PathBuf>,
    provider_metadata: Vec<PathBuf>,
}

impl Tree {
    fn walk(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                self.walk(&path)?;
            } else if name == "index.txt" {
                self.indexes.push(path);
            } else if name == "provider-metadata.json" {
                self.provider_metadata.push(path);
            } else if name.ends_with(".json") {
                if is_feed(&path) {
                    self.feeds.push(path);
                } else {
                    self.documents.push(path);
                }
            }
        }
        Ok(())
    }

    /// Every (listed path or URL, listing file) from indexes, feeds and provider metadata.
    fn listed(&self, root: &Path, problems: &mut Vec<Problem>) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        for index in &self.indexes {
            match std::fs::read_to_string(index) {
                Ok(text) => out.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(|l| (l.to_string(), index.clone())),
                ),
                Err(e) => problems.push(io_problem(index, &e)),
            }
        }
        let mut feeds: Vec<PathBuf> = self.feeds.clone();
        let known: HashSet<PathBuf> = self.feeds.iter().cloned().collect();
        for meta in &self.provider_metadata {
            for url in provider_feeds(meta, problems) {
                if let Some(local) = resolve(root, &url, &known)
                    && !feeds.contains(&local)
                {
                    feeds.push(local);
                }
            }
        }
        for feed in &feeds {
            out.extend(
                feed_entries(feed, problems)
                    .into_iter()
                    .map(|u| (u, feed.clone())),
            );
        }
        out
    }
}

fn io_problem(file: &Path, e: &std::io::Error) -> Problem {
    Problem {
        file: file.to_path_buf(),
        kind: ProblemKind::Io(e.to_string()),
    }
}

/// A JSON file whose first key is `feed` (a ROLIE feed), judged from its first bytes.
fn is_feed(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..n]);
    text.trim_start_matches(['\u{feff}', '{', ' ', '\n', '\r', '\t'])
        .starts_with("\"feed\"")
}

/// Finds the local file a listed path or URL means: the path itself under `root`, or the
/// longest tail of it that names a file of `known`.
fn resolve(root: &Path, listed: &str, known: &HashSet<PathBuf>) -> Option<PathBuf> {
    let path = listed
        .split("://")
        .nth(1)
        .map_or(listed, |rest| rest.split_once('/').map_or(rest, |(_, p)| p));
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for start in 0..parts.len() {
        let candidate = parts[start..]
            .iter()
            .fold(root.to_path_buf(), |acc, p| acc.join(p));
        if known.contains(&candidate) {
            return Some(candidate);
        }
    }
    None
}

#[derive(Deserialize)]
struct RawFeed {
    feed: RawFeedBody,
}

#[derive(Deserialize)]
struct RawFeedBody {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    content: RawContent,
}

#[derive(Deserialize)]
struct RawContent {
    src: String,
}

fn feed_entries(feed: &Path, problems: &mut Vec<Problem>) -> Vec<String> {
    let bytes = match std::fs::read(feed) {
        Ok(b) => b,
        Err(e) => {
            problems.push(io_problem(feed, &e));
            return vec![];
        }
    };
    match from_json::<RawFeed>(&bytes) {
        Ok(f) => f.feed.entry.into_iter().map(|e| e.content.src).collect(),
        Err(e) => {
            problems.push(Problem {
                file: feed.to_path_buf(),
                kind: ProblemKind::BadListing(e),
            });
            vec![]
        }
    }
}

#[derive(Deserialize)]
struct RawProviderMetadata {
    #[serde(default)]
    distributions: Vec<RawDistribution>,
}

#[derive(Deserialize)]
struct RawDistribution {
    rolie: Option<RawRolie>,
}

#[derive(Deserialize)]
struct RawRolie {
    feeds: Vec<RawFeedRef>,
}

#[derive(Deserialize)]
struct RawFeedRef {
    url: String,
}

fn provider_feeds(meta: &Path, problems: &mut Vec<Problem>) -> Vec<String> {
    let bytes = match std::fs::read(meta) {
        Ok(b) => b,
        Err(e) => {
            problems.push(io_problem(meta, &e));
            return vec![];
        }
    };
    match from_json::<RawProviderMetadata>(&bytes) {
        Ok(m) => m
            .distributions
            .into_iter()
            .filter_map(|d| d.rolie)
            .flat_map(|r| r.feeds.into_iter().map(|f| f.url))
            .collect(),
        Err(e) => {
            problems.push(Problem {
                file: meta.to_path_buf(),
                kind: ProblemKind::BadListing(e),
            });
            vec![]
        }
    }
}

fn read_document(file: &Path, loaded: &mut Loaded) {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            loaded.problems.push(io_problem(file, &e));
            return;
        }
    };
    // SHA-256 once: it is the stored digest and, where a `.sha256` file exists, the check.
    let sha256 = digest(HashKind::Sha256, &bytes);
    let verified = match check_hash(file, &bytes, &sha256) {
        Ok(v) => v,
        Err(kind) => {
            loaded.problems.push(Problem {
                file: file.to_path_buf(),
                kind,
            });
            return;
        }
    };
    match parse(&bytes) {
        Ok(advisory) => loaded.documents.push(Document {
            file: file.to_path_buf(),
            advisory,
            verified,
            digest: sha256,
            bytes,
        }),
        Err(e) => loaded.problems.push(Problem {
            file: file.to_path_buf(),
            kind: ProblemKind::Invalid(e),
        }),
    }
}

/// Checks `<file>.sha256`, else `<file>.sha512`, when present (`sha256` is the document's
/// SHA-256, already computed). One matching hash file is enough: SHA-256 is checked first
/// because kojo computes it anyway, which halves the hashing of a CISA tree (it has both).
fn check_hash(file: &Path, bytes: &[u8], sha256: &str) -> Result<Option<HashKind>, ProblemKind> {
    for kind in [HashKind::Sha256, HashKind::Sha512] {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(kind.extension());
        let Ok(text) = std::fs::read_to_string(PathBuf::from(name)) else {
            continue;
        };
        return verify(kind, &text, bytes, sha256).map(Some);
    }
    Ok(None)
}

/// Checks `bytes` against the text of a hash file (`<hex>` or `<hex>  <name>`).
pub fn verify(
    kind: HashKind,
    text: &str,
    bytes: &[u8],
    sha256: &str,
) -> Result<HashKind, ProblemKind> {
    let expected = text
        .split_whitespace()
        .next()
        .map(str::to_ascii_lowercase)
        .filter(|h| h.len() == hash_len(kind) && h.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or(ProblemKind::HashFileInvalid(kind))?;
    let found = match kind {
        HashKind::Sha256 => sha256.to_string(),
        HashKind::Sha512 => digest(kind, bytes),
    };
    if found != expected {
        return Err(ProblemKind::HashMismatch {
            kind,
            expected,
            found,
        });
    }
    Ok(kind)
}

fn hash_len(kind: HashKind) -> usize {
    match kind {
        HashKind::Sha256 => 64,
        HashKind::Sha512 => 128,
    }
}

/// The lower-case hex digest of `bytes`.
pub fn digest(kind: HashKind, bytes: &[u8]) -> String {
    match kind {
        HashKind::Sha256 => hex::encode(Sha256::digest(bytes)),
        HashKind::Sha512 => hex::encode(Sha512::digest(bytes)),
    }
}
