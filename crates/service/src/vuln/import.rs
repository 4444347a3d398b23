//! Reading advisory and KEV files (single files, directories, a provider's mirrored tree), and
//! storing what was read: every revision kept, the same file twice changing nothing, then every
//! site with assets matched again under the import run (for "what changed").

use std::path::{Path, PathBuf};

use kojo_core::ids::{ImportRunId, SiteId};
use kojo_core::vuln::advisory::Advisory;
use kojo_core::vuln::kev::KevCatalog;
use kojo_core::vuln::osv::OsvRecord;
use kojo_formats::csaf::dir::{Document, HashKind, ProblemKind, digest, verify};
use kojo_formats::{archive, csaf, kev, osv};
use kojo_storage::{AdvisoryIn, ImportRun, MatchDiff, Stored};

use super::failure::{Failure, Reason};
use crate::{Result, Service, Who, access};

/// The largest upload of advisory files accepted in the browser (the whole CISA ICS tree,
/// zipped, is about 12 MB; unzipped 56 MB).
pub const VULN_UPLOAD_LIMIT: usize = 128 << 20;

/// What was read from files, before storing.
#[derive(Debug, Default)]
pub struct Input {
    pub advisories: Vec<Document>,
    /// (file, catalogue)
    pub kev: Vec<(String, KevCatalog)>,
    /// OSV records (for SBOM components with a package URL).
    pub osv: Vec<OsvDoc>,
    pub failures: Vec<Failure>,
    /// Files looked at.
    pub files: usize,
}

/// An OSV record read, with its bytes as stored.
#[derive(Debug)]
pub struct OsvDoc {
    pub file: String,
    pub record: OsvRecord,
    pub text: String,
    pub digest: String,
}

/// An OSV record, by its first keys (CSAF documents start with `document`).
fn is_osv(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    head.trim_start().starts_with('{')
        && head.contains("\"modified\"")
        && (head.contains("\"affected\"")
            || head.contains("\"aliases\"")
            || head.contains("\"schema_version\""))
        && !head.contains("\"document\"")
}

/// Called after each file: (file, done, total of the current path).
pub type Progress<'a> = &'a mut dyn FnMut(&Path, usize, usize);

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub run: Option<ImportRunId>,
    pub files: usize,
    pub advisories: usize,
    pub products: usize,
    pub cves: usize,
    pub new: usize,
    pub revised: usize,
    pub unchanged: usize,
    pub kev_entries: usize,
    pub failures: Vec<Failure>,
    pub sites: Vec<(SiteId, MatchDiff)>,
}

/// A KEV file, by its name or its first bytes.
fn is_kev(name: &str, bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    name.contains("known_exploited_vulnerabilities")
        || head.contains("\"catalogVersion\"")
        || head.trim_start_matches('\u{feff}').starts_with("cveID,")
}

impl Input {
    /// Adds one file given as bytes (an upload, or a file named on the command line).
    pub fn add_bytes(&mut self, name: &str, bytes: Vec<u8>) {
        self.files += 1;
        if is_kev(name, &bytes) {
            let read = if name.to_lowercase().ends_with(".csv") {
                kev::parse_csv(&bytes)
            } else {
                kev::parse_json(&bytes)
            };
            match read {
                Ok(k) => self.kev.push((name.to_string(), k)),
                Err(e) => self
                    .failures
                    .push(Failure::new(name, Reason::NotKev((&e).into()))),
            }
            return;
        }
        if is_osv(&bytes) {
            self.add_osv(name, bytes);
            return;
        }
        match csaf::parse(&bytes) {
            Ok(advisory) => self.advisories.push(Document {
                file: PathBuf::from(name),
                advisory,
                verified: None,
                digest: digest(HashKind::Sha256, &bytes),
                bytes,
            }),
            Err(e) => self
                .failures
                .push(Failure::new(name, Reason::NotCsaf((&e).into()))),
        }
    }

