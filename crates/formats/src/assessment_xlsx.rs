//! The self-assessment as an Excel workbook: the offline template for air-gapped plants, the
//! validation of a filled-in template, and the results export.
//!
//! Template layout (first sheet "回答"/"Answers", one row per checklist item from row 2):
//!
//! | A | B | C | D | E | F | G | H |
//! |---|---|---|---|---|---|---|---|
//! | 項目ID | 分類 | 項目 | 内容 | 回答 (dropdown) | メモ・根拠 | 担当者 | 目標日 |
//!
//! A hidden sheet `_kojo` carries what [`parse`] checks: the marker
//! `kojo-assessment-template`, the template format, the checklist key, the scale id, the locale,
//! the answer sheet's name, and the dropdown list (code, `code: label`).
//!
//! Text is always written with `write_string`, so no cell text is ever taken for a formula.

use std::collections::HashMap;

use crate::XlsxProblem;
use crate::table_in::excel_serial_to_ymd;
use crate::text::{count, fill, msg};
use crate::xlsx_read::{self, Value, column_letter};
use kojo_core::Locale;
use kojo_core::checklist::Checklist;
use kojo_core::scale::Scale;
use kojo_i18n::Msg;
use rust_xlsxwriter::{
    Chart, ChartType, Color, DataValidation, DataValidationErrorStyle, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

// ------------------------------------------------------------------------------------------
// Texts: every string the workbooks show comes from `locales/*.toml` ([workbook] and
// [workbook_import]) through kojo-i18n, so one missing in a language fails the build.
// ------------------------------------------------------------------------------------------

/// A workbook text: which message of the catalogue.
#[derive(Clone, Copy)]
struct T(fn(&'static Msg) -> &'static str);

impl T {
    fn get(self, locale: Locale) -> &'static str {
        (self.0)(msg(locale))
    }
}

const SHEET_TEMPLATE_ANSWERS: T = T(|m| m.workbook_sheet_template_answers);
const SHEET_INSTRUCTIONS: T = T(|m| m.workbook_sheet_instructions);
const SHEET_SUMMARY: T = T(|m| m.workbook_sheet_summary);
const SHEET_ANSWERS: T = T(|m| m.workbook_sheet_answers);
const SHEET_GAPS: T = T(|m| m.workbook_sheet_gaps);
const SHEET_PLAN: T = T(|m| m.workbook_sheet_plan);
const SHEET_BASELINE: T = T(|m| m.workbook_sheet_baseline);

const H_ITEM_ID: T = T(|m| m.workbook_h_item_id);
const H_CATEGORY: T = T(|m| m.workbook_h_category);
const H_ITEM: T = T(|m| m.workbook_h_item);
const H_DESCRIPTION: T = T(|m| m.workbook_h_description);
const H_ANSWER: T = T(|m| m.workbook_h_answer);
const H_NOTE: T = T(|m| m.workbook_h_note);
const H_OWNER: T = T(|m| m.workbook_h_owner);
const H_TARGET_DATE: T = T(|m| m.workbook_h_target_date);
const H_SCORE: T = T(|m| m.workbook_h_score);
const H_ANSWERED: T = T(|m| m.workbook_h_answered);
const H_ITEMS: T = T(|m| m.workbook_h_items);
const H_STATUS: T = T(|m| m.workbook_h_status);
const H_RANK: T = T(|m| m.workbook_h_rank);
const H_CURRENT: T = T(|m| m.workbook_h_current);
const H_PRIORITY: T = T(|m| m.workbook_h_priority);
const H_MEASURE: T = T(|m| m.workbook_h_measure);
const H_EXAMPLE: T = T(|m| m.workbook_h_example);
const H_COST: T = T(|m| m.workbook_h_cost);
const H_DUE_DATE: T = T(|m| m.workbook_h_due_date);
const H_MEMO: T = T(|m| m.workbook_h_memo);
const H_FIGURE: T = T(|m| m.workbook_h_figure);
const H_NATIONAL: T = T(|m| m.workbook_h_national);
const H_SITE: T = T(|m| m.workbook_h_site);
const H_CODE: T = T(|m| m.workbook_h_code);
const H_MEANING: T = T(|m| m.workbook_h_meaning);

/// Columns A–H of the template's answer sheet.
const TEMPLATE_HEADERS: [T; 8] = [
    H_ITEM_ID,
    H_CATEGORY,
    H_ITEM,
    H_DESCRIPTION,
    H_ANSWER,
    H_NOTE,
    H_OWNER,
    H_TARGET_DATE,
];
const SCORE_HEADERS: [T; 5] = [H_CATEGORY, H_SCORE, H_ANSWERED, H_ITEMS, H_STATUS];
const ANSWER_HEADERS: [T; 7] = [
    H_ITEM_ID,
    H_CATEGORY,
    H_ITEM,
    H_ANSWER,
    H_NOTE,
    H_OWNER,
    H_TARGET_DATE,
];
const GAP_HEADERS: [T; 8] = [
    H_RANK, H_ITEM_ID, H_ITEM, H_CURRENT, H_PRIORITY, H_MEASURE, H_EXAMPLE, H_COST,
];
const PLAN_HEADERS: [T; 6] = [H_ITEM_ID, H_MEASURE, H_OWNER, H_DUE_DATE, H_STATUS, H_MEMO];
const BASELINE_HEADERS: [T; 5] = [H_ITEM_ID, H_ITEM, H_FIGURE, H_NATIONAL, H_SITE];

const OVERALL: T = T(|m| m.workbook_overall);
const CHART_TITLE: T = T(|m| m.workbook_chart_title);
const DROPDOWN_TITLE: T = T(|m| m.workbook_dropdown_title);
const DROPDOWN_PROMPT: T = T(|m| m.workbook_dropdown_prompt);
const DROPDOWN_ERROR: T = T(|m| m.workbook_dropdown_error);
const INSTRUCTIONS_TITLE: T = T(|m| m.workbook_instructions_title);
const CHECKLIST_LABEL: T = T(|m| m.workbook_checklist_label);
const SCALE_LABEL: T = T(|m| m.workbook_scale_label);
const OPTIONS_TITLE: T = T(|m| m.workbook_options_title);

/// The numbered instructions of the template.
fn instructions(locale: Locale) -> [String; 7] {
    let m = msg(locale);
    [
        m.workbook_instruction_1.to_string(),
        m.workbook_instruction_2.to_string(),
        m.workbook_instruction_3.to_string(),
        fill(
            m.workbook_instruction_4,
            &[
                ("note_max", &count(MAX_NOTE_CHARS)),
                ("owner_max", &count(MAX_OWNER_CHARS)),
            ],
        ),
        fill(m.workbook_instruction_5, &[("meta_sheet", &META_SHEET)]),
        m.workbook_instruction_6.to_string(),
        m.workbook_instruction_7.to_string(),
    ]
}

/// Name of the hidden metadata sheet.
pub const META_SHEET: &str = "_kojo";
/// The marker in `_kojo!A1` that identifies a kojo assessment template.
pub const TEMPLATE_MARKER: &str = "kojo-assessment-template";
/// The template layout version in `_kojo!B1`.
const TEMPLATE_FORMAT: &str = "1";
/// 0-based row in `_kojo` of the first dropdown entry.
const META_LIST_ROW: u32 = 7;

/// Most characters a note (column F) may have.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// Most characters an owner (column G) may have.
pub const MAX_OWNER_CHARS: usize = 200;

// ------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------

/// Why a workbook could not be written.
#[derive(Debug)]
pub enum XlsxError {
    /// One cell could not be written (e.g. text longer than Excel's 32,767 characters).
    Cell {
        sheet: String,
        cell: String,
        source: rust_xlsxwriter::XlsxError,
    },
    /// The workbook could not be put together.
    Workbook(rust_xlsxwriter::XlsxError),
}

impl XlsxError {
    /// The error in `locale` (the writer's own detail stays as it wrote it).
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            XlsxError::Cell {
                sheet,
                cell,
                source,
            } => fill(
                m.workbook_write_cell,
                &[("sheet", sheet), ("cell", cell), ("detail", source)],
            ),
            XlsxError::Workbook(e) => fill(m.workbook_write_failed, &[("detail", e)]),
        }
    }
}

impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for XlsxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XlsxError::Cell { source, .. } => Some(source),
            XlsxError::Workbook(e) => Some(e),
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> XlsxError {
        XlsxError::Workbook(e)
    }
}

/// Why an uploaded workbook was refused. Nothing is imported in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not an xlsx workbook kojo can read, or one over the limits of [`crate::limits`].
    NotXlsx(XlsxProblem),
    /// An xlsx workbook, but not (or no longer) kojo's template.
    NotTemplate(TemplateProblem),
    /// kojo's template, for another checklist (or scale): `found` and `expected` are
    /// `checklist/version`, followed by ` (scale)` when only the scale differs.
    WrongChecklist { found: String, expected: String },
    /// Cells with invalid values: every one of them, in sheet order.
    Cells(Vec<CellError>),
}

/// Why a workbook is not kojo's assessment template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateProblem {
    /// The `_kojo` sheet is missing.
    NoMetaSheet,
    /// `_kojo!A1` is not the marker (`found`, cut to 100 characters).
    Marker { found: String },
    /// `_kojo!B1` is another template format.
    Format { found: String },
    /// No sheet but `_kojo`.
    NoAnswerSheet,
    /// A heading of the answer sheet was moved or changed.
    Heading {
        sheet: String,
        /// The heading's cell, e.g. `E1`.
        cell: String,
        found: String,
        ja: String,
        en: String,
    },
}

impl TemplateProblem {
    /// The problem in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            TemplateProblem::NoMetaSheet => {
                fill(m.workbook_import_no_meta_sheet, &[("sheet", &META_SHEET)])
            }
            TemplateProblem::Marker { found } => fill(
                m.workbook_import_marker,
                &[
                    ("sheet", &META_SHEET),
                    ("found", found),
                    ("marker", &TEMPLATE_MARKER),
                ],
            ),
            TemplateProblem::Format { found } => fill(
                m.workbook_import_format,
                &[
                    ("sheet", &META_SHEET),
                    ("found", found),
                    ("format", &TEMPLATE_FORMAT),
                ],
            ),
            TemplateProblem::NoAnswerSheet => m.workbook_import_no_answer_sheet.to_string(),
            TemplateProblem::Heading {
                sheet,
                cell,
                found,
                ja,
                en,
            } => fill(
                m.workbook_import_heading,
                &[
                    ("sheet", sheet),
                    ("cell", cell),
                    ("found", found),
                    ("ja", ja),
                    ("en", en),
                ],
            ),
        }
    }
}

impl std::fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl ImportError {
    /// The error in `locale`; in English it is the `Display` text. With bad cells, all of them
    /// on one line (see [`CellError::message`] for one each).
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            ImportError::NotXlsx(XlsxProblem::Limit(limit)) => limit.message(locale),
            ImportError::NotXlsx(problem) => fill(
                m.workbook_import_not_xlsx,
                &[("detail", &problem.message(locale))],
            ),
            ImportError::NotTemplate(problem) => fill(
                m.workbook_import_not_template,
                &[("detail", &problem.message(locale))],
            ),
            ImportError::WrongChecklist { found, expected } => fill(
                m.workbook_import_wrong_checklist,
                &[("found", found), ("expected", expected)],
            ),
            ImportError::Cells(cells) => fill(
                m.workbook_import_cells,
                &[
                    ("n", &count(cells.len())),
                    (
                        "list",
                        &cells
                            .iter()
                            .map(|c| c.message(locale))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                ],
            ),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for ImportError {}

/// One invalid cell of an uploaded template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The sheet's name as in the file (e.g. `回答`).
    pub sheet: String,
    /// 1-based row, as Excel shows it.
    pub row: u32,
    /// Column letter, e.g. `E`.
    pub column: String,
    /// The cell's value as text (long values cut to 100 characters).
    pub value: String,
    /// What the cell should hold.
    pub expected: Expected,
}

/// What a cell of the template should hold. The sentence is made when shown
/// ([`Expected::get`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// One of the scale's codes (listed, e.g. `5, 4, 3, 2, 1, na`) or their labels.
    OneOf { codes: String },
    /// The row has answers but no item ID; `example` is the checklist's first item.
    MissingItemId { example: String },
    /// An item ID of `checklist` (e.g. `example`).
    ItemId { checklist: String, example: String },
    /// Each item once: `id` is already in row `first`.
    DuplicateItem { id: String, first: u32 },
    /// A note of at most `max` characters (this one has `found`).
    NoteTooLong { found: usize, max: usize },
    /// An owner of at most `max` characters (this one has `found`).
    OwnerTooLong { found: usize, max: usize },
    /// A date such as 2026-03-31 or an Excel date.
    Date,
}

