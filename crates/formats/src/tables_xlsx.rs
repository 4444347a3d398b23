//! A workbook of plain tables (a sheet each, a header row, then rows), with formatted headers,
//! frozen header row, column widths and numbers as numbers, and bar charts of ranges of rows
//! beside the table. Used for survey reports.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A percentage in 0–100, written as a number with format 0.0.
    Percent(f64),
    Empty,
}

#[derive(Debug, Clone)]
pub struct SheetTable {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Bar charts of ranges of `rows`, stacked to the right of the table.
    pub charts: Vec<TableChart>,
}

/// A bar chart of rows `first..=last` (indexes into `SheetTable::rows`): the labels in column
/// `labels`, the values (0–100) in column `values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChart {
    pub title: String,
    pub first: usize,
    pub last: usize,
    pub labels: usize,
    pub values: usize,
}

/// Rows of the sheet a chart of `bars` bars takes (20 px each): room for the title and axis.
fn chart_rows(bars: usize) -> u32 {
    crate::grid::row(bars.clamp(3, 40) + 5)
}

/// Inserts the sheet's charts one under the other, two columns right of the table.
fn insert_charts(
    ws: &mut Worksheet,
    sheet: &str,
    s: &SheetTable,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let col = crate::grid::col(s.header.len() + 1);
    let mut at = 1;
    for c in &s.charts {
        let (first, last) = (crate::grid::row(c.first) + 1, crate::grid::row(c.last) + 1);
        let (labels, values) = (crate::grid::col(c.labels), crate::grid::col(c.values));
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories((sheet, first, labels, last, labels))
            .set_values((sheet, first, values, last, values));
        chart.title().set_name(c.title.as_str());
        chart.x_axis().set_min(0).set_max(100);
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        let rows = chart_rows(c.last + 1 - c.first);
        chart.set_width(520);
        chart.set_height(rows * 20);
        ws.insert_chart(at, col, &chart)?;
        at += rows + 1;
    }
    Ok(())
}

/// Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let mut candidate = if clean.is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let mut i = 2;
    while used.contains(&candidate) {
        let suffix = format!(" ({i})");
        candidate = format!(
            "{}{suffix}",
            candidate
                .chars()
                .take(31 - suffix.chars().count())
                .collect::<String>()
        );
        i += 1;
    }
    used.push(candidate.clone());
    candidate
}

pub fn write(sheets: &[SheetTable]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let pct = Format::new().set_num_format("0.0");
    let mut used = Vec::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        let name = sheet_name(&s.name, &mut used);
        ws.set_name(&name)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, crate::grid::col(c), h, &header)?;
            let width = if c == 0 {
                14.0
            } else if c == 1 || c == 2 {
                40.0
            } else {
                12.0
            };
            ws.set_column_width(crate::grid::col(c), width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = crate::grid::row(r) + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = crate::grid::col(c);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string_with_format(r, c, t, &wrap)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Cell::Percent(p) => {
                        ws.write_number_with_format(r, c, *p, &pct)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        insert_charts(ws, &name, s)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_written_beside_the_table() {
        let rows = vec![
            vec![Cell::Text("はい".into()), Cell::Percent(65.0)],
            vec![Cell::Text("いいえ".into()), Cell::Percent(35.0)],
        ];
        let bytes = write(&[SheetTable {
            name: "表".into(),
            header: vec!["回答".into(), "%".into()],
            rows,
            charts: vec![TableChart {
                title: "Q1 使っていますか".into(),
                first: 0,
                last: 1,
                labels: 0,
                values: 1,
            }],
        }])
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(xml.contains("Q1 使っていますか"));
        assert!(
            xml.contains("$A$2:$A$3") && xml.contains("$B$2:$B$3"),
            "{xml}"
        );
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        let mut used = Vec::new();
        assert_eq!(
            sheet_name("A 回答者の属性情報", &mut used),
            "A 回答者の属性情報"
        );
        assert_eq!(
            sheet_name("A 回答者の属性情報", &mut used),
            "A 回答者の属性情報 (2)"
        );
        assert_eq!(sheet_name("a/b:c", &mut used), "abc");
        assert!(sheet_name(&"x".repeat(40), &mut used).chars().count() <= 31);
    }

    #[test]
    fn writes_numbers_as_numbers() {
        let bytes = write(&[SheetTable {
            name: "表".into(),
            header: vec!["項目".into(), "件数".into(), "%".into()],
            rows: vec![vec![
                Cell::Text("はい".into()),
                Cell::Number(3.0),
                Cell::Percent(65.0),
            ]],
            charts: vec![],
        }])
        .unwrap();
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("表").unwrap();
        assert_eq!(range.get((1, 1)), Some(&calamine::Data::Float(3.0)));
        assert_eq!(range.get((1, 2)), Some(&calamine::Data::Float(65.0)));
    }
}
