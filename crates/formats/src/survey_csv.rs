//! Survey response files: one row per respondent, a column per question (`question_id`; grid
//! rows as `question_id.row_id`; several choices as codes joined by `|`; empty = not answered),
//! plus the respondent's identifier in the column `respondent`.
//!
//! [`read`] checks a table read for import; [`tally`] counts a file in one streaming pass on
//! several threads for `kojo survey analyze` (the file is never held in memory whole);
//! [`Writer`] writes one. Import and analysis read a file the same way: the same CSV reader
//! ([`crate::csv_in`]: encodings, quotes, line numbers), xlsx through the same table reader
//! and limits, the same header and cell checks, and every respondent present once.

use std::io::{Read, Seek, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use kojo_core::survey::Tally;
use kojo_core::survey::schema::{Schema, Value};
use kojo_core::survey::tally::Plan;
use kojo_core::{Locale, Text};

use crate::csv_in::{self, Records};
use crate::table_in::{self, ReadError};
use crate::text::{count, fill, msg};

/// The identifier column.
pub const RESPONDENT: &str = "respondent";

/// A cell that is not what its column allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The line in the file (1 = the header, for a CSV without blank lines) or sheet row.
    pub row: usize,
    /// The column's name; empty when the problem is the whole row.
    pub column: String,
    pub value: String,
    /// What the cell should hold.
    pub expected: Expected,
}

/// What a cell should hold. The sentence is made when shown ([`Expected::get`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The instrument's rule for the column (codes, range, length…), as the questionnaire's
    /// schema words it in both languages.
    Answer(Text),
    /// As many cells as the header (a table built by hand can have rows of another length).
    Cells { expected: usize, found: usize },
    /// Empty: the question applies only when `condition` (a question) has certain answers.
    NotAsked { condition: String },
    /// The respondent's identifier (the cell is empty).
    Respondent,
    /// A respondent not already in an earlier row; `first` is the row where it is.
    DuplicateRespondent { first: usize },
}

impl Expected {
    /// What the cell should hold, in `locale`.
    pub fn get(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            Expected::Answer(text) => text.get(locale).to_string(),
            Expected::Cells { expected, found } => fill(
                m.survey_file_expected_cells,
                &[("expected", &count(*expected)), ("found", &count(*found))],
            ),
            Expected::NotAsked { condition } => fill(
                m.survey_file_expected_not_asked,
                &[("condition", condition)],
            ),
            Expected::Respondent => m.survey_file_expected_respondent.to_string(),
            Expected::DuplicateRespondent { first } => fill(
                m.survey_file_expected_duplicate_respondent,
                &[("first", first)],
            ),
        }
    }
}

impl CellError {
    /// The error in `locale`: where, the value found and what was expected. In English it is
    /// the `Display` text.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        let at = if self.column.is_empty() {
            fill(m.survey_file_at_row, &[("row", &self.row)])
        } else {
            fill(
                m.survey_file_at_row_column,
                &[("row", &self.row), ("column", &self.column)],
            )
        };
        let expected = self.expected.get(locale);
        if self.value.is_empty() && self.column.is_empty() {
            return fill(
                m.survey_file_cell_no_value,
                &[("at", &at), ("expected", &expected)],
            );
        }
        // English escapes control characters and quotes in the value (it is quoted there).
        let value = match locale {
            Locale::En => self.value.escape_debug().to_string(),
            Locale::Ja => self.value.clone(),
        };
        fill(
            m.survey_file_cell,
            &[("at", &at), ("value", &value), ("expected", &expected)],
        )
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for CellError {}

/// Why a response file was refused. Nothing is imported or counted in any case.
#[derive(Debug)]
pub enum SurveyFileError {
    /// Kept for callers; an empty file is now [`ReadError::Empty`] in [`SurveyFileError::Read`].
    Empty,
    UnknownColumns(Vec<String>),
    NoRespondent,
    DuplicateColumns(Vec<String>),
    /// Every bad cell (up to [`MAX_ERRORS`]), in row order.
    Cells(Vec<CellError>),
    /// Kept for callers; CSV problems are now [`SurveyFileError::Read`].
    Csv {
        line: usize,
        message: String,
    },
    Io(std::io::Error),
    /// Kept for callers; encoding problems are now [`ReadError::Encoding`].
    Encoding,
    /// The file could not be read as a table (encoding, quotes, ragged rows, xlsx limits…), as
    /// import reports it.
    Read(ReadError),
}

impl From<std::io::Error> for SurveyFileError {
    fn from(e: std::io::Error) -> SurveyFileError {
        SurveyFileError::Io(e)
    }
}

impl From<ReadError> for SurveyFileError {
    fn from(e: ReadError) -> SurveyFileError {
        SurveyFileError::Read(e)
    }
}

