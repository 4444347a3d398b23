//! A report workbook: sheets that each carry a title, a few labelled lines (what the table is
//! about) and a table whose rating cells are coloured as Excel colours good, neutral and bad
//! values. Used for the risk analysis in the layout of IPA's risk-analysis sheets.
//!
//! Text is always written with `write_string`, so no cell text is ever taken for a formula.

use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::assessment_xlsx::XlsxError;
use crate::grid;
use crate::xlsx_read::column_letter;

/// How a rating cell is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Red: a high risk, a serious finding.
    Bad,
    /// Yellow.
    Neutral,
    /// Green.
    Good,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReportCell {
    Text(String),
    Number(f64),
    /// A rating shown as text on a coloured fill.
    Rated(String, Tone),
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportSheet {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub title: String,
    /// Label and value lines under the title.
    pub lines: Vec<(String, String)>,
    /// The table's header (none: the sheet has only its lines).
    pub header: Vec<String>,
    /// Column widths, in characters (missing ones are 12).
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<ReportCell>>,
}

/// The cell formats of a report workbook.
struct Formats {
    header: Format,
    title: Format,
    label: Format,
    wrap: Format,
    cell: Format,
    number: Format,
}

fn bordered(f: Format) -> Format {
    f.set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF))
}

impl Formats {
    fn new() -> Formats {
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            header: bordered(
                Format::new()
                    .set_bold()
                    .set_font_color(Color::White)
                    .set_background_color(Color::RGB(0x1F4E79))
                    .set_text_wrap()
                    .set_align(FormatAlign::Top),
            ),
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            cell: bordered(wrap.clone()),
            wrap,
            number: bordered(Format::new().set_align(FormatAlign::Top)),
        }
    }

    fn tone(t: Tone) -> Format {
        let (fill, font) = match t {
            Tone::Bad => (0xFFC7CE, 0x9C0006),
            Tone::Neutral => (0xFFEB9C, 0x9C5700),
            Tone::Good => (0xC6EFCE, 0x006100),
        };
        bordered(
            Format::new()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
                .set_bold()
                .set_align(FormatAlign::Top),
        )
    }
}

/// The workbook of `sheets`; `title` goes in the document properties.
pub fn write(title: &str, sheets: &[ReportSheet]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(title).set_author("kojo"));
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        write_sheet(ws, s, &f)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn write_sheet(ws: &mut Worksheet, s: &ReportSheet, f: &Formats) -> Result<(), XlsxError> {
    let at = |row: u32, col: u16| {
        let name = s.name.clone();
        move |source| XlsxError::Cell {
            sheet: name,
            cell: format!("{}{}", column_letter(u32::from(col)), row + 1),
            source,
        }
    };
    ws.write_string_with_format(0, 0, &s.title, &f.title)
        .map_err(at(0, 0))?;
    let mut row = 1;
    for (l, v) in &s.lines {
        ws.write_string_with_format(row, 0, l, &f.label)
            .map_err(at(row, 0))?;
        ws.write_string_with_format(row, 1, v, &f.wrap)
            .map_err(at(row, 1))?;
        row += 1;
    }
    if s.header.is_empty() {
        ws.set_column_width(0, 30.0)?;
        ws.set_column_width(1, 80.0)?;
        return Ok(());
    }
    row += 1;
    let header_row = row;
    for (i, h) in s.header.iter().enumerate() {
        let c = grid::col(i);
        ws.write_string_with_format(row, c, h, &f.header)
            .map_err(at(row, c))?;
        ws.set_column_width(c, s.widths.get(i).copied().unwrap_or(12.0))?;
    }
    for r in &s.rows {
        row += 1;
        for (i, v) in r.iter().enumerate() {
            let c = grid::col(i);
            match v {
                ReportCell::Text(t) => ws.write_string_with_format(row, c, t, &f.cell),
                ReportCell::Number(n) => ws.write_number_with_format(row, c, *n, &f.number),
                ReportCell::Rated(t, k) => {
                    ws.write_string_with_format(row, c, t, &Formats::tone(*k))
                }
                ReportCell::Empty => ws.write_blank(row, c, &f.cell),
            }
            .map_err(at(row, c))?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    if !s.rows.is_empty() {
        ws.autofilter(header_row, 0, row, grid::col(s.header.len()) - 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn sheets_have_their_title_lines_and_table() {
        let bytes = write(
            "t",
            &[ReportSheet {
                name: "表".into(),
                title: "リスク".into(),
                lines: vec![("工場".into(), "本社".into())],
                header: vec!["No.".into(), "評価".into()],
                widths: vec![],
                rows: vec![vec![
                    ReportCell::Number(1.0),
                    ReportCell::Rated("=高".into(), Tone::Bad),
                ]],
            }],
        )
        .unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = wb.worksheet_range("表").unwrap();
        assert_eq!(r.get_value((0, 0)), Some(&Data::String("リスク".into())));
        assert_eq!(r.get_value((1, 1)), Some(&Data::String("本社".into())));
        assert_eq!(r.get_value((3, 1)), Some(&Data::String("評価".into())));
        assert_eq!(r.get_value((4, 0)), Some(&Data::Float(1.0)));
        assert_eq!(r.get_value((4, 1)), Some(&Data::String("=高".into())));
    }
}
