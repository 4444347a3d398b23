//! A bare parse of a CSV, for the survey-analysis benchmark (`bench/survey/run.sh`): every
//! field of every record read by the `csv` crate on one thread, nothing decoded or counted but
//! the fields and their bytes. `kojo survey analyze` is compared with it to show what the
//! counting costs beyond reading the file.
//!
//! `bare_parse FILE.csv`

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::io::BufReader;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_parse FILE.csv");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).expect("open the file");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 20, file));
    let mut record = csv::ByteRecord::new();
    let (mut records, mut fields, mut bytes) = (0u64, 0u64, 0u64);
    while reader.read_byte_record(&mut record).expect("a CSV record") {
        records += 1;
        for field in record.iter() {
            fields += 1;
            bytes += field.len() as u64;
        }
    }
    println!("{records} records, {fields} fields, {bytes} bytes of fields");
}