impl SurveyFileError {
    /// Every problem in `locale`, one line each (each bad cell on its own line); in English the
    /// `Display` texts.
    pub fn messages(&self, locale: Locale) -> Vec<String> {
        let m = msg(locale);
        let names = |names: &[String]| {
            names
                .iter()
                .map(|n| fill(m.survey_file_name, &[("name", n)]))
                .collect::<Vec<_>>()
                .join(m.survey_file_list_separator)
        };
        vec![match self {
            SurveyFileError::Cells(cells) => {
                return cells.iter().map(|c| c.message(locale)).collect();
            }
            SurveyFileError::Empty => m.survey_file_empty.to_string(),
            SurveyFileError::UnknownColumns(list) => {
                fill(m.survey_file_unknown_columns, &[("names", &names(list))])
            }
            SurveyFileError::NoRespondent => {
                fill(m.survey_file_no_respondent, &[("column", &RESPONDENT)])
            }
            SurveyFileError::DuplicateColumns(list) => {
                fill(m.survey_file_duplicate_columns, &[("names", &names(list))])
            }
            // The table reader's sentence for the same problem.
            SurveyFileError::Csv { line, message } => ReadError::Csv {
                line: *line as u64,
                message: message.clone(),
            }
            .message(locale),
            SurveyFileError::Io(e) => fill(m.survey_file_io, &[("detail", e)]),
            SurveyFileError::Encoding => m.survey_file_encoding.to_string(),
            SurveyFileError::Read(e) => e.message(locale),
        }]
    }

    /// The problem in `locale`, on one line (for a list of bad cells: how many, and the first).
    pub fn message(&self, locale: Locale) -> String {
        match self {
            SurveyFileError::Cells(cells) => fill(
                msg(locale).survey_file_cells,
                &[
                    ("n", &count(cells.len())),
                    (
                        "first",
                        &cells.first().map(|c| c.message(locale)).unwrap_or_default(),
                    ),
                ],
            ),
            other => other.messages(locale).join("; "),
        }
    }
}

impl std::fmt::Display for SurveyFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for SurveyFileError {}

/// Stop collecting after this many bad cells (the file is refused anyway).
pub const MAX_ERRORS: usize = 200;

/// Where each file column goes: a schema column, the respondent id, or nothing.
#[derive(Debug, Clone)]
pub struct Header {
    pub map: Vec<Slot>,
    pub names: Vec<String>,
    /// Schema columns the file does not have (all unanswered).
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Column(usize),
    Respondent,
}

impl Header {
    pub fn new(schema: &Schema, names: &[String]) -> Result<Header, SurveyFileError> {
        let mut map = Vec::new();
        let mut unknown = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut dup = Vec::new();
        let mut has_respondent = false;
        for name in names {
            let name = name.trim().trim_start_matches('\u{feff}');
            if !seen.insert(name.to_string()) {
                dup.push(name.to_string());
            }
            if name == RESPONDENT {
                has_respondent = true;
                map.push(Slot::Respondent);
            } else if let Some(c) = schema
                .column(name)
                .filter(|&c| schema.columns[c].question.is_some())
            {
                map.push(Slot::Column(c));
            } else {
                unknown.push(name.to_string());
                map.push(Slot::Respondent);
            }
        }
        if !dup.is_empty() {
            return Err(SurveyFileError::DuplicateColumns(dup));
        }
        if !unknown.is_empty() {
            return Err(SurveyFileError::UnknownColumns(unknown));
        }
        if !has_respondent {
            return Err(SurveyFileError::NoRespondent);
        }
        let present: std::collections::HashSet<usize> = map
            .iter()
            .filter_map(|s| {
                if let Slot::Column(c) = s {
                    Some(*c)
                } else {
                    None
                }
            })
            .collect();
        let missing = schema
            .columns
            .iter()
            .enumerate()
            .filter(|(i, c)| c.question.is_some() && !present.contains(i))
            .map(|(_, c)| c.name.clone())
            .collect();
        Ok(Header {
            map,
            names: names.to_vec(),
            missing,
        })
    }

    /// The warning for schema columns the file does not have, in `locale`; `None` when it has
    /// them all.
    pub fn missing_message(&self, locale: Locale) -> Option<String> {
        (!self.missing.is_empty()).then(|| {
            fill(
                msg(locale).survey_file_missing_columns,
                &[("names", &self.missing.join(", "))],
            )
        })
    }
}

// ------------------------------------------------------------------------------------------
// Checking rows: one set of rules for import and analysis
// ------------------------------------------------------------------------------------------

/// Checks rows one by one: every cell against its column, the routing, and the respondent id
/// (present; duplicates are found at the end by [`Respondents::duplicates`]).
struct RowChecker<'s> {
    schema: &'s Schema<'s>,
    header: &'s Header,
    values: Vec<Value>,
    errors: Vec<CellError>,
    ids: Respondents,
}

