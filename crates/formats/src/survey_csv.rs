//! Survey response files: one row per respondent, a column per question (`question_id`; grid
//! rows as `question_id.row_id`; several choices as codes joined by `|`; empty = not answered),
//! plus the respondent's identifier in the column `respondent`.
//!
//! [`tally`] counts a file in one streaming pass on several threads (the file is never held in
//! memory whole); [`read`] reads a file for import, checking every cell; [`Writer`] writes one.

use std::io::{BufRead, Read, Write};
use std::sync::mpsc;

use kojo_core::survey::Tally;
use kojo_core::survey::schema::{Schema, Value};
use kojo_core::survey::tally::Plan;
use kojo_core::{Locale, Text};

/// The identifier column.
pub const RESPONDENT: &str = "respondent";

/// A cell that is not what its column allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, column {column}: {value:?} — expected {}", .expected.en)]
pub struct CellError {
    /// The line in the file (1 = the header).
    pub row: usize,
    pub column: String,
    pub value: String,
    /// What the cell should hold, in Japanese and English (`Display` uses the English).
    pub expected: Text,
}

impl CellError {
    /// The error in `locale`: where, the value found and what was expected. In English it is
    /// the `Display` text.
    pub fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.to_string(),
            Locale::Ja => {
                let mut at = format!("{}行目", self.row);
                if !self.column.is_empty() {
                    at.push_str(&format!("、{}列", self.column));
                }
                if !self.value.is_empty() {
                    at.push_str(&format!(": 「{}」", self.value));
                }
                format!("{at} — 正しい入力: {}", self.expected.ja)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SurveyFileError {
    #[error("the file is empty")]
    Empty,
    #[error("the header names columns this instrument does not have: {0:?}")]
    UnknownColumns(Vec<String>),
    #[error("the header has no `{RESPONDENT}` column")]
    NoRespondent,
    #[error("the header repeats columns: {0:?}")]
    DuplicateColumns(Vec<String>),
    #[error("{} invalid cell(s); first: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    Cells(Vec<CellError>),
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is not UTF-8 (save it as UTF-8 CSV, or import it as xlsx)")]
    Encoding,
}

impl SurveyFileError {
    /// Every problem in `locale`, one line each (each bad cell on its own line); in English the
    /// `Display` texts.
    pub fn messages(&self, locale: Locale) -> Vec<String> {
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|n| format!("「{n}」"))
                .collect::<Vec<_>>()
                .join("、")
        };
        vec![match self {
            SurveyFileError::Cells(cells) => {
                return cells.iter().map(|c| c.message(locale)).collect();
            }
            _ if locale == Locale::En => self.to_string(),
            SurveyFileError::Empty => "ファイルが空です".into(),
            SurveyFileError::UnknownColumns(names) => format!(
                "見出し行に、この調査票にない列があります: {}",
                quoted(names)
            ),
            SurveyFileError::NoRespondent => {
                format!("見出し行に「{RESPONDENT}」列(回答者の識別子)がありません")
            }
            SurveyFileError::DuplicateColumns(names) => {
                format!("見出し行で同じ列が繰り返されています: {}", quoted(names))
            }
            // The table reader's sentence for the same problem.
            SurveyFileError::Csv { line, message } => crate::table_in::ReadError::Csv {
                line: *line as u64,
                message: message.clone(),
            }
            .message(locale),
            SurveyFileError::Io(e) => format!("ファイルを読めません(詳細: {e})"),
            SurveyFileError::Encoding => {
                "UTF-8 のファイルではありません。UTF-8 の CSV で保存するか、xlsx で取り込んでください"
                    .into()
            }
        }]
    }
}

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
}

/// Reads one row's cells into `values`, checking each cell and the routing. Returns the
/// respondent id.
fn read_row<'c>(
    schema: &Schema,
    header: &Header,
    cells: impl Iterator<Item = &'c str>,
    line: usize,
    values: &mut [Value],
    errors: &mut Vec<CellError>,
) -> String {
    values.fill(Value::Missing);
    let mut respondent = String::new();
    let mut count = 0;
    for (i, cell) in cells.enumerate() {
        count += 1;
        match header.map.get(i) {
            Some(Slot::Respondent) => respondent = cell.trim().to_string(),
            Some(Slot::Column(c)) => match schema.read(*c, cell) {
                Ok(v) => values[*c] = v,
                Err(p) => {
                    if errors.len() < MAX_ERRORS {
                        errors.push(CellError {
                            row: line,
                            column: header.names[i].clone(),
                            value: cell.to_string(),
                            expected: p.expected,
                        })
                    }
                }
            },
            None => {}
        }
    }
    if count != header.map.len() && errors.len() < MAX_ERRORS {
        let n = header.map.len();
        errors.push(CellError {
            row: line,
            column: String::new(),
            value: String::new(),
            expected: Text::new(
                format!("ヘッダーと同じ{n}個のセル（この行は{count}個）"),
                format!("{n} cells, as in the header (this row has {count})"),
            ),
        });
    }
    for (c, v) in values.iter().enumerate() {
        if !v.is_missing() && !schema.applies(c, values) && errors.len() < MAX_ERRORS {
            let cond = schema.columns[c]
                .show_if
                .map(|s| schema.columns[s.column].name.clone())
                .unwrap_or_default();
            errors.push(CellError {
                row: line,
                column: schema.columns[c].name.clone(),
                value: String::new(),
                expected: Text::new(
                    format!("空欄（この設問は {cond} が特定の回答のときだけ尋ねます）"),
                    format!("empty: this question is asked only when {cond} has certain answers"),
                ),
            });
        }
    }
    respondent
}

