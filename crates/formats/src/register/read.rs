//! Reading a register: the raw sheets (xlsx or CSV), the header row, the rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use kojo_core::Locale;
use kojo_core::plant::model::{AssetKind, AssetStatus};
use kojo_core::plant::named::NamedAsset;
use unicode_normalization::UnicodeNormalization;

use super::dates::cell_date;
use super::{
    CellError, Expected, Field, FieldSet, HEADER_SCAN_ROWS, IgnoredColumn, Known, MAX_ASSETS,
    Parsed, RegisterError, RegisterRow, Vocabulary,
};
use crate::csv_in::Records;
use crate::limits::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES};
use crate::table_in::{self, Kind, Place, ReadError};
use crate::xlsx_read::{self, Limit, Value, VisitError, column_letter};

/// A non-empty cell of a sheet.
#[derive(Debug, Clone)]
struct Cell {
    col: u32,
    value: Value,
    /// Copied from the top of a merged range, not written in this row.
    filled: bool,
}

/// A sheet as read: its non-empty cells by 0-based row.
struct RawSheet {
    /// None for a CSV.
    name: Option<String>,
    rows: BTreeMap<u32, Vec<Cell>>,
}

fn read_error(e: ReadError) -> RegisterError {
    RegisterError::Read(e)
}

/// Reads a register (xlsx or CSV, decided by content as every import does) against the
/// vocabulary and the site: every asset row, or every problem (see the module documentation).
pub fn read(
    bytes: &[u8],
    file_name: &str,
    vocab: &Vocabulary,
    known: &Known,
) -> Result<Parsed, RegisterError> {
    let sheets = match table_in::sniff(bytes, file_name).map_err(read_error)? {
        Kind::Xlsx => xlsx_sheets(bytes)?,
        Kind::Csv => vec![csv_sheet(bytes)?],
    };
    let mut reader = Reader::new(vocab, known);
    let mut looked_at = Vec::new();
    for sheet in &sheets {
        let shown = sheet.name.clone().unwrap_or_else(|| file_name.to_string());
        looked_at.push(shown.clone());
        match reader.header(sheet) {
            Some(header) => {
                reader.sheets.push(shown);
                reader.rows(sheet, &header)?;
            }
            None => reader.skipped.push(shown),
        }
    }
    if reader.sheets.is_empty() {
        return Err(RegisterError::NoHeader { sheets: looked_at });
    }
    reader.match_existing();
    if !reader.errors.is_empty() {
        return Err(RegisterError::Cells(reader.errors));
    }
    if reader.out.is_empty() {
        return Err(RegisterError::NoAssets);
    }
    Ok(Parsed {
        rows: reader.out,
        sheets: reader.sheets,
        skipped: reader.skipped,
        ignored: reader.ignored,
    })
}

// ------------------------------------------------------------------------------------------
// Raw sheets
// ------------------------------------------------------------------------------------------

/// Every visible worksheet of a workbook, with merged ranges filled down.
fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<RawSheet>, RegisterError> {
    let xlsx = |p| read_error(ReadError::Xlsx(p));
    let mut wb = xlsx_read::open(bytes).map_err(xlsx)?;
    let mut out = Vec::new();
    let mut text_bytes = 0usize;
    for (name, visible) in xlsx_read::worksheets(&wb) {
        if !visible {
            continue;
        }
        let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
        let mut cells = 0usize;
        let result = xlsx_read::for_each_cell(&mut wb, &name, |row, col, value: Value| {
            let at = || Place::SheetRow {
                sheet: name.clone(),
                row: row as usize + 1,
            };
            if let Value::Text(t) | Value::Error(t) = &value {
                if t.trim().is_empty() {
                    return Ok(());
                }
                text_bytes += t.len();
                if text_bytes > MAX_TEXT_BYTES {
                    return Err(ReadError::Xlsx(xlsx_read::limit(
                        Limit::TextBytes,
                        &name,
                        text_bytes as u64,
                        MAX_TEXT_BYTES as u64,
                    )));
                }
            }
            if col as usize >= MAX_COLUMNS {
                return Err(ReadError::TooManyColumns {
                    at: at(),
                    found: col as usize + 1,
                });
            }
            cells += 1;
            if cells > MAX_CELLS {
                return Err(ReadError::TooManyCells {
                    rows: rows.len(),
                    columns: MAX_COLUMNS,
                    found: cells,
                });
            }
            if !rows.contains_key(&row) && rows.len() >= MAX_ROWS {
                return Err(ReadError::TooManyRows { at: at() });
            }
            rows.entry(row).or_default().push(Cell {
                col,
                value,
                filled: false,
            });
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(VisitError::Read(p)) => return Err(xlsx(p)),
            Err(VisitError::Stop(e)) => return Err(read_error(e)),
        }
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| xlsx(crate::XlsxProblem::Parser(format!("{name}: {e}"))))?;
        fill_merged(&name, &mut rows, merges.iter().map(|d| (d.start, d.end)))?;
        out.push(RawSheet {
            name: Some(name),
            rows,
        });
    }
    if out.is_empty() {
        return Err(xlsx(crate::XlsxProblem::NoWorksheet));
    }
    Ok(out)
}