impl<'s> RowChecker<'s> {
    fn new(schema: &'s Schema<'s>, header: &'s Header) -> RowChecker<'s> {
        RowChecker {
            schema,
            header,
            values: vec![Value::Missing; schema.columns.len()],
            errors: Vec::new(),
            ids: Respondents::default(),
        }
    }

    fn error(&mut self, e: CellError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }

    /// Reads one row into `self.values`; whether every cell of it is valid. The respondent id
    /// is remembered for the duplicate check.
    fn row<S: AsRef<str>>(&mut self, line: usize, cells: &[S]) -> bool {
        let (schema, header) = (self.schema, self.header);
        self.values.fill(Value::Missing);
        let mut ok = true;
        let mut respondent = "";
        for (i, cell) in cells.iter().enumerate() {
            let cell = cell.as_ref();
            match header.map.get(i) {
                Some(Slot::Respondent) => respondent = cell.trim(),
                Some(&Slot::Column(c)) => match schema.read(c, cell) {
                    Ok(v) => self.values[c] = v,
                    Err(p) => {
                        ok = false;
                        self.error(CellError {
                            row: line,
                            column: header.names[i].clone(),
                            value: cell.to_string(),
                            expected: Expected::Answer(p.expected),
                        });
                    }
                },
                None => {}
            }
        }
        if cells.len() != header.map.len() {
            ok = false;
            self.error(CellError {
                row: line,
                column: String::new(),
                value: String::new(),
                expected: Expected::Cells {
                    expected: header.map.len(),
                    found: cells.len(),
                },
            });
        }
        for c in 0..self.values.len() {
            if !self.values[c].is_missing() && !schema.applies(c, &self.values) {
                ok = false;
                let condition = schema.columns[c]
                    .show_if
                    .map(|s| schema.columns[s.column].name.clone())
                    .unwrap_or_default();
                self.error(CellError {
                    row: line,
                    column: schema.columns[c].name.clone(),
                    value: String::new(),
                    expected: Expected::NotAsked { condition },
                });
            }
        }
        if respondent.is_empty() {
            ok = false;
            self.error(CellError {
                row: line,
                column: RESPONDENT.into(),
                value: String::new(),
                expected: Expected::Respondent,
            });
        } else {
            self.ids.push(respondent, line);
        }
        ok
    }
}

/// Respondent ids seen, for the duplicate check: the ids' bytes in one buffer and a small entry
/// per row (24 bytes), so a million respondents cost about 24 MB plus their ids.
#[derive(Default)]
struct Respondents {
    bytes: Vec<u8>,
    entries: Vec<IdEntry>,
}

#[derive(Clone, Copy)]
struct IdEntry {
    hash: u64,
    /// Offset in `bytes` (low 40 bits) and length (high 24 bits).
    span: u64,
    row: u64,
}

impl IdEntry {
    fn id<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        let start = (self.span & ((1 << 40) - 1)) as usize;
        let len = (self.span >> 40) as usize;
        &bytes[start..start + len]
    }
}