impl Expected {
    /// What the cell should hold, in `locale`.
    pub fn get(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            Expected::OneOf { codes } => {
                fill(m.workbook_import_expected_one_of, &[("codes", codes)])
            }
            Expected::MissingItemId { example } => fill(
                m.workbook_import_expected_missing_item_id,
                &[("example", example)],
            ),
            Expected::ItemId { checklist, example } => fill(
                m.workbook_import_expected_item_id,
                &[("checklist", checklist), ("example", example)],
            ),
            Expected::DuplicateItem { id, first } => fill(
                m.workbook_import_expected_duplicate_item,
                &[("id", id), ("first", first)],
            ),
            Expected::NoteTooLong { found, max } => fill(
                m.workbook_import_expected_note,
                &[("found", found), ("max", &count(*max))],
            ),
            Expected::OwnerTooLong { found, max } => fill(
                m.workbook_import_expected_owner,
                &[("found", found), ("max", &count(*max))],
            ),
            Expected::Date => m.workbook_import_expected_date.to_string(),
        }
    }
}

impl CellError {
    /// The error in `locale`: the cell (`回答!E7`), the value found and what was expected.
    pub fn message(&self, locale: Locale) -> String {
        fill(
            msg(locale).workbook_import_cell,
            &[
                ("sheet", &self.sheet),
                ("cell", &format!("{}{}", self.column, self.row)),
                ("value", &self.value),
                ("expected", &self.expected.get(locale)),
            ],
        )
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for CellError {}

/// One row of an uploaded template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAnswer {
    /// The checklist's item id (as the checklist spells it).
    pub item_id: String,
    /// The scale code (`"3"`, `"na"`), `None` when the answer cell is empty.
    pub level: Option<String>,
    /// Trimmed; empty when none.
    pub note: String,
    /// Trimmed; empty when none.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub target_date: Option<String>,
}

// ------------------------------------------------------------------------------------------
// Writing helpers
// ------------------------------------------------------------------------------------------

/// A worksheet being written, with its name for error messages.
struct Sheet {
    ws: Worksheet,
    name: String,
}

impl Sheet {
    fn new(name: &str) -> Result<Sheet, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            name: name.to_string(),
        })
    }

    fn cell_error(
        &self,
        row: u32,
        col: u16,
    ) -> impl FnOnce(rust_xlsxwriter::XlsxError) -> XlsxError + use<> {
        let sheet = self.name.clone();
        move |source| XlsxError::Cell {
            sheet,
            cell: format!("{}{}", column_letter(u32::from(col)), row + 1),
            source,
        }
    }

    /// Writes text as a string cell (never a formula); empty text leaves a formatted blank.
    fn text(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        let err = self.cell_error(row, col);
        self.ws
            .write_string_with_format(row, col, text, format)
            .map(|_| ())
            .map_err(err)
    }

    fn number(&mut self, row: u32, col: u16, n: f64, format: &Format) -> Result<(), XlsxError> {
        let err = self.cell_error(row, col);
        self.ws
            .write_number_with_format(row, col, n, format)
            .map(|_| ())
            .map_err(err)
    }

    fn blank(&mut self, row: u32, col: u16, format: &Format) -> Result<(), XlsxError> {
        let err = self.cell_error(row, col);
        self.ws
            .write_blank(row, col, format)
            .map(|_| ())
            .map_err(err)
    }

    /// A `YYYY-MM-DD` text becomes a real date cell; anything else stays text.
    fn date_or_text(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        date: &Format,
        other: &Format,
    ) -> Result<(), XlsxError> {
        let parsed = xlsx_read::parse_date_text(text).and_then(|(y, m, d)| {
            ExcelDateTime::from_ymd(
                u16::try_from(y).ok()?,
                u8::try_from(m).ok()?,
                u8::try_from(d).ok()?,
            )
            .ok()
        });
        match parsed {
            Some(dt) => {
                let err = self.cell_error(row, col);
                self.ws
                    .write_date_with_format(row, col, &dt, date)
                    .map(|_| ())
                    .map_err(err)
            }
            None => self.text(row, col, text, other),
        }
    }

    /// `65.0%` becomes the number 0.65 shown as `65.0%`; anything else stays text.
    fn percent_or_text(
        &mut self,
        row: u32,
        col: u16,
        text: &str,
        percent: &Format,
        other: &Format,
    ) -> Result<(), XlsxError> {
        match parse_percent(text) {
            Some(p) => self.number(row, col, p / 100.0, percent),
            None => self.text(row, col, text, other),
        }
    }

    /// A header row (bold, filled) with a frozen pane below it, widths, and printing set up.
    fn table_header(
        &mut self,
        headers: &[T],
        widths: &[f64],
        locale: Locale,
        format: &Format,
    ) -> Result<(), XlsxError> {
        for (col, header) in headers.iter().enumerate() {
            self.text(0, crate::grid::col(col), header.get(locale), format)?;
        }
        for (col, width) in widths.iter().enumerate() {
            self.ws.set_column_width(crate::grid::col(col), *width)?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        self.ws.set_repeat_rows(0, 0)?;
        self.ws.set_landscape();
        self.ws.set_print_fit_to_pages(1, 0);
        Ok(())
    }

    /// An autofilter over the header and `rows` data rows.
    fn filter(&mut self, rows: usize, columns: usize) -> Result<(), XlsxError> {
        if rows > 0 {
            self.ws
                .autofilter(0, 0, crate::grid::row(rows), crate::grid::col(columns) - 1)?;
        }
        Ok(())
    }
}

/// `65.0%`, `65%`, `６５．０％` → 65.0.
fn parse_percent(text: &str) -> Option<f64> {
    let s = xlsx_read::halfwidth(text);
    let number = s.trim().strip_suffix('%')?.trim();
    let valid = !number.is_empty()
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
    valid.then(|| number.parse::<f64>().ok()).flatten()
}

/// The formats shared by all sheets.
struct Formats {
    header: Format,
    title: Format,
    label: Format,
    text: Format,
    wrap: Format,
    reference: Format,
    reference_wrap: Format,
    input: Format,
    input_wrap: Format,
    date: Format,
    score: Format,
    score_bold: Format,
    int: Format,
    int_bold: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_align(FormatAlign::Top);
        let bordered = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        Formats {
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F4E79))
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF)),
            title: Format::new().set_bold().set_font_size(14),
            label: base.clone().set_bold(),
            text: base.clone(),
            wrap: base.clone().set_text_wrap(),
            reference: bordered
                .clone()
                .set_background_color(Color::RGB(0xE7E6E6))
                .set_font_color(Color::RGB(0x404040)),
            reference_wrap: bordered
                .clone()
                .set_background_color(Color::RGB(0xE7E6E6))
                .set_font_color(Color::RGB(0x404040))
                .set_text_wrap(),
            input: bordered.clone(),
            input_wrap: bordered.clone().set_text_wrap(),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            score: base.clone().set_num_format("0.0"),
            score_bold: base.clone().set_num_format("0.0").set_bold(),
            int: base.clone().set_num_format("0"),
            int_bold: base.clone().set_num_format("0").set_bold(),
            percent: base.set_num_format("0.0%"),
        }
    }
}