/// Copies the value at the top of each range merged over several rows into the rows below it
/// (in the range's first column, where Excel keeps the value), down to the sheet's last row
/// with content.
fn fill_merged(
    sheet: &str,
    rows: &mut BTreeMap<u32, Vec<Cell>>,
    ranges: impl Iterator<Item = ((u32, u32), (u32, u32))>,
) -> Result<(), RegisterError> {
    let Some(&last) = rows.keys().next_back() else {
        return Ok(());
    };
    let mut filled = 0usize;
    for ((r0, c0), (r1, _)) in ranges {
        if r1 <= r0 {
            continue;
        }
        let Some(value) = rows
            .get(&r0)
            .and_then(|cells| cells.iter().find(|c| c.col == c0))
            .map(|c| c.value.clone())
        else {
            continue;
        };
        for r in r0 + 1..=r1.min(last) {
            filled += 1;
            if filled > MAX_CELLS {
                return Err(RegisterError::TooManyMerged {
                    sheet: sheet.to_string(),
                });
            }
            let cells = rows.entry(r).or_default();
            if !cells.iter().any(|c| c.col == c0) {
                cells.push(Cell {
                    col: c0,
                    value: value.clone(),
                    filled: true,
                });
            }
        }
    }
    Ok(())
}

/// A CSV (UTF-8 with or without BOM, or CP932) as one sheet; rows keyed by line - 1.
fn csv_sheet(bytes: &[u8]) -> Result<RawSheet, RegisterError> {
    let text = table_in::decode(bytes).map_err(read_error)?;
    let mut records = Records::new(&text, 1);
    let mut fields = Vec::new();
    let mut rows = BTreeMap::new();
    while let Some(line) = records
        .next_record(&mut fields)
        .map_err(|e| read_error(e.into()))?
    {
        if fields.len() > MAX_COLUMNS {
            return Err(read_error(ReadError::TooManyColumns {
                at: Place::Line(line),
                found: fields.len(),
            }));
        }
        let cells: Vec<Cell> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.trim().is_empty())
            .map(|(i, f)| Cell {
                col: crate::grid::row(i),
                value: Value::Text(f.to_string()),
                filled: false,
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(read_error(ReadError::TooManyRows {
                at: Place::Line(line),
            }));
        }
        rows.insert(crate::grid::row(line.saturating_sub(1)), cells);
    }
    Ok(RawSheet { name: None, rows })
}

// ------------------------------------------------------------------------------------------
// Header and rows
// ------------------------------------------------------------------------------------------

/// A column of a sheet that the reader uses.
struct Column {
    col: u32,
    field: Field,
    /// As written in the file.
    header: String,
}

struct Header {
    /// 0-based row of the (last) header row; data starts below it.
    row: u32,
    columns: Vec<Column>,
}

/// The place of a row in both languages, for "already in …" messages.
fn both(sheet: &Option<String>, row: u32) -> [String; 2] {
    let place = match sheet {
        Some(s) => Place::SheetRow {
            sheet: s.clone(),
            row: row as usize,
        },
        None => Place::Line(row as usize),
    };
    [place.message(Locale::Ja), place.message(Locale::En)]
}

