//! Writing a register: the blank template (the site's zones in a drop-down when there is a
//! site) and the site's register, in one layout that [`super::read`] reads back.
//!
//! Sheet 1 (資産台帳 / Asset register): a title in row 1, a short note in row 2, kojo's headers in
//! row 3, one asset per row from row 4. Columns in the order of `content/plant/register.toml`,
//! the kojo ID last. Drop-downs (warnings, not refusals, so a synonym can still be typed) for
//! the kind, the status, the yes/no columns and the zone. Sheet 2 (記入方法 / How to fill in):
//! every column with the other headers that mean the same and what it holds, and the words
//! understood for kinds, statuses and yes/no. A hidden sheet holds the drop-down lists.
//!
//! Text is always written with `write_string`, so no cell text is ever taken for a formula.

use kojo_core::Locale;
use kojo_core::date::Date;
use kojo_core::plant::model::{Asset, AssetKind, AssetStatus, Plant};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use super::{Field, Vocabulary};
use crate::assessment_xlsx::XlsxError;
use crate::text::{fill, msg};
use crate::xlsx_read::column_letter;

/// 0-based row of kojo's headers on the register sheet.
pub const HEADER_ROW: u32 = 2;
/// Rows with drop-downs below the last asset (room to add assets in Excel).
const SPARE_ROWS: u32 = 500;
/// The hidden sheet of drop-down lists.
pub const LISTS_SHEET: &str = "_kojo_lists";

/// What to write.
pub struct RegisterBook<'a> {
    pub vocab: &'a Vocabulary<'a>,
    pub locale: Locale,
    /// The site's name, for the title (None: a template for no site in particular).
    pub site: Option<&'a str>,
    /// The site's model: its zones for the drop-down, and its assets when `assets` is set.
    pub plant: &'a Plant,
    /// Write the assets (the export), or none (the template).
    pub assets: bool,
}

/// The columns in the order written: the content's order, the kojo ID last.
fn columns(vocab: &Vocabulary) -> Vec<Field> {
    let mut out: Vec<Field> = vocab
        .register
        .columns
        .iter()
        .filter_map(|c| Field::parse(&c.field))
        .filter(|f| *f != Field::Id)
        .collect();
    out.push(Field::Id);
    out
}

fn width(field: Field) -> f64 {
    match field {
        Field::Name | Field::Kind | Field::Processes | Field::AlsoIn => 24.0,
        Field::Zone | Field::Location | Field::Owner | Field::Product | Field::Os => 18.0,
        f if f.is_flag() => 10.0,
        _ => 14.0,
    }
}

/// A worksheet with its name, for error messages.
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

    fn error(
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

    fn text(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        let err = self.error(row, col);
        self.ws
            .write_string_with_format(row, col, text, format)
            .map(|_| ())
            .map_err(err)
    }

    fn number(&mut self, row: u32, col: u16, n: f64) -> Result<(), XlsxError> {
        let err = self.error(row, col);
        self.ws.write_number(row, col, n).map(|_| ()).map_err(err)
    }

    fn date(&mut self, row: u32, col: u16, d: Date, format: &Format) -> Result<(), XlsxError> {
        let err = self.error(row, col);
        let dt = ExcelDateTime::from_ymd(
            kojo_core::num::saturate(d.year()),
            kojo_core::num::saturate(d.month()),
            kojo_core::num::saturate(d.day()),
        )
        .map_err(self.error(row, col))?;
        self.ws
            .write_date_with_format(row, col, &dt, format)
            .map(|_| ())
            .map_err(err)
    }
}