fn finish(workbook: &mut Workbook) -> Result<Vec<u8>, XlsxError> {
    Ok(workbook.save_to_buffer()?)
}

// ------------------------------------------------------------------------------------------
// Template
// ------------------------------------------------------------------------------------------

/// The dropdown text of a level: `3: 実施済み`.
fn dropdown_text(code: &str, label: &str) -> String {
    format!("{code}: {label}")
}

/// The offline self-assessment workbook for `checklist` answered on `scale`, in `locale`.
///
/// Sheets: the answer sheet (one row per item in checklist order, answer dropdown in column E,
/// reference columns A–D in gray, nothing protected), the instructions with the answer options,
/// and the hidden `_kojo` metadata sheet that [`parse`] checks.
pub fn template(
    checklist: &Checklist,
    scale: &Scale,
    locale: Locale,
) -> Result<Vec<u8>, XlsxError> {
    template_with(checklist, scale, locale, &[])
}

/// The same workbook with answers already filled in (an assessment taken offline to continue, or
/// answers prepared elsewhere). Items without an answer stay blank.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn template_with(
    checklist: &Checklist,
    scale: &Scale,
    locale: Locale,
    prefill: &[ImportedAnswer],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let answers_name = SHEET_TEMPLATE_ANSWERS.get(locale);

    // Answer sheet.
    let mut answers = Sheet::new(answers_name)?;
    answers.table_header(
        &TEMPLATE_HEADERS,
        &[10.0, 18.0, 36.0, 60.0, 34.0, 40.0, 14.0, 13.0],
        locale,
        &f.header,
    )?;
    answers.ws.set_column_format(7, &f.date)?;
    for (i, item) in checklist.items.iter().enumerate() {
        let row = crate::grid::row(i) + 1;
        let category = checklist
            .category(&item.category)
            .map(|c| c.title.get(locale))
            .unwrap_or(&item.category);
        answers.text(row, 0, &item.id, &f.reference)?;
        answers.text(row, 1, category, &f.reference_wrap)?;
        answers.text(row, 2, item.title.get(locale), &f.reference_wrap)?;
        answers.text(row, 3, item.description.get(locale), &f.reference_wrap)?;
        let given = prefill.iter().find(|a| a.item_id == item.id);
        let level = given
            .and_then(|a| a.level.as_deref())
            .and_then(|code| scale.level(code))
            .map(|l| dropdown_text(&l.code, l.label.get(locale)));
        match level {
            Some(text) => answers.text(row, 4, &text, &f.input_wrap)?,
            None => answers.blank(row, 4, &f.input_wrap)?,
        }
        match given.map(|a| a.note.as_str()).filter(|n| !n.is_empty()) {
            Some(note) => answers.text(row, 5, note, &f.input_wrap)?,
            None => answers.blank(row, 5, &f.input_wrap)?,
        }
        match given.map(|a| a.owner.as_str()).filter(|o| !o.is_empty()) {
            Some(owner) => answers.text(row, 6, owner, &f.input)?,
            None => answers.blank(row, 6, &f.input)?,
        }
        match given.and_then(|a| a.target_date.as_deref()) {
            Some(date) => answers.text(row, 7, date, &f.input)?,
            None => answers.blank(row, 7, &f.input.clone().set_num_format("yyyy-mm-dd"))?,
        }
    }
    let items = crate::grid::row(checklist.items.len());
    if items > 0 && !scale.levels.is_empty() {
        let list = format!(
            "='{META_SHEET}'!$B${}:$B${}",
            META_LIST_ROW + 1,
            META_LIST_ROW + crate::grid::row(scale.levels.len())
        );
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(list))
            .set_input_title(DROPDOWN_TITLE.get(locale))?
            .set_input_message(DROPDOWN_PROMPT.get(locale))?
            .set_error_title(DROPDOWN_TITLE.get(locale))?
            .set_error_message(DROPDOWN_ERROR.get(locale))?
            .set_error_style(DataValidationErrorStyle::Warning);
        answers
            .ws
            .add_data_validation(1, 4, items, 4, &validation)?;
        answers.filter(items as usize, TEMPLATE_HEADERS.len())?;
    }
    answers.ws.set_active(true);

    // Instructions.
    let mut help = Sheet::new(SHEET_INSTRUCTIONS.get(locale))?;
    help.ws.set_column_width(0, 8.0)?;
    help.ws.set_column_width(1, 60.0)?;
    help.ws.set_column_width(2, 80.0)?;
    help.text(0, 0, INSTRUCTIONS_TITLE.get(locale), &f.title)?;
    help.text(1, 0, CHECKLIST_LABEL.get(locale), &f.label)?;
    help.text(1, 1, checklist.title.get(locale), &f.text)?;
    help.text(2, 0, SCALE_LABEL.get(locale), &f.label)?;
    help.text(2, 1, scale.title.get(locale), &f.text)?;
    let mut row = 4;
    for (i, line) in instructions(locale).iter().enumerate() {
        help.text(row, 0, &format!("{}.", i + 1), &f.text)?;
        help.ws.merge_range(row, 1, row, 2, line, &f.wrap)?;
        row += 1;
    }
    row += 1;
    help.text(row, 0, OPTIONS_TITLE.get(locale), &f.label)?;
    row += 1;
    for (col, header) in [H_CODE, H_ANSWER, H_MEANING].iter().enumerate() {
        help.text(row, crate::grid::col(col), header.get(locale), &f.header)?;
    }
    for level in &scale.levels {
        row += 1;
        help.text(row, 0, &level.code, &f.input)?;
        help.text(row, 1, level.label.get(locale), &f.input_wrap)?;
        let meaning = level
            .description
            .as_ref()
            .map(|d| d.get(locale))
            .unwrap_or("");
        help.text(row, 2, meaning, &f.input_wrap)?;
    }

    // Metadata (hidden).
    let mut meta = Sheet::new(META_SHEET)?;
    let fields = [
        (TEMPLATE_MARKER, TEMPLATE_FORMAT.to_string()),
        ("checklist", checklist.key()),
        ("scale", scale.id.clone()),
        ("locale", locale.code().to_string()),
        ("sheet", answers_name.to_string()),
    ];
    for (row, (key, value)) in fields.iter().enumerate() {
        meta.text(crate::grid::row(row), 0, key, &f.text)?;
        meta.text(crate::grid::row(row), 1, value, &f.text)?;
    }
    meta.text(META_LIST_ROW - 1, 0, "code", &f.text)?;
    meta.text(META_LIST_ROW - 1, 1, "dropdown", &f.text)?;
    for (i, level) in scale.levels.iter().enumerate() {
        let row = META_LIST_ROW + crate::grid::row(i);
        meta.text(row, 0, &level.code, &f.text)?;
        meta.text(
            row,
            1,
            &dropdown_text(&level.code, level.label.get(locale)),
            &f.text,
        )?;
    }
    meta.ws.set_column_width(1, 40.0)?;
    meta.ws.set_hidden(true);

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — {}",
                checklist.title.get(locale),
                answers_name
            ))
            .set_author("kojo"),
    );
    workbook.push_worksheet(answers.ws);
    workbook.push_worksheet(help.ws);
    workbook.push_worksheet(meta.ws);
    finish(&mut workbook)
}

