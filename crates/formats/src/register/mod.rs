//! The asset register (資産台帳 / 機器管理表) as factories keep it in Excel or CSV, read into the
//! assets of a site's plant model, and written back: the blank template with drop-downs and the
//! site's register.
//!
//! Reading ([`read`]):
//!
//! - **Sheets.** Every visible worksheet whose header row is found is part of the register
//!   (one sheet per building or line is common); other sheets (instructions, lists, totals) are
//!   skipped and named in the result. Hidden sheets are skipped. A CSV is one sheet.
//! - **Header row.** The first row, among the first [`HEADER_SCAN_ROWS`] rows with content, that
//!   names the asset's name column and at least one other register column; title rows above it
//!   are ignored. Headers are compared after folding (NFKC, lower case, no spaces: the caller's
//!   [`Vocabulary::fold`]) with kojo's headers in both languages and the synonyms of
//!   `content/plant/register.toml`; a header with a trailing note in brackets (`機器名称（必須）`)
//!   or after `※` is tried without it. Columns no header names are ignored (and listed).
//! - **Merged cells.** A cell merged over several rows counts in each of them (a location or a
//!   zone written once for a group of machines), so a two-row header works too. Values merged
//!   into rows below the last asset do not make rows of their own.
//! - **Rows.** Blank rows are skipped, and so are rows whose only content is yes/no or status
//!   cells (a template's pre-filled defaults). Every cell is checked, and every bad one is
//!   reported with its sheet, row, column (letter and header), value and what it should hold
//!   ([`CellError`]); with any bad cell nothing is returned.
//! - **Values.** Identifying fields (vendor, product, model, order number, version, serial, OS,
//!   IP, MAC) are NFKC-normalised (`Ｖ２．３` → `V2.3`). Kinds, statuses and yes/no are read
//!   from the words of the vocabulary and the labels kojo shows. Dates: see [`dates`]. Zones
//!   and business processes must be those of the site (compared after folding). Several zones
//!   or processes in one cell are separated by 、 or ; or a line break.
//! - **Matching.** A row stands for an existing asset when its kojo ID names an asset of the
//!   site, else when its asset number (資産管理番号, compared after folding) is that of exactly
//!   one asset of the site; otherwise it is a new asset. A kojo ID of no asset of the site (an
//!   asset deleted since the export, or a register of another site) is not an error: the row is
//!   matched by its asset number or added.
//!   Two rows may not carry the same kojo ID, nor stand for the same asset; an asset number
//!   repeated on rows is refused only where it is what matches them to an asset of the site
//!   (kojo's own model may give a group of identical machines one number, and its export must
//!   read back).

pub mod dates;
mod read;
mod write;

use std::collections::HashMap;

use kojo_core::Locale;
use kojo_core::plant::catalog::{Labels, Register};
use kojo_core::plant::model::{AssetKind, AssetStatus};
use kojo_core::plant::named::NamedAsset;

use crate::table_in::{Place, ReadError};
use crate::text::{count, fill, msg};

pub use read::read;
pub use write::{RegisterBook, write};

/// How many rows with content, from the top of a sheet, are searched for the header row.
pub const HEADER_SCAN_ROWS: usize = 30;

/// The most asset rows a register may hold (all sheets together).
pub const MAX_ASSETS: usize = crate::limits::REGISTER_MAX_ASSETS;