    /// Adds an uploaded file: a zip archive is opened and its advisories and KEV files read
    /// (a `.sha256`/`.sha512` file beside a document in the archive is checked); listings,
    /// hash files and other files in an archive are passed over.
    pub fn add_upload(&mut self, name: &str, bytes: Vec<u8>) {
        if !archive::is_zip(&bytes) {
            self.add_bytes(name, bytes);
            return;
        }
        let entries = match archive::entries(&bytes) {
            Ok(e) => e,
            Err(error) => {
                self.files += 1;
                self.failures
                    .push(Failure::new(name, Reason::Archive { error }));
                return;
            }
        };
        let hashes: std::collections::HashMap<String, String> = entries
            .iter()
            .filter(|e| e.name.ends_with(".sha256") || e.name.ends_with(".sha512"))
            .map(|e| {
                (
                    e.name.clone(),
                    String::from_utf8_lossy(&e.bytes).into_owned(),
                )
            })
            .collect();
        for e in entries {
            let shown = format!("{name}/{}", e.name);
            let lower = e.name.to_lowercase();
            let csv_kev = lower.ends_with(".csv") && is_kev(&lower, &e.bytes);
            if !(lower.ends_with(".json") || csv_kev) || is_listing(&lower, &e.bytes) {
                continue;
            }
            if let Some(f) = check_sidecar(&hashes, &e.name, &e.bytes) {
                self.files += 1;
                self.failures.push(Failure::new(shown, f));
                continue;
            }
            self.add_bytes(&shown, e.bytes);
        }
    }

    fn add_osv(&mut self, name: &str, bytes: Vec<u8>) {
        let read = osv::parse(&bytes).map_err(|e| Reason::NotOsv((&e).into()));
        let text = String::from_utf8(bytes).map_err(|_| Reason::NotUtf8);
        match (read, text) {
            (Ok(record), Ok(text)) => self.osv.push(OsvDoc {
                file: name.to_string(),
                digest: digest(HashKind::Sha256, text.as_bytes()),
                record,
                text,
            }),
            (Err(reason), _) | (_, Err(reason)) => self.failures.push(Failure::new(name, reason)),
        }
    }

    fn add_dir(&mut self, dir: &Path, progress: Progress<'_>) {
        let mut kev_files = Vec::new();
        find_kev(dir, &mut kev_files);
        for f in &kev_files {
            match std::fs::read(f) {
                Ok(b) => self.add_bytes(&f.display().to_string(), b),
                Err(e) => self.failures.push(Failure::new(
                    f.display().to_string(),
                    Reason::Io {
                        detail: e.to_string(),
                    },
                )),
            }
        }
        let loaded = csaf::dir::read_with(dir, progress);
        self.files += loaded.documents.len();
        for p in loaded.problems {
            if kev_files.contains(&p.file) {
                continue;
            }
            // The tree reader takes every JSON file for CSAF; an OSV record is read as such.
            if matches!(p.kind, ProblemKind::Invalid(_))
                && let Ok(bytes) = std::fs::read(&p.file)
                && is_osv(&bytes)
            {
                self.files += 1;
                self.add_osv(&p.file.display().to_string(), bytes);
                continue;
            }
            self.files += 1;
            self.failures.push(p.into());
        }
        self.advisories.extend(loaded.documents);
    }
}

/// A ROLIE feed, a provider's metadata or a service document: read by the directory reader as
/// listings, passed over in an archive.
fn is_listing(name: &str, bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    name.ends_with("provider-metadata.json")
        || name.ends_with("service.json")
        || head.trim_start().starts_with("{\"feed\"")
}

/// The hash file beside an archived document, checked (SHA-256 first, as on disk).
fn check_sidecar(
    hashes: &std::collections::HashMap<String, String>,
    name: &str,
    bytes: &[u8],
) -> Option<Reason> {
    for kind in [HashKind::Sha256, HashKind::Sha512] {
        if let Some(text) = hashes.get(&format!("{name}.{}", kind.extension())) {
            let sha256 = digest(HashKind::Sha256, bytes);
            return verify(kind, text, bytes, &sha256).err().map(|p| {
                Failure::from(kojo_formats::csaf::dir::Problem {
                    file: name.into(),
                    kind: p,
                })
                .reason
            });
        }
    }
    None
}

/// KEV files in a tree (read as KEV, not as CSAF).
fn find_kev(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            find_kev(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("known_exploited_vulnerabilities"))
        {
            out.push(p);
        }
    }
}

/// Reads files and directories; a path that cannot be read is a failure, never a stop.
pub fn read_paths(paths: &[PathBuf], progress: Progress<'_>) -> Input {
    let mut input = Input::default();
    for path in paths {
        if path.is_dir() {
            input.add_dir(path, progress);
        } else {
            match std::fs::read(path) {
                Ok(b) => input.add_bytes(&path.display().to_string(), b),
                Err(e) => {
                    input.files += 1;
                    input.failures.push(Failure::new(
                        path.display().to_string(),
                        Reason::Io {
                            detail: e.to_string(),
                        },
                    ));
                }
            }
            progress(path, 1, 1);
        }
    }
    input
}