// ------------------------------------------------------------------------------------------
// Parse
// ------------------------------------------------------------------------------------------

/// The cells of columns `0..columns` of a sheet, by 0-based row.
type Grid = std::collections::BTreeMap<u32, Vec<Option<Value>>>;

/// The cells of columns `0..columns` of a sheet, within the limits of an assessment workbook
/// (rows with content and their text: [`crate::limits::ASSESSMENT_MAX_ROWS`] and
/// [`crate::limits::ASSESSMENT_MAX_TEXT_BYTES`]).
fn read_grid(
    wb: &mut xlsx_read::Workbook<'_>,
    sheet: &str,
    columns: usize,
) -> Result<Grid, ImportError> {
    use crate::limits::{ASSESSMENT_MAX_ROWS, ASSESSMENT_MAX_TEXT_BYTES};
    let mut grid = Grid::new();
    let (mut rows, mut last_row, mut text_bytes) = (0usize, None, 0usize);
    let result = xlsx_read::for_each_cell(wb, sheet, |row, col, value| {
        if (col as usize) >= columns {
            return Ok(());
        }
        if last_row != Some(row) {
            last_row = Some(row);
            rows += 1;
        }
        if rows > ASSESSMENT_MAX_ROWS {
            // Counted to the end for the message, no longer kept.
            return Ok(());
        }
        if let Value::Text(text) | Value::Error(text) = &value {
            text_bytes += text.len();
        }
        if text_bytes > ASSESSMENT_MAX_TEXT_BYTES {
            return Err(xlsx_read::limit(
                crate::Limit::TextBytes,
                sheet,
                text_bytes as u64,
                ASSESSMENT_MAX_TEXT_BYTES as u64,
            ));
        }
        grid.entry(row).or_insert_with(|| vec![None; columns])[col as usize] = Some(value);
        Ok(())
    });
    match result {
        Ok(()) if rows > ASSESSMENT_MAX_ROWS => Err(ImportError::NotXlsx(xlsx_read::limit(
            crate::Limit::SheetRows,
            sheet,
            rows as u64,
            ASSESSMENT_MAX_ROWS as u64,
        ))),
        Ok(()) => Ok(grid),
        Err(xlsx_read::VisitError::Read(problem) | xlsx_read::VisitError::Stop(problem)) => {
            Err(ImportError::NotXlsx(problem))
        }
    }
}

fn cell_text(grid: &Grid, row: u32, col: usize) -> String {
    grid.get(&row)
        .and_then(|cells| cells.get(col))
        .and_then(|c| c.as_ref())
        .map(|v| v.text().trim().to_string())
        .unwrap_or_default()
}