/// A fast hash of an id, for sorting; equal hashes are compared byte by byte.
fn id_hash(id: &[u8]) -> u64 {
    let mut h = id.len() as u64;
    for part in id.chunks(8) {
        let mut word = [0u8; 8];
        word[..part.len()].copy_from_slice(part);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h
}

impl Respondents {
    fn push(&mut self, id: &str, row: usize) {
        // A record is at most MAX_RECORD_BYTES (1 MiB), so the length fits in 24 bits.
        let len = id.len().min((1 << 24) - 1);
        let start = self.bytes.len() as u64;
        self.bytes.extend_from_slice(&id.as_bytes()[..len]);
        self.entries.push(IdEntry {
            hash: id_hash(&id.as_bytes()[..len]),
            span: start | ((len as u64) << 40),
            row: row as u64,
        });
    }

    /// Sorts the ids (by hash, then bytes, then row), ready for [`duplicates`].
    fn sort(&mut self) {
        let bytes = &self.bytes;
        self.entries
            .sort_unstable_by(|a, b| compare(bytes, a, bytes, b));
    }
}

fn compare(a_bytes: &[u8], a: &IdEntry, b_bytes: &[u8], b: &IdEntry) -> std::cmp::Ordering {
    a.hash
        .cmp(&b.hash)
        .then_with(|| a.id(a_bytes).cmp(b.id(b_bytes)))
        .then(a.row.cmp(&b.row))
}

/// An error for every row whose respondent is already in an earlier row (of any of the
/// lists: one per counting thread), naming the first row it is in; in row order. The lists are
/// sorted and then merged, never copied into one.
fn duplicates(mut lists: Vec<Respondents>) -> Vec<CellError> {
    for list in &mut lists {
        list.sort();
    }
    let mut at = vec![0usize; lists.len()];
    let mut first: Option<(usize, usize)> = None;
    let mut errors = Vec::new();
    loop {
        let mut next: Option<usize> = None;
        for (k, list) in lists.iter().enumerate() {
            let Some(e) = list.entries.get(at[k]) else {
                continue;
            };
            let better = next.is_none_or(|n| {
                let other = &lists[n];
                compare(&list.bytes, e, &other.bytes, &other.entries[at[n]]).is_lt()
            });
            if better {
                next = Some(k);
            }
        }
        let Some(k) = next else { break };
        let (list, e) = (&lists[k], &lists[k].entries[at[k]]);
        match first {
            Some((fk, fi))
                if lists[fk].entries[fi].hash == e.hash
                    && lists[fk].entries[fi].id(&lists[fk].bytes) == e.id(&list.bytes) =>
            {
                errors.push(CellError {
                    row: kojo_core::num::saturate::<usize, _>(e.row),
                    column: RESPONDENT.into(),
                    value: String::from_utf8_lossy(e.id(&list.bytes)).into_owned(),
                    expected: Expected::DuplicateRespondent {
                        first: kojo_core::num::saturate::<usize, _>(lists[fk].entries[fi].row),
                    },
                });
            }
            _ => first = Some((k, at[k])),
        }
        at[k] += 1;
    }
    errors.sort_by_key(|e| e.row);
    errors
}

/// The cell errors of several checkers and their duplicate respondents, in row order (within
/// a row as found), at most [`MAX_ERRORS`].
fn all_errors(mut errors: Vec<CellError>, ids: Vec<Respondents>) -> Vec<CellError> {
    errors.extend(duplicates(ids));
    errors.sort_by_key(|e| e.row);
    errors.truncate(MAX_ERRORS);
    errors
}

// ------------------------------------------------------------------------------------------
// Import
// ------------------------------------------------------------------------------------------

/// One respondent of an imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResponse {
    pub respondent: String,
    /// The row it came from (for messages).
    pub row: usize,
    /// Column name → cell, as written (only answered cells).
    pub cells: Vec<(String, String)>,
}

/// Reads a whole response table (CSV or xlsx, already read into a [`crate::table_in::Table`])
/// for import: every cell checked, every error collected; nothing is returned unless all valid.
pub fn read(
    schema: &Schema,
    table: &crate::table_in::Table,
) -> Result<Vec<ImportedResponse>, SurveyFileError> {
    let header = Header::new(schema, &table.headers)?;
    let mut checker = RowChecker::new(schema, &header);
    let mut out = Vec::new();
    for row in &table.rows {
        checker.row(row.number, &row.cells);
        if !checker.errors.is_empty() {
            continue;
        }
        let mut respondent = String::new();
        let mut cells = Vec::new();
        for (slot, cell) in header.map.iter().zip(&row.cells) {
            match slot {
                Slot::Respondent => respondent = cell.trim().to_string(),
                Slot::Column(c) if !cell.trim().is_empty() => {
                    cells.push((schema.columns[*c].name.clone(), cell.trim().to_string()));
                }
                Slot::Column(_) => {}
            }
        }
        out.push(ImportedResponse {
            respondent,
            row: row.number,
            cells,
        });
    }
    let errors = all_errors(checker.errors, vec![checker.ids]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(SurveyFileError::Cells(errors))
    }
}

/// Reads a response file (CSV or xlsx) for import, as the web pages and `kojo survey import` do
/// ([`crate::table_in::read_any`] then [`read`]).
pub fn read_file(
    schema: &Schema,
    bytes: &[u8],
    file_name: &str,
) -> Result<Vec<ImportedResponse>, SurveyFileError> {
    let table = table_in::read_any(bytes, file_name)?;
    read(schema, &table)
}

// ------------------------------------------------------------------------------------------
// Analysis: one streaming pass on several threads
// ------------------------------------------------------------------------------------------

/// Chunks of about this many bytes go to the counting threads.
const CHUNK: usize = 4 << 20;

/// Counts a response file in one pass, on `threads` worker threads, reading it exactly as
/// import does (see the module documentation). Any problem makes the whole file an error: the
/// first problem reading the file (encoding errors first, then the earliest other one), else
/// the header's, else every bad cell (up to [`MAX_ERRORS`]).
///
/// `reader` cannot be rewound, so one case import accepts is refused here: a file without a
/// byte-order mark that is valid UTF-8 with non-ASCII text for a while and then not (import
/// reads such a file as CP932). [`tally_seekable`] reads it as import does.
pub fn tally<R: Read + Send>(
    mut reader: R,
    schema: &Schema,
    plan: &Plan,
    threads: usize,
) -> Result<(Tally, Header), SurveyFileError> {
    match pass(&mut reader, "", schema, plan, threads, Mode::Auto, CHUNK)? {
        Pass::Done(done) => Ok(*done),
        Pass::NeedsCp932(bad) => Err(SurveyFileError::Read(bad)),
    }
}