/// The row to store for one OSV record: its id as the tracking id, its modification time as
/// the revision, each affected package as a product.
fn osv_in(d: &OsvDoc) -> AdvisoryIn<'_> {
    let r = &d.record;
    AdvisoryIn {
        namespace: super::OSV_NAMESPACE,
        tracking_id: &r.id,
        revision: &r.modified,
        current_release: &r.modified,
        title: r.summary.as_deref().unwrap_or(&r.id),
        publisher: "OSV",
        document: &d.text,
        digest: &d.digest,
        cves: r.cves().into_iter().map(|c| (c, None)).collect(),
        products: r
            .affected
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let p = a.package.as_ref()?;
                Some((
                    format!("{}", i + 1),
                    p.ecosystem.clone(),
                    p.name.clone(),
                    String::new(),
                ))
            })
            .collect(),
    }
}

/// The row to store for one document.
fn advisory_in<'a>(a: &'a Advisory, doc: &'a Document) -> Option<AdvisoryIn<'a>> {
    let document = std::str::from_utf8(&doc.bytes).ok()?;
    let cves = a
        .vulnerabilities
        .iter()
        .filter_map(|v| {
            let cve = v.cve.clone()?;
            let best = v
                .scores
                .iter()
                .filter_map(|s| s.cvss_v3.as_ref().map(|c| c.base_score))
                .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
            Some((cve, best))
        })
        .collect();
    let products = a
        .products
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                p.vendor().unwrap_or_default().trim().to_string(),
                p.product_name().unwrap_or_default().trim().to_string(),
                p.version().map(|v| v.0.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    Some(AdvisoryIn {
        namespace: &a.id.namespace,
        tracking_id: &a.id.tracking_id,
        revision: &a.revision,
        current_release: &a.current_release,
        title: &a.title,
        publisher: &a.publisher,
        document,
        digest: &doc.digest,
        cves,
        products,
    })
}

impl Service {
    /// Stores what was read (administrators and the command line), then matches every site
    /// with assets again. Failed files are reported, never stored.
    pub async fn vuln_import(&self, who: &Who, mut input: Input) -> Result<ImportReport> {
        access::instance_admin(who)?;
        let actor = who.actor();
        let run = self.store().vuln_begin_run(&actor).await?;
        let mut report = ImportReport {
            run: Some(run),
            files: input.files,
            ..ImportReport::default()
        };
        let mut rows = Vec::with_capacity(input.advisories.len());
        for doc in &input.advisories {
            match advisory_in(&doc.advisory, doc) {
                Some(row) => rows.push(row),
                None => input.failures.push(Failure::new(
                    doc.file.display().to_string(),
                    Reason::NotUtf8,
                )),
            }
        }
        rows.extend(input.osv.iter().map(osv_in));
        let mut cves = std::collections::HashSet::new();
        for r in &rows {
            report.advisories += 1;
            report.products += r.products.len();
            cves.extend(r.cves.iter().map(|c| c.0.as_str()));
        }
        report.cves = cves.len();
        for stored in self.store().vuln_store_advisories(run, &rows).await? {
            match stored {
                Stored::New => report.new += 1,
                Stored::Revision { .. } => report.revised += 1,
                Stored::Unchanged => report.unchanged += 1,
            }
        }
        for (_, k) in &input.kev {
            report.kev_entries += self
                .store()
                .vuln_store_kev(run, &k.version, &k.entries)
                .await?;
        }
        report.failures = input.failures;
        self.store()
            .vuln_finish_run(&actor, &finished(run, &report))
            .await?;
        self.forget_vuln_data()?;
        if report.new + report.revised + report.kev_entries > 0 {
            for site in self.store().vuln_sites_with_assets().await? {
                let diff = self.vuln_match_site(&Who::Cli, site, Some(run)).await?;
                report.sites.push((site, diff));
            }
        }
        Ok(report)
    }
}

fn finished(run: ImportRunId, r: &ImportReport) -> ImportRun {
    let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
    ImportRun {
        id: run,
        at: 0,
        actor: String::new(),
        files: n(r.files),
        advisories_new: n(r.new),
        advisories_revised: n(r.revised),
        advisories_unchanged: n(r.unchanged),
        kev_entries: n(r.kev_entries),
        failures: serde_json::to_string(&r.failures).unwrap_or_else(|_| "[]".into()),
    }
}