macro_rules! fields {
    ($($variant:ident = $code:literal),+ $(,)?) => {
        /// A column of the register: a field of the asset (`kojo_core::plant::Asset`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field {
            $($variant),+
        }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The field's name in the model and in `content/plant/register.toml`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Field::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<Field> {
                match s {
                    $($code => Some(Field::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

fields!(
    Id = "id",
    Tag = "tag",
    Name = "name",
    Kind = "kind",
    Zone = "zone",
    AlsoIn = "also_in",
    Vendor = "vendor",
    Product = "product",
    Model = "model",
    OrderNumber = "order_number",
    Version = "version",
    Serial = "serial",
    Os = "os",
    OsSupportEnd = "os_support_end",
    Ip = "ip",
    Mac = "mac",
    Location = "location",
    Owner = "owner",
    MaintenanceEnd = "maintenance_end",
    Status = "status",
    RemoteMaintenance = "remote_maintenance",
    BlackBox = "black_box",
    CloudLink = "cloud_link",
    Temporary = "temporary",
    Wireless = "wireless",
    Safety = "safety",
    Processes = "processes",
);

impl Field {
    /// A yes/no column.
    pub fn is_flag(self) -> bool {
        matches!(
            self,
            Field::RemoteMaintenance
                | Field::BlackBox
                | Field::CloudLink
                | Field::Temporary
                | Field::Wireless
                | Field::Safety
        )
    }

    /// A date column.
    pub fn is_date(self) -> bool {
        matches!(self, Field::OsSupportEnd | Field::MaintenanceEnd)
    }

    /// A field compared with advisories and other registers: NFKC-normalised when read.
    pub fn is_identifying(self) -> bool {
        matches!(
            self,
            Field::Vendor
                | Field::Product
                | Field::Model
                | Field::OrderNumber
                | Field::Version
                | Field::Serial
                | Field::Os
                | Field::Ip
                | Field::Mac
        )
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of fields: the columns a sheet of the register has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldSet(u32);

impl FieldSet {
    pub fn all() -> FieldSet {
        FieldSet(Field::ALL.iter().fold(0, |bits, f| bits | f.bit()))
    }

    pub fn contains(self, f: Field) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn insert(&mut self, f: Field) {
        self.0 |= f.bit();
    }
}

/// The words the reader understands, built once from the content: headers and their synonyms,
/// and the words for asset kinds, statuses and yes/no (with the labels kojo shows for kinds and
/// statuses, so a register kojo wrote reads back).
pub struct Vocabulary<'a> {
    pub register: &'a Register,
    pub labels: &'a Labels,
    /// How headers and words are compared (`kojo_content::fold`).
    pub fold: fn(&str) -> String,
    columns: HashMap<String, Field>,
    kinds: HashMap<String, AssetKind>,
    statuses: HashMap<String, AssetStatus>,
    flags: HashMap<String, bool>,
}

impl<'a> Vocabulary<'a> {
    pub fn new(register: &'a Register, labels: &'a Labels, fold: fn(&str) -> String) -> Self {
        let mut columns = HashMap::new();
        for c in &register.columns {
            let Some(field) = Field::parse(&c.field) else {
                continue;
            };
            for word in [&c.header.ja, &c.header.en].into_iter().chain(&c.synonyms) {
                columns.entry(fold(word)).or_insert(field);
            }
        }
        let mut kinds = HashMap::new();
        let mut statuses = HashMap::new();
        let mut flags = HashMap::new();
        for kind in AssetKind::ALL {
            kinds.insert(fold(kind.as_str()), *kind);
        }
        for status in AssetStatus::ALL {
            statuses.insert(fold(status.as_str()), *status);
        }
        for v in &register.values {
            for w in &v.values {
                for word in &w.words {
                    let key = fold(word);
                    match v.field.as_str() {
                        "kind" => {
                            if let Some(k) = AssetKind::parse(&w.code) {
                                kinds.entry(key).or_insert(k);
                            }
                        }
                        "status" => {
                            if let Some(s) = AssetStatus::parse(&w.code) {
                                statuses.entry(key).or_insert(s);
                            }
                        }
                        "flag" => {
                            flags.entry(key).or_insert(w.code == "yes");
                        }
                        _ => {}
                    }
                }
            }
        }
        for l in &labels.asset_kinds {
            if let Some(k) = AssetKind::parse(&l.code) {
                for text in [&l.label.ja, &l.label.en] {
                    kinds.entry(fold(text)).or_insert(k);
                }
            }
        }
        for l in &labels.asset_statuses {
            if let Some(s) = AssetStatus::parse(&l.code) {
                for text in [&l.label.ja, &l.label.en] {
                    statuses.entry(fold(text)).or_insert(s);
                }
            }
        }
        Vocabulary {
            register,
            labels,
            fold,
            columns,
            kinds,
            statuses,
            flags,
        }
    }

    /// The field a header names: as written, else without a trailing note in brackets or
    /// after `※` / `*`.
    pub fn column(&self, header: &str) -> Option<Field> {
        let folded = (self.fold)(header);
        if folded.is_empty() {
            return None;
        }
        if let Some(f) = self.columns.get(&folded) {
            return Some(*f);
        }
        let mut cut = folded.as_str();
        for mark in ['※', '*'] {
            if let Some((head, _)) = cut.split_once(mark) {
                cut = head;
            }
        }
        if let Some(open) = cut.rfind('(')
            && cut.ends_with(')')
        {
            cut = &cut[..open];
        }
        (cut != folded && !cut.is_empty())
            .then(|| self.columns.get(cut).copied())
            .flatten()
    }

    pub fn kind(&self, word: &str) -> Option<AssetKind> {
        self.kinds.get(&(self.fold)(word)).copied()
    }

    pub fn status(&self, word: &str) -> Option<AssetStatus> {
        self.statuses.get(&(self.fold)(word)).copied()
    }

    pub fn flag(&self, word: &str) -> Option<bool> {
        self.flags.get(&(self.fold)(word)).copied()
    }

    /// kojo's header of a field in `locale`.
    pub fn header(&self, field: Field, locale: Locale) -> &str {
        self.register
            .columns
            .iter()
            .find(|c| c.field == field.as_str())
            .map_or(field.as_str(), |c| c.header.get(locale))
    }

    /// The label kojo shows for an asset kind in `locale`.
    pub fn kind_label(&self, kind: AssetKind, locale: Locale) -> &str {
        Labels::find(&self.labels.asset_kinds, kind.as_str())
            .map_or(kind.as_str(), |t| t.get(locale))
    }

    /// The label kojo shows for a status in `locale`.
    pub fn status_label(&self, status: AssetStatus, locale: Locale) -> &str {
        Labels::find(&self.labels.asset_statuses, status.as_str())
            .map_or(status.as_str(), |t| t.get(locale))
    }

    /// The kinds' labels in `locale`, for messages and drop-downs.
    fn kind_labels(&self, locale: Locale) -> Vec<&str> {
        AssetKind::ALL
            .iter()
            .map(|k| self.kind_label(*k, locale))
            .collect()
    }
}

/// What the reader needs to know of the site.
pub struct Known<'a> {
    /// The names of the site's zones.
    pub zones: &'a [String],
    /// The names of the site's business processes.
    pub processes: &'a [String],
    /// The site's assets: kojo id and asset number (資産管理番号, possibly empty).
    pub assets: &'a [(i64, String)],
    /// The longest text a cell may hold (characters).
    pub max_chars: usize,
}

/// One asset row of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRow {
    /// The sheet (None for a CSV).
    pub sheet: Option<String>,
    /// 1-based row (xlsx) or line (CSV).
    pub row: u32,
    /// The columns the row's sheet has: the other fields of an existing asset are kept.
    pub fields: FieldSet,
    /// The existing asset the row stands for (kojo id).
    pub existing: Option<i64>,
    /// The row's kojo ID named no asset of the site.
    pub stale_id: bool,
    /// The values; zones and processes by their names in the site's model.
    pub asset: NamedAsset,
}

/// A column the reader did not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredColumn {
    pub sheet: Option<String>,
    pub column: String,
    pub header: String,
}

/// A register read: its rows in sheet and row order, which sheets were read and skipped, and
/// the columns not used.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub rows: Vec<RegisterRow>,
    pub sheets: Vec<String>,
    pub skipped: Vec<String>,
    pub ignored: Vec<IgnoredColumn>,
}

/// Why a register was refused. Nothing is imported in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    /// Not a CSV or xlsx file kojo can read, or one over the limits of [`crate::limits`].
    Read(ReadError),
    /// No sheet has a header row; `sheets` are the sheets looked at.
    NoHeader { sheets: Vec<String> },
    /// Header rows, but no asset row.
    NoAssets,
    /// More asset rows than [`MAX_ASSETS`]; `at` is where the limit was passed.
    TooManyAssets { at: Place },
    /// More cells filled from merged cells than [`crate::limits::MAX_CELLS`] in one sheet.
    TooManyMerged { sheet: String },
    /// Bad cells: every one of them, in sheet and row order.
    Cells(Vec<CellError>),
}