/// [`tally`] for a reader that can be rewound (a file): a file that turns out to be CP932 after
/// non-ASCII UTF-8 text is read again as CP932, as import reads it. `file_name` is used as
/// import uses it (a name ending in `.xlsx` must hold an xlsx).
pub fn tally_seekable<R: Read + Seek + Send>(
    reader: R,
    file_name: &str,
    schema: &Schema,
    plan: &Plan,
    threads: usize,
) -> Result<(Tally, Header), SurveyFileError> {
    tally_in_chunks(reader, file_name, schema, plan, threads, CHUNK, true)
}

/// [`tally_seekable`] (or, without `rewind`, [`tally`]) with chunks of about `chunk` bytes (at
/// least 8 KiB) instead of 4 MiB, so that tests cut small files at many places.
#[doc(hidden)]
pub fn tally_in_chunks<R: Read + Seek + Send>(
    mut reader: R,
    file_name: &str,
    schema: &Schema,
    plan: &Plan,
    threads: usize,
    chunk: usize,
    rewind: bool,
) -> Result<(Tally, Header), SurveyFileError> {
    let first = pass(
        &mut reader,
        file_name,
        schema,
        plan,
        threads,
        Mode::Auto,
        chunk,
    )?;
    match first {
        Pass::Done(done) => Ok(*done),
        Pass::NeedsCp932(bad) if !rewind => Err(SurveyFileError::Read(bad)),
        Pass::NeedsCp932(_) => {
            reader.seek(std::io::SeekFrom::Start(0))?;
            match pass(
                &mut reader,
                file_name,
                schema,
                plan,
                threads,
                Mode::Cp932,
                chunk,
            )? {
                Pass::Done(done) => Ok(*done),
                Pass::NeedsCp932(bad) => Err(SurveyFileError::Read(bad)),
            }
        }
    }
}

/// How chunks are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No byte-order mark: UTF-8 while the file is valid UTF-8, else CP932.
    Auto,
    /// A UTF-8 byte-order mark: UTF-8, bad bytes are an error.
    Utf8,
    /// CP932.
    Cp932,
}

enum Pass {
    Done(Box<(Tally, Header)>),
    /// The file is not UTF-8 after non-ASCII UTF-8 text: it must be read again as CP932. The
    /// error is what to report if it cannot be.
    NeedsCp932(ReadError),
}

/// A piece of the file made of whole records.
struct Chunk {
    first_line: usize,
    data: ChunkData,
}

enum ChunkData {
    Text(String),
    Cp932(Vec<u8>),
}