/// Lower-case, ASCII for full-width forms, no whitespace: how answer texts are compared.
fn normalize(s: &str) -> String {
    xlsx_read::halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every accepted spelling of every level → its code. Earlier spellings win a clash: codes,
/// then dropdown texts, then labels, then short labels.
fn level_lookup(scale: &Scale) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut add = |text: &str, code: &str| {
        let key = normalize(text);
        if !key.is_empty() {
            map.entry(key).or_insert_with(|| code.to_string());
        }
    };
    for l in &scale.levels {
        add(&l.code, &l.code);
    }
    for l in &scale.levels {
        for locale in Locale::ALL {
            add(&dropdown_text(&l.code, l.label.get(locale)), &l.code);
        }
    }
    for l in &scale.levels {
        for locale in Locale::ALL {
            add(l.label.get(locale), &l.code);
        }
    }
    for l in &scale.levels {
        for locale in Locale::ALL {
            add(l.short.get(locale), &l.code);
        }
    }
    map
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

/// Serial numbers of 2000-01-01 and 2199-12-31: a plain number in the date column is taken as
/// an Excel date only in this range.
const PLAIN_SERIAL_RANGE: std::ops::RangeInclusive<f64> = 36_526.0..=109_939.0;

/// The target-date cell as `YYYY-MM-DD`, `Ok(None)` when empty, `Err(())` when invalid.
fn target_date(value: Option<&Value>) -> Result<Option<String>, ()> {
    let ymd = match value {
        None => return Ok(None),
        Some(Value::Text(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::Text(s)) => xlsx_read::parse_date_text(s),
        Some(Value::Date(serial)) => excel_serial_to_ymd(*serial),
        Some(Value::Number(n)) if PLAIN_SERIAL_RANGE.contains(n) => excel_serial_to_ymd(*n),
        Some(_) => None,
    };
    ymd.map(|(y, m, d)| Some(format!("{y:04}-{m:02}-{d:02}")))
        .ok_or(())
}

/// Validates a filled-in template and returns one answer per row that names an item, in file
/// order — or every problem found.
///
/// Checked: the file is an xlsx (`NotXlsx`), it has the `_kojo` sheet with the marker, the
/// template format and the answer sheet's headers (`NotTemplate`), it was made for this
/// checklist and scale (`WrongChecklist`), and then every row (`Cells`, all errors at once):
/// the item id is one of the checklist's and appears once; the answer is a scale code (`3`),
/// the dropdown text (`3: 実施済み`), or a label in Japanese or English (`実施済み`,
/// `Implemented`; case, spaces and full-width forms ignored), or empty for unanswered; the
/// target date is an Excel date, `2026-03-31` or `2026/3/31`; the note has at most 2,000 and
/// the owner at most 200 characters.
///
/// Items the file does not list are simply absent (unanswered). A row that names an item but
/// leaves E–H empty is returned with `level: None`, so a caller can tell it from an absent one.
/// Rows whose A and E–H cells are all empty are skipped.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn parse(
    bytes: &[u8],
    checklist: &Checklist,
    scale: &Scale,
) -> Result<Vec<ImportedAnswer>, ImportError> {
    let mut wb = xlsx_read::open(bytes).map_err(ImportError::NotXlsx)?;
    if !xlsx_read::has_sheet(&wb, META_SHEET) {
        return Err(ImportError::NotTemplate(TemplateProblem::NoMetaSheet));
    }
    let meta = read_grid(&mut wb, META_SHEET, 2)?;
    let marker = cell_text(&meta, 0, 0);
    if marker != TEMPLATE_MARKER {
        return Err(ImportError::NotTemplate(TemplateProblem::Marker {
            found: preview(&marker),
        }));
    }
    let format = cell_text(&meta, 0, 1);
    if format != TEMPLATE_FORMAT {
        return Err(ImportError::NotTemplate(TemplateProblem::Format {
            found: preview(&format),
        }));
    }
    let (found_key, found_scale) = (cell_text(&meta, 1, 1), cell_text(&meta, 2, 1));
    if found_key != checklist.key() || found_scale != scale.id {
        let (found, expected) = if found_key == checklist.key() {
            (
                format!("{found_key} ({found_scale})"),
                format!("{} ({})", checklist.key(), scale.id),
            )
        } else {
            (found_key, checklist.key())
        };
        return Err(ImportError::WrongChecklist { found, expected });
    }

    // The answer sheet: as recorded, else the first other worksheet (renamed by the user).
    let recorded = cell_text(&meta, 4, 1);
    let sheets = xlsx_read::worksheets(&wb);
    let sheet = sheets
        .iter()
        .map(|(name, _)| name)
        .find(|name| **name == recorded)
        .or_else(|| sheets.iter().map(|(n, _)| n).find(|n| *n != META_SHEET))
        .cloned()
        .ok_or(ImportError::NotTemplate(TemplateProblem::NoAnswerSheet))?;
    let grid = read_grid(&mut wb, &sheet, TEMPLATE_HEADERS.len())?;

    for (col, header) in TEMPLATE_HEADERS.iter().enumerate() {
        let found = cell_text(&grid, 0, col);
        let (ja, en) = (header.get(Locale::Ja), header.get(Locale::En));
        if found != ja && found != en {
            return Err(ImportError::NotTemplate(TemplateProblem::Heading {
                sheet: sheet.clone(),
                cell: format!("{}1", column_letter(crate::grid::row(col))),
                found: preview(&found),
                ja: ja.to_string(),
                en: en.to_string(),
            }));
        }
    }

    let levels = level_lookup(scale);
    let codes = scale.codes().join(", ");
    let items: HashMap<String, &str> = checklist
        .items
        .iter()
        .map(|i| (i.id.to_uppercase(), i.id.as_str()))
        .collect();
    let example_id = checklist.items.first().map(|i| i.id.as_str()).unwrap_or("");
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut answers = Vec::new();
    let mut errors = Vec::new();

    for (&row0, cells) in grid.range(1..) {
        let row = row0 + 1;
        let text = |col: usize| {
            cells[col]
                .as_ref()
                .map(|v| v.text().trim().to_string())
                .unwrap_or_default()
        };
        let mut error = |col: usize, value: &str, expected: Expected| {
            errors.push(CellError {
                sheet: sheet.clone(),
                row,
                column: column_letter(crate::grid::row(col)),
                value: preview(value),
                expected,
            });
        };
        let inputs_empty = (4..8).all(|c| text(c).is_empty());
        let raw_id = text(0);
        if raw_id.is_empty() && inputs_empty {
            continue;
        }
        let mut row_ok = true;

        let item_id = if raw_id.is_empty() {
            error(
                0,
                "",
                Expected::MissingItemId {
                    example: example_id.to_string(),
                },
            );
            None
        } else {
            match items.get(&xlsx_read::halfwidth(&raw_id).trim().to_uppercase()) {
                None => {
                    error(
                        0,
                        &raw_id,
                        Expected::ItemId {
                            checklist: checklist.key(),
                            example: example_id.to_string(),
                        },
                    );
                    None
                }
                Some(&id) => match seen.get(id) {
                    Some(first) => {
                        error(
                            0,
                            &raw_id,
                            Expected::DuplicateItem {
                                id: id.to_string(),
                                first: *first,
                            },
                        );
                        None
                    }
                    None => {
                        seen.insert(id, row);
                        Some(id)
                    }
                },
            }
        };

        let answer = text(4);
        let level = if answer.is_empty() {
            None
        } else {
            let code = levels.get(&normalize(&answer)).cloned();
            if code.is_none() {
                row_ok = false;
                error(
                    4,
                    &answer,
                    Expected::OneOf {
                        codes: codes.clone(),
                    },
                );
            }
            code
        };

        let note = text(5);
        let note_chars = note.chars().count();
        if note_chars > MAX_NOTE_CHARS {
            row_ok = false;
            error(
                5,
                &note,
                Expected::NoteTooLong {
                    found: note_chars,
                    max: MAX_NOTE_CHARS,
                },
            );
        }
        let owner = text(6);
        let owner_chars = owner.chars().count();
        if owner_chars > MAX_OWNER_CHARS {
            row_ok = false;
            error(
                6,
                &owner,
                Expected::OwnerTooLong {
                    found: owner_chars,
                    max: MAX_OWNER_CHARS,
                },
            );
        }

        let date = match target_date(cells[7].as_ref()) {
            Ok(date) => date,
            Err(()) => {
                row_ok = false;
                error(7, &text(7), Expected::Date);
                None
            }
        };

        if let (Some(id), true) = (item_id, row_ok) {
            answers.push(ImportedAnswer {
                item_id: id.to_string(),
                level,
                note,
                owner,
                target_date: date,
            });
        }
    }

    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(ImportError::Cells(errors))
    }
}

// ------------------------------------------------------------------------------------------
// Export
// ------------------------------------------------------------------------------------------

