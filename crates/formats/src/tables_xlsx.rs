//! A workbook of plain tables (a sheet each, a header row, then rows), with formatted headers,
//! frozen header row, column widths and numbers as numbers. Used for survey reports.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

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
        ws.set_name(sheet_name(&s.name, &mut used))?;
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
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        }])
        .unwrap();
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("表").unwrap();
        assert_eq!(range.get((1, 1)), Some(&calamine::Data::Float(3.0)));
        assert_eq!(range.get((1, 2)), Some(&calamine::Data::Float(65.0)));
    }
}