/// Reads until `buf` holds `target` bytes or the input ends; whether it ended.
fn fill_to(reader: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> std::io::Result<bool> {
    while buf.len() < target {
        let old = buf.len();
        buf.resize(target, 0);
        match reader.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                return Ok(true);
            }
            Ok(n) => buf.truncate(old + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(old),
            Err(e) => {
                buf.truncate(old);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// What the counting threads share.
struct Shared<'a> {
    schema: &'a Schema<'a>,
    plan: &'a Plan,
    /// `None` when the header is wrong: rows are then only read, to find earlier problems.
    header: Option<&'a Header>,
    width: usize,
    /// The earliest line of a record-level problem found so far (later chunks need no parsing).
    cutoff: AtomicUsize,
    /// The earliest line of an encoding problem found so far (later chunks need not be read).
    bad_bytes: AtomicUsize,
    /// Set when the pass is abandoned.
    abort: AtomicBool,
}

#[derive(Default)]
struct WorkerOut {
    tally: Option<Tally>,
    errors: Vec<CellError>,
    ids: Respondents,
    read_error: Option<ReadError>,
    encoding_error: Option<ReadError>,
}

fn earliest(slot: &mut Option<ReadError>, e: ReadError) {
    if slot.as_ref().is_none_or(|old| e.line() < old.line()) {
        *slot = Some(e);
    }
}

fn work(shared: &Shared<'_>, rx: &Mutex<mpsc::Receiver<Chunk>>) -> WorkerOut {
    let mut out = WorkerOut::default();
    let mut checker = shared.header.map(|h| RowChecker::new(shared.schema, h));
    let mut tally = checker
        .as_ref()
        .map(|_| Tally::new(shared.schema, shared.plan));
    loop {
        let next = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(chunk) = next else { break };
        if shared.abort.load(Ordering::Relaxed)
            || chunk.first_line > shared.bad_bytes.load(Ordering::Relaxed)
        {
            continue;
        }
        let text = match chunk.data {
            ChunkData::Text(text) => text,
            ChunkData::Cp932(bytes) => match csv_in::decode_cp932(&bytes) {
                Ok(text) => text,
                Err(bad) => {
                    let e = table_in::encoding_error(&bytes, bad, chunk.first_line);
                    shared.bad_bytes.fetch_min(e.line(), Ordering::Relaxed);
                    earliest(&mut out.encoding_error, e);
                    continue;
                }
            },
        };
        if chunk.first_line > shared.cutoff.load(Ordering::Relaxed) {
            continue;
        }
        let mut records = Records::new(&text, chunk.first_line);
        let mut fields = Vec::new();
        loop {
            let line = match records.next_record(&mut fields) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    let e = ReadError::from(e);
                    shared.cutoff.fetch_min(e.line(), Ordering::Relaxed);
                    earliest(&mut out.read_error, e);
                    break;
                }
            };
            if table_in::is_blank(&fields) {
                continue;
            }
            if let Err(e) = table_in::check_width(line, shared.width, fields.len()) {
                shared.cutoff.fetch_min(line, Ordering::Relaxed);
                earliest(&mut out.read_error, e);
                break;
            }
            if let (Some(checker), Some(tally)) = (checker.as_mut(), tally.as_mut())
                && checker.row(line, &fields)
            {
                tally.add(shared.schema, shared.plan, &checker.values);
            }
        }
    }
    if let Some(mut checker) = checker {
        // Sorted here, on every thread at once; merged at the end.
        checker.ids.sort();
        out.errors = checker.errors;
        out.ids = checker.ids;
    }
    out.tally = tally;
    out
}

/// One pass over the file (see [`tally`]).
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn pass<R: Read>(
    reader: &mut R,
    file_name: &str,
    schema: &Schema,
    plan: &Plan,
    threads: usize,
    mut mode: Mode,
    chunk: usize,
) -> Result<Pass, SurveyFileError> {
    // Enough to decide what the file is (8 KiB), however small the chunks.
    let chunk = chunk.max(8 << 10);
    let mut buf = Vec::with_capacity(chunk + (64 << 10));
    let mut eof = fill_to(reader, &mut buf, chunk)?;
    if table_in::sniff(&buf, file_name)? == table_in::Kind::Xlsx {
        let limit = crate::limits::XLSX_MAX_TOTAL_BYTES;
        let mut rest = Vec::new();
        reader.take(limit + 1).read_to_end(&mut rest)?;
        buf.extend_from_slice(&rest);
        drop(rest);
        if buf.len() as u64 > limit {
            return Err(ReadError::Xlsx(crate::XlsxProblem::Limit(crate::XlsxLimit {
                limit: crate::Limit::TotalBytes,
                part: String::new(),
                found: buf.len() as u64,
                max: limit,
            }))
            .into());
        }
        let table = table_in::read_xlsx(&buf, None)?;
        drop(buf);
        return tally_table(schema, plan, &table).map(|done| Pass::Done(Box::new(done)));
    }
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16.into());
    }
    if let Some(rest) = buf.strip_prefix(crate::csv_out::UTF8_BOM) {
        buf = rest.to_vec();
        mode = Mode::Utf8;
    }
    let mut non_ascii_utf8 = false;
    let mut line = 1;

    // The header: the first record that is not blank, read on this thread. A problem reading
    // it is kept, and the rest of the file is still read for encoding problems, which import
    // reports first.
    let mut early: Option<ReadError> = None;
    let mut names: Vec<String> = Vec::new();
    let mut after_header: Option<(usize, String)> = None;
    loop {
        if !eof && buf.len() < chunk {
            eof = fill_to(reader, &mut buf, chunk)?;
        }
        let Some(bytes) = cut(&mut buf, eof) else {
            if eof {
                break;
            }
            let target = buf.len() + chunk;
            eof = fill_to(reader, &mut buf, target)?;
            continue;
        };
        let first_line = line;
        line += csv_in::line_breaks(&bytes);
        let text = match decode_chunk(bytes, &mut mode, &mut non_ascii_utf8, first_line) {
            Ok(ChunkData::Text(text)) => text,
            Ok(ChunkData::Cp932(bytes)) => csv_in::decode_cp932(&bytes)
                .map_err(|bad| table_in::encoding_error(&bytes, bad, first_line))?,
            Err(Stop::Encoding(e)) => return Err(e.into()),
            Err(Stop::Restart(e)) => return Ok(Pass::NeedsCp932(e)),
        };
        let mut records = Records::new(&text, first_line);
        let mut fields = Vec::new();
        let found = loop {
            match records.next_record(&mut fields) {
                Ok(None) => break Ok(None),
                Ok(Some(_)) if table_in::is_blank(&fields) => {}
                Ok(Some(at)) => break Ok(Some(at)),
                Err(e) => break Err(ReadError::from(e)),
            }
        };
        match found {
            Ok(None) => continue,
            Ok(Some(at)) => {
                match table_in::check_header_width(fields.len(), at) {
                    Ok(()) => names = fields.iter().map(|f| f.trim().to_string()).collect(),
                    Err(e) => early = Some(e),
                }
                after_header = Some((records.line(), text[records.offset()..].to_string()));
            }
            Err(e) => early = Some(e),
        }
        break;
    }
    if early.is_none() && after_header.is_none() {
        return Err(ReadError::Empty { sheet: None }.into());
    }
    let header = match &early {
        Some(_) => Err(SurveyFileError::Read(ReadError::Empty { sheet: None })),
        None => Header::new(schema, &names),
    };
    let shared = Shared {
        schema,
        plan,
        header: header.as_ref().ok(),
        width: names.len(),
        cutoff: AtomicUsize::new(early.as_ref().map_or(usize::MAX, ReadError::line)),
        bad_bytes: AtomicUsize::new(usize::MAX),
        abort: AtomicBool::new(false),
    };

    // The rest of the file, in chunks of whole records, counted on `threads` threads.
    let mut restart = None;
    let mut bad_bytes = None;
    let (tx, rx) = mpsc::sync_channel::<Chunk>(threads.max(1) * 2);
    let rx = Mutex::new(rx);
    let outs = std::thread::scope(|scope| -> Result<Vec<WorkerOut>, SurveyFileError> {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| scope.spawn(|| work(&shared, &rx)))
            .collect();
        let mut result = Ok(());
        if let Some((first_line, text)) = after_header.take()
            && !text.is_empty()
        {
            let _ = tx.send(Chunk {
                first_line,
                data: ChunkData::Text(text),
            });
        }
        loop {
            if line > shared.bad_bytes.load(Ordering::Relaxed) {
                break;
            }
            if !eof && buf.len() < chunk {
                match fill_to(reader, &mut buf, chunk) {
                    Ok(end) => eof = end,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            let Some(bytes) = cut(&mut buf, eof) else {
                if eof {
                    break;
                }
                let target = buf.len() + chunk;
                match fill_to(reader, &mut buf, target) {
                    Ok(end) => eof = end,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
                continue;
            };
            let first_line = line;
            // A record longer than the limit: the rest of the file is read only for its
            // encoding (nothing after the record can be an earlier problem).
            if !eof && csv_in::last_boundary(&bytes).is_none() {
                shared.cutoff.fetch_min(first_line, Ordering::Relaxed);
            }
            line += csv_in::line_breaks(&bytes);
            match decode_chunk(bytes, &mut mode, &mut non_ascii_utf8, first_line) {
                Ok(data) => {
                    if tx.send(Chunk { first_line, data }).is_err() {
                        break;
                    }
                }
                Err(Stop::Encoding(e)) => {
                    shared.bad_bytes.fetch_min(e.line(), Ordering::Relaxed);
                    bad_bytes = Some(e);
                    break;
                }
                Err(Stop::Restart(e)) => {
                    shared.abort.store(true, Ordering::Relaxed);
                    restart = Some(e);
                    break;
                }
            }
        }
        drop(tx);
        let outs = workers
            .into_iter()
            .map(|w| w.join())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| std::io::Error::other("a counting thread failed"))?;
        result?;
        Ok(outs)
    })?;
    if let Some(e) = restart {
        return Ok(Pass::NeedsCp932(e));
    }
    for out in &outs {
        if let Some(e) = &out.encoding_error {
            earliest(&mut bad_bytes, e.clone());
        }
    }
    if let Some(e) = bad_bytes {
        return Err(e.into());
    }
    let mut read_error = early;
    for out in &outs {
        if let Some(e) = &out.read_error {
            earliest(&mut read_error, e.clone());
        }
    }
    if let Some(e) = read_error {
        return Err(e.into());
    }
    let header = header?;
    let mut total = Tally::new(schema, plan);
    let mut errors = Vec::new();
    let mut ids = Vec::new();
    for out in outs {
        if let Some(t) = &out.tally {
            total.merge(t);
        }
        errors.extend(out.errors);
        ids.push(out.ids);
    }
    let errors = all_errors(errors, ids);
    if !errors.is_empty() {
        return Err(SurveyFileError::Cells(errors));
    }
    Ok(Pass::Done(Box::new((total, header))))
}