impl RegisterError {
    /// The error in `locale`; with bad cells, how many (see [`CellError::message`] for each).
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        match self {
            RegisterError::Read(e) => e.message(locale),
            RegisterError::NoHeader { sheets } => fill(
                m.register_no_header,
                &[("sheets", &sheets.join(m.file_read_list_separator))],
            ),
            RegisterError::NoAssets => m.register_no_assets.to_string(),
            RegisterError::TooManyAssets { at } => fill(
                m.register_too_many_assets,
                &[("at", &at.message(locale)), ("max", &count(MAX_ASSETS))],
            ),
            RegisterError::TooManyMerged { sheet } => fill(
                m.register_too_many_merged,
                &[("sheet", sheet), ("max", &count(crate::limits::MAX_CELLS))],
            ),
            RegisterError::Cells(cells) => fill(m.register_cells, &[("n", &count(cells.len()))]),
        }
    }
}

impl std::fmt::Display for RegisterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for RegisterError {}

/// One bad cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The sheet (None for a CSV).
    pub sheet: Option<String>,
    /// 1-based row (xlsx) or line (CSV).
    pub row: u32,
    /// Column letter, e.g. `E`.
    pub column: String,
    /// The column's header as written in the file.
    pub header: String,
    /// The value as written (cut to 100 characters).
    pub value: String,
    pub expected: Expected,
}

