//! Converts a CSV into a one-sheet xlsx (integers as numbers, the rest as text), for
//! measuring an xlsx upload of the same table: `csv_to_xlsx IN.csv OUT.xlsx`.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_formats::tables_xlsx::{self, Cell, SheetTable};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: csv_to_xlsx IN.csv OUT.xlsx");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).expect("read the CSV");
    let table = kojo_formats::table_in::read_csv(&bytes).expect("a CSV table");
    let cell = |c: &String| match c.parse::<i64>() {
        Ok(n) if !c.starts_with('0') || c == "0" => Cell::Number(n as f64),
        _ if c.is_empty() => Cell::Empty,
        _ => Cell::Text(c.clone()),
    };
    let sheet = SheetTable {
        name: "responses".into(),
        header: table.headers.clone(),
        rows: table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(cell).collect())
            .collect(),
    };
    std::fs::write(output, tables_xlsx::write(&[sheet]).expect("write xlsx")).expect("save");
}