/// Takes the complete records at the start of `buf` (all of it at the end of the input); `None`
/// when there is no complete record yet. A single record longer than the limit is handed over
/// whole, to be reported as such.
fn cut(buf: &mut Vec<u8>, eof: bool) -> Option<Vec<u8>> {
    let end = if eof {
        buf.len()
    } else {
        csv_in::last_boundary(buf).unwrap_or(if buf.len() > crate::limits::MAX_RECORD_BYTES + 2 {
            buf.len()
        } else {
            0
        })
    };
    if end == 0 {
        return None;
    }
    let rest = buf.split_off(end);
    Some(std::mem::replace(buf, rest))
}

/// Why reading stops.
enum Stop {
    /// Bytes that are not text in the file's encoding.
    Encoding(ReadError),
    /// Not UTF-8 after non-ASCII UTF-8 text: read again as CP932 (the error is the UTF-8 one).
    Restart(ReadError),
}

/// Decodes a chunk as `mode` says, switching an undecided file to CP932 at its first byte that
/// is not UTF-8. UTF-8 is checked here (on the reading thread); CP932 is decoded by a worker.
fn decode_chunk(
    bytes: Vec<u8>,
    mode: &mut Mode,
    non_ascii_utf8: &mut bool,
    first_line: usize,
) -> Result<ChunkData, Stop> {
    match *mode {
        Mode::Cp932 => Ok(ChunkData::Cp932(bytes)),
        Mode::Utf8 | Mode::Auto => match String::from_utf8(bytes) {
            Ok(text) => {
                *non_ascii_utf8 |= !text.is_ascii();
                Ok(ChunkData::Text(text))
            }
            Err(e) => {
                let bad = csv_in::BadBytes {
                    offset: e.utf8_error().valid_up_to(),
                    encoding: csv_in::UTF8,
                };
                let bytes = e.into_bytes();
                if *mode == Mode::Utf8 {
                    Err(Stop::Encoding(table_in::encoding_error(
                        &bytes, bad, first_line,
                    )))
                } else if *non_ascii_utf8 {
                    Err(Stop::Restart(table_in::encoding_error(
                        &bytes, bad, first_line,
                    )))
                } else {
                    *mode = Mode::Cp932;
                    Ok(ChunkData::Cp932(bytes))
                }
            }
        },
    }
}

