//! Building malicious workbooks by hand: a zip writer that can declare any size, and a deflate
//! encoder for "a pattern repeated N times" (fixed Huffman codes and back-references of 258
//! bytes, about 13 bits per 258 bytes), so a test can make a gigabyte part in a few megabytes
//! without compressing a gigabyte. Shared by the tests and `examples/xlsx_bombs.rs`.

#![allow(dead_code, reason = "shared by several test crates, each using a part")]

/// CRC-32 (IEEE), as zip stores it, fed in pieces.
pub struct Crc {
    table: [u32; 256],
    crc: u32,
}

impl Crc {
    pub fn new() -> Crc {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        Crc { table, crc: !0 }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.crc = self.table[((self.crc ^ u32::from(b)) & 0xFF) as usize] ^ (self.crc >> 8);
        }
    }

    pub fn finish(&self) -> u32 {
        !self.crc
    }
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(bytes);
    c.finish()
}

/// The CRC of `prefix`, `pattern` × `count`, `suffix` (computed, so keep it to tens of MB).
pub fn crc32_repeat(prefix: &[u8], pattern: &[u8], count: u64, suffix: &[u8]) -> u32 {
    let per = ((1 << 20) / pattern.len()).max(1) as u64;
    let block = pattern.repeat(per as usize);
    let mut c = Crc::new();
    c.update(prefix);
    let mut left = count;
    while left >= per {
        c.update(&block);
        left -= per;
    }
    c.update(&pattern.repeat(left as usize));
    c.update(suffix);
    c.finish()
}

struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(rev, bits);
    }

    fn literal(&mut self, symbol: u32) {
        match symbol {
            0..=143 => self.code(0x30 + symbol, 8),
            144..=255 => self.code(0x190 + symbol - 144, 9),
            256..=279 => self.code(symbol - 256, 7),
            _ => self.code(0xC0 + symbol - 280, 8),
        }
    }

    fn length(&mut self, len: u32) {
        const BASE: [u32; 29] = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
            115, 131, 163, 195, 227, 258,
        ];
        const EXTRA: [u32; 29] = [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
        ];
        let i = BASE.iter().rposition(|&b| b <= len).unwrap();
        self.literal(257 + i as u32);
        if EXTRA[i] > 0 {
            self.put(len - BASE[i], EXTRA[i]);
        }
    }

    fn distance(&mut self, dist: u32) {
        const BASE: [u32; 30] = [
            1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
            1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
        ];
        let i = BASE.iter().rposition(|&b| b <= dist).unwrap();
        self.code(i as u32, 5);
        let extra = if i < 4 { 0 } else { (i as u32 - 2) / 2 };
        if extra > 0 {
            self.put(dist - BASE[i], extra);
        }
    }
}

/// A raw deflate stream that inflates to `prefix`, `pattern` repeated `count` times, `suffix`.
pub fn deflate_repeat(prefix: &[u8], pattern: &[u8], count: u64, suffix: &[u8]) -> Vec<u8> {
    assert!(!pattern.is_empty() && pattern.len() <= 32_768);
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // last block
    w.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        w.literal(u32::from(b));
    }
    if count > 0 {
        for &b in pattern {
            w.literal(u32::from(b));
        }
        let mut left = (count - 1) * pattern.len() as u64;
        while left > 0 {
            if left < 3 {
                let done = (count * pattern.len() as u64 - left) as usize % pattern.len();
                for k in 0..left as usize {
                    w.literal(u32::from(pattern[(done + k) % pattern.len()]));
                }
                break;
            }
            let len = left.min(258) as u32;
            // Leave at least 3 for a last match, or none.
            let len = if left - u64::from(len) > 0 && left - u64::from(len) < 3 {
                len - 3
            } else {
                len
            };
            w.length(len);
            w.distance(pattern.len() as u32);
            left -= u64::from(len);
        }
    }
    for &b in suffix {
        w.literal(u32::from(b));
    }
    w.literal(256);
    if w.n > 0 {
        w.put(0, 8 - w.n);
    }
    w.out
}

/// One zip entry.
pub struct Entry {
    pub name: String,
    /// The stored bytes (deflated when `deflated`).
    pub data: Vec<u8>,
    pub deflated: bool,
    pub crc: u32,
    /// The uncompressed size written in the headers (a lie when it is not the real one).
    pub declared: u64,
}

impl Entry {
    /// An entry stored as is, with its true size.
    pub fn stored(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.into(),
            data: data.to_vec(),
            deflated: false,
            crc: crc32(data),
            declared: data.len() as u64,
        }
    }

    /// `prefix`, `pattern` × `count`, `suffix`, deflated; the CRC is computed only when
    /// `with_crc` (a part the reader refuses before its end needs none).
    pub fn repeat(
        name: &str,
        prefix: &[u8],
        pattern: &[u8],
        count: u64,
        suffix: &[u8],
        with_crc: bool,
    ) -> Entry {
        Entry {
            name: name.into(),
            data: deflate_repeat(prefix, pattern, count, suffix),
            deflated: true,
            crc: if with_crc {
                crc32_repeat(prefix, pattern, count, suffix)
            } else {
                0
            },
            declared: prefix.len() as u64 + pattern.len() as u64 * count + suffix.len() as u64,
        }
    }
}

/// A zip archive of `entries` (sizes below 4 GiB, fewer than 65,535 entries).
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        let method = if e.deflated { 8 } else { 0 };
        let declared = u32::try_from(e.declared).unwrap_or(u32::MAX - 1);
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0);
        u16le(&mut out, method);
        u16le(&mut out, 0);
        u16le(&mut out, 0x21);
        u32le(&mut out, e.crc);
        u32le(&mut out, e.data.len() as u32);
        u32le(&mut out, declared);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);

        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0);
        u16le(&mut central, method);
        u16le(&mut central, 0);
        u16le(&mut central, 0x21);
        u32le(&mut central, e.crc);
        u32le(&mut central, e.data.len() as u32);
        u32le(&mut central, declared);
        u16le(&mut central, e.name.len() as u16);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts every workbook needs: content types, relationships, a workbook with one sheet
/// (`xl/worksheets/sheet1.xml`, which the caller adds).
pub fn skeleton() -> Vec<Entry> {
    skeleton_named("Sheet1")
}

/// [`skeleton`] with the sheet called `sheet`.
pub fn skeleton_named(sheet: &str) -> Vec<Entry> {
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
    );
    vec![
        Entry::stored("[Content_Types].xml", types.as_bytes()),
        Entry::stored("_rels/.rels", rels.as_bytes()),
        Entry::stored("xl/workbook.xml", workbook.as_bytes()),
        Entry::stored("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
    ]
}

/// The start and end of a worksheet part around its rows.
pub fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

pub const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
pub const SHEET_TAIL: &str = "</sheetData></worksheet>";
pub const SST_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A workbook of the skeleton plus `parts`.
pub fn workbook(parts: Vec<Entry>) -> Vec<u8> {
    workbook_named("Sheet1", parts)
}

/// [`workbook`] with the sheet called `sheet`.
pub fn workbook_named(sheet: &str, parts: Vec<Entry>) -> Vec<u8> {
    let mut entries = skeleton_named(sheet);
    entries.extend(parts);
    zip(&entries)
}

/// A small valid workbook: a header row and one data row, in shared strings.
pub fn small_valid() -> Vec<u8> {
    let sheet = sheet_xml(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3</v></c></row>"#,
    );
    let sst = format!(
        r#"{SST_HEAD}<si><t>respondent</t></si><si><t>A1</t></si><si><t>r1</t></si></sst>"#
    );
    workbook(vec![
        Entry::stored("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
    ])
}