/// Everything the results workbook shows, already localised by the caller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportData {
    /// Language of the sheet names and headers.
    pub locale: Locale,
    /// The summary sheet's title.
    pub title: String,
    /// Label/value rows at the top of the summary: company, site, checklist, date, status…
    pub meta: Vec<(String, String)>,
    /// Category scores (also charted on the summary).
    pub categories: Vec<ScoreRow>,
    /// Overall score, 0–100.
    pub overall: Option<f64>,
    pub answers: Vec<AnswerRow>,
    pub gaps: Vec<GapRow>,
    pub plan: Vec<PlanRow>,
    pub baseline: Vec<BaselineRow>,
}

/// One category on the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreRow {
    pub category: String,
    /// 0–100; `None` when the category cannot be scored (the cell stays empty).
    pub score: Option<f64>,
    pub answered: usize,
    pub items: usize,
    /// Localised status, e.g. why there is no score.
    pub status: String,
}

/// One checklist item and its answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerRow {
    pub item_id: String,
    pub category: String,
    pub title: String,
    /// The answer's label (empty when unanswered).
    pub level: String,
    pub note: String,
    pub owner: String,
    /// `YYYY-MM-DD` (written as an Excel date) or any other text.
    pub target_date: String,
}

/// One measure for one gap item (several rows per item).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GapRow {
    pub rank: usize,
    pub item_id: String,
    pub title: String,
    /// The current answer's label.
    pub level: String,
    pub priority: f64,
    pub measure: String,
    pub example: String,
    pub cost: String,
}

/// One action-plan entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanRow {
    pub item_id: String,
    pub measure: String,
    pub owner: String,
    /// `YYYY-MM-DD` (written as an Excel date) or any other text.
    pub due_date: String,
    pub status: String,
    pub note: String,
}

/// One national baseline figure beside the site's own result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineRow {
    pub item_id: String,
    pub title: String,
    pub figure: String,
    /// E.g. `65.0%`: a percentage is written as a number shown as `65.0%`, other text as is.
    pub national: String,
    /// The site's result, a percentage or a label (as `national`).
    pub site: String,
}