/// Writes the register workbook.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn write(book: &RegisterBook) -> Result<Vec<u8>, XlsxError> {
    let (vocab, locale) = (book.vocab, book.locale);
    let m = msg(locale);
    let fields = columns(vocab);
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F4E79))
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF));
    let title = Format::new().set_bold().set_font_size(14);
    let plain = Format::new().set_align(FormatAlign::Top);
    let wrap = plain.clone().set_text_wrap();
    let date = plain.clone().set_num_format(match locale {
        Locale::Ja => "yyyy/mm/dd",
        Locale::En => "yyyy-mm-dd",
    });

    // The register.
    let mut reg = Sheet::new(m.register_sheet)?;
    let heading = match book.site {
        Some(site) => fill(m.register_title, &[("site", &site)]),
        None => m.register_title_blank.to_string(),
    };
    reg.text(0, 0, &heading, &title)?;
    reg.text(1, 0, m.register_note, &plain)?;
    for (col, field) in fields.iter().enumerate() {
        let col = crate::grid::col(col);
        reg.text(HEADER_ROW, col, vocab.header(*field, locale), &header)?;
        reg.ws.set_column_width(col, width(*field))?;
    }
    let zone_name = |id| book.plant.zone(id).map(|z| z.name.as_str());
    let sep = m.register_list_separator;
    let assets: &[Asset] = if book.assets { &book.plant.assets } else { &[] };
    for (i, a) in assets.iter().enumerate() {
        let row = HEADER_ROW + 1 + crate::grid::row(i);
        for (col, field) in fields.iter().enumerate() {
            let col = crate::grid::col(col);
            match field {
                Field::Id => reg.number(row, col, a.id.get() as f64)?,
                Field::Kind => reg.text(row, col, vocab.kind_label(a.kind, locale), &plain)?,
                Field::Status => {
                    reg.text(row, col, vocab.status_label(a.status, locale), &plain)?
                }
                Field::Zone => {
                    let zone = a.zone.and_then(zone_name).unwrap_or_default();
                    reg.text(row, col, zone, &plain)?
                }
                Field::AlsoIn => {
                    let names: Vec<&str> = a.also_in.iter().filter_map(|z| zone_name(*z)).collect();
                    reg.text(row, col, &names.join(sep), &wrap)?
                }
                Field::Processes => {
                    let names: Vec<&str> = a
                        .processes
                        .iter()
                        .filter_map(|p| book.plant.process(*p).map(|p| p.name.as_str()))
                        .collect();
                    reg.text(row, col, &names.join(sep), &wrap)?
                }
                Field::OsSupportEnd | Field::MaintenanceEnd => {
                    let d = if *field == Field::OsSupportEnd {
                        a.os_support_end
                    } else {
                        a.maintenance_end
                    };
                    if let Some(d) = d {
                        reg.date(row, col, d, &date)?;
                    }
                }
                f if f.is_flag() => {
                    let word = if flag(a, *f) {
                        m.register_yes
                    } else {
                        m.register_no
                    };
                    reg.text(row, col, word, &plain)?
                }
                f => reg.text(row, col, text(a, *f), &plain)?,
            }
        }
    }
    let last = HEADER_ROW + crate::grid::row(assets.len()) + SPARE_ROWS;
    reg.ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    reg.ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    reg.ws.set_landscape();
    reg.ws.set_print_fit_to_pages(1, 0);
    reg.ws.autofilter(
        HEADER_ROW,
        0,
        HEADER_ROW + crate::grid::row(assets.len().max(1)),
        crate::grid::col(fields.len()) - 1,
    )?;

    // The drop-down lists.
    let mut lists = Sheet::new(LISTS_SHEET)?;
    let kinds: Vec<&str> = AssetKind::ALL
        .iter()
        .map(|k| vocab.kind_label(*k, locale))
        .collect();
    let statuses: Vec<&str> = AssetStatus::ALL
        .iter()
        .map(|s| vocab.status_label(*s, locale))
        .collect();
    let flags = [m.register_yes, m.register_no];
    let zones: Vec<&str> = book.plant.zones.iter().map(|z| z.name.as_str()).collect();
    let columns: [(&[&str], u16); 4] = [(&kinds, 0), (&statuses, 1), (&flags, 2), (&zones, 3)];
    for (values, col) in columns {
        for (i, v) in values.iter().enumerate() {
            lists.text(crate::grid::row(i), col, v, &plain)?;
        }
    }
    lists.ws.set_hidden(true);
    let list_formula = |col: u16, n: usize| {
        let letter = column_letter(u32::from(col));
        Formula::new(format!("='{LISTS_SHEET}'!${letter}$1:${letter}${n}"))
    };
    for (i, field) in fields.iter().enumerate() {
        let (col, n) = match field {
            Field::Kind => (0, kinds.len()),
            Field::Status => (1, statuses.len()),
            f if f.is_flag() => (2, flags.len()),
            Field::Zone if !zones.is_empty() => (3, zones.len()),
            _ => continue,
        };
        let validation = DataValidation::new()
            .allow_list_formula(list_formula(col, n))
            .set_error_title(m.register_dropdown_title)?
            .set_error_message(m.register_dropdown_error)?
            .set_error_style(DataValidationErrorStyle::Warning);
        reg.ws.add_data_validation(
            HEADER_ROW + 1,
            crate::grid::col(i),
            last,
            crate::grid::col(i),
            &validation,
        )?;
    }
    reg.ws.set_active(true);

    // How to fill it in.
    let help = help_sheet(vocab, locale, &fields, &header, &title, &wrap)?;

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(heading.as_str())
            .set_author("kojo"),
    );
    workbook.push_worksheet(reg.ws);
    workbook.push_worksheet(help.ws);
    workbook.push_worksheet(lists.ws);
    Ok(workbook.save_to_buffer()?)
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
fn help_sheet(
    vocab: &Vocabulary,
    locale: Locale,
    fields: &[Field],
    header: &Format,
    title: &Format,
    wrap: &Format,
) -> Result<Sheet, XlsxError> {
    let m = msg(locale);
    let sep = m.file_read_list_separator;
    let mut help = Sheet::new(m.register_sheet_help)?;
    help.ws.set_column_width(0, 26.0)?;
    help.ws.set_column_width(1, 50.0)?;
    help.ws.set_column_width(2, 70.0)?;
    help.text(0, 0, m.register_help_title, title)?;
    let notes = [
        m.register_help_1,
        m.register_help_2,
        m.register_help_3,
        m.register_help_4,
        m.register_help_5,
    ];
    let mut row = 1;
    for note in notes {
        help.ws.merge_range(row, 0, row, 2, note, wrap)?;
        help.ws.set_row_height(row, 32.0)?;
        row += 1;
    }
    row += 1;
    for (col, h) in [
        m.register_h_column,
        m.register_h_synonyms,
        m.register_h_expected,
    ]
    .iter()
    .enumerate()
    {
        help.text(row, crate::grid::col(col), h, header)?;
    }
    for field in fields {
        let Some(c) = vocab
            .register
            .columns
            .iter()
            .find(|c| c.field == field.as_str())
        else {
            continue;
        };
        row += 1;
        let other = match locale {
            Locale::Ja => &c.header.en,
            Locale::En => &c.header.ja,
        };
        let mut synonyms: Vec<&str> = Vec::new();
        if other != c.header.get(locale) {
            synonyms.push(other);
        }
        synonyms.extend(c.synonyms.iter().map(String::as_str));
        help.text(row, 0, c.header.get(locale), wrap)?;
        help.text(row, 1, &synonyms.join(sep), wrap)?;
        help.text(row, 2, c.expected.get(locale), wrap)?;
    }
    // The words understood in cells.
    for (heading, field) in [
        (m.register_words_kind, "kind"),
        (m.register_words_status, "status"),
        (m.register_words_flag, "flag"),
    ] {
        row += 2;
        help.text(row, 0, heading, header)?;
        help.text(row, 1, m.register_h_words, header)?;
        let Some(words) = vocab.register.values.iter().find(|v| v.field == field) else {
            continue;
        };
        for w in &words.values {
            row += 1;
            let shown = match field {
                "kind" => AssetKind::parse(&w.code).map(|k| vocab.kind_label(k, locale)),
                "status" => AssetStatus::parse(&w.code).map(|s| vocab.status_label(s, locale)),
                _ => Some(if w.code == "yes" {
                    m.register_yes
                } else {
                    m.register_no
                }),
            };
            help.text(row, 0, shown.unwrap_or(&w.code), wrap)?;
            help.text(row, 1, &w.words.join(sep), wrap)?;
        }
    }
    Ok(help)
}

fn flag(a: &Asset, field: Field) -> bool {
    match field {
        Field::RemoteMaintenance => a.remote_maintenance,
        Field::BlackBox => a.black_box,
        Field::CloudLink => a.cloud_link,
        Field::Temporary => a.temporary,
        Field::Wireless => a.wireless,
        Field::Safety => a.safety,
        _ => false,
    }
}

fn text(a: &Asset, field: Field) -> &str {
    match field {
        Field::Tag => &a.tag,
        Field::Name => &a.name,
        Field::Vendor => &a.vendor,
        Field::Product => &a.product,
        Field::Model => &a.model,
        Field::OrderNumber => &a.order_number,
        Field::Version => &a.version,
        Field::Serial => &a.serial,
        Field::Os => &a.os,
        Field::Ip => &a.ip,
        Field::Mac => &a.mac,
        Field::Location => &a.location,
        Field::Owner => &a.owner,
        _ => "",
    }
}