/// Splits a CSV line without quotes, or with RFC 4180 quotes.
fn split_line(line: &str, out: &mut Vec<String>) {
    out.clear();
    if !line.contains('"') {
        out.extend(line.split(',').map(str::to_string));
        return;
    }
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
}

/// Counts a response file in one pass, on `threads` worker threads. Any invalid cell makes the
/// whole file an error (with every bad cell, up to [`MAX_ERRORS`]).
pub fn tally<R: Read + Send>(
    reader: R,
    schema: &Schema,
    plan: &Plan,
    threads: usize,
) -> Result<(Tally, Header), SurveyFileError> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, reader);
    let mut first = String::new();
    if reader.read_line(&mut first)? == 0 {
        return Err(SurveyFileError::Empty);
    }
    let mut names = Vec::new();
    split_line(
        first
            .trim_end_matches(['\n', '\r'])
            .trim_start_matches('\u{feff}'),
        &mut names,
    );
    let header = Header::new(schema, &names)?;
    let threads = threads.max(1);
    // Chunks of whole lines: (first line number, bytes).
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(threads * 2);
    let rx = std::sync::Mutex::new(rx);
    let results = std::thread::scope(
        |scope| -> Result<Vec<(Tally, Vec<CellError>)>, SurveyFileError> {
            let mut workers = Vec::new();
            for _ in 0..threads {
                let rx = &rx;
                let header = &header;
                workers.push(scope.spawn(move || {
                    let mut tally = Tally::new(schema, plan);
                    let mut errors = Vec::new();
                    let mut values = vec![Value::Missing; schema.columns.len()];
                    let mut cells = Vec::new();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok((start, chunk))) = next else { break };
                        let Ok(text) = std::str::from_utf8(&chunk) else {
                            errors.push(CellError {
                                row: start,
                                column: String::new(),
                                value: String::new(),
                                expected: Text::new("UTF-8 のテキスト", "UTF-8 text"),
                            });
                            continue;
                        };
                        let mut line_no = start;
                        let quote_free = !text.contains('"');
                        for line in text.split_terminator('\n') {
                            let line = line.strip_suffix('\r').unwrap_or(line);
                            if line.is_empty() {
                                line_no += 1;
                                continue;
                            }
                            let before = errors.len();
                            if quote_free {
                                read_row(
                                    schema,
                                    header,
                                    line.split(','),
                                    line_no,
                                    &mut values,
                                    &mut errors,
                                );
                            } else {
                                split_line(line, &mut cells);
                                read_row(
                                    schema,
                                    header,
                                    cells.iter().map(String::as_str),
                                    line_no,
                                    &mut values,
                                    &mut errors,
                                );
                            }
                            if errors.len() == before {
                                tally.add(schema, plan, &values);
                            }
                            line_no += 1;
                        }
                    }
                    (tally, errors)
                }));
            }
            // Read whole lines in chunks of about 4 MiB; a quoted field may span lines, so a chunk
            // ends only where the quotes are balanced.
            let mut line_no = 2;
            let mut buf = Vec::with_capacity(4 << 20);
            let mut open_quote = false;
            let mut lines_in_buf = 0;
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader.read_until(b'\n', &mut line)?;
                if n == 0 {
                    break;
                }
                open_quote ^= memchr::memchr_iter(b'"', &line).count() % 2 == 1;
                buf.extend_from_slice(&line);
                lines_in_buf += 1;
                if buf.len() >= 4 << 20 && !open_quote {
                    let chunk = std::mem::replace(&mut buf, Vec::with_capacity(4 << 20));
                    if tx.send((line_no, chunk)).is_err() {
                        break;
                    }
                    line_no += lines_in_buf;
                    lines_in_buf = 0;
                }
            }
            if !buf.is_empty() {
                let _ = tx.send((line_no, buf));
            }
            drop(tx);
            Ok(workers
                .into_iter()
                .map(|w| w.join().expect("worker"))
                .collect())
        },
    )?;
    let mut total = Tally::new(schema, plan);
    let mut errors = Vec::new();
    for (t, e) in &results {
        total.merge(t);
        errors.extend(e.iter().cloned());
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        errors.truncate(MAX_ERRORS);
        return Err(SurveyFileError::Cells(errors));
    }
    Ok((total, header))
}

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
    let mut errors = Vec::new();
    let mut values = vec![Value::Missing; schema.columns.len()];
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for row in &table.rows {
        let respondent = read_row(
            schema,
            &header,
            row.cells.iter().map(String::as_str),
            row.number,
            &mut values,
            &mut errors,
        );
        if respondent.is_empty() && errors.len() < MAX_ERRORS {
            errors.push(CellError {
                row: row.number,
                column: RESPONDENT.into(),
                value: String::new(),
                expected: Text::new("回答者の識別子", "the respondent's identifier"),
            });
        } else if let Some(first) = seen.insert(respondent.clone(), row.number)
            && errors.len() < MAX_ERRORS
        {
            errors.push(CellError {
                row: row.number,
                column: RESPONDENT.into(),
                value: respondent.clone(),
                expected: Text::new(
                    format!("{first}行目と重複しない回答者"),
                    format!("a respondent not already in row {first}"),
                ),
            });
        }
        let cells = header
            .map
            .iter()
            .zip(&row.cells)
            .filter_map(|(slot, cell)| match slot {
                Slot::Column(c) if !cell.trim().is_empty() => {
                    Some((schema.columns[*c].name.clone(), cell.trim().to_string()))
                }
                _ => None,
            })
            .collect();
        out.push(ImportedResponse {
            respondent,
            row: row.number,
            cells,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(SurveyFileError::Cells(errors))
    }
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