/// A value for an error message, cut to 100 characters.
fn preview(text: &str) -> String {
    if text.chars().count() > 100 {
        let cut: String = text.chars().take(100).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

/// Where the cells of a row that identify an asset are, for the matching pass.
struct Pending {
    row: RegisterRow,
    id: Option<i64>,
    id_cell: Option<(String, String, String)>,
    tag_cell: Option<(String, String, String)>,
}

struct Reader<'v, 'k> {
    vocab: &'v Vocabulary<'v>,
    known: &'k Known<'k>,
    zones: HashMap<String, &'k str>,
    processes: HashMap<String, &'k str>,
    kind_words: [String; 2],
    sheets: Vec<String>,
    skipped: Vec<String>,
    ignored: Vec<IgnoredColumn>,
    pending: Vec<Pending>,
    errors: Vec<CellError>,
    out: Vec<RegisterRow>,
}

impl<'v, 'k> Reader<'v, 'k> {
    fn new(vocab: &'v Vocabulary<'v>, known: &'k Known<'k>) -> Self {
        let fold = vocab.fold;
        let index = |names: &'k [String]| {
            let mut map = HashMap::new();
            for n in names {
                map.entry(fold(n)).or_insert(n.as_str());
            }
            map
        };
        let sep = |locale| crate::text::msg(locale).file_read_list_separator;
        Reader {
            vocab,
            known,
            zones: index(known.zones),
            processes: index(known.processes),
            kind_words: [
                vocab.kind_labels(Locale::Ja).join(sep(Locale::Ja)),
                vocab.kind_labels(Locale::En).join(sep(Locale::En)),
            ],
            sheets: Vec::new(),
            skipped: Vec::new(),
            ignored: Vec::new(),
            pending: Vec::new(),
            errors: Vec::new(),
            out: Vec::new(),
        }
    }

    /// The recognised headers of a row: (column, field, header as written).
    fn recognised(&self, cells: &[Cell]) -> Vec<Column> {
        let mut out: Vec<Column> = cells
            .iter()
            .filter_map(|c| match &c.value {
                Value::Text(t) => self.vocab.column(t).map(|field| Column {
                    col: c.col,
                    field,
                    header: t.trim().to_string(),
                }),
                _ => None,
            })
            .collect();
        out.sort_by_key(|c| c.col);
        out
    }

    /// The header row of a sheet: the first of its first rows that names the name column and
    /// another column; the row right below joins it when it names two columns or more (a
    /// two-row header).
    fn header(&mut self, sheet: &RawSheet) -> Option<Header> {
        let lower = |row: u32| {
            sheet
                .rows
                .get(&(row + 1))
                .map(|cells| self.recognised(cells))
                .unwrap_or_default()
        };
        let (row, mut columns, below) =
            sheet
                .rows
                .iter()
                .take(HEADER_SCAN_ROWS)
                .find_map(|(row, cells)| {
                    let upper = self.recognised(cells);
                    if !upper.iter().any(|c| c.field == Field::Name) {
                        return None;
                    }
                    let below = lower(*row);
                    // A two-row header: the row below names two columns or more, or the only
                    // other columns, and none that the row above names otherwise (a column of
                    // header words one under the other, as on an instructions sheet, is not).
                    let fits = below
                        .iter()
                        .all(|l| upper.iter().all(|u| u.col != l.col || u.field == l.field));
                    let others = below
                        .iter()
                        .filter(|l| upper.iter().all(|u| u.col != l.col))
                        .count();
                    let joins = fits && (below.len() >= 2 || (upper.len() < 2 && others > 0));
                    (upper.len() >= 2 || joins).then(|| (*row, upper, joins.then_some(below)))
                })?;
        let mut header_row = row;
        let mut header_cells: Vec<&Cell> = sheet.rows[&row].iter().collect();
        if let Some(below) = below {
            columns.retain(|c| below.iter().all(|l| l.col != c.col));
            columns.extend(below);
            columns.sort_by_key(|c| c.col);
            header_row = row + 1;
            header_cells.extend(sheet.rows[&(row + 1)].iter());
        }
        // One column per field: a second one is an error at its header.
        let mut first: HashMap<Field, u32> = HashMap::new();
        let mut kept = Vec::new();
        for c in columns {
            match first.get(&c.field) {
                Some(&col) => self.errors.push(CellError {
                    sheet: sheet.name.clone(),
                    row: header_row + 1,
                    column: column_letter(c.col),
                    header: c.header.clone(),
                    value: c.header.clone(),
                    expected: Expected::DuplicateColumn {
                        first: column_letter(col),
                    },
                }),
                None => {
                    first.insert(c.field, c.col);
                    kept.push(c);
                }
            }
        }
        let used: HashSet<u32> = kept.iter().map(|c| c.col).collect();
        let mut ignored: Vec<(u32, String)> = header_cells
            .iter()
            .filter(|c| !used.contains(&c.col) && !c.filled)
            .filter(|c| self.vocab.column(&c.value.text()).is_none())
            .map(|c| (c.col, c.value.text().trim().to_string()))
            .collect();
        ignored.sort();
        ignored.dedup_by_key(|(col, _)| *col);
        self.ignored
            .extend(ignored.into_iter().map(|(col, header)| IgnoredColumn {
                sheet: sheet.name.clone(),
                column: column_letter(col),
                header,
            }));
        Some(Header {
            row: header_row,
            columns: kept,
        })
    }

    /// The asset rows of a sheet below its header.
    fn rows(&mut self, sheet: &RawSheet, header: &Header) -> Result<(), RegisterError> {
        let index: HashMap<u32, usize> = header
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.col, i))
            .collect();
        let mut fields = FieldSet::default();
        for c in &header.columns {
            fields.insert(c.field);
        }
        let mut values: Vec<Option<&Cell>> = vec![None; header.columns.len()];
        for (&row0, cells) in sheet.rows.range(header.row + 1..) {
            values.iter_mut().for_each(|v| *v = None);
            for c in cells {
                if let Some(&i) = index.get(&c.col) {
                    values[i] = Some(c);
                }
            }
            let content = header.columns.iter().zip(&values).any(|(col, v)| {
                v.is_some_and(|c| !c.filled) && !col.field.is_flag() && col.field != Field::Status
            });
            if !content {
                continue;
            }
            if self.pending.len() >= MAX_ASSETS {
                let at = match &sheet.name {
                    Some(s) => Place::SheetRow {
                        sheet: s.clone(),
                        row: row0 as usize + 1,
                    },
                    None => Place::Line(row0 as usize + 1),
                };
                return Err(RegisterError::TooManyAssets { at });
            }
            let row = self.row(sheet, row0 + 1, fields, &header.columns, &values);
            self.pending.push(row);
        }
        Ok(())
    }

    /// One asset row; bad cells go to `errors`.
    #[allow(
        clippy::too_many_lines,
        reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
    )]
    fn row(
        &mut self,
        sheet: &RawSheet,
        row: u32,
        fields: FieldSet,
        columns: &[Column],
        values: &[Option<&Cell>],
    ) -> Pending {
        let mut asset = blank_asset();
        let mut id = None;
        let (mut id_cell, mut tag_cell) = (None, None);
        let max = self.known.max_chars;
        for (col, cell) in columns.iter().zip(values) {
            let raw = cell.map(|c| c.value.text()).unwrap_or_default();
            let text = raw.trim();
            let mut error = |expected: Expected| {
                self.errors.push(CellError {
                    sheet: sheet.name.clone(),
                    row,
                    column: column_letter(col.col),
                    header: col.header.clone(),
                    value: preview(text),
                    expected,
                });
            };
            let field = col.field;
            if field.is_flag() {
                let yes = match text {
                    "" => false,
                    t => match self.vocab.flag(t) {
                        Some(b) => b,
                        None => {
                            error(Expected::Flag);
                            continue;
                        }
                    },
                };
                set_flag(&mut asset, field, yes);
                continue;
            }
            if field.is_date() {
                let date = match cell {
                    None => None,
                    Some(_) if text.is_empty() => None,
                    Some(c) => match cell_date(&c.value) {
                        Some(d) => Some(d),
                        None => {
                            error(Expected::Date);
                            continue;
                        }
                    },
                };
                match field {
                    Field::OsSupportEnd => asset.os_support_end = date,
                    _ => asset.maintenance_end = date,
                }
                continue;
            }
            match field {
                Field::Id => {
                    let normal: String = text.nfkc().collect();
                    let normal = normal.trim();
                    if normal.is_empty() {
                        continue;
                    }
                    match normal.parse::<i64>() {
                        Ok(n) if n > 0 => {
                            id = Some(n);
                            id_cell =
                                Some((column_letter(col.col), col.header.clone(), preview(text)));
                        }
                        _ => error(Expected::Number),
                    }
                }
                Field::Kind => {
                    asset.kind = match text {
                        "" => AssetKind::Other,
                        t => match self.vocab.kind(t) {
                            Some(k) => k,
                            None => {
                                error(Expected::Kind {
                                    ja: self.kind_words[0].clone(),
                                    en: self.kind_words[1].clone(),
                                });
                                continue;
                            }
                        },
                    };
                }
                Field::Status => {
                    asset.status = match text {
                        "" => AssetStatus::Active,
                        t => match self.vocab.status(t) {
                            Some(s) => s,
                            None => {
                                error(Expected::Status);
                                continue;
                            }
                        },
                    };
                }
                Field::Zone => {
                    if text.is_empty() {
                        continue;
                    }
                    match self.zones.get(&(self.vocab.fold)(text)) {
                        Some(name) => asset.zone = Some(name.to_string()),
                        None => error(Expected::Zone {
                            known: self.known.zones.to_vec(),
                        }),
                    }
                }
                Field::AlsoIn | Field::Processes => {
                    let map = if field == Field::AlsoIn {
                        &self.zones
                    } else {
                        &self.processes
                    };
                    let mut names = Vec::new();
                    let mut bad = false;
                    for part in split_list(text) {
                        match map.get(&(self.vocab.fold)(part)) {
                            Some(name) if !names.contains(&name.to_string()) => {
                                names.push(name.to_string())
                            }
                            Some(_) => {}
                            None => bad = true,
                        }
                    }
                    if bad {
                        error(if field == Field::AlsoIn {
                            Expected::Zone {
                                known: self.known.zones.to_vec(),
                            }
                        } else {
                            Expected::Process {
                                known: self.known.processes.to_vec(),
                            }
                        });
                    } else if field == Field::AlsoIn {
                        asset.also_in = names;
                    } else {
                        asset.processes = names;
                    }
                }
                _ => {
                    let value = if field.is_identifying() {
                        text.nfkc().collect::<String>().trim().to_string()
                    } else {
                        text.to_string()
                    };
                    let found = value.chars().count();
                    if found > max {
                        error(Expected::TooLong { found, max });
                        continue;
                    }
                    if field == Field::Name && value.is_empty() {
                        error(Expected::Name);
                        continue;
                    }
                    if field == Field::Tag && !value.is_empty() {
                        tag_cell =
                            Some((column_letter(col.col), col.header.clone(), preview(text)));
                    }
                    set_text(&mut asset, field, value);
                }
            }
        }
        if let Some(zone) = &asset.zone {
            asset.also_in.retain(|z| z != zone);
        }
        Pending {
            row: RegisterRow {
                sheet: sheet.name.clone(),
                row,
                fields,
                existing: None,
                stale_id: false,
                asset,
            },
            id,
            id_cell,
            tag_cell,
        }
    }

    /// Matches rows to the site's assets (kojo ID, else asset number) and checks that no two
    /// rows name the same kojo ID, asset number or asset.
    #[allow(
        clippy::too_many_lines,
        reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
    )]
    fn match_existing(&mut self) {
        let fold = self.vocab.fold;
        let ids: HashSet<i64> = self.known.assets.iter().map(|(id, _)| *id).collect();
        let mut tags: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, tag) in self.known.assets {
            let t = fold(tag);
            if !t.is_empty() {
                tags.entry(t).or_default().push(*id);
            }
        }
        let mut seen_ids: HashMap<i64, [String; 2]> = HashMap::new();
        let mut seen_tags: HashMap<String, [String; 2]> = HashMap::new();
        let mut matched: HashMap<i64, [String; 2]> = HashMap::new();
        for mut p in std::mem::take(&mut self.pending) {
            let here = both(&p.row.sheet, p.row.row);
            let mut error = |cell: &(String, String, String), expected: Expected| {
                self.errors.push(CellError {
                    sheet: p.row.sheet.clone(),
                    row: p.row.row,
                    column: cell.0.clone(),
                    header: cell.1.clone(),
                    value: cell.2.clone(),
                    expected,
                });
            };
            if let (Some(id), Some(cell)) = (p.id, &p.id_cell) {
                if let Some(first) = seen_ids.get(&id) {
                    error(
                        cell,
                        Expected::DuplicateId {
                            first: first.clone(),
                        },
                    );
                    continue;
                }
                seen_ids.insert(id, here.clone());
                if ids.contains(&id) {
                    p.row.existing = Some(id);
                } else {
                    p.row.stale_id = true;
                }
            }
            // The asset number matters only when it is what recognises the asset (no kojo ID
            // of the site on the row, and the site has the number): kojo's own model may give
            // several assets one number (a group of identical machines), and its export must
            // read back.
            let by_tag = p.row.existing.is_none()
                && p.tag_cell.is_some()
                && tags.contains_key(&fold(&p.row.asset.tag));
            if let (Some(cell), true) = (&p.tag_cell, by_tag) {
                let t = fold(&p.row.asset.tag);
                if let Some(first) = seen_tags.get(&t) {
                    error(
                        cell,
                        Expected::DuplicateTag {
                            first: first.clone(),
                        },
                    );
                    continue;
                }
                seen_tags.insert(t.clone(), here.clone());
                match tags.get(&t).map(Vec::as_slice) {
                    Some([one]) => p.row.existing = Some(*one),
                    Some(several) if several.len() > 1 => {
                        error(
                            cell,
                            Expected::AmbiguousTag {
                                count: several.len(),
                            },
                        );
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some(existing) = p.row.existing {
                if let Some(first) = matched.get(&existing) {
                    let cell = p.id_cell.as_ref().or(p.tag_cell.as_ref());
                    if let Some(cell) = cell {
                        error(
                            cell,
                            Expected::SameAsset {
                                first: first.clone(),
                            },
                        );
                    }
                    continue;
                }
                matched.insert(existing, here);
            }
            self.out.push(p.row);
        }
        self.errors.sort_by(|a, b| {
            let sheet = |s: &Option<String>| self.sheets.iter().position(|n| Some(n) == s.as_ref());
            (sheet(&a.sheet), a.row).cmp(&(sheet(&b.sheet), b.row))
        });
    }
}

/// The names of a cell listing several, separated by 、 or ; or a line break.
fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(['、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

fn blank_asset() -> NamedAsset {
    NamedAsset {
        name: String::new(),
        kind: AssetKind::Other,
        count: 1,
        tag: String::new(),
        zone: None,
        also_in: Vec::new(),
        vendor: String::new(),
        product: String::new(),
        model: String::new(),
        order_number: String::new(),
        version: String::new(),
        serial: String::new(),
        os: String::new(),
        os_support_end: None,
        ip: String::new(),
        mac: String::new(),
        location: String::new(),
        owner: String::new(),
        maintenance_end: None,
        status: AssetStatus::Active,
        remote_maintenance: false,
        black_box: false,
        cloud_link: false,
        temporary: false,
        wireless: false,
        safety: false,
        processes: Vec::new(),
    }
}

fn set_flag(a: &mut NamedAsset, field: Field, yes: bool) {
    match field {
        Field::RemoteMaintenance => a.remote_maintenance = yes,
        Field::BlackBox => a.black_box = yes,
        Field::CloudLink => a.cloud_link = yes,
        Field::Temporary => a.temporary = yes,
        Field::Wireless => a.wireless = yes,
        Field::Safety => a.safety = yes,
        _ => {}
    }
}

fn set_text(a: &mut NamedAsset, field: Field, value: String) {
    let slot = match field {
        Field::Tag => &mut a.tag,
        Field::Name => &mut a.name,
        Field::Vendor => &mut a.vendor,
        Field::Product => &mut a.product,
        Field::Model => &mut a.model,
        Field::OrderNumber => &mut a.order_number,
        Field::Version => &mut a.version,
        Field::Serial => &mut a.serial,
        Field::Os => &mut a.os,
        Field::Ip => &mut a.ip,
        Field::Mac => &mut a.mac,
        Field::Location => &mut a.location,
        Field::Owner => &mut a.owner,
        _ => return,
    };
    *slot = value;
}