/// Counts a table read by the table reader (an xlsx), with the same checks.
fn tally_table(
    schema: &Schema,
    plan: &Plan,
    table: &table_in::Table,
) -> Result<(Tally, Header), SurveyFileError> {
    let header = Header::new(schema, &table.headers)?;
    let mut checker = RowChecker::new(schema, &header);
    let mut tally = Tally::new(schema, plan);
    for row in &table.rows {
        if checker.row(row.number, &row.cells) {
            tally.add(schema, plan, &checker.values);
        }
    }
    let errors = all_errors(checker.errors, vec![checker.ids]);
    if !errors.is_empty() {
        return Err(SurveyFileError::Cells(errors));
    }
    Ok((tally, header))
}

/// Writes response rows as CSV (UTF-8 with BOM), streaming.
pub struct Writer<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> Writer<W> {
    /// Writes the header: `respondent` then every column of the schema.
    pub fn new(mut out: W, schema: &Schema) -> std::io::Result<Writer<W>> {
        out.write_all(crate::csv_out::UTF8_BOM)?;
        let mut line = String::from(RESPONDENT);
        for c in schema.columns.iter().filter(|c| c.question.is_some()) {
            line.push(',');
            line.push_str(&c.name);
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
        Ok(Writer {
            out,
            line: String::with_capacity(1024),
        })
    }

    /// Writes one respondent; `texts` holds free-text answers by column.
    pub fn row(
        &mut self,
        schema: &Schema,
        respondent: &str,
        values: &[Value],
        texts: &[Option<&str>],
    ) -> std::io::Result<()> {
        self.line.clear();
        push_cell(&mut self.line, respondent);
        for (c, col) in schema.columns.iter().enumerate() {
            if col.question.is_none() {
                continue;
            }
            self.line.push(',');
            match (values[c], texts.get(c).copied().flatten()) {
                (Value::Text(_), Some(t)) => push_cell(&mut self.line, t),
                (v, _) => schema.write(c, v, &mut self.line),
            }
        }
        self.line.push_str("\r\n");
        self.out.write_all(self.line.as_bytes())
    }

    /// Writes one respondent given as cells by column name.
    pub fn cells(
        &mut self,
        schema: &Schema,
        respondent: &str,
        cells: &[(String, String)],
    ) -> std::io::Result<()> {
        self.line.clear();
        push_cell(&mut self.line, respondent);
        for col in schema.columns.iter().filter(|c| c.question.is_some()) {
            self.line.push(',');
            if let Some((_, v)) = cells.iter().find(|(n, _)| n == &col.name) {
                push_cell(&mut self.line, v);
            }
        }
        self.line.push_str("\r\n");
        self.out.write_all(self.line.as_bytes())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A cell, quoted when needed, with formula characters neutralised.
fn push_cell(line: &mut String, value: &str) {
    let value = crate::csv_out::escape_formula(value);
    if value.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&value.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(&value);
    }
}