/// The results workbook: summary with a bar chart of the category scores, answers,
/// priorities and measures, action plan, national comparison.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn export(data: &ExportData) -> Result<Vec<u8>, XlsxError> {
    let l = data.locale;
    let f = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(data.title.as_str())
            .set_author("kojo"),
    );

    // Summary.
    let summary_name = SHEET_SUMMARY.get(l);
    let mut summary = Sheet::new(summary_name)?;
    for (col, width) in [30.0, 40.0, 10.0, 10.0, 28.0].iter().enumerate() {
        summary.ws.set_column_width(crate::grid::col(col), *width)?;
    }
    summary.text(0, 0, &data.title, &f.title)?;
    let mut row = 2;
    for (label, value) in &data.meta {
        summary.text(row, 0, label, &f.label)?;
        summary.text(row, 1, value, &f.wrap)?;
        row += 1;
    }
    row += 1;
    let header_row = row;
    for (col, header) in SCORE_HEADERS.iter().enumerate() {
        summary.text(row, crate::grid::col(col), header.get(l), &f.header)?;
    }
    for cat in &data.categories {
        row += 1;
        summary.text(row, 0, &cat.category, &f.wrap)?;
        if let Some(score) = cat.score {
            summary.number(row, 1, score, &f.score)?;
        }
        summary.number(row, 2, cat.answered as f64, &f.int)?;
        summary.number(row, 3, cat.items as f64, &f.int)?;
        summary.text(row, 4, &cat.status, &f.wrap)?;
    }
    row += 1;
    summary.text(row, 0, OVERALL.get(l), &f.label)?;
    if let Some(overall) = data.overall {
        summary.number(row, 1, overall, &f.score_bold)?;
    }
    let answered: usize = data.categories.iter().map(|c| c.answered).sum();
    let items: usize = data.categories.iter().map(|c| c.items).sum();
    summary.number(row, 2, answered as f64, &f.int_bold)?;
    summary.number(row, 3, items as f64, &f.int_bold)?;
    if !data.categories.is_empty() {
        let (first, last) = (
            header_row + 1,
            header_row + crate::grid::row(data.categories.len()),
        );
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(H_SCORE.get(l))
            .set_categories((summary_name, first, 0, last, 0))
            .set_values((summary_name, first, 1, last, 1));
        chart.title().set_name(CHART_TITLE.get(l));
        chart.x_axis().set_min(0).set_max(100);
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        chart.set_width(560);
        chart.set_height((120 + 36 * crate::grid::row(data.categories.len())).max(288));
        summary.ws.insert_chart(2, 6, &chart)?;
    }
    summary.ws.set_landscape();
    summary.ws.set_print_fit_to_pages(1, 0);
    workbook.push_worksheet(summary.ws);

    // Answers.
    let mut answers = Sheet::new(SHEET_ANSWERS.get(l))?;
    answers.table_header(
        &ANSWER_HEADERS,
        &[10.0, 18.0, 40.0, 26.0, 40.0, 14.0, 12.0],
        l,
        &f.header,
    )?;
    for (i, a) in data.answers.iter().enumerate() {
        let r = crate::grid::row(i) + 1;
        answers.text(r, 0, &a.item_id, &f.text)?;
        answers.text(r, 1, &a.category, &f.wrap)?;
        answers.text(r, 2, &a.title, &f.wrap)?;
        answers.text(r, 3, &a.level, &f.wrap)?;
        answers.text(r, 4, &a.note, &f.wrap)?;
        answers.text(r, 5, &a.owner, &f.text)?;
        answers.date_or_text(r, 6, &a.target_date, &f.date, &f.text)?;
    }
    answers.filter(data.answers.len(), ANSWER_HEADERS.len())?;
    workbook.push_worksheet(answers.ws);

    // Priorities and measures.
    let mut gaps = Sheet::new(SHEET_GAPS.get(l))?;
    gaps.table_header(
        &GAP_HEADERS,
        &[6.0, 10.0, 32.0, 20.0, 9.0, 40.0, 50.0, 16.0],
        l,
        &f.header,
    )?;
    for (i, g) in data.gaps.iter().enumerate() {
        let r = crate::grid::row(i) + 1;
        gaps.number(r, 0, g.rank as f64, &f.int)?;
        gaps.text(r, 1, &g.item_id, &f.text)?;
        gaps.text(r, 2, &g.title, &f.wrap)?;
        gaps.text(r, 3, &g.level, &f.wrap)?;
        gaps.number(r, 4, g.priority, &f.score)?;
        gaps.text(r, 5, &g.measure, &f.wrap)?;
        gaps.text(r, 6, &g.example, &f.wrap)?;
        gaps.text(r, 7, &g.cost, &f.wrap)?;
    }
    gaps.filter(data.gaps.len(), GAP_HEADERS.len())?;
    workbook.push_worksheet(gaps.ws);

    // Action plan.
    let mut plan = Sheet::new(SHEET_PLAN.get(l))?;
    plan.table_header(
        &PLAN_HEADERS,
        &[10.0, 44.0, 14.0, 12.0, 14.0, 40.0],
        l,
        &f.header,
    )?;
    for (i, p) in data.plan.iter().enumerate() {
        let r = crate::grid::row(i) + 1;
        plan.text(r, 0, &p.item_id, &f.text)?;
        plan.text(r, 1, &p.measure, &f.wrap)?;
        plan.text(r, 2, &p.owner, &f.text)?;
        plan.date_or_text(r, 3, &p.due_date, &f.date, &f.text)?;
        plan.text(r, 4, &p.status, &f.text)?;
        plan.text(r, 5, &p.note, &f.wrap)?;
    }
    plan.filter(data.plan.len(), PLAN_HEADERS.len())?;
    workbook.push_worksheet(plan.ws);

    // National comparison.
    let mut baseline = Sheet::new(SHEET_BASELINE.get(l))?;
    baseline.table_header(
        &BASELINE_HEADERS,
        &[10.0, 36.0, 50.0, 12.0, 16.0],
        l,
        &f.header,
    )?;
    for (i, b) in data.baseline.iter().enumerate() {
        let r = crate::grid::row(i) + 1;
        baseline.text(r, 0, &b.item_id, &f.text)?;
        baseline.text(r, 1, &b.title, &f.wrap)?;
        baseline.text(r, 2, &b.figure, &f.wrap)?;
        baseline.percent_or_text(r, 3, &b.national, &f.percent, &f.text)?;
        baseline.percent_or_text(r, 4, &b.site, &f.percent, &f.text)?;
    }
    baseline.filter(data.baseline.len(), BASELINE_HEADERS.len())?;
    workbook.push_worksheet(baseline.ws);

    finish(&mut workbook)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_core::Text;
    use kojo_core::scale::Level;

    fn scale() -> Scale {
        let level = |code: &str, ja: &str, en: &str, short_ja: &str| Level {
            code: code.into(),
            value: code.parse().ok(),
            label: Text::new(ja, en),
            short: Text::new(short_ja, en),
            description: None,
            implemented: false,
            not_applicable: code == "na",
            provenance: None,
        };
        Scale {
            id: "implementation".into(),
            title: Text::new("尺度", "Scale"),
            source: Text::new("s", "s"),
            levels: vec![
                level("3", "実施済み", "Implemented", "実施済み"),
                level("2", "一部実施", "Partly implemented", "一部"),
                level(
                    "na",
                    "該当しない・わからない",
                    "Not applicable / don't know",
                    "不明",
                ),
            ],
        }
    }

    #[test]
    fn answer_spellings() {
        let map = level_lookup(&scale());
        let code = |s: &str| map.get(&normalize(s)).map(String::as_str);
        assert_eq!(code("3"), Some("3"));
        assert_eq!(code("３"), Some("3"));
        assert_eq!(code("3: 実施済み"), Some("3"));
        assert_eq!(code("3：実施済み"), Some("3"));
        assert_eq!(code("2: Partly implemented"), Some("2"));
        assert_eq!(code(" partly  IMPLEMENTED "), Some("2"));
        assert_eq!(code("実施済み"), Some("3"));
        assert_eq!(code("NA"), Some("na"));
        assert_eq!(code("不明"), Some("na"));
        assert_eq!(code("Not applicable / don't know"), Some("na"));
        assert_eq!(code("7"), None);
        assert_eq!(code("3: Partly implemented"), None);
    }

    #[test]
    fn percents() {
        assert_eq!(parse_percent("65.0%"), Some(65.0));
        assert_eq!(parse_percent(" 7% "), Some(7.0));
        assert_eq!(parse_percent("６５．０％"), Some(65.0));
        assert_eq!(parse_percent("65.0"), None);
        assert_eq!(parse_percent("—"), None);
        assert_eq!(parse_percent("inf%"), None);
        assert_eq!(parse_percent("%"), None);
    }

    #[test]
    fn target_dates() {
        assert_eq!(target_date(None), Ok(None));
        assert_eq!(
            target_date(Some(&Value::Date(46_112.0))),
            Ok(Some("2026-03-31".into()))
        );
        assert_eq!(
            target_date(Some(&Value::Number(46_112.0))),
            Ok(Some("2026-03-31".into()))
        );
        assert_eq!(target_date(Some(&Value::Number(2026.0))), Err(()));
        assert_eq!(
            target_date(Some(&Value::Text("2026/3/31".into()))),
            Ok(Some("2026-03-31".into()))
        );
        assert_eq!(target_date(Some(&Value::Text("3月末".into()))), Err(()));
        assert_eq!(target_date(Some(&Value::Bool(true))), Err(()));
    }

    #[test]
    fn cell_error_reads_like_excel() {
        let e = CellError {
            sheet: "回答".into(),
            row: 7,
            column: "E".into(),
            value: "7".into(),
            expected: Expected::OneOf {
                codes: "5, 4, 3, 2, 1, na".into(),
            },
        };
        assert_eq!(
            e.to_string(),
            "回答!E7: \"7\" — expected one of 5, 4, 3, 2, 1, na (or their labels)"
        );
        assert_eq!(
            e.message(Locale::Ja),
            "回答!E7: 「7」 — 正しい入力: 5, 4, 3, 2, 1, na のいずれか（または表示名）"
        );
        let all = ImportError::Cells(vec![e.clone(), e]);
        assert!(all.to_string().starts_with("2 invalid cell(s): 回答!E7"));
    }

    #[test]
    fn sheet_names_are_valid_excel_names() {
        for t in [
            SHEET_TEMPLATE_ANSWERS,
            SHEET_INSTRUCTIONS,
            SHEET_SUMMARY,
            SHEET_ANSWERS,
            SHEET_GAPS,
            SHEET_PLAN,
            SHEET_BASELINE,
        ] {
            for locale in Locale::ALL {
                assert!(Worksheet::new().set_name(t.get(locale)).is_ok());
            }
        }
    }
}