/// What a cell should hold. The sentence is made when shown ([`Expected::get`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The asset's name: required.
    Name,
    /// At most `max` characters (this one has `found`).
    TooLong {
        found: usize,
        max: usize,
    },
    /// An asset kind: the labels in each language.
    Kind {
        ja: String,
        en: String,
    },
    Status,
    Flag,
    Date,
    /// The number kojo gave an asset.
    Number,
    /// A zone of the site (its names; empty when it has none).
    Zone {
        known: Vec<String>,
    },
    /// A business process of the site (its names; empty when it has none).
    Process {
        known: Vec<String>,
    },
    /// The kojo ID is also in `first` (a place such as `シート「台帳」5行目`, in each language).
    DuplicateId {
        first: [String; 2],
    },
    /// The asset number is also in `first`.
    DuplicateTag {
        first: [String; 2],
    },
    /// The row names the same asset as `first` (one by kojo ID, the other by asset number).
    SameAsset {
        first: [String; 2],
    },
    /// The asset number is that of `count` assets of the site.
    AmbiguousTag {
        count: usize,
    },
    /// A second column for the same field; `first` is the first one's letter.
    DuplicateColumn {
        first: String,
    },
}

fn list(names: &[String], locale: Locale) -> String {
    const SHOWN: usize = 20;
    let sep = msg(locale).file_read_list_separator;
    let mut out = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(sep);
    if names.len() > SHOWN {
        out.push_str(sep);
        out.push('…');
    }
    out
}

impl Expected {
    /// What the cell should hold, in `locale`.
    pub fn get(&self, locale: Locale) -> String {
        let m = msg(locale);
        let at = |first: &[String; 2]| match locale {
            Locale::Ja => first[0].clone(),
            Locale::En => first[1].clone(),
        };
        match self {
            Expected::Name => m.register_expected_name.to_string(),
            Expected::TooLong { found, max } => fill(
                m.register_expected_too_long,
                &[("found", found), ("max", &count(*max))],
            ),
            Expected::Kind { ja, en } => fill(
                m.register_expected_kind,
                &[(
                    "words",
                    match locale {
                        Locale::Ja => ja,
                        Locale::En => en,
                    },
                )],
            ),
            Expected::Status => m.register_expected_status.to_string(),
            Expected::Flag => m.register_expected_flag.to_string(),
            Expected::Date => m.register_expected_date.to_string(),
            Expected::Number => m.register_expected_number.to_string(),
            Expected::Zone { known } if known.is_empty() => {
                m.register_expected_zone_none.to_string()
            }
            Expected::Zone { known } => {
                fill(m.register_expected_zone, &[("names", &list(known, locale))])
            }
            Expected::Process { known } if known.is_empty() => {
                m.register_expected_process_none.to_string()
            }
            Expected::Process { known } => fill(
                m.register_expected_process,
                &[("names", &list(known, locale))],
            ),
            Expected::DuplicateId { first } => {
                fill(m.register_expected_duplicate_id, &[("first", &at(first))])
            }
            Expected::DuplicateTag { first } => {
                fill(m.register_expected_duplicate_tag, &[("first", &at(first))])
            }
            Expected::SameAsset { first } => {
                fill(m.register_expected_same_asset, &[("first", &at(first))])
            }
            Expected::AmbiguousTag { count: n } => {
                fill(m.register_expected_ambiguous_tag, &[("n", n)])
            }
            Expected::DuplicateColumn { first } => {
                fill(m.register_expected_duplicate_column, &[("first", first)])
            }
        }
    }
}

impl CellError {
    /// Where the cell is, in `locale`: `シート「台帳」7行目、E列（メーカー）`.
    pub fn place(&self, locale: Locale) -> String {
        let row = self.row as usize;
        let at = match &self.sheet {
            Some(sheet) => Place::SheetRow {
                sheet: sheet.clone(),
                row,
            },
            None => Place::Line(row),
        };
        fill(
            msg(locale).register_at_cell,
            &[
                ("at", &at.message(locale)),
                ("column", &self.column),
                ("header", &self.header),
            ],
        )
    }

    /// The error in `locale`: the place, the value found and what was expected.
    pub fn message(&self, locale: Locale) -> String {
        let m = msg(locale);
        let template = if self.value.is_empty() {
            m.register_cell_empty
        } else {
            m.register_cell
        };
        fill(
            template,
            &[
                ("at", &self.place(locale)),
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
